"""Where a Vietnamese syllable's tone mark goes, by the spelling rules (traditional style).

A syllable is parsed into initial consonant, vowel nucleus and final consonant; the tone then
sits on
1. the last vowel with a shape mark (ă â ê ô ơ ư): `người`, `hữu`, `thuở`, `khuyến`;
2. else, with a final consonant, the last vowel: `hoàng`, `huỳnh`;
3. else, in an open syllable of three vowels, the middle one: `ngoài`, `khuỷu`, `xoáy`;
4. else the first vowel: `hòa`, `thúy`, `khỏe`, `mùa` (the traditional style most outlets use).
`qu` and `gi` before a vowel are initials: `quý`, `giá`. A word that does not parse as one
Vietnamese syllable (`café`, `José`, `Đắk`) is left as written.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
VOWELS = frozenset("aăâeêioôơuưy")
SHAPED = frozenset("ăâêôơư")
# Longest first, so that "ngh" wins over "ng" and "n".
INITIALS = str.split("ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p q r s t v x")
FINALS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])
# Vowel nuclei that take a final consonant ("hoàng", "người"), and those that end in a glide
# and never do ("hài", "khuỷu"): "đàon" or "làung" are typos, not syllables.
CLOSABLE = frozenset(str.split("a ă â e ê i o ô ơ u ư y iê yê oa oă oe oo uâ uê uô ươ uy uyê"))
OPEN_ONLY = frozenset(
    str.split(
        "ai ao au âu ay ây eo êu ia iu oi ôi ơi ua ui uơ ưa ưi ưu "
        "iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyu"
    )
)


def _initial(low: str) -> str:
    for initial in INITIALS:
        if low.startswith(initial):
            # "gi" and "qu" are initials only before another vowel: "giá", but "gìn" is g + in.
            if initial in ("gi", "qu") and (len(low) == 2 or low[2] not in VOWELS):
                return initial[0]
            return initial
    return ""


def tone_position(bare: str) -> int | None:
    """Index in `bare` (a toneless NFC syllable) of the vowel that carries the tone; None when
    the word is not one Vietnamese syllable."""
    low = bare.lower()
    start = len(_initial(low))
    end = start
    while end < len(low) and low[end] in VOWELS:
        end += 1
    nucleus, final = low[start:end], low[end:]
    if final not in FINALS or nucleus not in (CLOSABLE if final else CLOSABLE | OPEN_ONLY):
        return None
    shaped = [i for i, c in enumerate(nucleus) if c in SHAPED]
    if shaped:
        return start + shaped[-1]
    if final or len(nucleus) == 1:
        return start + len(nucleus) - 1
    return start + (1 if len(nucleus) == 3 else 0)


# Articles repeat a few thousand syllables; ingest and clean normalise every one of them.
@lru_cache(maxsize=1 << 16)
def place_tone(syllable: str) -> str:
    """The syllable with its one tone mark on the vowel the rules give (NFC); unchanged when it
    carries no tone or several, or is not a Vietnamese syllable."""
    if syllable.isascii():
        return syllable
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONES]
    if len(tones) != 1:
        return syllable
    bare = unicodedata.normalize("NFC", decomposed.replace(tones[0], ""))
    at = tone_position(bare)
    if at is None:
        return syllable
    return unicodedata.normalize("NFC", bare[: at + 1] + tones[0] + bare[at + 1 :])
