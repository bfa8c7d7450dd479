"""The `vnnews` command: `app` is the Typer application (`vnnews --help`)."""

from vnnews.flows.cli.app import app

__all__ = ["app"]
