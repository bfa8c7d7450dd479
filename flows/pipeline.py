"""The vnnews flow: ingest -> clean -> tokenise -> extract -> publish.

One Prefect task per stage per batch of documents; the stage logic itself is in tasks/.
A failed critical expectation stops the run before anything is published.
"""

from __future__ import annotations

import json
import platform
import uuid
from datetime import UTC, datetime
from importlib.metadata import version

import pyarrow as pa
import pyarrow.compute as pc
from prefect import flow, get_run_logger, runtime, task
from prefect.states import Completed, Failed

from tasks import clean, extract, ingest, lake, tables, tokenise, validate
from tasks.gazetteer import Gazetteer
from tasks.settings import Settings, load_settings
from tasks.summary import RunSummary, StageCount


def chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def table_chunks(table: pa.Table, size: int) -> list[pa.Table]:
    return [table.slice(i, size) for i in range(0, max(table.num_rows, 1), size)]


@task(name="ingest")
def ingest_batch(files: list[ingest.SourceFile]):
    return ingest.ingest(files)


@task(name="clean")
def clean_batch(raw: pa.Table, settings: Settings):
    return clean.clean(raw, clean.RulePack.load(settings.rules_dir / "boilerplate.toml"))


@task(name="dedup")
def dedup(documents: pa.Table):
    return clean.drop_duplicates(documents)


@task(name="tokenise")
def tokenise_batch(documents: pa.Table):
    return tokenise.tokenise(documents)


@task(name="extract")
def extract_batch(sentences: pa.Table, settings: Settings):
    return extract.extract(sentences, Gazetteer.load(settings.gazetteers_dir))


@task(name="validate", task_run_name="validate-{stage}")
def validate_stage(stage: str, table: pa.Table, settings: Settings):
    return validate.validate(stage, table, settings)


@task(name="publish")
def publish(settings: Settings, tables_by_name: dict[str, pa.Table], run: dict) -> int:
    return lake.publish(settings, tables_by_name, run)


def _gate(summary: RunSummary, stage: str, table: pa.Table, settings: Settings) -> bool:
    result = validate_stage(stage, table, settings)
    summary.validations[stage] = result
    get_run_logger().info("validate %s: %s", stage, result.describe())
    return result.passed


def _versions() -> str:
    names = ("prefect", "great-expectations", "duckdb", "underthesea", "pyarrow", "vnnews")
    return json.dumps({n: version(n) for n in names} | {"python": platform.python_version()})


def _finish(summary: RunSummary, settings: Settings):
    summary.finished_at = datetime.now(UTC)
    summary.reports = {
        "lake": str(settings.catalog_path),
        "data_docs": str(settings.data_docs_dir / "index.html"),
    }
    if summary.blocked_by:
        summary.status = "blocked"
        stages = ", ".join(summary.blocked_by)
        return Failed(message=f"Validation blocked publishing at: {stages}", data=summary)
    return Completed(message=f"Published snapshot {summary.snapshot_id}", data=summary)


def _run_id() -> str:
    return str(runtime.flow_run.id or uuid.uuid4())


@flow(name="vnnews", log_prints=True)
def pipeline(sources: list[str] | None = None, data_dir: str | None = None):
    """Run every stage on the articles under `sources` and publish one lake snapshot."""
    log = get_run_logger()
    settings = load_settings(data_dir=data_dir, sources=tuple(sources or ()))
    summary = RunSummary(_run_id(), datetime.now(UTC), [str(s) for s in settings.sources])
    files = ingest.discover(list(settings.sources))
    summary.n_in = len(files)
    log.info("run %s: %d files from %s", summary.run_id, len(files), ", ".join(summary.sources))
    size = settings.batch_size
    rejects: list[pa.Table] = []

    file_batches = chunks(files, size)
    raw_parts = []
    for i, batch in enumerate(file_batches, 1):
        raw, bad = ingest_batch(batch)
        raw_parts.append(raw)
        rejects.append(bad)
        log.info(
            "ingest batch %d/%d: %d files -> %d documents",
            i,
            len(file_batches),
            len(batch),
            raw.num_rows,
        )
    raw = tables.concat(raw_parts, tables.RAW_DOCUMENTS)
    summary.stages.append(StageCount("ingest", len(files), raw.num_rows))
    if not _gate(summary, "ingest", raw, settings):
        return _finish(summary, settings)

    cleaned = []
    for batch in table_chunks(raw, size):
        docs, bad, removed = clean_batch(batch, settings)
        cleaned.append(docs)
        rejects.append(bad)
        summary.removed_paragraphs.update(removed)
    documents, duplicates = dedup(tables.concat(cleaned, tables.DOCUMENTS))
    rejects.append(duplicates)
    summary.stages.append(StageCount("clean", raw.num_rows, documents.num_rows))
    if not _gate(summary, "clean", documents, settings):
        return _finish(summary, settings)

    sentence_parts, token_parts = [], []
    doc_batches = table_chunks(documents, size)
    for i, batch in enumerate(doc_batches, 1):
        sents, toks = tokenise_batch(batch)
        sentence_parts.append(sents)
        token_parts.append(toks)
        log.info(
            "tokenise batch %d/%d: %d documents -> %d sentences",
            i,
            len(doc_batches),
            batch.num_rows,
            sents.num_rows,
        )
    sentences = tables.concat(sentence_parts, tables.SENTENCES)
    tokens = tables.concat(token_parts, tables.TOKENS)
    n_docs = len(set(sentences["doc_id"].to_pylist()))
    summary.stages.append(
        StageCount(
            "tokenise",
            documents.num_rows,
            n_docs,
            f"{sentences.num_rows} sentences, {tokens.num_rows} tokens",
        )
    )
    if not _gate(summary, "tokenise", tokens, settings):
        return _finish(summary, settings)

    entity_parts = []
    for i, batch in enumerate(doc_batches, 1):
        ids = pa.array(batch["doc_id"].to_pylist(), pa.string())
        mask = pc.is_in(sentences["doc_id"], value_set=ids)
        entity_parts.append(extract_batch(sentences.filter(mask), settings))
        log.info("extract batch %d/%d: %d entities", i, len(doc_batches), entity_parts[-1].num_rows)
    entities = tables.concat(entity_parts, tables.ENTITIES)
    summary.stages.append(
        StageCount(
            "extract", documents.num_rows, documents.num_rows, f"{entities.num_rows} entities"
        )
    )
    if not _gate(summary, "extract", entities, settings):
        return _finish(summary, settings)

    all_rejects = tables.concat(rejects, tables.REJECTS)
    summary.count_rejects(all_rejects)
    summary.n_published = documents.num_rows
    ledger = pa.table(
        {
            "n_in": [summary.n_in],
            "n_published": [summary.n_published],
            "n_rejected": [summary.n_rejected],
            "n_accounted": [summary.n_published + summary.n_rejected],
        }
    )
    if not _gate(summary, "publish", ledger, settings):
        return _finish(summary, settings)

    published = {
        "documents": documents,
        "sentences": sentences,
        "tokens": tokens,
        "entities": entities,
        "rejects": all_rejects,
    }
    summary.status = "published"
    run_row = {
        "run_id": summary.run_id,
        "started_at": summary.started_at,
        "finished_at": datetime.now(UTC),
        "status": summary.status,
        "n_in": summary.n_in,
        "n_published": summary.n_published,
        "n_rejected": summary.n_rejected,
        "sources": summary.sources,
        "stage_counts": summary.stage_counts_json(),
        "versions": _versions(),
        "settings": json.dumps(settings.describe()),
    }
    summary.snapshot_id = publish(settings, published, run_row)
    summary.stages.append(
        StageCount(
            "publish", documents.num_rows, documents.num_rows, f"snapshot {summary.snapshot_id}"
        )
    )
    log.info("published snapshot %s to %s", summary.snapshot_id, settings.catalog_path)
    return _finish(summary, settings)
