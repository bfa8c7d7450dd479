"""Validation: what each stage's checks judge (frames, mention_frame), the GX checkpoints
(validate, data_docs), and the verdict that quarantines rows or blocks a run (gate, quarantine)."""
