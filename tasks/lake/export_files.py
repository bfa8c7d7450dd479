"""The folder an export writes into: only regular files it creates, never through a link.

Every file is written in a private scratch folder inside the target (mode 0700: nobody else
can put a link there), then renamed into place. A rename replaces a directory entry and never
writes through what was there, so a link already in the folder (a README.md pointing at a
file elsewhere) is not followed; the export refuses it up front instead, naming it, so that
nothing is half-written and the link's target stays as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class ExportError(ValueError):
    pass


class ExportFolder:
    def __init__(self, root: Path, names: list[str]) -> None:
        """Open `root` (created if missing) for the files `names` (relative, `/`-separated);
        ExportError, before anything is written, if any of them would meet a link."""
        if root.exists() and not root.is_dir():
            raise ExportError(f"{root} is a file, not a folder: name a folder to export into.")
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        for name in names:
            self._no_link(name)
        self._scratch = Path(tempfile.mkdtemp(prefix=".vnnews-export-", dir=root))

    def scratch(self, name: str) -> Path:
        """Where to write `name` before it is placed."""
        return self._scratch / name.replace("/", "__")

    def place(self, name: str) -> Path:
        """Move the scratch file of `name` into place; its final path."""
        self._no_link(name)
        final = self.root / name
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(self.scratch(name), final)
        except IsADirectoryError:
            raise ExportError(f"{final} is a folder: remove it or export elsewhere.") from None
        return final

    def write_text(self, name: str, text: str) -> Path:
        self.scratch(name).write_text(text, encoding="utf-8")
        return self.place(name)

    def close(self) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> ExportFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _no_link(self, name: str) -> None:
        path = self.root
        for part in name.split("/"):
            path = path / part
            if path.is_symlink():
                raise ExportError(
                    f"{path} is a symbolic link (to {os.readlink(path)}): vnnews export writes "
                    "only files it creates, never through a link. Remove the link, or export "
                    "into another folder."
                )
