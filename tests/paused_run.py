"""`vnnews` with its publish held open at a named point, uncommitted, for the crash and
concurrency tests: python -m tests.paused_run POINT SECONDS -- <vnnews arguments>.

The pause is injected through `publish(reached=...)`; the production code has no hook."""

import functools
import sys
import time

from vnnews.flows.cli import app
from vnnews.tasks.lake import publish

PAUSED = "vnnews: publish paused at"


def pause_at(point: str, seconds: float, reached: str) -> None:
    if reached == point and seconds:
        print(f"{PAUSED} {point}", file=sys.stderr, flush=True)
        time.sleep(seconds)


if __name__ == "__main__":
    point, seconds, _, *arguments = sys.argv[1:]
    hold = functools.partial(pause_at, point, float(seconds))
    publish.publish = functools.partial(publish.publish, reached=hold)
    app(arguments)
