"""Comparison benchmark: a seeded generator of multi-outlet stories with recorded changes, a scorer and a baseline."""
