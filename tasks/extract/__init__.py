"""Extract: entities (entities and its rules, gazetteer), dates, quantities, quotes and
keywords from the tokenised documents (extract)."""
