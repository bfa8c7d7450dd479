"""Writers on several machines: a PostgreSQL advisory lock in the catalog's database.

The writer lock file (lock.py) only orders the runs of one data dir. Runs on other machines that
publish to the same PostgreSQL catalog also take this lock, on a session of their own held for
the whole run, so that dedup reads what the previous run published and no two publishes
interleave. PostgreSQL lets the lock go when the session ends, so a run that is killed, or a
machine that is switched off, never leaves the lake locked. The lock is per database: keep one
lake per database.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from vnnews.tasks.lake.lock import POLL_SECONDS, LockTimeout
from vnnews.tasks.settings import PASSWORD

# pg_advisory_lock(int, int): the first key names vnnews ("vnnw"), the second the writer lock.
KEY = (0x766E6E77, 1)
HOLDER = """
    SELECT a.application_name, a.client_addr, a.backend_start FROM pg_locks l
    JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.classid = %s AND l.objid = %s AND l.objsubid = 2
      AND l.granted
      -- advisory locks are per database: a holder in another database holds another lake
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def dsn_of(catalog_uri: str) -> str | None:
    """The libpq connection string of a PostgreSQL catalog; None for any other catalog."""
    kind, _, rest = catalog_uri.partition(":")
    return rest if kind == "postgres" else None


def _holder(con) -> str:
    row = con.execute(HOLDER, KEY).fetchone()
    if row is None:
        return "another vnnews run"
    name, address, since = row
    where = f" from {address}" if address else ""
    return f"{name or 'another vnnews run'}{where} (since {since:%Y-%m-%d %H:%M:%S %Z})"


@contextmanager
def shared_writer_lock(
    catalog_uri: str, run_id: str, timeout: float, log: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the lake's PostgreSQL advisory lock for the block (nothing for other catalogs);
    wait up to `timeout` seconds for it."""
    dsn = dsn_of(catalog_uri)
    if dsn is None:
        yield
        return
    import psycopg

    name = f"vnnews run {run_id} on {socket.gethostname()} pid {os.getpid()}"[:63]
    try:
        con = psycopg.connect(dsn, autocommit=True, application_name=name, connect_timeout=30)
    except psycopg.Error as exc:
        why = PASSWORD.sub(r"\1***", str(exc)).strip()  # never echo a catalog password
        raise LockTimeout(
            f"Could not reach the PostgreSQL catalog to take the writer lock: {why}. "
            "Check VNNEWS_CATALOG."
        ) from None
    with con:
        deadline = time.monotonic() + timeout
        told = False
        while not con.execute("SELECT pg_try_advisory_lock(%s, %s)", KEY).fetchone()[0]:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"{_holder(con)} is writing to this PostgreSQL catalog's lake; gave up after "
                    f"{timeout:.0f} s. Try again when it has finished, or raise "
                    "VNNEWS_LOCK_TIMEOUT."
                )
            if log and not told:
                log(f"{_holder(con)} is writing to this lake; waiting up to {timeout:.0f} s")
                told = True
            time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            with suppress(psycopg.Error):
                con.execute("SELECT pg_advisory_unlock(%s, %s)", KEY)
