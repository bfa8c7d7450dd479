"""`vnnews` with its publish held open at a named point, uncommitted, for the crash and
concurrency tests: python -m tests.paused_run POINT SECONDS -- <vnnews arguments>.
With VNNEWS_TEST_RELEASE naming a file, the pause ends as soon as that file exists: a test
that waits for another process can then hold the publish open for as long as that takes.

The pause is injected through `publish(reached=...)`; the production code has no hook."""

import functools
import os
import sys
import time
from pathlib import Path

from vnnews.flows.cli import app
from vnnews.tasks.lake import publish

PAUSED = "vnnews: publish paused at"


def pause_at(point: str, seconds: float, reached: str) -> None:
    if reached == point and seconds:
        print(f"{PAUSED} {point}", file=sys.stderr, flush=True)
        release = os.environ.get("VNNEWS_TEST_RELEASE")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (release and Path(release).exists()):
            time.sleep(0.1)


if __name__ == "__main__":
    point, seconds, _, *arguments = sys.argv[1:]
    hold = functools.partial(pause_at, point, float(seconds))
    publish.publish = functools.partial(publish.publish, reached=hold)
    app(arguments)
