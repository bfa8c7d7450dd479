"""Prefect tasks: one per stage, each called once per batch of documents.

They only wrap the pure stage functions of tasks/ so that Prefect can track, retry and time
them; no stage logic lives here.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from prefect import get_run_logger, task

from vnnews.flows import progress
from vnnews.tasks import tables
from vnnews.tasks.checks import frames, validate
from vnnews.tasks.clean import clean, repeated
from vnnews.tasks.clean import dedup as deduplicate
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.extract import extract
from vnnews.tasks.extract import keywords as kw
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.ingest import incremental, ingest
from vnnews.tasks.ingest.fetch import live
from vnnews.tasks.ingest.fetch.outlets import Outlet, from_url, load_outlets
from vnnews.tasks.lake import catalog
from vnnews.tasks.lake import publish as tasks_publish
from vnnews.tasks.nlp import tokenise
from vnnews.tasks.reports import pages
from vnnews.tasks.settings import Settings


def transient(task, task_run, state) -> bool:
    """Retry only what a second try can fix: an I/O error (a network share that hiccupped, a
    busy catalog), never a bug or bad data."""
    try:
        state.result()
    except (OSError, duckdb.IOException):
        return True
    except Exception:
        return False
    return False


# The tasks that read sources or the lake, or write the lake: retried with backoff.
IO = {"retries": 2, "retry_delay_seconds": [2, 10], "retry_condition_fn": transient}


def rule_pack(settings: Settings) -> RulePack:
    return RulePack.load(settings.rules_dir / "boilerplate.toml")


@task(name="ingest", **IO)
def ingest_batch(files: list[ingest.SourceFile], settings: Settings):
    return ingest.ingest(files, rule_pack(settings).html, settings.max_doc_bytes)


@task(name="find-files", **IO)
def find_files(settings: Settings):
    """The source files, less those whose bytes are as when last read: a hash and a lookup.
    (Discovery happens inside the task so that Prefect is not handed thousands of paths.)"""
    found = ingest.discover(settings.local_sources)
    published = catalog.read_table(settings, "files", tables.FILES)
    return incremental.unchanged_files(found, published)


def outlets(settings: Settings) -> list[Outlet]:
    """The live sources: each URL given as a source, and the outlets of the sources file."""
    found = [from_url(url) for url in settings.live_sources]
    return found + (load_outlets(settings.sources_file) if settings.sources_file else [])


@task(name="fetch")
def fetch_sources(settings: Settings, outlets: list[Outlet]) -> live.Fetched:
    """Every outlet's feeds and sitemaps, then their articles, politely (tasks/ingest/fetch/);
    a URL that fails is a reject with its reason, not a task failure, so this is not retried."""
    known = catalog.read_table(settings, "fetches", tables.FETCHES)
    with progress.per_host(get_run_logger()) as update:
        return live.fetch_live(
            outlets,
            settings.fetch_policy,
            known,
            rule_pack(settings).html,
            settings.max_pages_per_listing,
            update,
        )


@task(name="skip-unchanged", **IO)
def skip_unchanged(raw: pa.Table, settings: Settings) -> pa.Table:
    """Articles already published from the same source with the same text need no work at all:
    a lookup of (source_uri, doc_id) pairs, before any cleaning or NLP. The others carry the
    doc_id they replace, if their source_uri published another text before."""
    if raw.num_rows == 0:  # every file unchanged: nothing to look up
        return raw
    published = catalog.read_table(settings, "documents", tables.PUBLISHED_KEYS)
    return incremental.drop_published(raw, published)


@task(name="repeated-lines", **IO)
def repeated_lines(raw: pa.Table, settings: Settings):
    """(line hashes of this run's documents, {outlet: lines it repeats}): counted over the whole
    run and what was published before, so that no batch decides alone."""
    pack = rule_pack(settings)
    hashes = repeated.line_hashes(raw, pack.repeated)
    published = repeated.COUNTS.empty_table()
    if hashes.num_rows:
        keys = pc.unique(hashes["line_hash"]).to_pylist()
        replaced = raw["replaces"].drop_null().to_pylist()
        published = catalog.read_query(
            settings, "line_hashes", repeated.PUBLISHED_COUNTS, repeated.COUNTS, [keys, replaced]
        )
    return hashes, repeated.furniture(raw, hashes, published, pack.repeated)


@task(name="clean")
def clean_batch(raw: pa.Table, settings: Settings, furniture: dict):
    """Boilerplate out, then the quality filters: (documents, rejects, paragraphs removed)."""
    return clean.clean_and_filter(raw, rule_pack(settings), furniture)


@task(name="dedup")
def dedup(documents: pa.Table, settings: Settings):
    """Exact and near duplicates, against this run and every earlier published run."""
    published = (
        catalog.read_table(settings, "signatures", tables.SIGNATURES)
        if documents.num_rows  # nothing to compare: no need to read the lake
        else tables.SIGNATURES.empty_table()
    )
    return deduplicate.against_published(documents, published)


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
    """(keywords, term_df rows): TF-IDF against everything published so far."""
    if tokens.num_rows == 0 and not replaced:
        return tables.KEYWORDS.empty_table(), tables.TERM_DF.empty_table()
    published_df = catalog.read_query(settings, "term_df", kw.PUBLISHED_DF, tables.TERM_DF)
    counted = catalog.read_query(settings, "keywords", kw.PUBLISHED_DOCS, kw.COUNT)
    n_published = counted["n"][0].as_py() if counted.num_rows else 0
    replaced_tokens = catalog.read_rows(settings, "tokens", tables.TOKENS, replaced)
    stopwords = Gazetteer.load(settings.gazetteers_dir).stopwords
    return kw.against_published(
        tokens, stopwords, published_df, n_published, replaced_tokens, len(replaced)
    )


@task(name="validate", task_run_name="validate-{stage}")
def validate_stage(stage: str, data: dict, settings: Settings, run_id: str):
    """The stage's GX checkpoint, on the frame built from its output (tasks/checks/frames.py)."""
    pack = rule_pack(settings)
    frame = frames.frame(stage, data, pack)
    return validate.validate(stage, frame, settings, validate.parameters(settings, pack), run_id)


@task(name="report")
def write_report(settings: Settings, run_id: str):
    """This run's HTML page and the index of every run's page."""
    return pages.write_reports(settings, run_id)


@task(name="data-docs")
def build_data_docs(settings: Settings, validations: list):
    """This run's validation pages and the Data Docs index, once after every stage."""
    return validate.build_docs(settings, validations)


@task(name="publish", **IO)
def publish(
    settings: Settings, tables_by_name: dict[str, pa.Table], run: dict, replacing: dict
) -> tuple[int, str | None]:
    """The snapshot id, and a warning when another writer published at the same time."""
    try:
        return tasks_publish.publish(settings, tables_by_name, run, replacing), None
    except tasks_publish.PublishedConcurrently as race:  # published all the same: say so
        get_run_logger().warning("%s", race)
        return race.snapshot_id, str(race)
