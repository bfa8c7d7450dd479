"""Which files a run reads: article files under the given files, folders and globs.

Only regular files are ever opened. A FIFO, a device, a socket or a dangling link (given
directly or found in a folder) is listed too, so that it becomes an `unsupported_type` reject
with a reason instead of hanging the run (reading `/dev/zero` never ends) or vanishing unseen.
"""

from __future__ import annotations

import glob
import os
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# The file types a reader exists for (readers.py, jsonl.py, warc.py), also inside .gz.
ARTICLE_SUFFIXES = frozenset({".txt", ".html", ".htm", ".jsonl", ".warc"})


class NotRegular(OSError):
    """The path is not a regular file: what it is instead is the message."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    root: Path  # the directory it was found under (or its own folder when given directly)

    @property
    def uri(self) -> str:
        return self.path.absolute().as_uri()

    @property
    def kind(self) -> str:
        """The reader suffix: `.txt`, `.html`, `.jsonl` (also for `a.jsonl.gz`)."""
        return kind_of(self.path)

    @property
    def gzipped(self) -> bool:
        return self.path.name.lower().endswith(".gz")

    @property
    def escapes_root(self) -> bool:
        return not self.path.resolve().is_relative_to(self.root.resolve())


def kind_of(path: Path) -> str:
    """`.txt` for a.txt and a.TXT.gz; "" for a name without a suffix."""
    return Path(path.name.lower().removesuffix(".gz")).suffix


def skipped_kind(path: Path) -> str:
    """How a file no reader takes is counted: by its suffix."""
    return kind_of(path) or "without a suffix"


def what_it_is(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def not_regular(path: Path) -> str | None:
    """Why `path` cannot be read as a file (None when it is a regular file, or a link to one)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        target = os.readlink(path) if path.is_symlink() else "nothing"
        return f"a link to {target}, which does not exist"
    except OSError as exc:
        return f"cannot be examined: {exc.strerror or exc}"
    return None if stat.S_ISREG(mode) else what_it_is(mode)


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading, without ever blocking on a FIFO or a device."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, with no writer
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(what_it_is(mode))
        return os.fdopen(fd, "rb")  # O_NONBLOCK means nothing to a regular file
    except BaseException:
        os.close(fd)
        raise


def _listed(path: Path, skipped: Counter | None = None) -> bool:
    """A folder entry to read: an article file, or anything that is neither a file nor a
    folder (to be refused with its reason). Other files (notes, images) are not articles:
    they are counted in `skipped` by kind."""
    if not_regular(path) is None:
        if kind_of(path) in ARTICLE_SUFFIXES:
            return True
        if skipped is not None:
            skipped[skipped_kind(path)] += 1
        return False
    return not path.is_dir()


def is_article(src: SourceFile) -> bool:
    """A file a reader exists for, or a path to refuse with a reason (a FIFO, a device)."""
    return src.kind in ARTICLE_SUFFIXES or not_regular(src.path) is not None


def per_kind(skipped: Counter) -> str:
    """'2 .csv, 1 .pdf': the commonest kind first."""
    kinds = sorted(skipped.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{count} {kind}" for kind, count in kinds)


def describe_skipped(skipped: Counter) -> str:
    """'3 other files skipped (2 .csv, 1 .pdf)'; '' for none."""
    n = sum(skipped.values())
    return f"{n} other file{'s' if n != 1 else ''} skipped ({per_kind(skipped)})" if n else ""


def any_readable(sources: list[Path], skipped: Counter) -> bool:
    """Whether the sources hold an article file (or a path to refuse with its reason); the
    other files seen until then are counted in `skipped`, as are files named directly that no
    reader takes (a .csv)."""
    for src in walk(sources, skipped):
        if is_article(src):
            return True
        skipped[skipped_kind(src.path)] += 1
    return False


def discover(sources: list[Path]) -> list[SourceFile]:
    """Article files under the given files, directories and globs, sorted, each listed once."""
    return list(walk(sources))


def walk(sources: list[Path], skipped: Counter | None = None) -> Iterator[SourceFile]:
    """discover(), one file at a time: a folder is walked as the run reads, never listed whole
    (a national archive holds millions of files). A source that does not exist is an error
    before anything is read. Files in folders that are no articles are counted in `skipped`
    by kind (".csv": 2)."""
    sources = list(map(Path, sources))
    for source in sources:
        if not (source.exists() or source.is_symlink() or glob.glob(str(source), recursive=True)):
            raise FileNotFoundError(
                f"Source {source} does not exist. Pass an existing file, directory or glob."
            )
    seen: set[Path] = set()
    for path, root in _candidates(sources, skipped):
        if (resolved := path.resolve()) not in seen:
            seen.add(resolved)
            yield SourceFile(path, root)


def _candidates(sources: list[Path], skipped: Counter | None) -> Iterator[tuple[Path, Path]]:
    """(path, the root it was found under) for every article file the sources name."""
    for source in sources:
        if source.is_dir():
            yield from ((p, source) for p in _sorted_tree(source) if _listed(p, skipped))
        elif source.exists() or source.is_symlink():
            yield source, source.parent
        else:
            for match in map(Path, sorted(glob.glob(str(source), recursive=True))):
                if _listed(match, skipped):
                    yield match, match.parent


def _sorted_tree(folder: Path) -> Iterator[Path]:
    """Everything under `folder` in the order of sorted(folder.rglob("*")): entries sorted by
    name, each folder's contents right after it; links to folders are listed, not entered."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        path = folder / entry.name
        yield path
        if entry.is_dir(follow_symlinks=False):
            yield from _sorted_tree(path)
