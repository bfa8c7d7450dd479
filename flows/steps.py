"""Prefect tasks: one per stage, each called once per batch of documents.

They only wrap the pure stage functions of tasks/ so that Prefect can track, retry and time
them; no stage logic lives here.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from prefect import task

from tasks import (
    checks,
    clean,
    extract,
    incremental,
    ingest,
    lake,
    quality,
    report,
    tables,
    tokenise,
    validate,
)
from tasks import keywords as tasks_keywords
from tasks import publish as tasks_publish
from tasks.dedup import deduplicate
from tasks.gazetteer import Gazetteer
from tasks.rules import RulePack
from tasks.settings import Settings


def rule_pack(settings: Settings) -> RulePack:
    return RulePack.load(settings.rules_dir / "boilerplate.toml")


@task(name="ingest")
def ingest_batch(files: list[ingest.SourceFile], settings: Settings):
    return ingest.ingest(files, rule_pack(settings).html, settings.max_doc_bytes)


@task(name="find-files")
def find_files(settings: Settings):
    """The source files, less those whose bytes are as when last read: a hash and a lookup.
    (Discovery happens inside the task so that Prefect is not handed thousands of paths.)"""
    found = ingest.discover(list(settings.sources))
    published = lake.read_table(settings, "files", tables.FILES)
    return incremental.unchanged_files(found, published)


@task(name="skip-unchanged")
def skip_unchanged(raw: pa.Table, settings: Settings) -> pa.Table:
    """Articles already published from the same source with the same text need no work at all:
    a lookup of (source_uri, doc_id) pairs, before any cleaning or NLP. The others carry the
    doc_id they replace, if their source_uri published another text before."""
    if raw.num_rows == 0:  # every file unchanged: nothing to look up
        return raw
    published = lake.read_table(settings, "documents", tables.PUBLISHED_KEYS)
    return incremental.drop_published(raw, published)


@task(name="clean")
def clean_batch(raw: pa.Table, settings: Settings):
    """Boilerplate out, then the quality filters: (documents, rejects, paragraphs removed)."""
    pack = rule_pack(settings)
    documents, removed = clean.clean(raw, pack)
    kept, rejects = quality.filter_quality(documents, pack.quality)
    return kept, rejects, removed


@task(name="dedup")
def dedup(documents: pa.Table, settings: Settings):
    """Exact and near duplicates, against this run and every earlier published run."""
    if documents.num_rows == 0:
        return deduplicate(documents, tables.SIGNATURES.empty_table())
    published = lake.read_table(settings, "signatures", tables.SIGNATURES)
    # A new version is compared with everything but the version it replaces.
    replaced = pa.array(documents["replaces"].drop_null().unique())
    published = published.filter(pc.invert(pc.is_in(published["doc_id"], replaced)))
    return deduplicate(documents, published)


@task(name="tokenise")
def tokenise_batch(documents: pa.Table, settings: Settings):
    """(sentences, tokens, rejects): a document over its budget is a `too_complex` reject."""
    return tokenise.tokenise_parallel(documents, settings.workers, settings.budget)


@task(name="extract")
def extract_batch(documents: pa.Table, sentences: pa.Table, tokens: pa.Table, settings: Settings):
    """({table name: mentions}, rejects)."""
    gazetteer = Gazetteer.load(settings.gazetteers_dir)
    return extract.extract(documents, sentences, tokens, gazetteer, settings.budget)


@task(name="keywords")
def keywords(tokens: pa.Table, replaced: list[str], settings: Settings):
    """TF-IDF keywords against the document frequencies of everything published so far,
    less the versions this run replaces (whose counts it takes back in its term_df rows)."""
    if tokens.num_rows == 0 and not replaced:
        return tables.KEYWORDS.empty_table(), tables.TERM_DF.empty_table()
    published_df, n_docs = lake.term_frequencies(settings)
    stopwords = Gazetteer.load(settings.gazetteers_dir).stopwords
    retired = tasks_keywords.retired_df(lake.doc_tokens(settings, replaced), stopwords)
    published_df = tasks_keywords.merge_df(published_df, retired)
    n_docs -= len(replaced)
    found, batch_df = tasks_keywords.keywords(tokens, published_df, n_docs, stopwords)
    return found, tasks_keywords.merge_df(batch_df, retired)


@task(name="validate", task_run_name="validate-{stage}")
def validate_stage(stage: str, data: dict, settings: Settings, run_id: str):
    """The stage's GX checkpoint, on the frame built from its output (tasks/checks.py)."""
    pack = rule_pack(settings)
    frame = checks.frame(stage, data, pack)
    return validate.validate(stage, frame, settings, validate.parameters(settings, pack), run_id)


@task(name="report")
def write_report(settings: Settings, run_id: str):
    """This run's HTML page and the index of every run's page."""
    return report.write_reports(settings, run_id)


@task(name="data-docs")
def build_data_docs(settings: Settings, validations: list):
    """This run's validation pages and the Data Docs index, once after every stage."""
    return validate.build_docs(settings, validations)


@task(name="publish")
def publish(
    settings: Settings, tables_by_name: dict[str, pa.Table], run: dict, replacing: dict
) -> int:
    return tasks_publish.publish(settings, tables_by_name, run, replacing)
