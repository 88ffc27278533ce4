"""Bundled fictional demo corpus for crosswire (see ``corpus/README.md``)."""
