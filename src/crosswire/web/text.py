"""Untrusted text shown in pages: bidirectional isolation.

A title in Hebrew or Arabic, or one carrying a right-to-left override (U+202E), reorders the characters around
it: the outlet and date next to it, or the punctuation of the sentence it sits in. Isolating each untrusted
value keeps its direction inside it. In HTML that is ``<bdi>`` (the value's direction guessed from its own text);
where no markup is allowed (``<title>``, attributes, the Atom feed) it is the Unicode isolate pair FSI … PDI.
Either way the explicit embeddings and overrides inside the value end where the isolate ends.
"""

from __future__ import annotations

from markupsafe import Markup, escape

FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_bidi_controls(text: str) -> bool:
    """Whether ``text`` carries explicit direction marks, embeddings, overrides or isolates."""
    return any(ch in BIDI_CONTROLS for ch in text)


def bdi(value: object) -> Markup:
    """Jinja filter ``|bdi``: the value escaped and wrapped in ``<bdi>``, for untrusted text in HTML content."""
    if value is None or value == "":
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(escape(str(value)))


def isolate(value: object) -> str:
    """Jinja filter ``|isolate``: the value between FSI and PDI, for places without markup (titles, attributes, feeds).

    Autoescaping still applies to the result: this adds two invisible characters, nothing else.
    """
    if value is None or value == "":
        return ""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"
