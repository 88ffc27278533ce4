"""Thin shells: argv in, text or JSON out."""
