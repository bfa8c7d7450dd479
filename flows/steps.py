"""Prefect tasks: one per stage, each called once per batch of documents.

They only wrap the pure stage functions of tasks/ so that Prefect can track, retry and time
them; no stage logic lives here.
"""

from __future__ import annotations

from functools import partial

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from prefect import get_run_logger
from prefect.cache_policies import NO_CACHE

from vnnews.flows import boxed, progress
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


# No answer is ever taken from a cache, so none needs a cache key: computing one would pickle
# and hash every input table on every call. Tables go in boxes the flow empties (boxed.py).
task = partial(boxed.task, cache_policy=NO_CACHE)

# The tasks that read sources or the lake, or write the lake: retried with backoff.
IO = {"retries": 2, "retry_delay_seconds": [2, 10], "retry_condition_fn": transient}


def rule_pack(settings: Settings) -> RulePack:
    return RulePack.load(settings.rules_dir / "boilerplate.toml")


@task(name="ingest", **IO)
def ingest_batch(files: list[ingest.SourceFile], settings: Settings):
    return ingest.ingest(files, rule_pack(settings).html, settings.max_doc_bytes)


@task(name="published-files", **IO)
def published_files(settings: Settings) -> pa.Table:
    """The files earlier runs read, with their hashes: what need not be read again."""
    return catalog.read_table(settings, "files", tables.FILES)


@task(name="find-files", **IO)
def find_changed(files: list[ingest.SourceFile], published: pa.Table):
    """(the files of this batch to read, their hashes by uri, items and manifest rows of the
    unchanged ones): a hash of each file and a lookup."""
    return incremental.unchanged_files(files, published)


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
def repeated_lines(raw: pa.Table, settings: Settings, earlier: pa.Table):
    """(line hashes of this part's documents, {outlet: lines it repeats}): counted over the
    whole part, the run's `earlier` parts and what was published before, so that no batch
    decides alone."""
    pack = rule_pack(settings)
    hashes = repeated.line_hashes(raw, pack.repeated)
    published = repeated.COUNTS.empty_table()
    if hashes.num_rows:
        keys = pc.unique(hashes["line_hash"]).to_pylist()
        replaced = raw["replaces"].drop_null().to_pylist()
        published = catalog.read_query(
            settings, "line_hashes", repeated.PUBLISHED_COUNTS, repeated.COUNTS, [keys, replaced]
        )
        published = tables.concat([published, repeated.counts(earlier, keys)], repeated.COUNTS)
    return hashes, repeated.furniture(raw, hashes, published, pack.repeated)


@task(name="clean")
def clean_batch(raw: pa.Table, settings: Settings, furniture: dict):
    """Boilerplate out, then the quality filters: (documents, rejects, paragraphs removed)."""
    return clean.clean_and_filter(raw, rule_pack(settings), furniture)


@task(name="dedup")
def dedup(documents: pa.Table, settings: Settings, earlier: pa.Table):
    """Exact and near duplicates, against this part, the run's `earlier` parts and every
    earlier published run."""
    if documents.num_rows == 0:  # nothing to compare: no need to read the lake
        return deduplicate.against_published(documents, tables.SIGNATURES.empty_table())
    published = catalog.read_table(settings, "signatures", tables.SIGNATURES)
    return deduplicate.against_published(
        documents, tables.concat([published, earlier], tables.SIGNATURES)
    )


@task(name="tokenise")
def tokenise_batch(documents: pa.Table, settings: Settings, aside: bool = False):
    """(sentences, tokens, rejects): a document over its budget is a `too_complex` reject.
    `aside`: in worker processes even with one worker (tasks/nlp/parallel.py)."""
    return tokenise.tokenise_parallel(documents, settings.workers, settings.budget, aside)


@task(name="extract")
def extract_batch(documents: pa.Table, tokenised: tuple, settings: Settings, aside: bool = False):
    """({table name: mentions}, rejects) of the documents, given what tokenise_batch answered
    for them: those it rejected are left out."""
    sentences, tokens, too_complex = tokenised
    documents = extract.tokenised_only(documents, too_complex)
    return extract.extract_parallel(
        documents, sentences, tokens, settings.gazetteers_dir, settings.budget,
        settings.workers, aside,
    )  # fmt: skip


@task(name="keywords")
def keywords(
    tokens: pa.Table, replaced: list[str], settings: Settings, earlier: tuple[pa.Table, int]
):
    """(keywords, term_df rows): TF-IDF against everything published so far and the run's
    `earlier` parts (their term_df rows, and how many documents they gave keywords)."""
    if tokens.num_rows == 0 and not replaced:
        return tables.KEYWORDS.empty_table(), tables.TERM_DF.empty_table()
    published_df = catalog.read_query(settings, "term_df", kw.PUBLISHED_DF, tables.TERM_DF)
    published_df = kw.merge_df(published_df, earlier[0])
    counted = catalog.read_query(settings, "keywords", kw.PUBLISHED_DOCS, kw.COUNT)
    n_published = (counted["n"][0].as_py() if counted.num_rows else 0) + earlier[1]
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
