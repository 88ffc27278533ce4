"""What a conflict is about, in words: the counted thing and what happened to it ("firefighters injured"), a
qualifier's class ("time restriction"), else the kind."""

from __future__ import annotations

from crosswire.compare.conflicts import Disagreement
from crosswire.compare.docs import Doc
from crosswire.compare.text import load_lexicon, tokens
from crosswire.nlp.quantities import find_quantities

COUNT_SKIP = frozenset({"of", "them", "whom", "more", "other", "than", "the", "a", "an"})
EVENT_WORDS = frozenset("injured hurt wounded killed dead died missing evacuated arrested detained deployed displaced "
                        "rescued affected destroyed damaged burned burning".split())
KIND_LABELS = {"date": "date", "place": "place", "speaker": "who said it", "negation": "whether it is so",
               "escalation": "how grave the event was"}


def conflict_label(doc: Doc, d: Disagreement) -> str:
    """What a conflict is about in words: for a count the counted thing and what happened to it ("firefighters
    injured"), for a qualifier the restriction it makes, else the kind."""
    if d.kind == "qualifier":
        cls = load_lexicon().qualifier_class(d.detail.split("'")[1])
        return {"time": "time restriction", "hedge": "hedge (alleged, reportedly)", "approx": "approximation"}[cls]
    if d.kind != "number":
        return KIND_LABELS.get(d.kind, d.kind)
    s = doc.sentence_at(d.span_a[0])
    end = s.end if s else len(doc.text)
    after = [t.text for t in tokens(doc.text, d.span_a[1], end)[:4] if t.text not in COUNT_SKIP]
    noun = after[0] if after and not after[0][:1].isdigit() else None
    quantity = find_quantities(d.value_a)
    unit = quantity[0].unit if quantity and quantity[0].unit else noun
    words = [t.text for t in tokens(doc.text, s.start if s else 0, end) if t.text in EVENT_WORDS]
    near = min(words, key=lambda w: abs(doc.text.find(w, s.start if s else 0) - d.span_a[0]), default=None)
    return " ".join(w for w in (unit or "figure", near) if w)
