"""Clean: boilerplate out by the rule pack (clean, boilerplate, rules), quality filters with a
reason for every drop (quality), exact and near duplicates (dedup)."""
