"""Real source articles for the comparison benchmark: ECB+ and NewsWCL50 docs.jsonl, cleaned and split into sentences."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
LEXICON_PATH = Path(__file__).with_name("lexicon.json")
DATASETS = {"ecbplus": "ecbplus-docs/docs.jsonl", "newswcl50": "newswcl50/docs.jsonl"}


@dataclass(frozen=True, slots=True)
class SourceArticle:
    """One real article: dataset, id, event cluster, title and body paragraphs (each a tuple of sentences)."""

    dataset: str
    doc_id: str
    cluster: str
    title: str
    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for p in self.paragraphs for s in p)


@cache
def load_lexicon() -> dict:
    """The generator's word lists (places, qualifiers, synonyms, units, boilerplate), read once."""
    return json.loads(LEXICON_PATH.read_text("utf-8"))


def detokenise(text: str) -> str:
    """Undo the CoNLL tokenisation of NewsWCL50 ("Kim Jong - un", '" high levels, "', "Trump 's")."""
    text = re.sub(r"(\w) - (\w)", r"\1-\2", text)
    text = re.sub(r" (['’](?:s|re|ve|ll|d|m)\b|n't\b)", r"\1", text)
    text = re.sub(r" ([,.;:!?%)])", r"\1", text)
    text = re.sub(r"([($]) ", r"\1", text)
    parts = text.split('"')  # pair straight quotes: even parts are outside, odd parts inside a quotation
    return "".join(p if i % 2 == 0 else f'"{p.strip()}"' for i, p in enumerate(parts)) if len(parts) % 2 == 1 else text


def _ecb_spacing(text: str) -> str:
    """Undo the spaces ECB+ puts around curly quotes and apostrophes ("can ’ t", "“ We met", "words :")."""
    text = re.sub(r"(\w) ?’ ?(s|t|ll|re|ve|d|m)\b", r"\1’\2", text)
    text = re.sub(r"(\w) (n't|'s)\b", r"\1\2", text)
    text = re.sub(r"\b(\d{1,2}): (\d\d)\b", r"\1:\2", text)  # "2: 18 p. m."
    text = re.sub(r"“ ", "“", text)
    text = re.sub(r" ”", "”", text)
    text = re.sub(r"\$ (?=\d)", "$", text)
    text = re.sub(r"\b(\d{1,3}), (\d{3})\b", r"\1,\2", text)  # "50, 000 people"
    return re.sub(r" ([,.;:!?])(?=\s|$)", r"\1", text)


def split_sentences(text: str) -> tuple[str, ...]:
    """Split a paragraph at . ! ? followed by a capital or a quote, keeping abbreviations and initials together."""
    abbreviations = set(load_lexicon()["abbreviations"])
    out, start = [], 0
    for m in re.finditer(r"[.!?][\"”’']?\s+(?=[\"“A-Z])", text):
        before = text[start : m.start()].split()
        last = before[-1] if before else ""
        if last.rstrip(".") in abbreviations or re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]", last):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return _join_quotations([s for s in out if s])


def _open_quote(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def _join_quotations(sentences: list[str]) -> tuple[str, ...]:
    """Keep a quotation of several sentences in one unit, so that reordering never moves text into a quote."""
    out: list[str] = []
    for s in sentences:
        if out and _open_quote(out[-1]):
            out[-1] = f"{out[-1]} {s}"
        else:
            out.append(s)
    return tuple(out)


def _paragraphs(raw: str, dataset: str) -> tuple[tuple[str, ...], ...]:
    if dataset == "newswcl50":  # " \n" + newline ends a paragraph; a bare newline separates CoNLL sentences
        chunks = [detokenise(" ".join(p.split())) for p in raw.split("\\n")]
    else:  # ECB+ closes quotes with two apostrophes ("American Pie '')
        chunks = [_ecb_spacing(re.sub(r"\s*''|' '", '"', " ".join(p.split()))) for p in raw.split("\n")]
    return tuple(split_sentences(c) for c in chunks if c.strip())


def read_articles(data_dir: Path = DEFAULT_DATA) -> list[SourceArticle]:
    """All articles of both datasets in file order (ECB+ first); the title is kept apart from the body."""
    articles = []
    for dataset, rel in DATASETS.items():
        path = data_dir / rel
        if not path.exists():
            continue
        for line in path.read_text("utf-8").splitlines():
            doc = json.loads(line)
            paragraphs = _paragraphs(doc.get("text") or "", dataset)
            title = doc.get("title") or ""
            if dataset == "newswcl50" and paragraphs:  # its "title" is the dateline or first sentence, not a headline
                title = paragraphs[0][0][:120]
            articles.append(SourceArticle(dataset, doc["id"], f"{dataset}:{doc['cluster']}", title, paragraphs))
    return articles
