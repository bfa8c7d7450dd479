"""Feed the same articles twice through the real flow; the second time some are re-encoded
(cp1258, NFD), some lightly edited in place, and lightly edited copies of others appear under new
names. Prints what each run published, replaced and rejected.

    .venv/bin/python -m benchmarks.dedup_rerun [N]      (N articles, default 200)

Expected in run 2: re-encoded ones are the same articles (skipped as unchanged); an article
edited in place is a new version of itself (published, `replaces` the old doc_id); an edited
copy under another name is a `near_duplicate` reject pointing at its published original; no
exact duplicate is ever published; run 2 is much cheaper than run 1.
"""

from __future__ import annotations

import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from benchmarks.corpus import corpus, cp1258, light_edit
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings, quiet_telemetry


def main(n: int) -> int:
    quiet_telemetry()
    from vnnews.flows.pipeline import pipeline

    texts = corpus(n)
    names = sorted(texts)
    k = max(n // 20, 1)  # 5% each: cp1258, NFD, edited in place, edited copies: 10 each of 200
    with tempfile.TemporaryDirectory() as tmp:
        src, data = Path(tmp) / "src", Path(tmp) / "data"
        src.mkdir()
        for name, text in texts.items():
            (src / name).write_text(text, encoding="utf-8")
        started = time.perf_counter()
        pipeline(sources=[str(src)], data_dir=str(data), return_state=True)
        first = time.perf_counter() - started
        for name in names[:k]:
            (src / name).write_bytes(cp1258(texts[name]))
        for name in names[k : 2 * k]:
            (src / name).write_bytes(unicodedata.normalize("NFD", texts[name]).encode())
        for name in names[2 * k : 3 * k]:
            (src / name).write_text(light_edit(texts[name]), encoding="utf-8")
        for name in names[3 * k : 4 * k]:
            (src / f"copy-{name}").write_text(light_edit(texts[name]), encoding="utf-8")
        started = time.perf_counter()
        pipeline(sources=[str(src)], data_dir=str(data), return_state=True)
        second = time.perf_counter() - started

        settings = load_settings(data_dir=data)
        _, runs = catalog.query(
            settings,
            "SELECT n_in, n_published, n_replaced, n_rejected, n_unchanged FROM runs "
            "ORDER BY snapshot_id",
        )
        _, reasons = catalog.query(
            settings,
            """
            SELECT reason, count(*), count(d.doc_id) FROM rejects r
            LEFT JOIN documents d ON d.doc_id = r.duplicate_of GROUP BY reason ORDER BY reason""",
        )
        _, dupes = catalog.query(
            settings, "SELECT count(*) - count(DISTINCT body_hash) FROM documents"
        )
    print(
        f"\n{n} articles; run 2 re-encodes {2 * k} (cp1258, NFD), edits {k} in place "
        f"and adds {k} edited copies"
    )
    for i, (n_in, published, replaced, rejected, unchanged) in enumerate(runs, 1):
        print(
            f"run {i}: {n_in} in, {published} published ({replaced} new versions), "
            f"{rejected} rejected, {unchanged} unchanged (skipped)"
        )
    for reason, count, linked in reasons:
        print(f"  {reason}: {count} (pointing at a published original: {linked})")
    print(f"exact duplicates among published documents: {dupes[0][0]}")
    print(f"wall time: run 1 {first:.1f} s, run 2 {second:.1f} s, ratio {second / first:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
