"""crosswire: how different news outlets report the same event, fact by fact.

``crosswire.open(path)`` opens a store from Python and ``crosswire.analyse(text)`` analyses one article; both are
described in docs/python.md (imported on first use, so ``import crosswire`` stays instant).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Crosswire", "Records", "__version__", "analyse", "open"]


def __getattr__(name: str) -> Any:
    if name in ("open", "analyse", "Crosswire", "Records"):
        from crosswire import api

        return getattr(api, name)
    raise AttributeError(f"module 'crosswire' has no attribute {name!r}")
