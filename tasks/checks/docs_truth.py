"""Data Docs that say what vnnews decided, not what GX assumed.

GX marks a validation failed when any expectation fails, whatever its severity, and its pages
do not show severity at all. vnnews publishes past a failed warning, so the pages are corrected
from the stored results (their JSON next to the pages' paths): each expectation gets its
severity, a failed warning a warning sign instead of a cross, and a stage whose only failures
are warnings reads "Passed with warnings" on its page and in the index.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

TABLE_LEVEL = "Table-Level Expectations"  # GX's section for expectations without a column
CROSS = '<i class="fas fa-times text-danger'
WARNING_SIGN = '<i class="fas fa-exclamation-triangle text-warning'
BADGE = {"critical": "badge-danger", "warning": "badge-warning", "info": "badge-info"}
MARK = "vnnews-severity"  # on every badge added: a page that has one is not marked again
ITEM = re.compile(r"<li >\s*<span >")  # an expectation in a suite page's lists
HEADER_STATUS = re.compile(r'<i class="fas fa-times text-danger" aria-hidden="true"></i> Failed')
INDEX_ROW = re.compile(
    r"\{'validation_success': '(?P<icon>[^']*)'(?P<middle>.*?)'_table_row_link_path': "
    r"'(?P<path>[^']*)', '_validation_success_text': '(?P<text>[^']*)'",
    re.DOTALL,
)


def _config(item: dict) -> dict:
    """An expectation's configuration, from a validation result or a suite's own list."""
    return item.get("expectation_config") or item


def severity(item: dict) -> str:
    return str(_config(item).get("severity") or "critical")


def _badge(level: str) -> str:
    return f'<span class="badge {BADGE.get(level, "badge-secondary")} {MARK} ml-1">{level}</span>'


def verdict(stored: dict) -> str:
    """'failed' (a critical expectation failed), 'warnings' (only warnings did) or 'passed'."""
    failed = [severity(r) for r in stored.get("results", []) if not r.get("success")]
    if "critical" in failed:
        return "failed"
    return "warnings" if failed else "passed"


def load(results_dir: Path, page: str) -> dict | None:
    """The stored result a Data Docs page was rendered from: validations/x.html -> x.json."""
    path = results_dir / Path(page).relative_to("validations").with_suffix(".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stage_page(html: str, stored: dict) -> str:
    """A validation page with severities shown and a warnings-only stage not called failed."""
    if MARK in html:
        return html
    if verdict(stored) == "warnings":
        html = HEADER_STATUS.sub(
            f'{WARNING_SIGN}" aria-hidden="true"></i> Passed with warnings', html
        )
    for number, results in enumerate(_sections(stored), start=2):
        html = _mark_section(html, number, results)
    return html


def _by_column(items: list[dict]) -> tuple[list[dict], list[list[dict]]]:
    """GX's page order: the table-level expectations, then one list per column, sorted."""
    by_column: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_column[(_config(item).get("kwargs") or {}).get("column", TABLE_LEVEL)].append(item)
    table_level = by_column.pop(TABLE_LEVEL, [])
    return table_level, [by_column[c] for c in sorted(by_column)]


def _sections(stored: dict) -> list[list[dict]]:
    """Results by page section (from section 2): table-level, if any, then the columns."""
    table_level, columns = _by_column(stored.get("results", []))
    return ([table_level] if table_level else []) + columns


def suite_page(html: str, suite: dict) -> str:
    """A suite page with each expectation's severity. Its table-level expectations are in the
    overview (section 1), each column in a section of its own from section 2."""
    if MARK in html:
        return html
    table_level, columns = _by_column(suite.get("expectations", []))
    for number, items in enumerate([table_level, *columns], start=1):
        start = html.find(f'id="section-{number}"')
        end = html.find(f'id="section-{number + 1}"', start)
        end = len(html) if end < 0 else end
        found = list(ITEM.finditer(html, start, end)) if start >= 0 else []
        if len(found) != len(items):
            continue  # not the layout this was written for: leave the section as is
        for match, item in reversed(list(zip(found, items, strict=True))):
            at = match.start() + len("<li >")  # the badge first, the expectation after it
            html = html[:at] + _badge(severity(item)).replace("ml-1", "mr-1") + html[at:]
    return html


def _mark_section(html: str, number: int, results: list[dict]) -> str:
    rows = len(re.findall(rf'id="section-{number}-content-block-2-cell-\d+-1"', html))
    if rows != len(results):  # not the layout this was written for: leave the section as is
        return html
    for row, result in enumerate(results, start=1):
        start = html.find(f'id="section-{number}-content-block-2-cell-{row}-1"')
        end = html.find("</td>", start)
        if start < 0 or end < 0:
            continue
        cell = html[start:end]
        level = severity(result)
        if level != "critical":
            cell = cell.replace(CROSS, WARNING_SIGN)
        html = html[:start] + cell.replace("</span>", f"</span>{_badge(level)}", 1) + html[end:]
    return html


def index_page(html: str, results_dir: Path) -> str:
    """The index with every warnings-only validation shown as such (past runs' rows too)."""

    def row(match: re.Match) -> str:
        if CROSS not in match["icon"]:
            return match[0]
        stored = load(results_dir, match["path"])
        if stored is None or verdict(stored) != "warnings":
            return match[0]
        icon = match["icon"].replace(CROSS, WARNING_SIGN).replace("ge-failed-icon", "")
        return (
            f"{{'validation_success': '{icon}'{match['middle']}'_table_row_link_path': "
            f"'{match['path']}', '_validation_success_text': 'Passed with warnings'"
        )

    return INDEX_ROW.sub(row, html)
