"""Prefect tasks: one per stage, each called once per batch of documents.

They only wrap the pure stage functions of tasks/ so that Prefect can track, retry and time
them; no stage logic lives here.
"""

from __future__ import annotations

import pyarrow as pa
from prefect import task

from tasks import clean, extract, ingest, lake, tokenise, validate
from tasks.gazetteer import Gazetteer
from tasks.settings import Settings


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
