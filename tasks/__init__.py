"""Pure stage logic of vnnews: functions over Arrow tables, unaware of Prefect."""
