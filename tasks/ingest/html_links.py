"""Blocks inside the article container that are mostly links: related stories, "read next" boxes.

Outlets put links to other stories inside the article body, where no container selector can drop
them. Prose links a phrase or two; a block of other stories' headlines is nearly all link text
(jusText's link density). Such blocks go before the text is read.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

CANDIDATES = "p, div, li, h2, h3, h4, h5, h6, article, section, ul, table"
NEARLY_ALL = 0.8
SENTENCE_END = tuple('.!?…"”')


def _chars(text: str) -> int:
    return len("".join(text.split()))


def link_share(node: LexborNode) -> float:
    total = _chars(node.text(separator=" "))
    if not total:
        return 0.0
    linked = sum(_chars(a.text(separator=" ")) for a in node.css("a"))
    return min(linked / total, 1.0)


def other_stories(node: LexborNode, max_share: float) -> bool:
    """Nearly all links; or over max_share links and not a sentence (a sentence with a linked
    phrase or two is prose)."""
    if node.css_first("a") is None:
        return False
    share = link_share(node)
    text = node.text(separator=" ").strip()
    return share > NEARLY_ALL or (share > max_share and not text.endswith(SENTENCE_END))


def drop_link_blocks(container: LexborNode, max_share: float) -> int:
    """Remove the outermost blocks of links to other stories; how many were removed."""
    picked = []
    for node in container.css(CANDIDATES):
        if not other_stories(node, max_share):
            continue
        if not any(_inside(node, outer) for outer in picked):
            picked.append(node)
    for node in picked:
        node.decompose()
    return len(picked)


def _inside(node: LexborNode, outer: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == outer.mem_id:
            return True
        parent = parent.parent
    return False
