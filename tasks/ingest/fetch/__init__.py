"""Fetching live sources politely and safely: robots.txt, per-host pacing, conditional GET,
retries with backoff, timeouts, byte caps and no private addresses (fetcher.py)."""
