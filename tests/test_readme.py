"""The README cannot drift from the code: every published table with its columns, and every
command of `vnnews`."""

import re

from vnnews.flows.cli import app
from vnnews.tasks.lake.rollups import TABLE as ROLLUP
from vnnews.tasks.lake.views import VIEWS
from vnnews.tasks.settings import PROJECT_ROOT
from vnnews.tasks.tables import PUBLISHED, RUNS

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def documented_tables() -> dict[str, list[str]]:
    section = README.split("## Published tables", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| `([^`]*)` \|", section, flags=re.M)
    return {table: [c.strip() for c in columns.split(",")] for table, columns in rows}


def test_every_published_table_and_column_is_documented():
    schemas = {**PUBLISHED, "runs": RUNS}
    documented = documented_tables()
    for name, schema in schemas.items():
        row = f"| `{name}` | `{', '.join(schema.names)}` |"
        assert documented.get(name) == schema.names, f"README's row should start: {row}"
    views = {
        *VIEWS,
        ROLLUP,
    }  # documented beside the tables (their columns: tests/test_lake_views.py)
    assert set(documented) == set(schemas) | views, "README lists a table the lake does not have"


def test_every_command_is_in_the_readme_command_table():
    section = README.split("## The `vnnews` command", 1)[1].split("\n## ", 1)[0]
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"`vnnews {name}" in section, f"README's command table misses `vnnews {name}`"
