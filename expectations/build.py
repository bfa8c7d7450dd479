"""Declare the validation suites of every stage and write them into this GX file context.

Run after changing a suite:  .venv/bin/python expectations/build.py   (or `make expectations`)

The context in this folder is committed: `great_expectations.yml`, `suites/<stage>.json`,
`validation_definitions/<stage>.json` and `checkpoints/<stage>.json`. A run never writes here;
validation results and Data Docs go to the data dir through ${VNNEWS_GX_RESULTS_DIR} and
${VNNEWS_DATA_DOCS_DIR}. Every expectation carries a severity: `critical` blocks publishing,
`warning` is reported only.
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
ENTITY_TYPES = ["PER", "LOC", "ORG", "MISC"]
KNOWN_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258"]
# The VLSP tag set underthesea's POS tagger emits.
POS_TAGS = [
    "A",
    "Ab",
    "B",
    "C",
    "CC",
    "CH",
    "E",
    "Eb",
    "FW",
    "I",
    "L",
    "M",
    "Mb",
    "N",
    "Nb",
    "Nc",
    "Ne",
    "Np",
    "Nu",
    "Ny",
    "P",
    "Pb",
    "R",
    "S",
    "T",
    "V",
    "Vb",
    "Vy",
    "X",
    "Y",
    "Z",
]


def suites(gxe) -> dict[str, list]:
    """Stage name -> its expectations. The stage's output table is the batch they judge."""

    def not_null(column, severity=CRITICAL):
        return gxe.ExpectColumnValuesToNotBeNull(column=column, severity=severity)

    def has_columns(*columns):
        return gxe.ExpectTableColumnsToMatchSet(
            column_set=list(columns), exact_match=False, severity=CRITICAL
        )

    return {
        "ingest": [
            has_columns("doc_id", "source_uri", "title", "raw_text", "content_hash"),
            not_null("doc_id"),
            # Two files may hold the same article (same doc_id): dedup in clean handles that.
            gxe.ExpectColumnValuesToBeUnique(column="source_uri", severity=CRITICAL),
            not_null("source_uri"),
            not_null("raw_text"),
            gxe.ExpectColumnValueLengthsToBeBetween(column="title", min_value=1, severity=WARNING),
            gxe.ExpectColumnValuesToBeInSet(
                column="encoding", value_set=KNOWN_ENCODINGS, severity=WARNING
            ),
        ],
        "clean": [
            has_columns(
                "doc_id",
                "source_uri",
                "title",
                "body",
                "source",
                "author",
                "published_at",
                "captions",
                "body_hash",
                "encoding",
            ),
            not_null("doc_id"),
            gxe.ExpectColumnValuesToBeUnique(column="doc_id", severity=CRITICAL),
            gxe.ExpectColumnValuesToBeUnique(column="body_hash", severity=CRITICAL),
            not_null("title"),
            gxe.ExpectColumnValueLengthsToBeBetween(column="body", min_value=1, severity=CRITICAL),
        ],
        "tokenise": [
            has_columns("doc_id", "sent_idx", "tok_idx", "word", "pos"),
            not_null("doc_id"),
            not_null("word"),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["doc_id", "sent_idx", "tok_idx"], severity=CRITICAL
            ),
            gxe.ExpectColumnValuesToBeInSet(column="pos", value_set=POS_TAGS, severity=WARNING),
        ],
        "extract": [
            has_columns("doc_id", "sent_idx", "type", "text", "start", "end"),
            not_null("doc_id"),
            not_null("text"),
            gxe.ExpectColumnValuesToBeInSet(
                column="type", value_set=ENTITY_TYPES, severity=CRITICAL
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="end", column_B="start", severity=CRITICAL
            ),
        ],
        "publish": [
            has_columns("n_in", "n_published", "n_rejected", "n_accounted"),
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="n_in", column_B="n_accounted", severity=CRITICAL
            ),
            gxe.ExpectColumnValuesToBeBetween(column="n_published", min_value=0, severity=CRITICAL),
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
                result_format="SUMMARY",
            )
        )
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    build()
    print(f"Wrote the GX context in {HERE}")
