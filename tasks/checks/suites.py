"""The suite of each stage: what its output must satisfy, over the frame that
tasks/checks/frames.py builds from it. expectations/build.py writes them into the GX context;
`make expectations` after a change here, and commit the JSON."""

from __future__ import annotations

from vnnews.tasks.checks.declare import ENTITY_TYPES, KNOWN_ENCODINGS, Declare, param


def ingest(x: Declare) -> list:
    """Raw articles as read: one per file or record, decoded, with text."""
    return [
        x.has_columns("doc_id", "source_uri", "title", "content_hash", "encoding", "raw_chars"),
        x.not_null("doc_id"),
        x.not_null("source_uri"),
        x.critical(
            "ExpectColumnValuesToBeUnique",
            "One article per file or record.",
            column="source_uri",
        ),
        x.row_check(
            "ExpectColumnValuesToBeBetween",
            "Every article has raw text (its length in characters).",
            column="raw_chars",
            min_value=1,
        ),
        x.row_check(
            "ExpectColumnValuesToBeInSet",
            "Text was decoded by a known codec.",
            column="encoding",
            value_set=KNOWN_ENCODINGS,
        ),
        x.warning(
            "ExpectColumnValuesToBeUnique",
            "The same article in two files: clean keeps the first, rejects the others.",
            column="doc_id",
        ),
        x.warning(
            "ExpectColumnValueLengthsToBeBetween",
            "An article without a title is published with an empty one.",
            column="title",
            min_value=1,
        ),
    ]


def clean(x: Declare) -> list:
    """Clean documents: deduplicated, within the quality bounds, NFC, no boilerplate."""
    return [
        x.has_columns("doc_id", "source_uri", "title", "body_hash", "body_chars"),
        x.not_null("doc_id"),
        x.row_check("ExpectColumnValuesToNotBeNull", "Every article has a title.", column="title"),
        x.critical(
            "ExpectColumnValuesToBeUnique", "Dedup left one row per article.", column="doc_id"
        ),
        x.critical(
            "ExpectColumnValuesToBeUnique",
            "Dedup left no two equal bodies.",
            column="body_hash",
        ),
        x.row_check(
            "ExpectColumnValuesToBeBetween",
            "Body lengths (characters) are within the quality filter's bounds "
            "(rule pack [quality] min_body_chars, settings max_doc_bytes).",
            column="body_chars",
            min_value=param("min_body_chars"),
            max_value=param("max_body_chars"),
        ),
        x.row_check(
            "ExpectColumnValuesToBeBetween",
            "Share of syllables with a Vietnamese diacritic, at least the rule pack's "
            "min_vietnamese_share: text in another language or a broken encoding "
            "falls below it.",
            column="vietnamese_share",
            min_value=param("min_vietnamese_share"),
        ),
        x.row_check(
            "ExpectColumnValuesToBeNull",
            "No body line matches a rule of the boilerplate pack that removes lines "
            "(share bars, related-news lists, captions, bylines): the rule and line.",
            column="boilerplate_line",
        ),
        x.is_true("body_is_nfc", "Bodies are in Unicode NFC (precomposed Vietnamese letters)."),
        x.is_true(
            "free_of_control_chars",
            "No C0/C1 control character (tab and newline aside) in the body or the title.",
        ),
    ]


def tokenise(x: Declare) -> list:
    """Sentences: numbered, tokenised, their words spelling out their text."""
    return [
        x.has_columns("doc_id", "sent_idx", "text", "n_tokens", "words_rejoin_text"),
        x.not_null("doc_id"),
        x.critical(
            "ExpectCompoundColumnsToBeUnique",
            "One row per sentence.",
            column_list=["doc_id", "sent_idx"],
        ),
        x.row_check(
            "ExpectColumnValuesToBeBetween",
            "Every sentence has at least one token.",
            column="n_tokens",
            min_value=1,
        ),
        x.is_true(
            "words_rejoin_text",
            "A sentence's words, at their offsets, spell out the sentence's text (each "
            "word up to underthesea's normalisation of it).",
        ),
        x.is_true("tok_idx_in_order", "A sentence's tokens are numbered 0..n-1."),
        x.warning(
            "ExpectColumnValuesToBeNull",
            "POS tags outside the VLSP tag set underthesea emits.",
            column="unknown_pos",
        ),
    ]


def extract(x: Declare) -> list:
    """Mentions (entities, dates, quantities, quotes) at true offsets into the body."""
    from great_expectations.expectations.row_conditions import Column

    return [
        x.has_columns("kind", "doc_id", "type", "text", "start", "end", "text_at_offsets"),
        x.not_null("doc_id"),
        x.row_check("ExpectColumnValuesToNotBeNull", "Every mention has a text.", column="text"),
        x.row_check(
            "ExpectColumnValuesToBeInSet",
            "Entity types are the VLSP four.",
            column="type",
            value_set=ENTITY_TYPES,
            row_condition=Column("kind") == "entity",
        ),
        x.row_check(
            "ExpectColumnValuesToNotBeNull",
            "Every entity has an entity_id, the name it is counted by.",
            column="entity_id",
            row_condition=Column("kind") == "entity",
        ),
        x.row_check(
            "ExpectCompoundColumnsToBeUnique",
            "No span is found twice (mentions named outside the body have no span).",
            column_list=["doc_id", "kind", "start", "end"],
            ignore_row_if="any_value_is_missing",
        ),
        x.row_check(
            "ExpectColumnPairValuesAToBeGreaterThanB",
            "Spans are not empty.",
            column_A="end",
            column_B="start",
        ),
        x.is_true(
            "text_at_offsets",
            "Offsets lie inside the body and body[start:end] is the mention's text "
            "(the outlet and photo credits, named outside the body, have none).",
        ),
        x.is_true("date_is_valid", "Dates found are real calendar dates (years 1000-2200)."),
        x.row_check(
            "ExpectColumnValuesToBeNull",
            "No mention sits on a line the boilerplate pack would remove.",
            column="boilerplate_rule",
        ),
    ]


def publish(x: Declare) -> list:
    """The run as a whole: every input item accounted for, no key twice."""
    return [
        x.critical(
            "ExpectColumnPairValuesToBeEqual",
            "Every input item is published, rejected or unchanged.",
            column_A="n_in",
            column_B="n_accounted",
        ),
        x.critical(
            "ExpectColumnValuesToBeBetween",
            "Counts are not negative.",
            column="n_published",
            min_value=0,
        ),
        x.critical(
            "ExpectColumnValuesToBeBetween",
            "No key repeats in the tables a run assembles: documents, signatures, files.",
            column="duplicate_keys",
            min_value=0,
            max_value=0,
        ),
    ]


# Stage name -> its suite, over the frame tasks/checks/frames.py builds for the stage.
SUITES = {"ingest": ingest, "clean": clean, "tokenise": tokenise, "extract": extract}
SUITES["publish"] = publish
