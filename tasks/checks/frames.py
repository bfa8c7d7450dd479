"""What each stage's expectations judge: the stage's output, plus columns derived from it.

GX's built-in expectations test one column at a time, so what needs the rule pack, a join or
Vietnamese orthography (is every boilerplate line gone? do a sentence's words re-join to its
text?) is computed here, vectorised where Arrow can, and judged in GX as a plain column. One frame
per stage, one row per document, sentence or mention, keyed so that a failing row names its
document (`doc_id`) for the quarantine table.
"""

from __future__ import annotations

import unicodedata

import pyarrow as pa
import pyarrow.compute as pc

from vnnews.tasks.checks.mention_frame import extract_frame
from vnnews.tasks.clean.boilerplate import BoilerplateFinder
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.lake.staging import Staged
from vnnews.tasks.nlp.segment import same_word
from vnnews.tasks.tables import KEYS
from vnnews.tasks.text.orthography import CONTROLS, vietnamese_share

# The VLSP tag set underthesea's POS tagger emits.
POS_TAGS = frozenset(
    "A Ab B C CC CH E Eb FW I L M Mb N Nb Nc Ne Np Nu Ny P Pb R S T V Vb Vy X Y Z".split()  # noqa: SIM905
)


def frame(stage: str, data: dict, pack: RulePack) -> pa.Table:
    """The table a stage's suite judges, from what the stage produced."""
    if stage == "ingest":
        return ingest_frame(data["raw"])
    if stage == "clean":
        return clean_frame(data["documents"], pack)
    if stage == "tokenise":
        return tokenise_frame(data["sentences"], data["tokens"])
    if stage == "extract":
        return extract_frame(data["documents"], data, pack)
    if stage == "publish":
        return publish_frame(data["ledger"], data)
    raise ValueError(f"Unknown stage {stage!r}")


def _has_controls(column: pa.ChunkedArray) -> pa.ChunkedArray:
    # The very characters the clean stage replaces (orthography.CONTROLS): none may be left.
    return pc.fill_null(pc.match_substring_regex(column, CONTROLS.pattern), False)


def ingest_frame(raw: pa.Table) -> pa.Table:
    """The raw articles, with the length of their text instead of the text itself."""
    keep = ("doc_id", "source_uri", "title", "content_hash", "encoding")
    return pa.table({**{c: raw[c] for c in keep}, "raw_chars": pc.utf8_length(raw["raw_text"])})


def clean_frame(documents: pa.Table, pack: RulePack) -> pa.Table:
    """One row per document. Bodies are judged through derived columns (lengths, shares, the
    offending line), so that GX handles numbers and flags, and Data Docs show those, not whole
    articles."""
    finder = BoilerplateFinder(pack)
    bodies = documents["body"].to_pylist()
    found = [finder.first(b or "") for b in bodies]
    controls = pc.or_(_has_controls(documents["body"]), _has_controls(documents["title"]))
    return pa.table(
        {
            **{c: documents[c] for c in ("doc_id", "source_uri", "title", "body_hash")},
            "body_chars": pc.utf8_length(documents["body"]),
            "vietnamese_share": [vietnamese_share(b or "") for b in bodies],
            "body_is_nfc": [unicodedata.is_normalized("NFC", b or "") for b in bodies],
            "free_of_control_chars": pc.invert(controls),
            "boilerplate_line": [f"{f[0]}: {f[1]}" if f else None for f in found],
        }
    )


def words_rejoin_text(text: str, start: int, words: list[tuple]) -> bool:
    """Do a sentence's words, at their offsets, spell out its text? Every non-space character
    lies in exactly one word, in order, and each word is the text at its offsets up to
    underthesea's normalisation (it writes `khuỷu` where the article has `khủyu`)."""
    cursor = 0
    for word, word_start, word_end in words:
        if word_start is None or word_end is None:
            return False
        a, b = word_start - start, word_end - start
        if a < cursor or b > len(text) or a >= b or text[cursor:a].strip():
            return False
        if not same_word(word or "", text[a:b]):
            return False
        cursor = b
    return not text[cursor:].strip()


def tokenise_frame(sentences: pa.Table, tokens: pa.Table) -> pa.Table:
    """One row per sentence: its token count, whether its words re-join (at their offsets) to
    its text, whether its tok_idx run 0..n-1, and any POS tag outside the VLSP tag set."""
    words: dict[tuple, list[tuple]] = {}
    numbers: dict[tuple, list[int]] = {}
    unknown: dict[tuple, set[str]] = {}
    names = ("doc_id", "sent_idx", "tok_idx", "word", "pos", "start", "end")
    columns = (tokens[c].to_pylist() for c in names)
    for doc_id, sent_idx, tok_idx, word, pos, start, end in zip(*columns, strict=True):
        key = (doc_id, sent_idx)
        words.setdefault(key, []).append((word, start, end))
        numbers.setdefault(key, []).append(tok_idx)
        if pos not in POS_TAGS:
            unknown.setdefault(key, set()).add(str(pos))
    keys = list(
        zip(sentences["doc_id"].to_pylist(), sentences["sent_idx"].to_pylist(), strict=True)
    )
    texts, starts = sentences["text"].to_pylist(), sentences["start"].to_pylist()
    return pa.table(
        {
            "doc_id": sentences["doc_id"],
            "sent_idx": sentences["sent_idx"],
            "text": sentences["text"],
            "n_tokens": pa.array([len(words.get(k, ())) for k in keys], pa.int32()),
            "words_rejoin_text": [
                start is not None and words_rejoin_text(text or "", start, words.get(k, []))
                for k, text, start in zip(keys, texts, starts, strict=True)
            ],
            "tok_idx_in_order": [
                numbers.get(k, []) == list(range(len(words.get(k, ())))) for k in keys
            ],
            "unknown_pos": [", ".join(sorted(unknown[k])) if k in unknown else None for k in keys],
        }
    )


def publish_frame(ledger: dict, published: dict[str, pa.Table]) -> pa.Table:
    """One row: the document ledger, and how many key values repeat in the tables to publish."""
    repeats = {}
    for name, keys in KEYS.items():
        table = published.get(name)
        if table is not None and table.num_rows and (n := repeated_keys(table, keys)):
            repeats[name] = n
    detail = ", ".join(f"{n}: {k} repeated keys" for n, k in repeats.items()) or None
    return pa.Table.from_pylist(
        [{**ledger, "duplicate_keys": sum(repeats.values()), "duplicate_detail": detail}]
    )


def repeated_keys(table: pa.Table, keys: tuple[str, ...]) -> int:
    """Rows whose key another row already has. The key columns are packed into one int64
    (dictionary codes in mixed radix) when they fit, which counts in milliseconds."""
    if table.num_rows == 0:
        return 0
    if isinstance(table, Staged):  # a run's parts, on disk: counted by DuckDB
        return table.repeated_keys(keys)
    packed, radix = None, 1
    for name in keys:
        column = table[name].combine_chunks()
        if pa.types.is_string(column.type):
            column = column.dictionary_encode().indices
        column = pc.cast(pc.fill_null(column, -1), pa.int64())
        low, high = pc.min_max(column).values()
        if low.as_py() < 0 or radix * (high.as_py() + 1) >= 2**62:
            return table.num_rows - table.group_by(list(keys)).aggregate([]).num_rows
        packed = column if packed is None else pc.add(pc.multiply(packed, high.as_py() + 1), column)
        radix *= high.as_py() + 1
    return table.num_rows - pc.count_distinct(packed).as_py()
