"""The comparison's one union-find: groups, roots and unseen items."""

from __future__ import annotations

from crosswire.compare.disjoint import DisjointSets


def test_union_joins_sets_under_the_first_items_root() -> None:
    sets = DisjointSets(["a", "b", "c", "d", "e"])
    assert sets.union("b", "c") == "b" and sets.union("a", "c") == "a"  # c's set (rooted at b) hangs under a
    assert {x: sets.find(x) for x in "abcde"} == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "e"}
    assert sets.union("c", "b") == "a"  # already one set: nothing changes
    assert "e" in sets and "z" not in sets


def test_unseen_items_become_sets_of_their_own_and_long_chains_stay_correct() -> None:
    sets: DisjointSets[tuple[str, int]] = DisjointSets()
    for i in range(1, 200):
        sets.union(("n", i), ("n", i - 1))  # each new item becomes the root of the chain so far
    assert sets.find(("n", 0)) == ("n", 199) and ("n", 5) in sets
    assert sets.find(("m", 1)) == ("m", 1)
    assert len({sets.find(("n", i)) for i in range(200)}) == 1
