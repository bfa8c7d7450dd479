"""Prefect tasks: one per stage, each called once per batch of documents.

They only wrap the pure stage functions of tasks/ so that Prefect can track, retry and time
them; no stage logic lives here.
"""

from __future__ import annotations

import pyarrow as pa
from prefect import task

from tasks import clean, extract, ingest, lake, quality, tables, tokenise, validate
from tasks import keywords as tasks_keywords
from tasks.dedup import deduplicate
from tasks.gazetteer import Gazetteer
from tasks.rules import RulePack
from tasks.settings import Settings


def rule_pack(settings: Settings) -> RulePack:
    return RulePack.load(settings.rules_dir / "boilerplate.toml")


@task(name="ingest")
def ingest_batch(files: list[ingest.SourceFile], settings: Settings):
    return ingest.ingest(files, rule_pack(settings).html, settings.max_doc_bytes)


@task(name="skip-unchanged")
def skip_unchanged(raw: pa.Table, settings: Settings) -> pa.Table:
    """Articles already published from the same source with the same text need no work at all:
    a lookup of (source_uri, doc_id) pairs, before any cleaning or NLP."""
    published = lake.read_table(settings, "documents", tables.PUBLISHED_KEYS)
    return ingest.drop_published(raw, published)


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
    published = lake.read_table(settings, "signatures", tables.SIGNATURES)
    return deduplicate(documents, published)


@task(name="tokenise")
def tokenise_batch(documents: pa.Table, settings: Settings):
    return tokenise.tokenise_parallel(documents, settings.workers)


@task(name="extract")
def extract_batch(documents: pa.Table, sentences: pa.Table, tokens: pa.Table, settings: Settings):
    gazetteer = Gazetteer.load(settings.gazetteers_dir)
    return extract.extract(documents, sentences, tokens, gazetteer)


@task(name="keywords")
def keywords(tokens: pa.Table, settings: Settings):
    """TF-IDF keywords against the document frequencies of everything published so far."""
    published_df, n_docs = lake.term_frequencies(settings)
    stopwords = Gazetteer.load(settings.gazetteers_dir).stopwords
    return tasks_keywords.keywords(tokens, published_df, n_docs, stopwords)


@task(name="validate", task_run_name="validate-{stage}")
def validate_stage(stage: str, table: pa.Table, settings: Settings):
    return validate.validate(stage, table, settings)


@task(name="publish")
def publish(settings: Settings, tables_by_name: dict[str, pa.Table], run: dict) -> int:
    return lake.publish(settings, tables_by_name, run)
