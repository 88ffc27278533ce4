"""Names across scripts: do the spellings of one person or place fold to one key, and no two fold together?

    python bench/cross_script.py

Reads bench/data/cross_script_names.tsv (written by hand: people and places of the seed articles in English,
German, Russian and Ukrainian spellings). Reports the share of same-entity pairs with one key (target >= 0.95),
the false merges (pairs of different entities with one key; target 0) and each miss.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path

from crosswire.nlp.names import fold

DATA = Path(__file__).resolve().parent / "data" / "cross_script_names.tsv"


def main() -> None:
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in DATA.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group, lang, name = line.split("\t")
            groups[group].append((lang, name))
    same = right = 0
    misses = []
    for group, rows in groups.items():
        for (la, a), (lb, b) in combinations(rows, 2):
            same += 1
            if fold(a) == fold(b):
                right += 1
            else:
                misses.append(f"{group}: {a} ({la}) → {fold(a)!r} ≠ {b} ({lb}) → {fold(b)!r}")
    keys: dict[str, set[str]] = defaultdict(set)
    for group, rows in groups.items():
        for _, name in rows:
            keys[fold(name)].add(group)
    merges = {k: g for k, g in keys.items() if len(g) > 1}
    rows_total = sum(len(r) for r in groups.values())
    print(f"entities {len(groups)}, spellings {rows_total}, same-entity pairs {same}")
    print(f"same key: {right}/{same} = {right / same:.3f}")
    print(f"false merges (different entities, one key): {len(merges)} {sorted(merges.items()) if merges else ''}")
    for m in misses:
        print("  miss:", m)


if __name__ == "__main__":
    main()
