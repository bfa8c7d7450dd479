"""Which lines of a text the boilerplate rule pack would remove: the clean and extract checks."""

from __future__ import annotations

import re

from vnnews.tasks.clean.rules import RulePack

# Rule kinds that remove a paragraph wherever it stands: none of them may match a body line.
REMOVING = ("truncate", "skip_block", "drop_line", "caption", "byline")


class BoilerplateFinder:
    """The first body line a removing rule of the pack matches, and the rule's name.

    One alternation of every pattern finds candidate lines at C speed; each candidate is then
    confirmed with the pack's own per-rule logic (kind, position, max_chars)."""

    def __init__(self, pack: RulePack):
        self.pack = pack
        patterns = [r.pattern.pattern for r in pack.rules if r.kind in REMOVING]
        plain = [re.sub(r"\(\?P<\w+>", "(?:", p) for p in patterns]  # names clash when joined
        self.candidates = re.compile("|".join(f"(?:{p})" for p in plain), re.MULTILINE)

    def rule(self, line: str) -> str | None:
        for kind in REMOVING:
            if hit := self.pack.first(kind, line):
                return hit[0].name
        return None

    def lines(self, text: str):
        """(start, end, rule name) of each boilerplate line in `text`, in order."""
        for match in self.candidates.finditer(text):
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.start())
            end = len(text) if end < 0 else end
            if name := self.rule(text[start:end]):
                yield start, end, name

    def first(self, text: str) -> tuple[str, str] | None:
        """(rule name, line) of the first boilerplate line in `text`, else None."""
        for start, end, name in self.lines(text):
            return name, text[start:end]
        return None
