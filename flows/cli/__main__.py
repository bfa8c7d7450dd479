"""`python -m vnnews.flows.cli`: the `vnnews` command without its console script."""

from vnnews.flows.cli.app import app

if __name__ == "__main__":
    app()
