"""The vnnews flow: ingest -> clean -> tokenise -> extract -> publish.

One Prefect task per stage per batch of documents (flows/steps.py), called by the stages in
order (flows/stages.py), a part of the corpus at a time, the NLP of one part beside the
reading and cleaning of the next; the stage logic is in tasks/, the run's state and the
validation gate in flows/run.py. At the end: this run's Data Docs
pages, its HTML report, and a Prefect markdown artifact with the document funnel.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow
from prefect.artifacts import create_markdown_artifact
from prefect.states import Completed, Failed

from vnnews.flows import nlp, parts, stages, steps
from vnnews.flows.crashed import record_crashed
from vnnews.flows.nothing_new import nothing_new, record
from vnnews.flows.notify import notify_failure
from vnnews.flows.part import Part
from vnnews.flows.run import Blocked, Run
from vnnews.tasks.lake.lock import writer_lock
from vnnews.tasks.lake.shared_lock import shared_writer_lock
from vnnews.tasks.settings import load_settings, run_settings


@flow(
    name="vnnews",
    log_prints=True,
    # Read when the flow is defined, so scheduled runs (which load this module) get it too.
    timeout_seconds=load_settings().flow_timeout or None,
    on_failure=[notify_failure],
    on_crashed=[notify_failure],
)
def pipeline(
    sources: list[str] | None = None, data_dir: str | None = None, sources_file: str | None = None
):
    """Run every stage on the articles under `sources` (files, folders, globs, feed, sitemap
    or page URLs) and the outlets of `sources_file`, and publish one lake snapshot."""
    settings = run_settings(sources, data_dir, sources_file)
    run = Run(settings)
    run.log.info("run %s: sources %s", run.summary.run_id, ", ".join(run.summary.sources))
    # Dedup reads what is published and publish writes it: one writer per lake at a time.
    with (
        writer_lock(
            settings.data_dir, run.summary.run_id, settings.lock_timeout, run.log.info
        ) as killed,
        # Runs from other machines on a PostgreSQL catalog: they share no lock file.
        shared_writer_lock(
            settings.catalog_uri, run.summary.run_id, settings.lock_timeout, run.log.info
        ),
    ):
        if killed:  # the previous run on this lake was killed mid-way: say so
            record_crashed(run, killed)
        if found := nothing_new(settings):  # decided before GX, the workers or the report
            record(settings, found, run.summary)
            run.log.info(
                "nothing new: %s; published the run's record as snapshot %s",
                run.summary.stages[0].rows,
                run.summary.snapshot_id,
            )
            return finish(run, reports=False)
        try:
            overlap_parts(run)
            stages.publish(run)
        except Blocked:
            run.record_blocked()
        finally:
            run.carried.staging.remove()
            if run.warming:  # a run with nothing to tokenise: the runner must not connect late
                run.warming.join()
    return finish(run)


def overlap_parts(run: Run) -> None:
    """Every part through clean, tokenise and extract to staging; while the workers do a
    part's NLP, the flow reads and cleans the next one.

    Part k+1 is cleaned against what the run carries of part k (flows/carried.py). Should part
    k's tokenise or extract then drop documents, part k+1 is cleaned again without them, so
    that the answers are those of parts taken one after another."""
    before: Part | None = None  # the part whose NLP is under way
    for part, more in parts.parts(run):
        cleaned = stages.clean(run, part)
        if before and _judged(run, before):
            cleaned = stages.clean(run, part)
        stages.judge_clean(run, part, cleaned)
        nlp.submit_nlp(run, part, aside=more)
        if before:
            _stage(run, before)
        before = part
    _judged(run, before)
    _stage(run, before)


def _judged(run: Run, part: Part) -> set[str]:
    """The part's NLP through its gates; the documents they dropped leave what later parts
    are compared with."""
    dropped = nlp.judge_nlp(run, part)
    run.carried.drop(dropped)
    return dropped


def _stage(run: Run, part: Part) -> None:
    stages.keywords(run, part)
    run.stage_part(part)


def finish(run: Run, reports: bool = True):
    """The run's end: its reports (not for a run that had nothing new: nothing changed), the
    funnel artifact, and its final state."""
    s = run.summary
    s.finished_at = datetime.now(UTC)
    if reports:
        _reports(run)
    else:
        s.reports = {"lake": run.settings.lake_label}
    create_markdown_artifact(
        key="vnnews-funnel", markdown=s.funnel_markdown(), description=f"vnnews run {s.run_id}"
    )
    if s.blocked_by:
        message = "Validation blocked publishing at " + "; ".join(
            f"{stage}: {why}" for stage, why in s.blocked.items()
        )
        return Failed(message=message, data=s)
    return Completed(message=f"Published snapshot {s.snapshot_id}", data=s)


def _reports(run: Run) -> None:
    s = run.summary
    s.reports = {
        "lake": run.settings.lake_label,
        "data_docs": str(steps.build_data_docs(run.settings, list(s.validations.values()))),
    }
    try:
        s.reports["report"] = str(steps.write_report(run.settings, s.run_id))
    except Exception as exc:  # a report is a view: it never fails a run that published
        run.log.warning("could not write the run report: %s", exc)
