"""Extract: entities, dates, quantities and quotes, with char offsets into the clean body.

Works from the tokens the tokenise stage tagged (POS, chunk, NER BIO tags): no second pass of
the taggers. Keywords need the whole corpus and are computed per run (tasks/keywords.py).
"""

from __future__ import annotations

from itertools import groupby

import pyarrow as pa

from tasks.dates import find_dates
from tasks.entities import bare_name, find_entities, normalise
from tasks.gazetteer import Gazetteer
from tasks.nlp import Word
from tasks.quantities import find_quantities
from tasks.quotes import find_quotes
from tasks.tables import DATES, ENTITIES, QUANTITIES, QUOTES, from_rows

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


def metadata_entities(documents: pa.Table) -> list[dict]:
    """The outlet in `source` ("VOV5") and photo credits ("VGP") are organisations the article
    names outside its body: entities without offsets, marked by `method`."""
    rows = []
    for doc in documents.select(["doc_id", "source", "captions"]).to_pylist():
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


def extract(documents: pa.Table, sentences: pa.Table, tokens: pa.Table, gaz: Gazetteer):
    """A batch of documents with their sentences and tokens -> {table name: rows}."""
    by_sentence = {
        key: list(group)
        for key, group in groupby(tokens.to_pylist(), key=lambda t: (t["doc_id"], t["sent_idx"]))
    }
    published = dict(
        zip(documents["doc_id"].to_pylist(), documents["published_at"].to_pylist(), strict=True)
    )
    out = {"entities": [], "dates": [], "quantities": [], "quotes": []}
    for sent in sentences.to_pylist():
        if sent["start"] is None:
            continue  # offsets into the body are unknown, so no span could point back
        doc_id, base = sent["doc_id"], sent["start"]
        words = _words(by_sentence.get((doc_id, sent["sent_idx"]), []), base)
        for ent in find_entities(sent["text"], words, gaz):
            surface = sent["text"][ent.start : ent.end]
            out["entities"].append(
                {
                    "doc_id": doc_id,
                    "sent_idx": sent["sent_idx"],
                    "type": ent.type,
                    "text": surface,
                    "normalized": normalise(bare_name(surface, ent.title)),
                    "title": ent.title,
                    "start": base + ent.start,
                    "end": base + ent.end,
                    "method": ent.method,
                }
            )
        dates = find_dates(sent["text"], published.get(doc_id))
        nouns = {w.start: w.text for w in words if w.pos in NOUNS and w.start is not None}
        out["dates"] += _rows(doc_id, sent, dates, base)
        out["quantities"] += _rows(doc_id, sent, find_quantities(sent["text"], nouns, dates), base)
    out["entities"] += metadata_entities(documents)
    people: dict[str, list] = {}
    for e in out["entities"]:
        if e["type"] == "PER":
            people.setdefault(e["doc_id"], []).append((e["start"], e["end"], e["normalized"]))
    bodies = zip(documents["doc_id"].to_pylist(), documents["body"].to_pylist(), strict=True)
    for doc_id, body in bodies:
        quotes = find_quotes(body, people.get(doc_id, []))
        out["quotes"] += [{"doc_id": doc_id, **vars(q)} for q in quotes]
    schemas = {"entities": ENTITIES, "dates": DATES, "quantities": QUANTITIES, "quotes": QUOTES}
    return {name: from_rows(rows, schemas[name]) for name, rows in out.items()}
