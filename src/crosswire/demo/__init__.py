"""Bundled fictional demo corpus for crosswire (see ``README.md`` beside it)."""
