"""A snapshot of the lake taken out: Parquet or JSONL per table, CoNLL-U of the tokenised
sentences, or a Hugging Face `datasets` folder; each with its datasheet (reports/datasheet.py).

Read from a read-only attachment at the chosen snapshot, written by DuckDB's COPY (tables
stream to disk, nothing is held whole in memory).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from vnnews.tasks.lake import catalog
from vnnews.tasks.lake.export_files import ExportError, ExportFolder
from vnnews.tasks.lake.literal import quoted
from vnnews.tasks.nlp.conllu import conllu_sentence
from vnnews.tasks.settings import Settings
from vnnews.tasks.tables import PUBLISHED

FORMATS = ("parquet", "jsonl", "conllu", "hf")
# What a corpus user wants by default; the run's bookkeeping tables can be named too.
DEFAULT_TABLES = ("documents", "sentences", "tokens", "entities", "dates", "quantities",
                  "quotes", "keywords", "rejects", "runs")  # fmt: skip
KNOWN_TABLES = (*PUBLISHED, "runs")


def plan(tables: tuple[str, ...], fmt: str) -> dict[str, str]:
    """{file to write (relative): the table it holds}, or ExportError for a bad choice."""
    if fmt not in FORMATS:
        raise ExportError(f"--format {fmt}: one of {', '.join(FORMATS)}")
    if unknown := [t for t in tables if t not in KNOWN_TABLES]:
        raise ExportError(f"No table {', '.join(unknown)}; tables: {', '.join(KNOWN_TABLES)}")
    if fmt == "conllu":
        return {"corpus.conllu": "sentences"}
    pattern = {"parquet": "{}.parquet", "jsonl": "{}.jsonl",
               "hf": "{}/train-00000-of-00001.parquet"}[fmt]  # hf: a config per table  # fmt: skip
    return {pattern.format(table): table for table in tables}


def _copy(con: duckdb.DuckDBPyConnection, table: str, path: Path, fmt: str) -> int:
    options = "FORMAT parquet, COMPRESSION zstd" if fmt != "jsonl" else "FORMAT json"
    con.execute(f"COPY (SELECT * FROM {table} ORDER BY ALL) TO {quoted(path)} ({options})")
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _conllu(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Every sentence with its tokens, document by document; returns the sentence count."""
    sql = """
        SELECT s.doc_id, s.sent_idx, s.text,
               list((t.word, t.pos, t.chunk, t.ner) ORDER BY t.tok_idx) AS tokens
        FROM sentences s JOIN tokens t USING (doc_id, sent_idx)
        GROUP BY ALL ORDER BY s.doc_id, s.sent_idx"""
    n, last_doc = 0, None
    with path.open("w", encoding="utf-8") as out:
        cursor = con.execute(sql)
        while chunk := cursor.fetchmany(10_000):
            for doc_id, sent_idx, text, tokens in chunk:
                if doc_id != last_doc:
                    out.write(f"# newdoc id = {doc_id}\n")
                    last_doc = doc_id
                out.write(conllu_sentence(doc_id, sent_idx, text, tokens))
                n += 1
    return n


def export(
    settings: Settings, target: ExportFolder, snapshot: int, files: dict[str, str], fmt: str
) -> dict:
    """Write the `plan`ned files of the lake at `snapshot` into `target`; {file: rows}."""
    con = catalog.connect(settings, read_only=True, snapshot=snapshot)
    written = {}
    try:
        for name, table in files.items():
            scratch = target.scratch(name)
            rows = _conllu(con, scratch) if fmt == "conllu" else _copy(con, table, scratch, fmt)
            target.place(name)
            written[name] = rows
    finally:
        con.close()
    return written
