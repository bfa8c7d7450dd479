"""Prefect wiring of vnnews: flows and the `vnnews` command. Stage logic lives in tasks/."""
