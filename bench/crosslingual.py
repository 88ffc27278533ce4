"""Cross-lingual alignment: German and Russian reports of the demo's statements align with the English ones.

    python bench/crosslingual.py

The English side is the demo's a1_nordwire.txt (analysed by the English pipeline); the other side is
bench/data/crosslingual/{de,ru}.txt, written for crosswire (translations of a1's statements, plus one statement per
language that a1 does not carry). The three articles are compared as one story (compare.statements); a translated
statement is right when it lands in the aligned group of its English counterpart (as the variant or a repeat), and
the extra statement is right when it joins no English group. Target: >= 0.9 right, no wrong alignment.
"""

from __future__ import annotations

from pathlib import Path

from crosswire.compare.docs import Doc
from crosswire.compare.statements import align_statements
from crosswire.demo import __file__ as demo_init
from crosswire.nlp.analyse import analyse_texts
from crosswire.nlp.lang import analyse_article

DATA = Path(__file__).resolve().parent / "data" / "crosslingual"
ENGLISH = Path(demo_init).parent / "corpus" / "a1_nordwire.txt"


def main() -> None:
    en_text = ENGLISH.read_text("utf-8")
    [en] = analyse_texts([en_text])
    docs = {"en": Doc("en", en_text, outlet="nordwire", published="2024-09-12", language="en", analysis=en)}
    for lang in ("de", "ru"):
        text = (DATA / f"{lang}.txt").read_text("utf-8")
        docs[lang] = Doc(lang, text, outlet=lang, published="2024-09-13", language=lang,
                         analysis=analyse_article(lang, text, lang, "2024-09-13"))
    groups = align_statements(list(docs.values()))
    where: dict[tuple[str, int], int] = {}  # (doc, char offset) → group index
    for g, a in enumerate(groups):
        for v in a.variants:
            for s, _ in v.content:
                where[(v.article_id, s)] = g
            for r in v.repeats:
                where[(v.article_id, r.span[0])] = g
    right = total = wrong = 0
    for line in (DATA / "gold.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, piece, english = line.split("\t")
        total += 1
        text = docs[lang].text
        at = text.index(piece)
        group = next((g for (d, s), g in where.items() if d == lang and _statement_holds(docs[lang], s, at)), None)
        if english == "-":
            ok = group is None or all(v.article_id != "en" for v in groups[group].variants)
        else:
            en_at = en_text.index(english)
            ok = group is not None and any(v.article_id == "en" and _holds(v, en_at) for v in groups[group].variants)
            wrong += group is not None and not ok and any(v.article_id == "en" for v in groups[group].variants)
        right += ok
        print(f"{'ok  ' if ok else 'MISS'} {lang} {piece!r} → {english!r}")
    print(f"aligned right: {right}/{total} = {right / total:.3f}; wrong alignments: {wrong}")


def _statement_holds(doc: Doc, start: int, at: int) -> bool:
    st = next((s for s in doc.analysis.statements if s.content[0][0] == start), None) if doc.analysis else None
    return st is not None and any(a <= at < b for a, b in st.content)


def _holds(v: object, at: int) -> bool:
    return any(a <= at < b for a, b in v.content) or any(r.span[0] <= at < r.span[1] for r in v.repeats)


if __name__ == "__main__":
    main()
