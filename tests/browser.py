"""A headless Chromium driven over the DevTools protocol on a pipe, with no network.

Chromium runs in an empty network namespace (`unshare --net`, when permitted) and with every
host name resolving to nothing, so a page that still points at a CDN renders unstyled here
exactly as on an air-gapped server. Every URL the page requests is recorded, and `alert()` is
replaced before any page script runs, so an injected `<script>alert(1)</script>` that executes
is caught.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

HOOK = "window.__alerts = []; window.alert = m => window.__alerts.push(String(m));"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _no_network_prefix() -> list[str]:
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=10)
    return ["unshare", "--net"] if probe.returncode == 0 else []


class Browser:
    """`loopback=True` lets pages reach servers on 127.0.0.1 (a Prefect UI under test); every
    host name still resolves to nothing."""

    def __init__(self, loopback: bool = False):
        self.profile = tempfile.mkdtemp(prefix="vnnews-chromium-")
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()
        args = [
            chromium(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND" + (", EXCLUDE 127.0.0.1" if loopback else ""),
            "--proxy-server=http://127.0.0.1:9",
            "about:blank",
        ]

        def child_fds():  # the browser reads commands on fd 3 and writes replies on fd 4
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            ([] if loopback else _no_network_prefix()) + args,
            pass_fds=(3, 4),
            preexec_fn=child_fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._next_id, self.events = b"", 0, []

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._in, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, path: Path | str, settle: float = 1.0) -> Page:
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})
        page = Page(self, session["sessionId"])
        for domain in ("Page", "Network", "Runtime"):
            page.send(f"{domain}.enable")
        page.send("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
        self.events.clear()
        url = path if isinstance(path, str) else path.resolve().as_uri()
        page.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} did not load")
            self.events.append(self._read())
        time.sleep(settle)  # scripts that run after load (bootstrap-table) get to finish
        page.evaluate("1")  # drain the events that came meanwhile
        page.requests = [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        page.dialogs = [e for e in self.events if e.get("method") == "Page.javascriptDialogOpening"]
        return page

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=60)
        os.close(self._out)
        os.close(self._in)
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser: Browser, session: str):
        self.browser, self.session = browser, session
        self.requests: list[str] = []
        self.dialogs: list[dict] = []

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser._send(method, params, self.session)

    def evaluate(self, expression: str):
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def style(self, selector: str, prop: str, pseudo: str | None = None) -> str | None:
        target = f"document.querySelector({json.dumps(selector)})"
        pseudo_arg = json.dumps(pseudo) if pseudo else "null"
        return self.evaluate(
            f"{target} && getComputedStyle({target}, {pseudo_arg}).getPropertyValue({prop!r})"
        )
