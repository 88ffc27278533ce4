"""Disjoint sets (union-find) over hashable items: how the comparison joins pairs into groups — disagreements
into conflicts, statements into assertions, quantities into fact slots, articles into independent sources."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSets(Generic[T]):
    """Union-find with path halving. ``union(a, b)`` hangs b's set under a's root, so the root of a group is the
    item its first union started from (callers rely on it: a derived article rests on its source)."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {x: x for x in items}

    def __contains__(self, x: object) -> bool:
        return x in self._parent

    def find(self, x: T) -> T:
        """The root of ``x``'s set (an unseen item becomes a set of its own)."""
        parent = self._parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> T:
        """Join the sets of ``a`` and ``b``; the root of the joined set (``a``'s)."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[rb] = ra
        return ra
