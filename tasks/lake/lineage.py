"""What produced a run: the code revision and the versions of the libraries that did the work."""

from __future__ import annotations

import platform
import subprocess
from functools import cache
from importlib.metadata import version

from vnnews.tasks.settings import PROJECT_ROOT

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
