"""Ingest, a part of the run at a time.

A run reads its sources in batches of files until `part_size` documents are in hand, validates
them at the ingest gate, and hands the part to the other stages (flows/stages.py) before it
reads on, so that two parts of the corpus are in memory at a time (one on the workers, one
being read and cleaned: flows/pipeline.py), not all of it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from itertools import chain, islice

import pyarrow as pa

from vnnews.flows import runner, steps
from vnnews.flows.part import Part
from vnnews.flows.run import Run
from vnnews.tasks import tables
from vnnews.tasks.checks import gate, validate
from vnnews.tasks.ingest import incremental
from vnnews.tasks.ingest.discover import describe_skipped, walk
from vnnews.tasks.lake import staging
from vnnews.tasks.nlp import tokenise as nlp_stage


def parts(run: Run) -> Iterator[tuple[Part, bool]]:
    """Ingest, a part at a time: read file batches until `part_size` documents are in hand,
    validate them and yield (the part, whether more may follow); the other stages then take
    that part on. Live sources come last, with the final part. There is always one part."""
    # Meanwhile GX loads for the first checkpoint and, when there is anything to read, the NLP
    # workers start and load their models: on a few articles that start-up is most of a run.
    warm = threading.Thread(target=validate.warm_up, args=(run.settings,), daemon=True)
    warm.start()
    gone = staging.remove_stale(run.settings.staging_dir, keep=run.summary.run_id)
    if gone:
        run.log.info("removed the staged parts of %d killed runs: %s", len(gone), ", ".join(gone))
    read = Read()
    # A missing source fails here, before any work.
    files = walk(run.settings.local_sources, read.other)
    first = next(files, None)
    outlets = steps.outlets(run.settings)
    if first or outlets:
        if run.settings.runner == "local":
            nlp_stage.warm_up(run.settings.workers)
        else:  # Dask: connect and warm the workers up, in a thread
            run.warming = runner.warm_up(run.settings, run.log)
    published = steps.published_files(run.settings) if first else None
    chunks = _batches(chain([first] if first else [], files), run.settings.batch_size)
    part = run.next_part()
    for i, chunk in enumerate(chunks, 1):
        changed, hashes, n_skipped, skipped = steps.find_changed(chunk, published)
        read.skipped(run, n_skipped, skipped)
        raw, bad = steps.ingest_batch(changed, run.settings) if changed else _nothing()
        part.add(raw, _refused(run, raw, bad), changed, hashes)
        read.n_files += len(changed)
        run.progress(
            "ingest", part.number, i, None, f"{len(changed)} files -> {raw.num_rows} documents"
        )
        if part.n_documents >= run.settings.part_size:
            if part.number == 1 and run.settings.runner == "local":
                nlp_stage.warm_up(run.settings.workers, aside=True)  # for the parts' overlap
            _ingested(run, part, read.line(run, outlets))
            yield part, True
            part = run.next_part()
    if part.number > 1 and not (part.files or part.refused or outlets):
        return  # the last file read ended the part before: nothing is left for this one
    if outlets:
        raw, bad, unchanged = _fetch(run, outlets)
        part.add(raw, bad, [], {})
        run.manifest += unchanged  # not modified since the last run: read as unchanged
        run.summary.n_in += len(unchanged)
        run.summary.n_unchanged += len(unchanged)
    _ingested(run, part, read.line(run, outlets))
    yield part, False


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def _nothing() -> tuple[pa.Table, pa.Table]:
    return tables.RAW_DOCUMENTS.empty_table(), tables.REJECTS.empty_table()


class Read:
    """Files read, files unchanged since they were published, and files in the sources' folders
    that are no articles (by kind), so far in the run."""

    def __init__(self):
        self.n_files = self.n_unread = 0
        self.other: Counter = Counter()

    def skipped(self, run: Run, n_items: int, skipped: list[dict]) -> None:
        run.manifest += skipped
        run.summary.n_in += n_items  # items of unchanged files count as read and unchanged,
        run.summary.n_unchanged += n_items  # so the ledger still balances
        self.n_unread += len(skipped)

    def line(self, run: Run, outlets: list) -> str:
        """Ingest's line: '3 files read, 2 unchanged not re-read, 1 other file skipped (1 .csv),
        12 fetched'."""
        said = []
        if run.settings.local_sources or not outlets:
            said.append(f"{self.n_files} file{'s' if self.n_files != 1 else ''} read")
        if self.n_unread:
            said.append(f"{self.n_unread} unchanged not re-read")
        if self.other:
            said.append(describe_skipped(self.other))
        return ", ".join(said + ([run.fetched] if run.fetched else []))


def _ingested(run: Run, part: Part, read_from: str) -> None:
    """The ingest gate on what the part read, then what of it is new."""
    raw = tables.concat(part.read, tables.RAW_DOCUMENTS)
    part.read = []
    read = raw.select(["source_uri", "content_hash"]).to_pylist() + part.refused
    ledger = incremental.file_ledger(part.files, part.hashes, [r["source_uri"] for r in read])
    run.files = tables.concat([run.files, ledger], tables.FILES)
    run.manifest += read
    # Counted in documents like every other stage (a JSONL file holds many); the files aside.
    seconds = time.perf_counter() - part.started
    counts = (len(read), raw.num_rows)
    dropped = run.gate("ingest", part.number, seconds, {"raw": raw}, counts, read_from)
    raw = gate.without(raw, "source_uri", dropped)
    part.raw = steps.skip_unchanged(raw, run.settings)
    unchanged = raw.num_rows - part.raw.num_rows
    run.summary.n_unchanged += unchanged
    if unchanged:
        run.log.info("%d articles already published unchanged: skipped", unchanged)


def _fetch(run: Run, outlets: list) -> tuple[pa.Table, list[dict], list[dict]]:
    """The live sources: (raw documents, manifest rows of the URLs refused, of the pages not
    modified); what was fetched goes on the run, for the stage's line."""
    live = steps.fetch_sources(run.settings, outlets)
    run.fetches, run.summary.fetched = live.fetches, live.hosts
    counts: Counter = Counter()
    for host in live.hosts.values():
        counts.update(host)
    run.fetched = ", ".join(f"{n} {what}" for what, n in counts.items()) or "nothing fetched"
    return live.raw, _refused(run, live.raw, live.rejects), live.unchanged


def _refused(run: Run, raw: pa.Table, bad: pa.Table) -> list[dict]:
    """Rejects of a batch kept; the manifest rows of what was refused."""
    run.add_rejects(bad)
    # Every article read and every file, record or URL refused is one input item.
    run.summary.n_in += raw.num_rows + bad.num_rows
    return [{"source_uri": uri, "content_hash": None} for uri in bad["source_uri"].to_pylist()]
