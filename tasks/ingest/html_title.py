"""A page title without the site's name: "Giá vàng giảm - VTC News" -> "Giá vàng giảm"."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

SUFFIX = re.compile(r"\s+[-|–—:]\s+(?P<site>[^-|–—:]{2,40})$")


def folded(text: str) -> str:
    """Lowercase ASCII letters and digits only: "Báo Lao Động" -> "baolaodong"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())


def site_names(url: str | None, site_name: str | None) -> set[str]:
    names = {folded(site_name)} if site_name else set()
    if url and (host := urlsplit(url).hostname):
        names.add(folded(host.removeprefix("www.").rsplit(".", 1)[0]))
    return {name for name in names if len(name) >= 3}


def without_site_name(title: str, url: str | None, site_name: str | None) -> str:
    """Drop a trailing " - Site" when Site is the page's site name or its host."""
    match = SUFFIX.search(title)
    if not match:
        return title
    site = folded(match["site"])
    site = site.removeprefix("bao") if site.startswith("bao") and len(site) > 6 else site
    names = site_names(url, site_name)
    if site and any(site in name or name in site for name in names):
        return title[: match.start()].strip()
    return title
