"""Vietnamese text normalisation: Unicode NFC, invisible and control characters, tone marks.

Tone-mark placement: vnnews writes the *old* (traditional) style, `hòa`, `thúy`, `khỏe`, which
most Vietnamese news outlets use: in an open syllable ending in `oa`, `oe` or `uy`, the tone mark
sits on the first vowel. `hoà` → `hòa`, `thuý` → `thúy`, `khoẻ` → `khỏe`. Syllables with a final
consonant (`hoàng`, `khuyến`) and `qu` + `y` (`quý`) are the same in both styles and left alone.
Applying the normalisation twice gives the same text.
"""

from __future__ import annotations

import re
import unicodedata

TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
VOWEL_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
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


def _old_style_syllable(match: re.Match) -> str:
    syllable = match.group(0)
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONES]
    if len(tones) != 1:
        return syllable
    bare = unicodedata.normalize("NFC", decomposed.replace(tones[0], ""))
    low = bare.lower()
    # Open syllable ending in oa/oe/uy (not the "qu" of quý): tone onto the first vowel.
    if low.endswith(("oa", "oe")) or (low.endswith("uy") and not low.endswith("quy")):
        first = len(bare) - 2
        return unicodedata.normalize("NFC", bare[: first + 1] + tones[0] + bare[first + 1 :])
    return syllable


def normalise_tones(text: str) -> str:
    return SYLLABLE.sub(_old_style_syllable, unicodedata.normalize("NFC", text))


def normalise_line(line: str) -> str:
    """One paragraph: NFC, invisible/control characters out, spaces collapsed, old-style tones."""
    line = CONTROLS.sub(" ", unicodedata.normalize("NFC", line).translate(INVISIBLE))
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
