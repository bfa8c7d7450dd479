"""The rules of the house, checked: one installed package, a package per stage, and the lint
rules that keep Prefect and printing out of stage logic."""

import ast
import subprocess
import sys
import tomllib
import zipfile

import pytest

from vnnews.tasks.settings import PROJECT_ROOT

RUFF = PROJECT_ROOT / ".venv" / "bin" / "ruff"
MAPPED = {"tasks": "vnnews.tasks", "flows": "vnnews.flows", "vnnews": "vnnews"}


def package_folders() -> set[str]:
    found = set()
    for top, name in MAPPED.items():
        for init in (PROJECT_ROOT / top).rglob("__init__.py"):
            parts = init.parent.relative_to(PROJECT_ROOT / top).parts
            found.add(".".join([name, *parts]))
    return found


def test_every_package_folder_is_installed():
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config["packages"]) == package_folders()
    assert config["package-dir"] == {name: top for top, name in MAPPED.items()}


def test_stage_logic_is_a_package_per_stage():
    tasks = PROJECT_ROOT / "tasks"
    packages = {p.name for p in tasks.iterdir() if (p / "__init__.py").exists()}
    assert {"ingest", "clean", "nlp", "extract", "lake", "checks", "reports"} <= packages
    loose = {p.name for p in tasks.glob("*.py")} - {"__init__.py"}
    assert len(loose) <= 6, sorted(loose)


def python_files():
    for folder in ("tasks", "flows", "vnnews", "expectations", "benchmarks", "tests"):
        yield from (PROJECT_ROOT / folder).rglob("*.py")


def test_one_import_name_and_no_path_edits():
    """Code imports `vnnews.tasks...`, never a generic top-level `tasks` or `flows`."""
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                names = []
            for name in names:
                assert name.split(".")[0] not in ("tasks", "flows"), f"{path}: import {name}"
            if isinstance(node, ast.Attribute) and node.attr == "path":
                parent = node.value
                assert not (isinstance(parent, ast.Name) and parent.id == "sys"), path


LINT_CASES = [
    ("tasks/ingest/probe.py", "from prefect import task\n", "TID251"),
    ("tasks/lake/probe.py", "import prefect.artifacts\n", "TID251"),
    ("tasks/clean/probe.py", "from vnnews.flows import steps\n", "TID251"),
    ("tasks/probe.py", "print('done')\n", "T201"),
    ("expectations/probe.py", "from prefect.states import Failed\n", "TID251"),
    ("flows/probe.py", "from prefect import task\n\nprint(task)\n", None),
]


@pytest.mark.parametrize(("path", "code", "rule"), LINT_CASES)
def test_ruff_enforces_the_rules(path, code, rule):
    """The lint of `make test` fails on a stage module that imports Prefect or the wiring, or
    prints; the wiring itself may do both."""
    result = subprocess.run(
        [RUFF, "check", "--no-cache", "--stdin-filename", path, "-"],
        input=code,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    if rule is None:
        assert result.returncode == 0, result.stdout
    else:
        assert result.returncode == 1 and rule in result.stdout, result.stdout


def test_the_wheel_holds_one_package_vnnews(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, PROJECT_ROOT],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("vnnews-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"vnnews"}
    assert "vnnews/tasks/reports/templates/run.html.j2" in names
    assert {name.replace(".", "/") + "/__init__.py" for name in package_folders()} <= set(names)


def quoted_by_hand(source: str) -> list[int]:
    """Lines of f-strings that open a SQL literal around a value: '{path}'."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            quotes = 0  # an odd count of ' so far: the value lands inside a literal
            for part in node.values:
                if isinstance(part, ast.Constant):
                    quotes += str(part.value).count("'")
                elif quotes % 2:
                    lines.append(node.lineno)
    return lines


def test_every_value_in_sql_text_is_quoted_by_the_one_helper():
    """A data dir named `it's a lake` must open the lake, not end a literal: values go into SQL
    through `literal.quoted` (or a parameter), never between quotes written by hand."""
    assert quoted_by_hand("con.execute(f\"ATTACH '{path}' AS x\")") == [1]
    assert quoted_by_hand("con.execute(f\"ATTACH 'ducklake:{uri}' AS x\")") == [1]
    assert quoted_by_hand("con.execute(f\"SELECT 'it''s', {n}\")") == []
    assert quoted_by_hand("con.execute(f'ATTACH {quoted(path)} AS x')") == []
    found = {}
    for top in MAPPED:
        for path in (PROJECT_ROOT / top).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if "duckdb" in source and (lines := quoted_by_hand(source)):
                found[str(path.relative_to(PROJECT_ROOT))] = lines
    assert found == {}
