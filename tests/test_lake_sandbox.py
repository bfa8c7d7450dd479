"""`vnnews sql` and `vnnews.connect()` read the lake and nothing else, unless a folder is named."""

import hashlib
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import vnnews
from tests.test_lake import run_row, tables_with
from vnnews.flows.cli.app import app
from vnnews.tasks.lake import catalog, publish
from vnnews.tasks.lake.sandbox import Refused, called_functions

runner = CliRunner()

# Each a way out of a read-only lake that DuckDB's settings alone let through, or that they do
# stop (then the message must still say why). {cat}: the catalog, {lake}: the Parquet folder,
# {out}: a folder outside the lake.
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
]


@pytest.fixture
def lake(settings, tmp_path):
    publish.publish(settings, tables_with("a"), run_row("r1"))
    publish.publish(settings, tables_with("b"), run_row("r2"))
    out = tmp_path / "outside"
    out.mkdir()
    (out / "evil.duckdb_extension").write_bytes(b"\x7fELF not really")
    names = {"cat": settings.catalog_path, "lake": settings.lake_files_dir, "out": out}
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


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_out_of_the_lake_is_refused_with_a_reason(lake, route, tmp_path):
    settings, names = lake
    before = files_and_hashes(tmp_path)
    sql = route.format(**names)
    result = runner.invoke(app, ["sql", sql, "--data-dir", str(settings.data_dir)])
    assert result.exit_code == 1, result.output
    assert "Refused" in result.output or "Permission Error" in result.output, result.output
    assert "--allow-path" in result.output  # the way out for an analyst who meant it
    with pytest.raises((Refused, duckdb.Error)):
        vnnews.connect(settings.data_dir).execute(sql)
    assert documents(settings) == 2
    assert files_and_hashes(tmp_path) == before  # nothing written, the catalog untouched


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
