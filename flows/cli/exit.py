"""The `vnnews` console script: the Typer app, then an exit that skips Python's tear-down.

After a run, the interpreter's own shut-down (freeing every module of Prefect, GX, pandas
and the NLP, object by object) takes seconds that a user waits for and nothing needs. So
once the command is done, the threads Python would wait for are joined, the atexit handlers
run (Prefect's and the logging's among them), the output is flushed, and the process ends.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading

from vnnews.flows.cli.app import app


def main() -> None:
    try:
        app()
        code: object = 0
    except SystemExit as done:
        code = done.code
    exit_now(code)


def exit_now(code: object) -> None:
    """Exit as sys.exit(code) would, without freeing the interpreter's objects first."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # sys.exit("message") prints it and exits with 1
        code = 1
    threading._shutdown()  # non-daemon threads, as the interpreter would wait for them
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code or 0)
