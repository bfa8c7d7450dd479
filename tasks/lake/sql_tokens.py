"""SQL read the way DuckDB reads it: its tokens, and the table functions in its parse tree.

The sandbox judges statements with DuckDB's own tokenizer and parser, never with regular
expressions over the text: comments, quoted names and Vietnamese letters are then no trick.
DuckDB's token offsets count UTF-8 bytes, not characters, so text is sliced as bytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb

from vnnews.tasks.lake.literal import quoted

KIND = duckdb.token_type


@dataclass(frozen=True)
class Token:
    kind: duckdb.token_type
    text: str  # as written, without the blanks and comments that follow it
    start: int  # byte offset into the statement
    end: int


def tokens(sql: str) -> list[Token]:
    """The statement's tokens, comments left out."""
    data = sql.encode()
    found = duckdb.tokenize(sql)
    out = []
    ends = [start for start, _ in found[1:]] + [len(data)]
    for (start, kind), after in zip(found, ends[: len(found)], strict=True):
        if kind == KIND.comment:
            continue
        # A token runs on to the next one: the blanks and comments after it are cut off.
        text = _OWN_TEXT.match(data[start:after].decode(errors="replace")).group(0)
        out.append(Token(kind, text, start, start + len(text.encode())))
    return out


_OWN_TEXT = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|\S+?(?=\s|--|/\*|$)|\S*""")


def word(token: Token) -> str:
    """A keyword or name, lower-cased and unquoted ("Sqlite_Scan" -> sqlite_scan)."""
    text = token.text
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('""', '"')
    return text.lower()


def literal(token: Token) -> str | None:
    """The value of a plain '...' string constant; None for anything else ($$...$$, E'...')."""
    if token.kind != KIND.string_const or not re.fullmatch(r"'(?:[^']|'')*'", token.text):
        return None
    return token.text[1:-1].replace("''", "'")


def closing(items: list[Token], i: int) -> int:
    """The index of the ')' that closes the '(' at `i`, or -1 when the text ends first."""
    depth = 0
    for j in range(i, len(items)):
        depth += {"(": 1, ")": -1}.get(items[j].text, 0) if items[j].kind == KIND.operator else 0
        if depth == 0:
            return j
    return -1


def tail(sql: str, token: Token) -> str:
    """The statement from `token` on."""
    return sql.encode()[token.start :].decode()


def between(sql: str, first: Token, last: Token) -> str:
    return sql.encode()[first.start : last.end].decode()


def called_functions(sql: str) -> list[str]:
    """Lower-cased names written just before a '(': a rough net, for text that DuckDB's parser
    cannot read back (the SQL a relation built from Python objects renders)."""
    items = tokens(sql)
    names = [KIND.identifier, KIND.keyword]
    return [word(a) for a, b in zip(items, items[1:], strict=False)
            if a.kind in names and b.text == "("]  # fmt: skip


def table_functions(parser: duckdb.DuckDBPyConnection, sql: str) -> list[str] | None:
    """Every table function (or table macro) one SELECT calls, subqueries included, from
    DuckDB's own parse tree; None when DuckDB cannot serialise the statement."""
    tree = json.loads(parser.execute(f"SELECT json_serialize_sql({quoted(sql)})").fetchone()[0])
    if tree.get("error"):
        return None
    found: list[str] = []
    _walk(tree, found)
    return found


def _walk(node: object, found: list[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "TABLE_FUNCTION":
            found.append(str(node.get("function", {}).get("function_name", "")).lower())
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)
