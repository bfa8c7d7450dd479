"""Ingest: find the source files (discover), read them (readers, jsonl, encoding) into raw
document rows (ingest), and skip what is already published unchanged (incremental)."""
