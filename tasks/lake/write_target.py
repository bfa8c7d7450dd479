"""Where SQL may write: inside the folders an analyst allowed, never under the lake's data dir.

DuckDB's `allowed_directories` opens a folder for reading and writing alike, and the lake's
own files must be in it to be read. So every file a COPY (or a relation's to_parquet) would
write is checked here first, after following links: a link in an allowed folder that leads
into the lake, or out of the allowed folders, is refused like the place it leads to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from vnnews.tasks.lake.sandbox_errors import HINT, Refused

# Directory entries looked at when a write goes into an existing folder (a partitioned COPY
# writes below it): enough for any export folder, bounded for a huge one.
MAX_ENTRIES = 100_000
# A folder in a file name pattern could climb out of the target: '../../lake/x_{i}'.
PATTERN = "FILENAME_PATTERN names a file, not a folder: leave out / and \\."


@dataclass
class WriteRule:
    allowed: list[Path]  # folders named with --allow-path, resolved
    protected: list[Path] = field(default_factory=list)  # the data dir, data path, catalog

    def check(self, target: str, filename_pattern: str | None = None) -> None:
        """Raise Refused unless SQL may write the file or folder `target` (with the files
        below it named by `filename_pattern`, as COPY's FILENAME_PATTERN names them)."""
        if not self.allowed:
            raise Refused(f"Writing {target} is not allowed: no folder was named. {HINT}")
        if filename_pattern is not None and set(filename_pattern) & {"/", "\\"}:
            raise Refused(f"{PATTERN} {HINT}")
        if "://" in target or target.startswith(("s3:", "gs:", "gcs:", "r2:", "az:", "hf:")):
            raise Refused(f"Writing {target} is not allowed: only files in the named folders.")
        real = Path(os.path.realpath(Path(target).expanduser()))
        self._allowed_place(target, real)
        self._no_link_out(target, real)

    def _allowed_place(self, target: str, real: Path) -> None:
        for root in self.protected:
            beside = real.parent == root.parent and real.name.startswith(root.name)  # -wal
            if real.is_relative_to(root) or beside:
                raise Refused(
                    f"Writing {target} is not allowed: it is inside the lake's data "
                    f"({root}), which SQL only reads."
                )
        if not any(real.is_relative_to(folder) for folder in self.allowed):
            named = ", ".join(str(f) for f in self.allowed)
            shown = target if str(real) == target else f"{target} (that is {real})"
            raise Refused(f"Writing {shown} is not allowed: outside the named folders ({named}).")

    def _no_link_out(self, target: str, real: Path) -> None:
        """DuckDB writes a file as tmp_NAME beside it first, then renames it (a link of that
        name is written through), and a folder's partitions below it: no link met there may
        lead anywhere a direct write could not go."""
        written = Path(target).expanduser()
        beside = Path(os.path.realpath(written.parent)) / f"tmp_{written.name}"
        for seen, entry in enumerate([beside, *_below(real)]):
            if seen > MAX_ENTRIES:
                raise Refused(f"Writing {target} is not allowed: {real} holds too many files.")
            if entry.is_symlink():
                try:
                    self._allowed_place(str(entry), Path(os.path.realpath(entry)))
                except Refused as exc:
                    raise Refused(f"Writing {target} is refused, through a link: {exc}") from None


def _below(folder: Path):
    if folder.is_dir():
        for root, dirs, files in os.walk(folder):
            for name in (*dirs, *files):
                yield Path(root) / name
