"""Tokenise: sentences, words, POS, chunk and NER tags through one underthesea adapter
(adapter, segment, crf), over worker processes (tokenise, parallel)."""
