"""Declare the validation suites of every stage and write them into this GX file context.

Run after changing a suite in tasks/checks/suites.py:  .venv/bin/python expectations/build.py
(or `make expectations`).

The context in this folder is committed: `great_expectations.yml`, `suites/<stage>.json`,
`validation_definitions/<stage>.json` and `checkpoints/<stage>.json`, every id in them derived
from names, so a rebuild with no change in the suites rewrites no file. A run never writes
here; validation results and Data Docs go to the data dir through ${VNNEWS_GX_RESULTS_DIR} and
${VNNEWS_DATA_DOCS_DIR}.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from vnnews.tasks.checks.declare import ROW_KEYS, Declare, expectation_name, stable_id
from vnnews.tasks.checks.suites import SUITES
from vnnews.tasks.settings import quiet_telemetry

HERE = Path(__file__).resolve().parent

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

    context = gx.get_context(mode="file", context_root_dir=str(root))
    source = context.data_sources.add_or_update_pandas("vnnews")
    # GX draws random ids; each is swapped below for one derived from its kind and name.
    ids = {str(context.data_context_id): "context", str(source.id): "datasource:vnnews"}
    for stage, declare in SUITES.items():
        asset = source.add_dataframe_asset(name=stage)
        batch = asset.add_batch_definition_whole_dataframe(stage)
        suite = context.suites.add(
            gx.ExpectationSuite(name=stage, expectations=declare(Declare(stage)))
        )
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=stage, data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=stage,
                validation_definitions=[definition],
                # Data Docs are built once per run, after every stage (tasks/checks/validate.py).
                actions=[],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": ROW_KEYS[stage],
                    "return_unexpected_index_query": False,
                    "partial_unexpected_count": 10,
                },
            )
        )
        for kind, made in [
            ("asset", asset),
            ("batch", batch),
            ("suite", suite),
            ("definition", definition),
            ("checkpoint", checkpoint),
        ]:
            ids[str(made.id)] = f"{kind}:{stage}"
        for expectation in suite.expectations:
            ids[str(expectation.id)] = expectation_name(stage, expectation)
    shutil.rmtree(scratch, ignore_errors=True)
    _stable_ids(root, ids)


def _stable_ids(root: Path, ids: dict[str, str]) -> None:
    for store in root.glob("*/.ge_store_backend_id"):  # "store_backend_id = <uuid>"
        ids[store.read_text(encoding="utf-8").split("=")[-1].strip()] = f"store:{store.parent.name}"
    files = [root / "great_expectations.yml", *root.glob("*/*.json"), *root.glob("*/.ge_store*")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for drawn, name in ids.items():
            text = text.replace(drawn, stable_id(name))
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    build()
    print(f"Wrote the GX context in {HERE}")
