"""Text helpers every stage shares: Vietnamese orthography and tone-mark placement."""
