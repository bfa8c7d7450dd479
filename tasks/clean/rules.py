"""The boilerplate rule pack (seeds/rules/boilerplate.toml), loaded and compiled."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from vnnews.tasks.clean.edges import Edges
from vnnews.tasks.clean.repeated import Repeated
from vnnews.tasks.ingest.readers import HtmlRules

KINDS = (
    "drop_line",
    "truncate",
    "skip_block",
    "caption",
    "source_marker",
    "source_trailer",
    "byline",
    "dateline",
)


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    pattern: re.Pattern
    max_chars: int = 10_000
    where: str = "any"  # "last": only on the closing paragraphs of an article
    examples: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quality:
    min_body_chars: int = 80
    min_vietnamese_share: float = 0.2
    min_letter_share: float = 0.6


@dataclass(frozen=True)
class RulePack:
    rules: tuple[Rule, ...]
    quality: Quality = field(default_factory=Quality)
    html: HtmlRules = field(default_factory=HtmlRules)
    edges: Edges = field(default_factory=Edges)
    repeated: Repeated = field(default_factory=Repeated)

    def first(self, kind: str, text: str, where: str = "any") -> tuple[Rule, re.Match] | None:
        """The first rule of this kind (and position) that matches the paragraph."""
        for rule in self.rules:
            fits = rule.kind == kind and rule.where == where and len(text) <= rule.max_chars
            if fits and (m := rule.pattern.search(text)):
                return rule, m
        return None

    @classmethod
    def load(cls, path: Path) -> RulePack:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SystemExit(f"Cannot read rule pack {path}: {exc}") from exc
        rules = []
        for kind in KINDS:
            for item in raw.get(kind, []):
                try:
                    pattern = re.compile(item["pattern"])
                except (KeyError, re.error) as exc:
                    raise SystemExit(
                        f"{path}: rule {item.get('name')!r} in [[{kind}]]: {exc}"
                    ) from exc
                rules.append(
                    Rule(
                        name=item["name"],
                        kind=kind,
                        pattern=pattern,
                        max_chars=item.get("max_chars", 10_000),
                        where=item.get("where", "any"),
                        examples=tuple(item.get("examples", ())),
                        keeps=tuple(item.get("keeps", ())),
                    )
                )
        html = raw.get("html", {})
        return cls(
            rules=tuple(rules),
            quality=Quality(**raw.get("quality", {})),
            edges=Edges(**raw.get("edges", {})),
            repeated=Repeated(**raw.get("repeated_line", {})),
            html=HtmlRules(
                content=tuple(html.get("content", HtmlRules.content)),
                drop=tuple(html.get("drop", HtmlRules.drop)),
                max_link_share=html.get("max_link_share", HtmlRules.max_link_share),
            ),
        )
