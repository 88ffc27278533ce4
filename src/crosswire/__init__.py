"""crosswire: how different news outlets report the same event, fact by fact."""

__version__ = "0.1.0"
