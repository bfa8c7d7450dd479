"""Make GX Data Docs pages work with no network.

GX writes its pages with links to public CDNs (Bootstrap, jQuery, bootstrap-table, Font
Awesome, Vega) and its logo on S3, so on an air-gapped server they render unstyled and the index
table stays empty. The same files, fetched once by expectations/vendor.py and committed under
expectations/static/, are copied next to the pages and the links rewritten to them. Vega (charts
no vnnews expectation draws) and the dark-theme stylesheet are dropped.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from vnnews.tasks.checks import docs_truth

VENDOR = "static/vendor"
# CDN address -> path under the vendored folder ("" drops the tag that loads it)
REWRITES = [
    (r"https://maxcdn\.bootstrapcdn\.com/bootstrap/4\.3\.1/css/", "bootstrap/dist/css/"),
    (r"https://stackpath\.bootstrapcdn\.com/bootstrap/4\.3\.1/js/", "bootstrap/dist/js/"),
    (r"https://code\.jquery\.com/jquery-3\.7\.1\.min\.js", "jquery/dist/jquery.min.js"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/popper\.js/1\.12\.9/umd/", "popper.js/dist/umd/"),
    (r"https://unpkg\.com/bootstrap-table@1\.19\.[01]/dist/", "bootstrap-table/dist/"),
    (
        r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/1\.9\.0/",
        "bootstrap-datepicker/dist/",
    ),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/font-awesome/6\.6\.0/", "fontawesome-free/"),
]
DROPPED = [
    re.compile(r'<script[^>]*src="https://cdn\.jsdelivr\.net/npm/vega[^"]*"[^>]*>\s*</script>'),
    re.compile(r'<link[^>]*href="https://cdn\.jsdelivr\.net/npm/@forevolve/[^"]*"[^>]*>'),
]
# GX's own marketing: the newsletter footer, a link home, the dark-theme logo on S3.
FOOTER = re.compile(r"<footer>\s*<p>[^<]*newsletter.*?</footer>", re.DOTALL)
HOME_LINK = re.compile(r'<a href="https://greatexpectations\.io/?">([^<]*)</a>')
DARK_LOGO = re.compile(r"url\('https://great-expectations-web-assets\.[^']*'\)")
DATA_URI = re.compile(r"""url\((?:"data:[^"]*"|'data:[^']*')\)""")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
LOGO = re.compile(r'src="https://great-expectations-web-assets\.[^"]*/(logo-long\.png)[^"]*"')
# Checksums of the CDN copies, and CORS mode, which file:// pages cannot satisfy.
SRI = re.compile(r'\s+(integrity|crossorigin)="[^"]*"')
REMOTE = re.compile(r'<(?:script|link|img)\b[^>]*(?:src|href)="(https?://[^"]+)"')


def copy_assets(source: Path, docs_dir: Path) -> None:
    """The vendored files into the site (stylesheets made offline on the way), and GX's own
    stylesheets, which each build copies afresh, made offline in place."""
    target = docs_dir / VENDOR
    for path in (p for p in source.rglob("*") if p.is_file()):
        out = target / path.relative_to(source)
        if path.suffix == ".css":  # the only files changed on the way: read to compare
            data = offline_css(path.read_text(encoding="utf-8")).encode("utf-8")
            size = len(data)
        else:  # fonts and scripts are copied as they are, so their size tells
            data, size = None, path.stat().st_size
        if not out.exists() or out.stat().st_size != size:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(path.read_bytes() if data is None else data)
    for css in docs_dir.joinpath("static", "styles").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        if (offline := offline_css(text)) != text:
            css.write_text(offline, encoding="utf-8")


def offline_css(css: str) -> str:
    """A stylesheet that loads nothing remote; addresses in its licence comments lose their
    scheme (the licences travel as files beside it)."""
    css = DARK_LOGO.sub("none", css)
    # An SVG in a data: URI names its XML namespace, an identifier no browser fetches; written
    # percent-encoded (as the rest of the URI already is) it reads the same and no address is left.
    css = DATA_URI.sub(lambda m: re.sub(r"(https?)://", r"\1%3a//", m[0]), css)
    return CSS_COMMENT.sub(lambda m: re.sub(r"https?://", "", m[0]), css)


def offline_html(html: str, vendor: str, static: str) -> str:
    """The page with every CDN link pointing at `vendor` (a relative URL) and the rest removed."""
    for pattern in DROPPED:
        html = pattern.sub("", html)
    html = offline_css(FOOTER.sub("", HOME_LINK.sub(r"\1", html)))
    html = LOGO.sub(lambda m: f'src="{static}/images/{m[1]}"', html)
    return re.sub(r"<(?:script|link)\b[^>]*>", lambda tag: _rewrite_tag(tag[0], vendor), html)


def _rewrite_tag(tag: str, vendor: str) -> str:
    for remote, local in REWRITES:
        if re.search(remote, tag):
            return SRI.sub("", re.sub(remote, f"{vendor}/{local}", tag))
    return tag


def remote_resources(html: str) -> list[str]:
    """Addresses a page would still load from the network (links to follow do not count)."""
    return [m for m in REMOTE.findall(html) if not _is_plain_link(html, m)]


def _is_plain_link(html: str, address: str) -> bool:
    return bool(re.search(rf'<a\b[^>]*href="{re.escape(address)}"', html))


def make_offline(
    docs_dir: Path,
    assets: Path,
    pages: list[Path],
    results_dir: Path | None = None,
    suites_dir: Path | None = None,
) -> list[Path]:
    """Vendor the assets into the Data Docs site and rewrite these pages, the index and the
    suite pages (rebuilt on every run). With `results_dir` (the stored results) and
    `suites_dir`, the pages also get vnnews's severities and verdicts
    (tasks/checks/docs_truth.py). Returns the pages rewritten."""
    if not docs_dir.is_dir():
        return []
    copy_assets(assets, docs_dir)
    targets = {docs_dir / "index.html", *docs_dir.glob("expectations/*.html"), *pages}
    done = []
    for page in sorted(p for p in targets if p.is_file()):
        html = page.read_text(encoding="utf-8")
        vendor = Path(os.path.relpath(docs_dir / VENDOR, page.parent)).as_posix()
        static = Path(os.path.relpath(docs_dir / "static", page.parent)).as_posix()
        offline = offline_html(html, vendor, static)
        if results_dir is not None:
            offline = _truthful(
                offline, page.relative_to(docs_dir).as_posix(), results_dir, suites_dir
            )
        if offline != html:
            page.write_text(offline, encoding="utf-8")
            done.append(page)
    return done


def _truthful(html: str, page: str, results_dir: Path, suites_dir: Path | None) -> str:
    if page == "index.html":
        return docs_truth.index_page(html, results_dir)
    if page.startswith("validations/") and (stored := docs_truth.load(results_dir, page)):
        return docs_truth.stage_page(html, stored)
    suite = suites_dir / Path(page).with_suffix(".json").name if suites_dir else None
    if page.startswith("expectations/") and suite and suite.is_file():
        return docs_truth.suite_page(html, json.loads(suite.read_text(encoding="utf-8")))
    return html
