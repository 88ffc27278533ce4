"""The nearest earlier articles by lead embedding, within a window of days: where grouping looks for candidate
stories besides the names an article shares.

Members are kept in buckets by week of their window day (their date, or for an undated article the previous
arrival's). A bucket answers exactly (one matrix product) while it holds at most ``EXACT_MAX`` members and through
an HNSW graph (faiss) beyond. The graph is grown by adding members one at a time in arrival order, so a week
rebuilt from the store is the same graph as one grown live and the answers do not depend on what a process
happened to keep in memory. Similarities are rounded to 6 decimals and ties go to the earlier arrival.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

EXACT_MAX = 4096  # members of one week answered by a matrix product; above, by an HNSW graph
HNSW_M = 32  # graph degree
EF_SEARCH = 96  # breadth of a graph search
NO_DAY = -(1 << 62)
Week = int | None  # a week number (window day // 7), or None: articles before any dated arrival


def week_of(wday: int | None) -> Week:
    return None if wday is None else wday // 7


@cache
def _faiss() -> Any:
    import faiss  # imported lazily: only stores with busy weeks need it

    faiss.omp_set_num_threads(1)  # one thread: adding one vector at a time is deterministic
    return faiss


@dataclass
class Bucket:
    """One week's members: their arrival numbers, article ids, window days and embeddings, in arrival order."""

    dim: int
    seqs: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    wdays: list[int | None] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    days: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # window days (NO_DAY: none)
    graph: Any = None

    def __len__(self) -> int:
        return len(self.seqs)

    def add(self, seq: int, article_id: str, wday: int | None, vector: np.ndarray) -> None:
        """Append a member (members arrive in arrival order)."""
        n = len(self.seqs)
        if self.vectors.shape[0] <= n:
            grown = np.zeros((max(16, 2 * n), self.dim), np.float32)
            if n:
                grown[:n] = self.vectors[:n]
            self.vectors = grown
            days = np.full(grown.shape[0], NO_DAY, np.int64)
            days[:n] = self.days[:n]
            self.days = days
        self.vectors[n] = vector
        self.days[n] = NO_DAY if wday is None else wday
        self.seqs.append(seq)
        self.ids.append(article_id)
        self.wdays.append(wday)
        if self.graph is not None:
            self.graph.add(self.vectors[n : n + 1])
        elif n + 1 > EXACT_MAX:
            faiss = _faiss()
            self.graph = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            self.graph.hnsw.efSearch = EF_SEARCH
            for i in range(n + 1):  # one at a time, in arrival order (a batched add builds another graph)
                self.graph.add(self.vectors[i : i + 1])

    def search(self, query: np.ndarray, k: int, lo: int | None, hi: int | None) -> list[tuple[float, int, str]]:
        """The ``k`` members most similar to ``query`` whose window day lies in [lo, hi] (no bounds: any), as
        (similarity, arrival, article id)."""
        n = len(self.seqs)
        if n == 0:
            return []
        if self.graph is None:
            rows = np.arange(n)
            sims = np.einsum("ij,j->i", self.vectors[:n], query).astype(np.float64)  # one thread: a matmul would
            # wake every BLAS thread for a small product (8x slower on a busy 2-core machine, measured)
        else:
            found_sims, found = self.graph.search(query.reshape(1, -1).astype(np.float32), min(n, 4 * k))
            keep = found[0] >= 0
            rows, sims = found[0][keep].astype(np.int64), found_sims[0][keep].astype(np.float64)
        if lo is not None and hi is not None:
            days = self.days[rows]
            ok = (days == NO_DAY) | ((days >= lo) & (days <= hi))
            rows, sims = rows[ok], sims[ok]
        sims = np.round(sims, 6)
        if len(sims) > k:  # the k-th best similarity, then every member at or above it (ties kept, then ordered)
            kth = np.partition(sims, len(sims) - k)[len(sims) - k]
            top = sims >= kth
            rows, sims = rows[top], sims[top]
        order = np.lexsort((rows, -sims))[:k]  # rows are in arrival order: ties go to the earlier
        return [(float(sims[i]), self.seqs[int(rows[i])], self.ids[int(rows[i])]) for i in order]
