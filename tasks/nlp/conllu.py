"""Reading CoNLL-U evaluation files (e.g. UD Vietnamese-VTB) into sentences and gold words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# "# text =" lines split punctuation off with spaces; news text does not.
NO_SPACE_BEFORE = re.compile(r" ([,.;:!?…)\]}%”’])")
NO_SPACE_AFTER = re.compile(r"([(\[{“‘]) ")


@dataclass(frozen=True)
class GoldSentence:
    text: str  # as written in the file's `# text =` comment
    words: list[str]
    tags: list[str]  # column 5 (XPOS)

    @property
    def detokenised(self) -> str:
        return NO_SPACE_AFTER.sub(r"\1", NO_SPACE_BEFORE.sub(r"\1", self.text))


def read_conllu(path: Path) -> list[GoldSentence]:
    sentences, text, words, tags = [], "", [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# text = "):
            text = line[len("# text = ") :]
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():  # skip multiword ranges "1-2" and empty nodes "1.1"
                words.append(cols[1])
                tags.append(cols[4])
        elif not line and words:
            sentences.append(GoldSentence(text, words, tags))
            text, words, tags = "", [], []
    return sentences
