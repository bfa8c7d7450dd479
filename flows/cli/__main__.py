"""`python -m vnnews.flows.cli`: the `vnnews` command without its console script."""

from vnnews.flows.cli.exit import main

if __name__ == "__main__":
    main()
