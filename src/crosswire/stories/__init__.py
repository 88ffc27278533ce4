"""Corpus-level stages: grouping articles into stories (and, later, comparing them)."""
