"""Batch NLP outside the flow: JSONL lines {"id": ..., "text": ...} in, JSONL out.

Offsets refer to the NFC form of `text` (which is also what is echoed back when it differs).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pyarrow as pa

from vnnews.tasks.budget import Budget
from vnnews.tasks.extract.extract import extract, gazetteer, merged, tokenised_only
from vnnews.tasks.extract.keywords import keywords
from vnnews.tasks.nlp import parallel
from vnnews.tasks.nlp.tokenise import tokenise, tokenise_started
from vnnews.tasks.tables import DOCUMENTS, TERM_DF

WARM_UP = "Ông Nguyễn Văn An đến Hà Nội ngày 2/9/2024 với 15 tỷ đồng."


def warm_up(gazetteers: Path | None = None) -> None:
    """Tokenise (and, given the `gazetteers` folder, extract from) one sentence: this process
    then holds the models, the gazetteers and every module they load (pandas, by way of
    pyarrow, takes half a second), and its first real batch pays none of it."""
    docs = documents([{"doc_id": "warm-up", "body": WARM_UP}])
    if gazetteers is None:
        tokenise(docs)
    else:
        _tokenise_and_extract(docs, gazetteers, None)


def start_workers(workers: int, gazetteers: Path | None = None) -> bool:
    """The worker processes forked from this one once it has warmed up, when it can
    (tasks/nlp/parallel.py): each then starts with what `warm_up` loaded instead of loading
    its own."""
    return parallel.start_forked(workers, partial(warm_up, gazetteers))


def read_records(lines: Iterator[str], errors: list[str]) -> Iterator[dict]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text, ident = record["text"], record.get("id", number)
            if not isinstance(text, str):
                raise TypeError("`text` is not a string")
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            errors.append(f'line {number}: {exc}; expected {{"id": ..., "text": "..."}}')
            continue
        yield {"doc_id": str(ident), "body": unicodedata.normalize("NFC", text)}


def documents(records: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(records, schema=DOCUMENTS)


def _group(table: pa.Table) -> dict[str, list[dict]]:
    """doc id -> its rows, without the doc id."""
    out: dict[str, list[dict]] = {}
    for row in table.to_pylist():
        out.setdefault(row.pop("doc_id"), []).append(row)
    return out


def _errors(rejects: pa.Table) -> dict[str, dict]:
    """doc id -> {"error": why it was not processed}, e.g. `too_complex: ...`."""
    return {r["doc_id"]: {"error": f"{r['reason']}: {r['detail']}"} for r in rejects.to_pylist()}


def tokenize_records(records: list[dict], workers: int, budget: Budget | None = None) -> list[dict]:
    """Each record's sentences, with their words and POS tags, over `workers` processes."""
    return tokenize_started(records, workers, budget)()


def tokenize_started(
    records: list[dict], workers: int, budget: Budget | None = None
) -> Callable[[], list[dict]]:
    """tokenize_records in two halves, as extract_started: the records go to the workers now,
    and the function returned waits for their answers."""
    return partial(_tokenized, records, tokenise_started(documents(records), workers, budget))


def _tokenized(records: list[dict], answers: Callable) -> list[dict]:
    sentences, tokens, rejects = answers()
    words: dict[tuple, list[dict]] = {}  # (doc id, sentence index) -> its words, in order
    for w in tokens.select(["doc_id", "sent_idx", "word", "pos", "start", "end"]).to_pylist():
        key = (w.pop("doc_id"), w.pop("sent_idx"))
        words.setdefault(key, []).append(w)
    errors = _errors(rejects)
    out = {r["doc_id"]: [] for r in records}
    for sent in sentences.to_pylist():
        out[sent["doc_id"]].append(
            {
                "text": sent["text"],
                "start": sent["start"],
                "end": sent["end"],
                "words": words.get((sent["doc_id"], sent["sent_idx"]), []),
            }
        )
    return [{"id": i, "sentences": sents, **errors.get(i, {})} for i, sents in out.items()]


def _tokenise_and_extract(docs: pa.Table, gazetteers: Path, budget: Budget | None):
    """One worker's share: (tokens, {table: mentions}, rejects of either stage)."""
    sentences, tokens, too_complex = tokenise(docs, budget)
    docs = tokenised_only(docs, too_complex)
    tables, more = extract(docs, sentences, tokens, gazetteer(gazetteers), budget)
    return tokens, tables, pa.concat_tables([too_complex, more])


def extract_records(
    records: list[dict], workers: int, gazetteers: Path, budget: Budget | None = None
) -> list[dict]:
    """Each record's mentions and keywords; the gazetteers are those of the folder
    `gazetteers`. Tokenise and extract run in one pass per share of the records, over
    `workers` processes; keywords, which need all of them, here."""
    return extract_started(records, workers, gazetteers, budget)()


def extract_started(
    records: list[dict], workers: int, gazetteers: Path, budget: Budget | None = None
) -> Callable[[], list[dict]]:
    """extract_records in two halves: the records go to the workers now, and the function
    returned waits for their answers, so that a caller can hand on its next records first and
    the workers never wait for it."""
    job = partial(_tokenise_and_extract, gazetteers=gazetteers, budget=budget)
    shares = parallel.submit_tables(job, documents(records), workers)
    return partial(_extracted, records, shares, gazetteers)


def _extracted(records: list[dict], shares: Iterable, gazetteers: Path) -> list[dict]:
    shares = list(shares)
    tokens = pa.concat_tables([share[0] for share in shares])
    tables = merged([share[1] for share in shares])
    errors = _errors(pa.concat_tables([share[2] for share in shares]))
    stopwords = gazetteer(gazetteers).stopwords
    tables["keywords"], _ = keywords(tokens, TERM_DF.empty_table(), 0, stopwords)
    grouped = {name: _group(table) for name, table in tables.items()}
    keep = {"entities": ("type", "text", "normalized", "entity_id", "title", "start", "end")}
    result = []
    for r in records:
        item = {"id": r["doc_id"], **errors.get(r["doc_id"], {})}
        for name, by_doc in grouped.items():
            rows = by_doc.get(r["doc_id"], [])
            fields = keep.get(name)
            item[name] = [{k: row[k] for k in fields} if fields else row for row in rows]
        result.append(item)
    return result


def dumps(record: dict) -> str:
    return json.dumps(
        record,
        ensure_ascii=False,
        default=lambda v: v.isoformat() if isinstance(v, date) else str(v),
    )
