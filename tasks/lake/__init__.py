"""The DuckLake lake: connecting (catalog, extensions, storage), publishing one snapshot per
run (publish, lineage), one writer at a time (lock), time travel (history), upkeep (maintain)."""
