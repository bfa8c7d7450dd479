"""`vnnews sql` and `vnnews.connect()` read the lake and nothing else, unless a folder is named."""

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import vnnews
from tests.test_lake import run_row, tables_with
from vnnews.flows.cli.app import app
from vnnews.flows.pipeline import pipeline  # noqa: F401  (loaded early: see `runner`)
from vnnews.tasks.lake import catalog, publish
from vnnews.tasks.lake.sandbox import Refused, called_functions
from vnnews.tasks.settings import load_settings

# The flow's modules are loaded above, not first inside `vnnews run` under CliRunner: Prefect's
# logging would keep CliRunner's stream, closed once it returns, and a later flow run in this
# process (tests/test_vnnews_api.py) would fail writing to it.
runner = CliRunner()

# Each a way out of a read-only lake that DuckDB's settings alone let through, or that they do
# stop (then the message must still say why). {cat}: the catalog, {lake}: the Parquet folder,
# {lakefile}: a published Parquet file, {data}: the data dir, {out}: a folder outside the lake.
ROUTES = [
    "use memory; detach lake; attach 'ducklake:sqlite:{cat}' as w (DATA_PATH '{lake}', "
    "OVERRIDE_DATA_PATH TRUE); delete from w.documents",
    "DETACH lake",
    "ATTACH '{cat}' AS w (TYPE sqlite)",
    "ATTACH '{out}/new.duckdb' AS x; CREATE TABLE x.t AS SELECT 1",
    "CALL sqlite_attach('{cat}')",
    "SELECT * FROM sqlite_scan('{cat}', 'ducklake_snapshot')",
    "SELECT * FROM \"SQLITE_SCAN\" /* a comment */ ('{cat}', 'ducklake_snapshot')",
    # Vietnamese text first: the tokenizer counts bytes, not characters.
    "SELECT 'Hồ Chí Minh, Đà Nẵng' AS x, * FROM sqlite_scan('{cat}', 'ducklake_snapshot')",
    "SELECT * FROM query('SELECT * FROM sqlite_scan(''{cat}'', ''ducklake_snapshot'')')",
    "COPY (SELECT 1) TO '{out}/copied.csv'",
    "COPY documents TO '{out}/documents.parquet'",
    "EXPORT DATABASE '{out}/exported'",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_csv('{out}/../../etc/passwd')",
    "INSTALL httpfs",
    "LOAD '{out}/evil.duckdb_extension'",
    "SET allow_unsigned_extensions = true",
    "SET enable_external_access = true",
    "DELETE FROM documents",
    "DELETE FROM __ducklake_metadata_lake.ducklake_snapshot",
    "CREATE TABLE t AS SELECT 1",
    "SELECT * FROM ducklake_expire_snapshots('lake', older_than => now())",
    "CALL ducklake_cleanup_old_files('lake', cleanup_all => true)",
    # EXPLAIN ANALYZE runs the statement it explains.
    "EXPLAIN ANALYZE COPY (SELECT 'x' AS doc_id) TO '{lakefile}' (FORMAT parquet)",
    "EXPLAIN ANALYZE COPY (SELECT 'x' AS doc_id) TO '{data}/new.parquet' (FORMAT parquet)",
    "EXPLAIN ANALYZE COPY (SELECT 'x' AS doc_id) TO '{out}/elsewhere.parquet' (FORMAT parquet)",
    "EXPLAIN (ANALYZE, FORMAT json) COPY (SELECT 1) TO '{out}/plan.csv'",
    "EXPLAIN ANALYZE LOAD '{out}/evil.duckdb_extension'",
    "EXPLAIN ANALYZE CREATE TABLE memory.t AS SELECT 1",
    "EXPLAIN ANALYZE SELECT * FROM query('SELECT 1')",
    # PREPARE stores a statement that EXECUTE runs later.
    "PREPARE p AS COPY (SELECT 1) TO '{out}/prepared.csv'",
    "PREPARE p AS SELECT * FROM sqlite_scan('{cat}', 'ducklake_snapshot')",
    # DuckLake's macros in the lake's schema: merging writes new Parquet files into the lake
    # before the read-only commit fails.
    "SELECT * FROM lake.merge_adjacent_files()",
    "SELECT * FROM merge_adjacent_files()",
    "SELECT * FROM lake.set_option('parquet_compression', 'gzip')",
    "CHECKPOINT",
    "FORCE CHECKPOINT",
    "PRAGMA create_fts_index('documents', 'doc_id', 'body')",
    # Table functions hidden in subqueries, lambdas, CTEs and FROM-first syntax.
    "SELECT * FROM (FROM query('SELECT 1'))",
    "SELECT list_transform([1], lambda x: (SELECT 1 FROM query_table('documents')))",
    "WITH q AS (SELECT * FROM sqlite_scan('{cat}', 'ducklake_snapshot')) SELECT * FROM q",
    "SUMMARIZE SELECT * FROM query('SELECT 1')",
    "IMPORT DATABASE '{out}'",
    "SET VARIABLE x = 1",
    "UPDATE EXTENSIONS",
]
# With --allow-path {out}, COPY may write there, and only there: never into the lake.
ALLOWED_ROUTES = [
    "COPY (SELECT 'x' AS doc_id) TO '{lakefile}' (FORMAT parquet)",
    "EXPLAIN ANALYZE COPY (SELECT 'x' AS doc_id) TO '{lakefile}' (FORMAT parquet)",
    "EXPLAIN ANALYZE COPY (SELECT 'x' AS doc_id) TO '{data}/new.parquet' (FORMAT parquet)",
    "COPY (SELECT 1) TO '{out}/../data/lake/climbed.csv'",
    "COPY (SELECT 1) TO '{out}/lakelink/main/documents/through_a_link.parquet'",
    "COPY (SELECT 1) TO '{out}/linked.csv'",  # DuckDB writes tmp_linked.csv first
    "COPY (SELECT 1 AS v) TO '{out}/d' (FORMAT parquet, PER_THREAD_OUTPUT, "
    "FILENAME_PATTERN '../../data/lake/evil_{{i}}')",
    "COPY (SELECT 1) TO ('{out}/' || 'computed.csv')",
    "COPY (SELECT 1) TO '{cat}-wal'",
    "COPY (SELECT 1) TO '/tmp/vnnews-not-allowed.csv'",
    "COPY documents FROM '{out}/ids.csv'",
    "COPY (SELECT * FROM query('SELECT 1')) TO '{out}/query.csv'",
]


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    """One lake for every route: none may change it (each test checks its own hashes)."""
    root = tmp_path_factory.mktemp("sandbox")
    settings = load_settings(data_dir=root / "data")
    publish.publish(settings, tables_with("a"), run_row("r1"))
    publish.publish(settings, tables_with("b"), run_row("r2"))
    out = root / "outside"
    out.mkdir()
    (out / "evil.duckdb_extension").write_bytes(b"\x7fELF not really")
    (out / "schema.sql").write_text("DELETE FROM documents;\n")
    (out / "load.sql").write_text("")
    (out / "ids.csv").write_text("doc_id\na\n")
    lakefile = next(settings.lake_files_dir.rglob("documents/*.parquet"))
    (out / "lakelink").symlink_to(settings.lake_files_dir)
    (out / "tmp_linked.csv").symlink_to(lakefile)
    names = {"cat": settings.catalog_path, "lake": settings.lake_files_dir, "out": out,
             "lakefile": lakefile, "data": settings.data_dir}  # fmt: skip
    # The first connection writes the snapshot's search index: done here, so that from now
    # on every file must stay as it is.
    vnnews.connect(settings.data_dir).close()
    return settings, names


def files_and_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def documents(settings) -> int:
    return catalog.query(settings, "SELECT count(*) FROM documents")[1][0][0]


def tried(lake, route: str, allowed: list[Path], error: type | tuple) -> str:
    """`route` in `vnnews sql` and on a Python connection: both must fail (the CLI with exit
    1, Python with `error`) and no file may change. Returns what the CLI said."""
    settings, names = lake
    root = settings.data_dir.parent
    before = files_and_hashes(root)
    sql = route.format(**names)
    options = [arg for folder in allowed for arg in ("--allow-path", str(folder))]
    result = runner.invoke(app, ["sql", sql, "--data-dir", str(settings.data_dir), *options])
    assert result.exit_code == 1, result.output
    with pytest.raises(error):
        vnnews.connect(settings.data_dir, allow_paths=allowed).execute(sql)
    assert documents(settings) == 2
    assert files_and_hashes(root) == before  # nothing written, the catalog untouched
    return result.output


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_out_of_the_lake_is_refused_with_a_reason(lake, route):
    said = tried(lake, route, [], (Refused, duckdb.Error))
    assert "Refused" in said or "Permission Error" in said, said
    assert "--allow-path" in said  # the way out for an analyst who meant it


@pytest.mark.parametrize("route", ALLOWED_ROUTES)
def test_an_allowed_folder_never_opens_the_lake_to_writes(lake, route):
    said = tried(lake, route, [lake[1]["out"]], Refused)
    assert said.startswith("Refused: ") and "Traceback" not in said, said


def test_the_python_connection_writes_nothing_into_the_lake(lake):
    settings, names = lake
    root = settings.data_dir.parent
    before = files_and_hashes(root)
    con = vnnews.connect(settings.data_dir, allow_paths=[names["out"]])
    one = con.sql("SELECT 1 AS x")
    attempts = {
        "to_parquet": lambda: one.to_parquet(str(names["lakefile"])),
        "write_csv": lambda: one.write_csv(file_name=str(names["data"] / "x.csv")),
        "filename_pattern": lambda: one.to_parquet(
            str(names["out"] / "p"), per_thread_output=True, filename_pattern="../x_{i}"
        ),
        "table_function": lambda: con.table_function("query", ["SELECT 1"]),
        "merge": lambda: con.table_function("merge_adjacent_files", []),
        "checkpoint": lambda: con.checkpoint(),
        "filter": lambda: one.filter("x IN (FROM query('SELECT 1'))"),
        "project": lambda: one.project("(SELECT count(*) FROM merge_adjacent_files()) AS n"),
        "relation query": lambda: one.query("t", "SELECT * FROM sqlite_scan('x', 'y')"),
        "cursor": lambda: con.cursor().sql("EXPLAIN ANALYZE SELECT * FROM merge_adjacent_files()"),
    }
    for name, attempt in attempts.items():
        with pytest.raises(Refused):
            attempt()
            pytest.fail(f"{name} was not refused")
    assert files_and_hashes(root) == before
    one.to_csv(str(names["out"] / "mine.csv"))  # the allowed folder is writable
    assert (names["out"] / "mine.csv").read_text().split() == ["x", "1"]
    (names["out"] / "mine.csv").unlink()
    con.close()


def test_statements_that_only_read_still_run(lake):
    settings, names = lake
    con = vnnews.connect(settings.data_dir, allow_paths=[names["out"]])
    plan = con.execute("EXPLAIN ANALYZE SELECT count(*) FROM documents").fetchall()
    assert plan[0][0] == "analyzed_plan" and "COUNT" in plan[0][1].upper()
    assert con.execute("EXPLAIN (ANALYZE, FORMAT json) SELECT 1").fetchall()[0][1].startswith("{")
    con.execute("PREPARE n AS SELECT count(*) FROM documents WHERE doc_id <> ?")
    assert con.execute("EXECUTE n('a')").fetchall() == [(1,)]
    con.execute("DEALLOCATE n")
    con.execute("BEGIN; SELECT 1; COMMIT")
    pivot = "PIVOT (SELECT doc_id FROM documents) ON doc_id IN ('a', 'b') USING count(*)"
    assert con.sql(pivot).fetchall() == [(1, 1)]
    assert con.sql("SELECT count(*) FROM lake.snapshots()").fetchall() == [(3,)]
    assert len(con.sql("DESCRIBE documents").fetchall()) > 3
    assert con.sql("SUMMARIZE SELECT doc_id FROM documents").fetchall()
    assert con.sql("PRAGMA version").fetchall()
    copied = names["out"] / "parts"
    con.execute(
        f"EXPLAIN ANALYZE COPY (SELECT doc_id, title FROM documents) TO '{copied}' "
        "(FORMAT parquet, PARTITION_BY (doc_id), FILENAME_PATTERN 'part_{i}')"
    )
    assert sorted(p.name for p in copied.iterdir()) == ["doc_id=a", "doc_id=b"]
    shutil.rmtree(copied)
    con.close()


def test_plain_queries_and_past_versions_still_work(lake):
    settings, _ = lake
    args = ["--data-dir", str(settings.data_dir), "-f", "csv"]
    result = runner.invoke(app, ["sql", "SELECT doc_id FROM documents ORDER BY 1", *args])
    assert result.exit_code == 0 and result.output.split() == ["doc_id", "a", "b"]
    past = runner.invoke(
        app, ["sql", "SELECT count(*) AS n FROM documents", "--as-of", "r1", *args]
    )
    assert past.output.split() == ["n", "1"]
    inline = "SELECT count(*) AS n FROM documents AT (VERSION => 1)"
    assert runner.invoke(app, ["sql", inline, *args]).output.split() == ["n", "1"]
    snapshots = "SELECT count(*) AS n FROM ducklake_snapshots('lake')"
    assert runner.invoke(app, ["sql", snapshots, *args]).output.split() == ["n", "3"]


def test_allow_path_opens_exactly_the_named_folder(lake, tmp_path):
    settings, _ = lake
    mine, sibling = tmp_path / "mine", tmp_path / "mine2"
    for folder in (mine, sibling):
        folder.mkdir()
        (folder / "ids.csv").write_text("doc_id,label\na,kept\n")
    base = ["--data-dir", str(settings.data_dir), "--allow-path", str(mine), "-f", "csv"]
    join = f"SELECT d.doc_id, label FROM documents d JOIN read_csv('{mine}/ids.csv') USING (doc_id)"
    assert runner.invoke(app, ["sql", join, *base]).output.split() == ["doc_id,label", "a,kept"]
    export = f"COPY (SELECT doc_id FROM documents) TO '{mine}/out.csv'"
    assert runner.invoke(app, ["sql", export, *base]).exit_code == 0
    assert (mine / "out.csv").read_text().split() == ["doc_id", "a", "b"]
    for elsewhere in (f"{sibling}/ids.csv", f"{mine}/../mine2/ids.csv"):
        denied = runner.invoke(app, ["sql", f"SELECT * FROM read_csv('{elsewhere}')", *base])
        assert denied.exit_code == 1 and "Permission Error" in denied.output
    con = vnnews.connect(settings.data_dir, allow_paths=[mine])
    assert con.sql(join).fetchall() == [("a", "kept")]
    with pytest.raises(duckdb.PermissionException):
        con.sql(f"SELECT * FROM read_csv('{sibling}/ids.csv')").fetchall()


def test_function_names_are_found_however_they_are_written():
    sql = 'SELECT upper(x), "Sqlite_Scan" /* c */ (1), main.query  (2) FROM range(3) -- f(4)'
    assert called_functions(sql) == ["upper", "sqlite_scan", "query", "range"]
    for n in range(1, 12):  # wherever the multi-byte letters put the byte offsets
        vietnamese = f"SELECT '{'Đà' * n}' AS tên, sqlite_scan('a', 'b'), \"Hà\"(1)"
        assert called_functions(vietnamese) == ["sqlite_scan", "hà"], n


def test_the_interactive_prompt_refuses_and_stays_alive(lake):
    settings, names = lake
    typed = f"ATTACH '{names['cat']}' AS w (TYPE sqlite);\nSELECT count(*) AS n FROM documents;\n"
    result = runner.invoke(
        app, ["sql", "--data-dir", str(settings.data_dir), "-f", "csv"], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "ATTACH statements are not allowed" in result.output
    assert "n\n2" in result.output.replace("\r", "")


def test_the_python_connection_checks_its_cursors_and_loads_no_code(lake):
    settings, names = lake
    con = vnnews.connect(settings.data_dir)
    with pytest.raises(Refused, match="DETACH"):
        con.cursor().execute("DETACH lake")
    with pytest.raises(Refused, match="load_extension"):
        con.load_extension(str(names["out"] / "evil.duckdb_extension"))
    assert con.cursor().sql("SELECT count(*) FROM documents").fetchall() == [(2,)]


def test_every_sql_entry_point_of_the_python_connection_is_checked(lake):
    settings, _ = lake
    with vnnews.connect(settings.data_dir) as con:
        assert "read-only" in repr(con)
        assert con.from_query("SELECT count(*) FROM documents").fetchall() == [(2,)]
        assert con.query("SELECT count(*) FROM documents").fetchall() == [(2,)]
        for call in (con.from_query, con.query, con.sql):
            with pytest.raises(Refused):
                call("SELECT * FROM sqlite_scan('x', 'y')")
        with pytest.raises(Refused, match="DELETE"):
            con.executemany("DELETE FROM documents WHERE doc_id = ?", [["a"]])
    assert documents(settings) == 2


def test_after_every_route_the_lake_reads_and_a_run_publishes(lake, prefect_harness):
    """Last in this module: every route above was tried on this lake; it still reads, at every
    version, and the next real run publishes into it."""
    settings, _ = lake
    data = ["--data-dir", str(settings.data_dir)]
    past = runner.invoke(app, ["sql", "SELECT count(*) FROM documents", "--as-of", "1", *data])
    assert past.exit_code == 0 and "1" in past.output.split()
    result = runner.invoke(app, ["run", *data])
    assert result.exit_code == 0, result.output
    assert "status:     published" in result.output
    assert documents(settings) == 4  # the two seeds beside the two documents before
