"""Two runs publish the same tables: row counts and order-independent hashes to compare."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.fixture_check import FIXTURES
from vnnews.flows.runner import pipeline_for
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings

COMPARED = ("documents", "sentences", "tokens", "entities", "dates", "quantities", "quotes",
            "keywords", "rejects")  # fmt: skip
VOLATILE = {"run_id", "ingested_at"}  # differ between any two runs, by design


def fingerprint(data_dir: Path) -> dict[str, tuple[int, str]]:
    """Per table: rows, and a hash of its rows in sorted order (order-independent)."""
    settings = load_settings(data_dir=data_dir)
    out = {}
    for name in COMPARED:
        columns = [c for c in catalog.query(settings, f"DESCRIBE {name}")[1]]
        kept = ", ".join(f'"{c[0]}"' for c in columns if c[0] not in VOLATILE)
        rows = catalog.query(settings, f"SELECT {kept} FROM {name} ORDER BY ALL")[1]
        out[name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def run_in_process(data_dir: Path, monkeypatch, with_summary: bool = False, **env: str):
    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "8")  # several batches: several Dask tasks
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings(data_dir=data_dir)
    summary = pipeline_for(settings)(sources=[str(FIXTURES)], data_dir=str(data_dir))
    assert summary.status == "published", summary.blocked
    return (fingerprint(data_dir), summary) if with_summary else fingerprint(data_dir)
