"""Live sources, measured against a local outlet (tests/live_site.py, real HTTP on 127.0.0.1).

    .venv/bin/python -m benchmarks.live_fetch [--copies 5]

1. Throughput: the HTML pages of tests/outlets, unseen, heldout and blind, each served `copies`
   times by Python's file server in its own process, crawled from one sitemap with the rate
   limit off (interval 0), at 1, 2 and 8 requests in flight. Printed as pages/s and as a
   ratio to reading the same pages from disk, measured
   in the same run.
2. Quality: paragraph precision, recall and F1 of the pages fetched once, cleaned as a run cleans
   them, beside the same pages read from disk: fetched bodies must be as clean as saved ones.
3. The fallback extractor: trafilatura in place of our HTML reader (the clean stage after it
   unchanged), on every page and on the pages where no container selector matched. Only when
   trafilatura is installed (`uv pip install trafilatura`); it is not a dependency.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.fixture_check import (
    BLIND,
    HELDOUT,
    OUTLETS,
    UNSEEN,
    cleaned,
    expected,
    key_of,
    paragraph_scores,
)
from tests.live_site import Outlet
from tests.local_server import serving
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.ingest.discover import discover
from vnnews.tasks.ingest.fetch.live import fetch_live
from vnnews.tasks.ingest.fetch.outlets import from_url
from vnnews.tasks.ingest.fetch.policy import FetchPolicy
from vnnews.tasks.ingest.ingest import ingest
from vnnews.tasks.settings import PROJECT_ROOT
from vnnews.tasks.tables import FETCHES

SETS = (OUTLETS, UNSEEN, HELDOUT, BLIND)


def policy(per_host: int) -> FetchPolicy:
    return FetchPolicy(allow_private=("127.0.0.1",), min_interval=0.0, per_host=per_host)


def html_files(root: Path):
    return [f for f in discover([root]) if f.kind == ".html"]


def throughput(pack: RulePack, copies: int) -> list[str]:
    files = [f for root in SETS for f in html_files(root)]
    started = time.perf_counter()
    for _ in range(copies):
        ingest(files, pack.html)
    local = len(files) * copies / (time.perf_counter() - started)
    rows = [f"{len(files) * copies} pages; read from disk: {local:.0f} pages/s (baseline)"]
    with tempfile.TemporaryDirectory() as folder, _server(Path(folder)) as base:
        paths = []
        for k in range(copies):
            for root in SETS:
                for path, body in _pages(root).items():
                    paths.append(f"/c{k}/{root.name}{path}")
                    (Path(folder) / paths[-1][1:]).parent.mkdir(parents=True, exist_ok=True)
                    (Path(folder) / paths[-1][1:]).write_bytes(body)
        urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
        (Path(folder) / "sitemap.xml").write_text(f"<urlset>{urls}</urlset>", encoding="utf-8")
        for per_host in (1, 2, 8):
            started = time.perf_counter()
            got = fetch_live([from_url(f"{base}/sitemap.xml")], policy(per_host),
                             FETCHES.empty_table(), pack.html, len(paths))  # fmt: skip
            rate = got.raw.num_rows / (time.perf_counter() - started)
            rows.append(
                f"fetched and read, {per_host} in flight: {rate:.0f} pages/s "
                f"({rate / local:.2f} x disk), {got.rejects.num_rows} failed"
            )
    return rows


@contextlib.contextmanager
def _server(folder: Path) -> Iterator[str]:
    """Python's own file server in a process of its own, so that it does not share our GIL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    server = subprocess.Popen(
        command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def _pages(root: Path) -> dict[str, bytes]:
    return {
        "/" + f.path.relative_to(root).as_posix(): f.path.read_bytes() for f in html_files(root)
    }


def _prf(got: dict, want: dict) -> tuple[float, float, float]:
    precision, recall, _ = paragraph_scores(got, want)
    return precision, recall, 2 * precision * recall / ((precision + recall) or 1)


def quality(pack: RulePack) -> list[str]:
    head = "".join(f"{h:>11}" for h in ("saved P", "saved R", "saved F1", "fetched P",
                                          "fetched R", "fetched F1"))  # fmt: skip
    rows = [f"{'':<10}{'pages':>6}{head}"]
    for root in SETS:
        want = {k: v for k, v in expected(root)["documents"].items() if k.endswith(".html")}
        raw, rejects = ingest(html_files(root), pack.html)
        saved, _ = cleaned(raw, rejects, pack, lambda uri, root=root: key_of(uri, root))
        with serving(Outlet()) as site:
            site.pages.update(_pages(root))
            got = fetch_live([from_url(site.sitemap(list(site.pages)))], policy(2),
                             FETCHES.empty_table(), pack.html, 10_000)  # fmt: skip
            prefix = site.url("/")
        fetched, _ = cleaned(got.raw, got.rejects, pack, lambda uri, p=prefix: uri.removeprefix(p))
        scores = [*_prf(saved, want), *_prf(fetched, want)]
        rows.append(f"{root.name:<10}{len(want):>6}" + "".join(f"{x:>11.3f}" for x in scores))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=5, help="times each page is served")
    args = parser.parse_args()
    pack = RulePack.load(PROJECT_ROOT / "seeds" / "rules" / "boilerplate.toml")
    print("Throughput, rate limit off (one host, 127.0.0.1)")
    print("\n".join(throughput(pack, args.copies)))
    print()
    print("Paragraph precision (P), recall (R) and F1, HTML pages saved vs fetched")
    print("\n".join(quality(pack)))
    print()
    from benchmarks.fallback_extractor import compare

    print("Fallback extractor: trafilatura in place of the HTML reader")
    print("\n".join(compare(pack, SETS)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
