"""The token layer the rules read: words with lemmas, sentences, and — for Russian — natasha's morphology,
UD syntax and named entities. German and Ukrainian have words and simplemma lemmas only."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from crosswire.nlp.lang import text as tx
from crosswire.nlp.lang.profile import Profile

Span = tuple[int, int]


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    lemma: str
    sent: int  # index into Layer.sentences
    pos: str | None = None  # UD part of speech (Russian)
    gender: str | None = None  # Masc | Fem (Russian morphology)
    head: int | None = None  # index of the syntactic head in Layer.toks (Russian)
    rel: str | None = None  # UD relation to the head (Russian)


@dataclass(frozen=True, slots=True)
class NerSpan:
    start: int
    end: int
    kind: str  # person | org | place
    normal: str  # the nominative form natasha gives ("Путина" → "Путин")


@dataclass(slots=True)
class Layer:
    """Tokens of one run of paragraphs in one language (offsets into the article text)."""

    language: str
    profile: Profile
    paragraphs: list[Span]
    sentences: list[Span] = field(default_factory=list)
    toks: list[Tok] = field(default_factory=list)
    ner: list[NerSpan] = field(default_factory=list)

    def tokens_in(self, start: int, end: int) -> list[int]:
        return [i for i, t in enumerate(self.toks) if start <= t.start and t.end <= end]


def build(text: str, paragraphs: list[Span], profile: Profile) -> Layer:
    if profile.language == "ru":
        return _russian(text, paragraphs, profile)
    layer = Layer(profile.language, profile, paragraphs)
    for a, b in paragraphs:
        for s, e in tx.sentences(text, a, b):
            k = len(layer.sentences)
            layer.sentences.append((s, e))
            layer.toks += [Tok(w.start, w.end, w.text, profile.lemma(w.text), k) for w in tx.words(text, s, e)]
    return layer


@cache
def _natasha():  # type: ignore[no-untyped-def]
    """natasha's models (weights inside the package; about a second to load, once per process)."""
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    return Segmenter(), MorphVocab(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)


NER_KINDS = {"PER": "person", "ORG": "org", "LOC": "place"}


def _russian(text: str, paragraphs: list[Span], profile: Profile) -> Layer:
    from natasha import Doc

    segmenter, vocab, morph, syntax, ner = _natasha()
    layer = Layer("ru", profile, paragraphs)
    for a, b in paragraphs:
        doc = Doc(text[a:b])
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
        base = len(layer.toks)
        ids: dict[str, int] = {}
        for sent in doc.sents:
            k = len(layer.sentences)
            layer.sentences.append((a + sent.start, a + sent.stop))
            for t in sent.tokens:
                t.lemmatize(vocab)
                ids[t.id] = len(layer.toks)
                layer.toks.append(Tok(a + t.start, a + t.stop, t.text, (t.lemma or t.text).lower(), k, t.pos,
                                      (t.feats or {}).get("Gender"), None, t.rel))
        for sent in doc.sents:
            for t in sent.tokens:
                if t.head_id in ids:
                    layer.toks[ids[t.id]].head = ids[t.head_id]
        del base
        for span in doc.spans:
            span.normalize(vocab)
            layer.ner.append(NerSpan(a + span.start, a + span.stop, NER_KINDS.get(span.type, "org"), span.normal or span.text))
    return layer
