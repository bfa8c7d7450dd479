"""Declare the validation suites of every stage and write them into this GX file context.

Run after changing a suite:  .venv/bin/python expectations/build.py   (or `make expectations`)

The context in this folder is committed: `great_expectations.yml`, `suites/<stage>.json`,
`validation_definitions/<stage>.json` and `checkpoints/<stage>.json`. A run never writes here;
validation results and Data Docs go to the data dir through ${VNNEWS_GX_RESULTS_DIR} and
${VNNEWS_DATA_DOCS_DIR}. Every expectation carries a severity: `warning` is reported only;
`critical` acts on the run (tasks/gate.py). A critical *row* check (`row_check`) has a `mostly`:
the documents of the rows it names are quarantined and the rest publish, unless more than
1 - mostly of the rows fail, which blocks the run. Any other critical check (columns, keys,
the ledger) blocks the run whenever it fails.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tasks.settings import quiet_telemetry  # noqa: E402

CRITICAL, WARNING = "critical", "warning"
# A row check fails the stage when more than 5% of its rows fail: a broken stage, not one odd
# document (that one is quarantined; tasks/gate.py also caps the share of documents).
ROW_MOSTLY = 0.95
ENTITY_TYPES = ["PER", "LOC", "ORG", "MISC"]
KNOWN_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258"]
# Which rows a failing expectation names, per stage: they go to the quarantine table.
ROW_KEYS = {
    "ingest": ["source_uri"],
    "clean": ["doc_id"],
    "tokenise": ["doc_id", "sent_idx"],
    "extract": ["doc_id", "kind", "start"],
    "publish": [],
}


def suites(gxe) -> dict[str, list]:
    """Stage name -> its expectations, over the frame tasks/checks.py builds for the stage.

    `$PARAMETER` values come from the run's settings and rule pack (tasks/validate.py)."""

    def expect(kind, severity, why, **kwargs):
        meta = {"severity": severity}
        return getattr(gxe, kind)(severity=severity, meta=meta, notes=why, **kwargs)

    def critical(kind, why, **kwargs):
        return expect(kind, CRITICAL, why, **kwargs)

    def row_check(kind, why, **kwargs):
        return critical(kind, why, mostly=ROW_MOSTLY, **kwargs)

    def has_columns(*columns):
        why = "The stage's output has the columns later stages read."
        return critical(
            "ExpectTableColumnsToMatchSet", why, column_set=list(columns), exact_match=False
        )

    def not_null(column):
        return critical(
            "ExpectColumnValuesToNotBeNull", f"Every row has a {column}.", column=column
        )

    def is_true(column, why):
        return row_check("ExpectColumnValuesToBeInSet", why, column=column, value_set=[True])

    def param(name):
        return {"$PARAMETER": name}

    from great_expectations.expectations.row_conditions import Column

    return {
        "ingest": [
            has_columns("doc_id", "source_uri", "title", "content_hash", "encoding", "raw_chars"),
            not_null("doc_id"),
            not_null("source_uri"),
            critical(
                "ExpectColumnValuesToBeUnique",
                "One article per file or record.",
                column="source_uri",
            ),
            row_check(
                "ExpectColumnValuesToBeBetween",
                "Every article has raw text (its length in characters).",
                column="raw_chars",
                min_value=1,
            ),
            row_check(
                "ExpectColumnValuesToBeInSet",
                "Text was decoded by a known codec.",
                column="encoding",
                value_set=KNOWN_ENCODINGS,
            ),
            expect(
                "ExpectColumnValuesToBeUnique",
                WARNING,
                "The same article in two files: clean keeps the first, rejects the others.",
                column="doc_id",
            ),
            expect(
                "ExpectColumnValueLengthsToBeBetween",
                WARNING,
                "An article without a title is published with an empty one.",
                column="title",
                min_value=1,
            ),
        ],
        "clean": [
            has_columns("doc_id", "source_uri", "title", "body_hash", "body_chars"),
            not_null("doc_id"),
            row_check(
                "ExpectColumnValuesToNotBeNull", "Every article has a title.", column="title"
            ),
            critical(
                "ExpectColumnValuesToBeUnique", "Dedup left one row per article.", column="doc_id"
            ),
            critical(
                "ExpectColumnValuesToBeUnique",
                "Dedup left no two equal bodies.",
                column="body_hash",
            ),
            row_check(
                "ExpectColumnValuesToBeBetween",
                "Body lengths (characters) are within the quality filter's bounds "
                "(rule pack [quality] min_body_chars, settings max_doc_bytes).",
                column="body_chars",
                min_value=param("min_body_chars"),
                max_value=param("max_body_chars"),
            ),
            row_check(
                "ExpectColumnValuesToBeBetween",
                "Share of syllables with a Vietnamese diacritic, at least the rule pack's "
                "min_vietnamese_share: text in another language or a broken encoding "
                "falls below it.",
                column="vietnamese_share",
                min_value=param("min_vietnamese_share"),
            ),
            row_check(
                "ExpectColumnValuesToBeNull",
                "No body line matches a rule of the boilerplate pack that removes lines "
                "(share bars, related-news lists, captions, bylines): the rule and line.",
                column="boilerplate_line",
            ),
            is_true("body_is_nfc", "Bodies are in Unicode NFC (precomposed Vietnamese letters)."),
            is_true(
                "free_of_control_chars",
                "No C0/C1 control character (tab and newline aside) in the body or the title.",
            ),
        ],
        "tokenise": [
            has_columns("doc_id", "sent_idx", "text", "n_tokens", "words_rejoin_text"),
            not_null("doc_id"),
            critical(
                "ExpectCompoundColumnsToBeUnique",
                "One row per sentence.",
                column_list=["doc_id", "sent_idx"],
            ),
            row_check(
                "ExpectColumnValuesToBeBetween",
                "Every sentence has at least one token.",
                column="n_tokens",
                min_value=1,
            ),
            is_true(
                "words_rejoin_text",
                "A sentence's words, at their offsets, spell out the sentence's text (each "
                "word up to underthesea's normalisation of it).",
            ),
            is_true("tok_idx_in_order", "A sentence's tokens are numbered 0..n-1."),
            expect(
                "ExpectColumnValuesToBeNull",
                WARNING,
                "POS tags outside the VLSP tag set underthesea emits.",
                column="unknown_pos",
            ),
        ],
        "extract": [
            has_columns("kind", "doc_id", "type", "text", "start", "end", "text_at_offsets"),
            not_null("doc_id"),
            row_check("ExpectColumnValuesToNotBeNull", "Every mention has a text.", column="text"),
            row_check(
                "ExpectColumnValuesToBeInSet",
                "Entity types are the VLSP four.",
                column="type",
                value_set=ENTITY_TYPES,
                row_condition=Column("kind") == "entity",
            ),
            row_check(
                "ExpectCompoundColumnsToBeUnique",
                "No span is found twice (mentions named outside the body have no span).",
                column_list=["doc_id", "kind", "start", "end"],
                ignore_row_if="any_value_is_missing",
            ),
            row_check(
                "ExpectColumnPairValuesAToBeGreaterThanB",
                "Spans are not empty.",
                column_A="end",
                column_B="start",
            ),
            is_true(
                "text_at_offsets",
                "Offsets lie inside the body and body[start:end] is the mention's text "
                "(the outlet and photo credits, named outside the body, have none).",
            ),
            is_true("date_is_valid", "Dates found are real calendar dates (years 1000-2200)."),
            row_check(
                "ExpectColumnValuesToBeNull",
                "No mention sits on a line the boilerplate pack would remove.",
                column="boilerplate_rule",
            ),
        ],
        "publish": [
            critical(
                "ExpectColumnPairValuesToBeEqual",
                "Every input item is published, rejected or unchanged.",
                column_A="n_in",
                column_B="n_accounted",
            ),
            critical(
                "ExpectColumnValuesToBeBetween",
                "Counts are not negative.",
                column="n_published",
                min_value=0,
            ),
            critical(
                "ExpectColumnValuesToBeBetween",
                "No key repeats in the tables a run assembles: documents, signatures, files.",
                column="duplicate_keys",
                min_value=0,
                max_value=0,
            ),
        ],
    }


CONFIG = """\
# GX Core file context of vnnews: written by expectations/build.py, committed, read by every run.
config_version: 4
analytics_enabled: false
progress_bars:
  globally: false
plugins_directory:
stores:
  expectations_store:
    class_name: ExpectationsStore
    store_backend:
      class_name: TupleFilesystemStoreBackend
      base_directory: suites/
  validation_results_store:
    class_name: ValidationResultsStore
    store_backend:
      class_name: TupleFilesystemStoreBackend
      base_directory: ${VNNEWS_GX_RESULTS_DIR}
  checkpoint_store:
    class_name: CheckpointStore
    store_backend:
      class_name: TupleFilesystemStoreBackend
      suppress_store_backend_id: true
      base_directory: checkpoints/
  validation_definition_store:
    class_name: ValidationDefinitionStore
    store_backend:
      class_name: TupleFilesystemStoreBackend
      base_directory: validation_definitions/
expectations_store_name: expectations_store
validation_results_store_name: validation_results_store
checkpoint_store_name: checkpoint_store
data_docs_sites:
  local_site:
    class_name: SiteBuilder
    show_how_to_buttons: false
    store_backend:
      class_name: TupleFilesystemStoreBackend
      base_directory: ${VNNEWS_DATA_DOCS_DIR}
    site_index_builder:
      class_name: DefaultSiteIndexBuilder
"""


def build(root: Path = HERE) -> None:
    quiet_telemetry()
    scratch = Path(os.environ.setdefault("VNNEWS_GX_RESULTS_DIR", str(root / ".build")))
    os.environ.setdefault("VNNEWS_DATA_DOCS_DIR", str(scratch / "docs"))
    for sub in ("suites", "checkpoints", "validation_definitions"):
        shutil.rmtree(root / sub, ignore_errors=True)
    (root / "great_expectations.yml").write_text(CONFIG, encoding="utf-8")

    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = gx.get_context(mode="file", context_root_dir=str(root))
    source = context.data_sources.add_or_update_pandas("vnnews")
    for stage, expectations in suites(gxe).items():
        batch = source.add_dataframe_asset(name=stage).add_batch_definition_whole_dataframe(stage)
        suite = context.suites.add(gx.ExpectationSuite(name=stage, expectations=expectations))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=stage, data=batch, suite=suite)
        )
        context.checkpoints.add(
            gx.Checkpoint(
                name=stage,
                validation_definitions=[definition],
                # Data Docs are built once per run, after every stage (tasks/validate.py).
                actions=[],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": ROW_KEYS[stage],
                    "return_unexpected_index_query": False,
                    "partial_unexpected_count": 10,
                },
            )
        )
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    build()
    print(f"Wrote the GX context in {HERE}")
