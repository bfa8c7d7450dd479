"""CoNLL-U: reading evaluation files (e.g. UD Vietnamese-VTB) into sentences and gold words,
and writing the published sentences for other tools (`vnnews export --format conllu`)."""

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
        if line.startswith("# text ="):  # UD's train file also writes "# text =Tôi ..."
            text = line[len("# text =") :].strip()
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():  # skip multiword ranges "1-2" and empty nodes "1.1"
                words.append(cols[1])
                tags.append(cols[4])
        elif not line and words:
            sentences.append(GoldSentence(text, words, tags))
            text, words, tags = "", [], []
    return sentences


def conllu_sentence(doc_id: str, sent_idx: int, text: str, tokens: list[tuple]) -> str:
    """One sentence as CoNLL-U: `tokens` are (word, pos, chunk, ner) in order. The POS tags
    are underthesea's (VLSP), so they go in XPOS and UPOS stays `_`; NER and chunk tags go in
    MISC. A Vietnamese word may hold spaces ("Việt Nam"), as UD Vietnamese writes it."""
    lines = [f"# sent_id = {doc_id}-{sent_idx}", f"# text = {' '.join(text.split())}"]
    for i, (word, pos, chunk, ner) in enumerate(tokens, 1):
        misc = "|".join(f"{k}={v}" for k, v in (("NER", ner), ("Chunk", chunk)) if v) or "_"
        form = " ".join(word.split()) or "_"
        # No parse: HEAD, DEPREL and DEPS stay `_` rather than a made-up tree.
        lines.append(f"{i}\t{form}\t_\t_\t{pos or '_'}\t_\t_\t_\t_\t{misc}")
    return "\n".join(lines) + "\n\n"
