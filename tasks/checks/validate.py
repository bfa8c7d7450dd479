"""Great Expectations checkpoints, one per stage, run on the frame tasks/checks/frames.py builds.

The suites live in the committed GX file context under expectations/ (see expectations/build.py).
Results and Data Docs are written under the data dir only, filed under the vnnews run id.
"""

from __future__ import annotations

import html
import json
import math
import os
import threading
import time
from functools import cache
from pathlib import Path

import pyarrow as pa

from vnnews.tasks.checks.findings import MAX_TEXT, STAGES, Finding, StageValidation
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.settings import Settings, quiet_telemetry

# Held while the context is made: the warm-up thread and the first checkpoint make it once.
_MAKING = threading.Lock()
_OPENED = threading.Event()  # set once a checkpoint had the context


def _context(expectations_dir: Path, results_dir: Path, docs_dir: Path):
    with _MAKING:
        return _make_context(expectations_dir, results_dir, docs_dir)


def warm_up(settings: Settings) -> None:
    """Import GX and open the context ahead of the first checkpoint (from a thread, while the
    run reads its sources): a run on a few articles would otherwise wait seconds for it."""
    _context(settings.expectations_dir, settings.validations_dir, settings.data_docs_dir)


def import_gx() -> None:
    """Import GX now (seconds), e.g. while something else waits anyway."""
    quiet_telemetry()
    import great_expectations  # noqa: F401


@cache
def _make_context(expectations_dir: Path, results_dir: Path, docs_dir: Path):
    quiet_telemetry()
    os.environ["VNNEWS_GX_RESULTS_DIR"] = str(results_dir)
    os.environ["VNNEWS_DATA_DOCS_DIR"] = str(docs_dir)
    import great_expectations as gx  # slow to import: only when a run validates

    return gx.get_context(mode="file", context_root_dir=str(expectations_dir))


def parameters(settings: Settings, pack: RulePack) -> dict:
    """The `$PARAMETER`s of the suites: the thresholds this run's quality filter applied."""
    return {
        "min_body_chars": pack.quality.min_body_chars,
        "max_body_chars": settings.max_doc_bytes,
        "min_vietnamese_share": pack.quality.min_vietnamese_share,
    }


def _text(value) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text[:MAX_TEXT]


def _plain(value):
    """A value from GX's pandas rows as plain Python: NaN (pandas' null) becomes None."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _row(row, column: str | None) -> dict:
    """A failing row as plain values. Key columns with nulls (an entity's `start`) reach pandas
    as floats: 1334.0 is the offset 1334."""
    if not isinstance(row, dict):
        return {"row": row}
    plain = {k: _plain(v) for k, v in row.items()}
    for k, v in plain.items():
        if k != column and isinstance(v, float) and v.is_integer():
            plain[k] = int(v)
    return plain


def _finding(stage: str, result) -> Finding:
    config = result.expectation_config
    details = result.result or {}
    return Finding(
        stage=stage,
        expectation=config.type,
        column=config.kwargs.get("column") or config.kwargs.get("column_A"),
        severity=str(getattr(config.severity, "value", config.severity)),
        success=bool(result.success),
        notes=str(config.notes or ""),
        observed=_text(details.get("observed_value")),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
        sample=[_text(v) for v in (details.get("partial_unexpected_list") or [])[:10]],
        rows=[
            _row(row, config.kwargs.get("column"))
            for row in details.get("unexpected_index_list") or []
        ],
        mostly=config.kwargs.get("mostly"),
    )


def validate(
    stage: str, frame: pa.Table, settings: Settings, params: dict, run_id: str = "adhoc"
) -> StageValidation:
    """Run the stage's checkpoint on its frame; the result is filed under `run_id`."""
    if stage not in STAGES:
        raise ValueError(f"Unknown stage {stage!r}; expected one of {STAGES}")
    # The context first: it waits for the warm-up thread, and two threads importing GX at once
    # can see a half-imported module.
    first, started = not _OPENED.is_set(), time.perf_counter()
    context = _context(settings.expectations_dir, settings.validations_dir, settings.data_docs_dir)
    waited = time.perf_counter() - started if first else 0.0  # GX's start-up, once per process
    _OPENED.set()
    from great_expectations.core.run_identifier import RunIdentifier

    outcome = context.checkpoints.get(stage).run(
        batch_parameters={"dataframe": frame.to_pandas()},
        expectation_parameters=params,
        run_id=RunIdentifier(run_name=run_id),
    )
    ids = list(outcome.run_results)
    results = [r for run in outcome.run_results.values() for r in run.results]
    _prepare_stored(context, ids, stage, escape=not outcome.success)
    page = "validations/" + "/".join(str(p) for p in ids[0].to_tuple()) + ".html" if ids else None
    findings = [_finding(stage, r) for r in results]
    return StageValidation(stage, findings, page, ids, startup_seconds=waited)


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return value


def _prepare_stored(context, ids: list, stage: str, escape: bool) -> None:
    """The stored copy the Data Docs pages are rendered from names its data asset (GX leaves
    "Data asset: None") and, when anything failed, has its values HTML-escaped: GX puts them
    (unexpected samples: article text) into the page unescaped, so an article containing
    `<script>` would run in the reader's browser. The in-memory result, which feeds
    validation_results and the quarantine, keeps its values as they are."""
    from vnnews.tasks.checks import suites

    store = context.validation_results_store
    asset = f"{stage}: {getattr(suites, stage).__doc__.strip()}"
    for identifier in ids:
        stored = store.get(identifier)
        stored.meta.setdefault("batch_spec", {})["data_asset_name"] = asset
        if escape:
            for result in stored.results:
                result.result = _escaped(result.result)
        store.set(identifier, stored)


def build_docs(settings: Settings, validations: list[StageValidation]) -> Path:
    """Render the Data Docs pages of these validations, and the index, once per run; then make
    them work offline (tasks/checks/data_docs.py).

    Only this run's pages are rendered: a lake validated every hour would otherwise re-render
    every result it ever stored, each time."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    from vnnews.tasks.checks.data_docs import make_offline

    context = _context(settings.expectations_dir, settings.validations_dir, settings.data_docs_dir)
    ids = [i for v in validations for i in v.result_ids]
    # The suite pages too: every validation page links to its suite's.
    suites = [ExpectationSuiteIdentifier(name=v.stage) for v in validations]
    context.build_data_docs(resource_identifiers=ids + suites or None)
    pages = [settings.data_docs_dir / v.docs_page for v in validations if v.docs_page]
    make_offline(
        settings.data_docs_dir,
        settings.expectations_dir / "static",
        pages,
        settings.validations_dir,
        settings.expectations_dir / "suites",
    )
    return settings.data_docs_dir / "index.html"
