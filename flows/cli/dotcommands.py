"""The prompt's dot-commands (`.tables`, `.schema`, `.mode`, ...), also accepted as the query
of `vnnews sql ".tables"`. Each either becomes SQL to run or changes how results show."""

from __future__ import annotations

from dataclasses import dataclass

from vnnews.flows.cli.render import MODES
from vnnews.tasks.lake.literal import quoted

HELP = """Type SQL ending with ';' (it may span lines; several statements show each result).
  .tables               the published tables
  .schema [TABLE]       columns and types (of every table, or one)
  .mode MODE            table, csv, json, markdown or line
  .maxrows N            rows shown per result (0: all); the rest are counted
  .maxwidth N           characters shown per column (table mode), longer text cut with …
  .timer on|off         how long each statement took
  .help                 this text
  .quit                 leave (Ctrl-D works too); Ctrl-C stops a query or clears the line
It reads the lake and nothing else: SELECT, DESCRIBE, SUMMARIZE, EXPLAIN. To read or write
your own files, start it with --allow-path DIR.
Search the articles: SELECT * FROM search('giá lúa', k := 5, source := 'vnexpress',
since := '2025-10-01', until := '2025-10-31');  (all but the words optional)"""

SCHEMA = (
    "SELECT table_name, column_name, data_type FROM information_schema.columns "
    "WHERE table_catalog = 'lake'{only} ORDER BY table_name, ordinal_position"
)


@dataclass
class ShellState:
    mode: str = "table"
    max_rows: int | None = 40  # None: all
    max_width: int = 40
    timer: bool = False


class Quit(Exception):
    pass


def _number(text: str, command: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{command} takes a number, e.g. {command} 100")
    return int(text)


def dot(line: str, state: ShellState) -> tuple[str | None, str | None]:
    """(SQL to run, message to show) for one dot-command; ValueError for a wrong one."""
    command, _, argument = line.strip().rstrip(";").partition(" ")
    argument = argument.strip()
    if command in (".quit", ".exit"):
        raise Quit
    if command == ".help":
        return None, HELP
    if command == ".tables":
        return "SHOW TABLES", None
    if command == ".schema":
        only = f" AND table_name = {quoted(argument)}" if argument else ""
        return SCHEMA.format(only=only), None
    if command == ".mode":
        if argument not in MODES:
            raise ValueError(f".mode takes one of {', '.join(MODES)}")
        state.mode = argument
    elif command == ".maxrows":
        state.max_rows = _number(argument, command) or None
    elif command == ".maxwidth":
        state.max_width = max(5, _number(argument, command))
    elif command == ".timer":
        if argument not in ("on", "off"):
            raise ValueError(".timer takes on or off")
        state.timer = argument == "on"
    else:
        raise ValueError(f"Unknown command {command}: .help lists them")
    return None, f"{command[1:]}: {argument}"
