"""What produced a run: the code revision and the versions of the libraries that did the work."""

from __future__ import annotations

import json
import platform
import subprocess
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import version

from vnnews.tasks.settings import PROJECT_ROOT, Settings

LIBRARIES = ("vnnews", "prefect", "great-expectations", "duckdb", "underthesea", "pyarrow")


@cache
def code_revision() -> str:
    """The git commit of the checkout ("+dirty" with local changes), else the package version."""
    try:

        def git(*args: str) -> str:
            return subprocess.run(
                ["git", *args],
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()

        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
        return commit + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return f"vnnews {version('vnnews')}"


def versions() -> dict[str, str]:
    return {name: version(name) for name in LIBRARIES} | {"python": platform.python_version()}


def run_row(summary, settings: Settings, manifest: list[dict]) -> dict:
    """The run's row in `runs`, from its RunSummary (tasks/reports/summary.py): what it did,
    with what settings and code, and the manifest of every input item."""
    s = summary
    return {
        "run_id": s.run_id,
        "started_at": s.started_at,
        "finished_at": datetime.now(UTC),
        "status": s.status,
        "n_in": s.n_in,
        "n_published": s.n_published,
        "n_rejected": s.n_rejected,
        "n_unchanged": s.n_unchanged,
        "n_replaced": s.n_replaced,
        "n_quarantined": s.n_quarantined,
        "sources": s.sources,
        "stage_counts": s.stage_counts_json(),
        "versions": json.dumps(versions()),
        "settings": json.dumps(settings.describe()),
        "code_revision": code_revision(),
        "manifest": manifest,
    }
