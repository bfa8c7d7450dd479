"""The datasheet every export carries (`datasheet.json` and `README.md`): which snapshot and
runs it holds, the code that made it, rows per table, documents per source with their dates and
terms of use, why rows were dropped, and what validation found."""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import urlsplit

from vnnews.tasks.ingest.fetch.outlets import load_outlets
from vnnews.tasks.lake import catalog
from vnnews.tasks.lake.export_files import ExportFolder
from vnnews.tasks.settings import Settings

HOST = r"regexp_extract(coalesce(url, source_uri), '^https?://(?:www\.)?([^/:]+)', 1)"
QUERIES = {
    "runs": "SELECT run_id, snapshot_id, status, started_at, code_revision FROM runs "
    "ORDER BY snapshot_id",
    "sources": f"SELECT coalesce(nullif({HOST}, ''), 'local files') AS source, "
    "count(*) AS documents, min(published_at) AS first_published, "
    "max(published_at) AS last_published FROM documents GROUP BY ALL ORDER BY documents DESC",
    "dates": "SELECT min(published_at), max(published_at), count(published_at) FROM documents",
    "drops": "SELECT stage, reason, count(*) AS rows FROM rejects GROUP BY ALL ORDER BY rows DESC",
    "validation": "SELECT stage, count(*) AS expectations, count(*) FILTER (success) AS passed "
    "FROM validation_results WHERE snapshot_id = (SELECT max(snapshot_id) FROM runs "
    "WHERE status = 'published') GROUP BY ALL ORDER BY stage",
}


def _records(settings: Settings, sql: str, snapshot: int) -> list[dict]:
    columns, rows = catalog.query(settings, sql, snapshot=snapshot)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _licences(settings: Settings) -> dict[str, str]:
    """host -> licence, from the outlets of the sources file."""
    if not settings.sources_file or not settings.sources_file.is_file():
        return {}
    return {
        (urlsplit(url).hostname or "").removeprefix("www."): outlet.licence
        for outlet in load_outlets(settings.sources_file)
        for url in outlet.urls
        if outlet.licence
    }


def datasheet(settings: Settings, snapshot: int, fmt: str, written: dict[str, int]) -> dict:
    found = {name: _records(settings, sql, snapshot) for name, sql in QUERIES.items()}
    licences = _licences(settings)
    for source in found["sources"]:
        source["licence"] = licences.get(source["source"], settings.licence)
    first, last, dated = (
        next(iter(found["dates"][0].values())),
        *list(found["dates"][0].values())[1:],
    )
    return {
        "snapshot_id": snapshot,
        "format": fmt,
        "files": written,
        "runs": found["runs"],
        "code_revisions": sorted({r["code_revision"] for r in found["runs"] if r["code_revision"]}),
        "published_between": [first, last],
        "documents_with_a_date": dated,
        "sources": found["sources"],
        "dropped": found["drops"],
        "validation": found["validation"],
        "lake": settings.lake_label,
    }


def _plain(value):
    return value.isoformat() if isinstance(value, datetime | date) else value


def _table(rows: list[dict]) -> list[str]:
    if not rows:
        return ["None."]
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(str(_plain(r[k])) for k in head) + " |" for r in rows]


def _configs(sheet: dict) -> list[str]:
    """For a Hugging Face folder: the card's YAML naming one config per table, so that
    load_dataset(folder, "documents") finds its files."""
    if sheet["format"] != "hf":
        return []
    tables = sorted({name.split("/")[0] for name in sheet["files"]})
    configs = [f"- config_name: {t}\n  data_files: {t}/*.parquet" for t in tables]
    return ["---", "configs:", *configs, "---", ""]


FILES = ("README.md", "datasheet.json")


def write_datasheet(target: ExportFolder, sheet: dict) -> None:
    target.write_text(
        "datasheet.json", json.dumps(sheet, ensure_ascii=False, indent=2, default=_plain)
    )
    first, last = (_plain(v) for v in sheet["published_between"])
    lines = _configs(sheet) + [
        f"# vnnews corpus, snapshot {sheet['snapshot_id']}",
        "",
        f"Exported as {sheet['format']} from {sheet['lake']}; code revision(s): "
        f"{', '.join(sheet['code_revisions']) or 'unknown'}. Articles published from {first} "
        f"to {last} ({sheet['documents_with_a_date']} with a date).",
        "",
        "## Files",
        *_table([{"file": f, "rows": n} for f, n in sheet["files"].items()]),
        "",
        "## Sources and their terms",
        *_table(sheet["sources"]),
        "",
        "## Rows dropped, and why",
        *_table(sheet["dropped"]),
        "",
        "## Validation (the latest published run)",
        *_table(sheet["validation"]),
        "",
        "## Runs",
        *_table(sheet["runs"]),
        "",
    ]
    target.write_text("README.md", "\n".join(lines))
