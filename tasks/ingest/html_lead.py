"""The lead of a saved page that sits outside its article container.

Most Vietnamese outlets print the headline, the lead paragraph (sapo) and often the first photo
above the element that holds the rest of the article, so reading only that element drops the lead.
This finds what lies between the headline and the container in document order: prose blocks
(the lead) and figure captions. Bylines, dates and category links there are short and
unpunctuated, so they are not taken as prose.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

BLOCK_TAGS = {
    "p",
    "div",
    "h2",
    "h3",
    "h4",
    "li",
    "ul",
    "ol",
    "table",
    "figure",
    "section",
    "article",
}
LEAF_TAGS = {"p", "div", "h2", "h3", "h4"}
SENTENCE_END = (".", "!", "?", "…", "”", '"', ")")
MIN_LEAD_WORDS = 8


def figure_caption(figure: LexborNode) -> str | None:
    """The text of a <figure>'s <figcaption>, spaces collapsed; None without one."""
    caption = figure.css_first("figcaption")
    if caption is None or not caption.text(strip=True):
        return None
    return " ".join(caption.text(separator=" ").split())


def is_headline(node: LexborNode, title: str) -> bool:
    """An <h1> whose text is the page's title: it opens the article, and is not part of its body."""
    return node.tag == "h1" and " ".join(node.text().split()) == " ".join(title.split())


def _is_prose(text: str) -> bool:
    return len(text.split()) >= MIN_LEAD_WORDS and text.endswith(SENTENCE_END)


def _is_leaf_block(node: LexborNode) -> bool:
    if node.tag not in LEAF_TAGS:
        return False
    return not any(d.tag in BLOCK_TAGS for d in node.traverse() if d.mem_id != node.mem_id)


def lead_outside(
    body: LexborNode, container: LexborNode, title: str
) -> tuple[list[str], list[str]]:
    """(lead paragraphs, figure captions) between the title's <h1> and the container."""
    started, skip = False, set()
    leads: list[str] = []
    captions: list[str] = []
    for node in body.traverse():
        if node.mem_id == container.mem_id:
            break
        if node.mem_id in skip:
            continue
        if not started:
            started = is_headline(node, title)
            continue
        if node.tag == "figure":
            skip |= {d.mem_id for d in node.traverse()}
            if caption := figure_caption(node):
                captions.append(caption)
        elif _is_leaf_block(node):
            text = " ".join(node.text(separator=" ").split())
            if _is_prose(text):
                leads.append(text)
    return leads, captions
