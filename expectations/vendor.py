"""Fetch the CSS, JS and fonts that GX Data Docs pages load, so the pages work offline.

    .venv/bin/python expectations/vendor.py      (needs the npm registry; output is committed)

GX writes its pages with links to public CDNs, which an air-gapped server cannot reach.
tasks/checks/data_docs.py rewrites those links to the copies this script stores under
expectations/static/, at the same versions GX asks for (bootstrap-table 1.19.1 for both of its
1.19.x links). Each tarball is checked against the sha512 the registry publishes for it, and each
package's licence file is kept beside its files.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
STATIC = Path(__file__).resolve().parent / "static"

# package, version, files inside the tarball's package/ folder
ASSETS = [
    ("bootstrap", "4.3.1", ["dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js", "LICENSE"]),
    ("jquery", "3.7.1", ["dist/jquery.min.js", "LICENSE.txt"]),
    ("popper.js", "1.12.9", ["dist/umd/popper.min.js"]),  # MIT, stated in the file
    (
        "bootstrap-table",
        "1.19.1",
        [
            "dist/bootstrap-table.min.css",
            "dist/bootstrap-table.min.js",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
            "LICENSE",
        ],
    ),
    (
        "bootstrap-datepicker",
        "1.9.0",
        ["dist/css/bootstrap-datepicker.min.css", "dist/js/bootstrap-datepicker.min.js", "LICENSE"],
    ),
    (
        "@fortawesome/fontawesome-free",
        "6.6.0",
        [
            "css/all.min.css",
            "webfonts/fa-solid-900.woff2",
            "webfonts/fa-regular-400.woff2",
            "webfonts/fa-brands-400.woff2",
            "webfonts/fa-v4compatibility.woff2",
            "LICENSE.txt",
        ],
    ),
]


def fetch(package: str, version: str, files: list[str]) -> None:
    meta = json.load(urllib.request.urlopen(f"{REGISTRY}/{package}/{version}", timeout=60))
    data = urllib.request.urlopen(meta["dist"]["tarball"], timeout=120).read()
    algo, _, expected = meta["dist"]["integrity"].partition("-")
    if base64.b64encode(hashlib.new(algo, data).digest()).decode() != expected:
        raise SystemExit(f"{package}@{version}: tarball does not match its {algo} integrity")
    target = STATIC / package.split("/")[-1]
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for name in files:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{package}@{version} has no {name}")
            out = target / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(member.read())
    print(f"{package}@{version}: {len(files)} files -> {target.relative_to(STATIC.parent)}")


if __name__ == "__main__":
    for package, version, files in ASSETS:
        fetch(package, version, files)
    sys.exit(0)
