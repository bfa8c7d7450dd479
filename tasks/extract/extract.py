"""Extract: entities, dates, quantities and quotes, with char offsets into the clean body.

Works from the tokens the tokenise stage tagged (POS, chunk, NER BIO tags): no second pass of
the taggers. Keywords need the whole corpus and are computed per run (keywords.py). Each
document works within its budget (tasks/budget.py): one that overruns is a `too_complex` reject.
"""

from __future__ import annotations

from functools import cache, partial
from itertools import groupby
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from vnnews.tasks.budget import Budget, TooComplex
from vnnews.tasks.extract.entities import bare_name, find_entities, normalise
from vnnews.tasks.extract.entity_ids import assign_ids
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.extract.quantities import find_quantities
from vnnews.tasks.extract.quotes import find_quotes
from vnnews.tasks.nlp import parallel
from vnnews.tasks.nlp.adapter import Word
from vnnews.tasks.tables import DATES, ENTITIES, QUANTITIES, QUOTES, REJECTS, from_rows, reject
from vnnews.tasks.text.dates import find_dates

NOUNS = {"N", "Nc", "Nu", "Np", "Ny"}


def _words(tokens: list[dict], base: int) -> list[Word]:
    """Token rows of one sentence as Words with offsets relative to the sentence."""
    return [
        Word(
            t["word"],
            t["pos"],
            None if t["start"] is None else t["start"] - base,
            None if t["end"] is None else t["end"] - base,
            chunk=t["chunk"] or "",
            ner=t["ner"] or "O",
        )
        for t in tokens
    ]


def _rows(doc_id, sent, mentions, base) -> list[dict]:
    text = sent["text"]
    return [
        {
            "doc_id": doc_id,
            "sent_idx": sent["sent_idx"],
            "text": text[m.start : m.end],
            "start": base + m.start,
            "end": base + m.end,
            **m.fields,
        }
        for m in mentions
    ]


def metadata_entities(doc: dict) -> list[dict]:
    """The outlet in `source` ("VOV5") and photo credits ("VGP") are organisations the article
    names outside its body: entities without offsets, marked by `method`."""
    rows = []
    names = [("metadata:source", doc["source"])]
    names += [("metadata:caption_credit", c["credit"]) for c in doc["captions"] or []]
    for method, name in names:
        if name and name.isupper() and len(name) <= 12:  # agency acronyms, not person credits
            rows.append(
                {
                    "doc_id": doc["doc_id"],
                    "sent_idx": None,
                    "type": "ORG",
                    "text": name,
                    "normalized": normalise(name),
                    "title": None,
                    "start": None,
                    "end": None,
                    "method": method,
                }
            )
    return rows


def _sentence(doc_id: str, sent: dict, tokens: list[dict], published, gaz: Gazetteer, out):
    """Entities, dates and quantities of one sentence, appended to `out`."""
    base = sent["start"]
    words = _words(tokens, base)
    for ent in find_entities(sent["text"], words, gaz):
        surface = sent["text"][ent.start : ent.end]
        out["entities"].append(
            {
                "doc_id": doc_id,
                "sent_idx": sent["sent_idx"],
                "type": ent.type,
                "text": surface,
                "normalized": normalise(bare_name(surface, ent.title, gaz.admin_prefixes)),
                "title": ent.title,
                "start": base + ent.start,
                "end": base + ent.end,
                "method": ent.method,
            }
        )
    dates = find_dates(sent["text"], published)
    nouns = {w.start: w.text for w in words if w.pos in NOUNS and w.start is not None}
    out["dates"] += _rows(doc_id, sent, dates, base)
    out["quantities"] += _rows(doc_id, sent, find_quantities(sent["text"], nouns, dates), base)


def extract_document(doc: dict, sentences: list[dict], tokens: dict, gaz: Gazetteer, budget):
    """{table name: rows} of one document; TooComplex when it overruns its budget."""
    clock = budget.start("extract", doc["body"] or "")
    out = {"entities": [], "dates": [], "quantities": [], "quotes": []}
    for i, sent in enumerate(sentences, 1):
        if sent["start"] is None:
            continue  # offsets into the body are unknown, so no span could point back
        key = (doc["doc_id"], sent["sent_idx"])
        _sentence(doc["doc_id"], sent, tokens.get(key, []), doc["published_at"], gaz, out)
        clock.check(i, len(sentences))
    out["entities"] += metadata_entities(doc)
    assign_ids(out["entities"], gaz.aliases)
    # A quote's speaker is named by its id: "ông Phúc nói" -> "Nguyễn Xuân Phúc".
    speakers = [
        (e["start"], e["end"], e["entity_id"], e["type"])
        for e in out["entities"]
        if e["type"] in ("PER", "ORG")
    ]
    quotes = find_quotes(doc["body"] or "", speakers, gaz.titles)
    out["quotes"] = [{"doc_id": doc["doc_id"], **vars(q)} for q in quotes]
    return out


def extract(
    documents: pa.Table, sentences: pa.Table, tokens: pa.Table, gaz: Gazetteer, budget=None
):
    """A batch of documents with their sentences and tokens -> ({table name: rows}, rejects)."""
    budget = budget or Budget()
    by_sentence = {
        key: list(group)
        for key, group in groupby(tokens.to_pylist(), key=lambda t: (t["doc_id"], t["sent_idx"]))
    }
    by_document = {
        doc_id: list(group)
        for doc_id, group in groupby(sentences.to_pylist(), key=lambda s: s["doc_id"])
    }
    out = {"entities": [], "dates": [], "quantities": [], "quotes": []}
    rejects = []
    columns = ["doc_id", "source_uri", "body", "published_at", "source", "captions"]
    for doc in documents.select(columns).to_pylist():
        try:
            found = extract_document(
                doc, by_document.get(doc["doc_id"], []), by_sentence, gaz, budget
            )
        except TooComplex as exc:
            rejects.append(
                reject(doc["source_uri"], "extract", "too_complex", str(exc), doc_id=doc["doc_id"])
            )
            continue
        for name, rows in found.items():
            out[name] += rows
    schemas = {"entities": ENTITIES, "dates": DATES, "quantities": QUANTITIES, "quotes": QUOTES}
    found = {name: from_rows(rows, schemas[name]) for name, rows in out.items()}
    return found, from_rows(rejects, REJECTS)


@cache
def gazetteer(directory: Path) -> Gazetteer:
    """The gazetteers of `directory`, loaded once per process."""
    return Gazetteer.load(directory)


def tokenised_only(documents: pa.Table, too_complex: pa.Table) -> pa.Table:
    """The documents less those tokenise rejected: extract has no tokens for them."""
    return documents.filter(pc.invert(pc.is_in(documents["doc_id"], too_complex["doc_id"])))


def merged(shares: list[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    """{table name: its rows from every share}, the shares' answers of `extract` in one."""
    return {name: pa.concat_tables([share[name] for share in shares]) for name in shares[0]}


def _extract_part(documents, sentences, tokens, gazetteers: Path, budget):
    return extract(documents, sentences, tokens, gazetteer(gazetteers), budget)


def extract_parallel(
    documents: pa.Table,
    sentences: pa.Table,
    tokens: pa.Table,
    gazetteers: Path,
    budget: Budget,
    workers: int,
    aside: bool = False,
):
    """The same as `extract` with the gazetteers of the folder `gazetteers`, the documents split
    over `workers` processes (tasks/nlp/parallel.py): each document's mentions are its own."""
    fn = partial(_extract_part, gazetteers=gazetteers, budget=budget)
    parts = parallel.map_tables(fn, documents, workers, aside, along=(sentences, tokens))
    return merged([p[0] for p in parts]), pa.concat_tables([p[1] for p in parts])
