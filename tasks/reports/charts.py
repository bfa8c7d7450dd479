"""Small bar charts for the run reports, rendered by matplotlib to inline SVG (no CDN, no JS).

Text stays text in the SVG (`svg.fonttype: none`), so the browser draws Vietnamese with its own
fonts; labels are never read as mathtext, so "US$" or "$5" print as written.
"""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BLUE, GREY, ORANGE = "#2b6cb0", "#a0aec0", "#dd6b20"
TYPE_COLOURS = {"PER": "#2b6cb0", "LOC": "#38a169", "ORG": "#dd6b20", "MISC": "#805ad5"}


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)  # RDF: creator, date
    # Inline in HTML an SVG needs no namespace declarations, and `href` does what `xlink:href`
    # did: the page then names no address at all, not even a namespace.
    svg = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", svg).replace("xlink:href=", "href=")
    return svg[svg.index("<svg") :]  # inline: no XML prologue or doctype


def _legend_beside(ax) -> None:
    """The legend to the right of the plot, where no bar can be under it."""
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _figure(n_bars: int):
    return plt.subplots(figsize=(6.4, 0.9 + 0.32 * max(n_bars, 1)))


def horizontal_bars(
    labels: list[str],
    series: dict[str, list[float]],
    xlabel: str,
    colours: list[str] | None = None,
    stacked: bool = False,
) -> str:
    """One row per label; several series side by side, the first on top (or stacked), first
    label on top."""
    with plt.rc_context(STYLE):
        fig, ax = _figure(len(labels))
        positions = list(range(len(labels)))[::-1]
        height = 0.8 if stacked else 0.8 / max(len(series), 1)
        left = [0.0] * len(labels)
        for i, (name, values) in enumerate(series.items()):
            colour = (colours or [BLUE, GREY, ORANGE])[i % 3]
            offsets = (
                positions
                if stacked
                else [p + ((len(series) - 1) / 2 - i) * height for p in positions]
            )
            ax.barh(
                offsets,
                values,
                height=height,
                left=left if stacked else None,
                label=name,
                color=colour,
            )
            if stacked:
                left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(positions, labels)
        ax.set_xlabel(xlabel)
        if len(series) > 1:
            _legend_beside(ax)
        return _svg(fig)


def coloured_bars(labels: list[str], values: list[float], kinds: list[str], xlabel: str) -> str:
    """One bar per label, coloured by its kind (entity type), with a legend of the kinds."""
    with plt.rc_context(STYLE):
        fig, ax = _figure(len(labels))
        positions = list(range(len(labels)))[::-1]
        colours = [TYPE_COLOURS.get(k, GREY) for k in kinds]
        ax.barh(positions, values, color=colours)
        ax.set_yticks(positions, labels)
        ax.set_xlabel(xlabel)
        for kind in dict.fromkeys(kinds):
            ax.bar(0, 0, color=TYPE_COLOURS.get(kind, GREY), label=kind)
        _legend_beside(ax)
        return _svg(fig)


def run_columns(
    labels: list[str], published: list[int], rejected: list[int], unchanged: list[int]
) -> str:
    """Published, rejected and unchanged (skipped) documents per run, oldest on the left: a run
    with nothing new shows as unchanged, not as an empty column."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 2.6))
        x = list(range(len(labels)))
        bottom = [0] * len(x)
        for values, colour, label in (
            (published, BLUE, "published"),
            (rejected, ORANGE, "rejected"),
            (unchanged, GREY, "unchanged"),
        ):
            ax.bar(x, values, bottom=bottom, color=colour, label=label, width=0.6)
            bottom = [a + b for a, b in zip(bottom, values, strict=True)]
        ax.set_xticks(x, labels, rotation=45, ha="right")
        ax.set_xlim(-0.75, max(len(x), 4) - 0.25)  # one run is a column, not the whole width
        ax.set_ylabel("documents")
        _legend_beside(ax)
        return _svg(fig)
