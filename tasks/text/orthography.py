"""Vietnamese text normalisation: Unicode NFC, invisible and control characters, tone marks.

Tone-mark placement: vnnews writes every syllable's tone where the spelling rules put it, in the
*old* (traditional) style most Vietnamese news outlets use (tone_marks.py): `hoà` → `hòa`,
`thuý` → `thúy`, `khoẻ` → `khỏe`, and typos with the mark on the wrong vowel are mended the way
underthesea mends them: `khủyu` → `khuỷu`, `chóang` → `choáng`. Syllables already right
(`hoàng`, `quý`, `người`) and words that are not Vietnamese syllables (`café`) are left alone.
Applying the normalisation twice gives the same text.
"""

from __future__ import annotations

import re
import unicodedata

from vnnews.tasks.text.tone_marks import TONES, place_tone

VOWEL_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# The Icelandic eth, which legacy fonts and converters put where Đ/đ belongs ("Ðà Nẵng"); it
# looks the same but matches no Vietnamese word (underthesea maps it too).
CONFUSABLES = {ord("Ð"): "Đ", ord("ð"): "đ"}
CHARACTERS = INVISIBLE | CONFUSABLES
# C0/C1 controls except tab and newline; they carry no text and break downstream tools.
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
SYLLABLE = re.compile(r"[^\W\d_]+")


def _vietnamese_letters() -> frozenset[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    for code in range(0xC0, 0x1EFA):
        char = chr(code)
        base, *marks = unicodedata.normalize("NFD", char)
        if base.lower() in "aeiouy" and marks and all(m in TONES + VOWEL_MARKS for m in marks):
            letters.add(char.lower())
    return frozenset(letters | {c.upper() for c in letters})


LETTERS = _vietnamese_letters()
DIACRITIC_LETTERS = frozenset(c for c in LETTERS if c.lower() not in "abcdefghijklmnopqrstuvwxyz")


def normalise_tones(text: str) -> str:
    placed = SYLLABLE.sub(lambda m: place_tone(m.group(0)), unicodedata.normalize("NFC", text))
    # A stray combining mark after a syllable (not a letter, so not in it) may compose with the
    # letter a moved tone left bare: compose again, or a second pass would differ.
    return unicodedata.normalize("NFC", placed)


def normalise_line(line: str) -> str:
    """One paragraph: NFC, invisible/control characters out, `Ð` as `Đ`, spaces collapsed,
    old-style tones."""
    line = CONTROLS.sub(" ", unicodedata.normalize("NFC", line).translate(CHARACTERS))
    return normalise_tones(SPACES.sub(" ", line).strip())


def syllables(text: str) -> list[str]:
    return SYLLABLE.findall(text)


def letter_validity(text: str) -> float:
    """Of the words with non-ASCII letters, the share written in the Vietnamese alphabet.

    Correctly decoded Vietnamese scores ~1.0; TCVN3 or VNI bytes read as cp1258 score low.
    """
    words = [w for w in syllables(unicodedata.normalize("NFC", text)) if not w.isascii()]
    if not words:
        return 1.0
    return sum(all(c in LETTERS for c in w) for w in words) / len(words)


def vietnamese_share(text: str) -> float:
    """Share of syllables carrying a Vietnamese diacritic: high for Vietnamese, ~0 for English."""
    words = syllables(unicodedata.normalize("NFC", text))
    if not words:
        return 0.0
    return sum(not DIACRITIC_LETTERS.isdisjoint(w) for w in words) / len(words)
