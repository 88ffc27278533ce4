"""Who said what in German, Russian and Ukrainian: quotation marks, cue lemmas and the nearest name.

Per paragraph, in order:

1. **Direct quotes** (every quotation style, and Russian/Ukrainian dialogue after a dash) whose frame holds a cue:
   after the quote (``„…“, sagte Kovel.``, ``«…», — заявил Песков.``, ``„…“, so Reyk.``) or before it with a colon
   (``Kovel sagte: „…“``); a quote around its frame (``„A“, sagte er, „B“``) is one statement of two spans. A
   whole-sentence quote with no frame right after another statement continues it (``quote:inherited``).
2. **Reported speech**: a source construction (``laut X``, ``X zufolge``, ``nach Angaben X``, ``по словам X``,
   ``за словами X``, ``Wie X mitteilte,``), a cue after the content (``…, sagte Kovel.``, ``…, заявил он.``) or a
   cue before its complement (``Kovel sagte, man …``, ``Путин заявил, что …``).

The speaker is natasha's subject of the cue verb (Russian), else the nearest name in the frame (after the cue when
the frame follows the quote, before it otherwise), else a pronoun resolved to the nearest earlier person whose
gender fits, else the noun phrase of the frame (``die Polizei``) without an entity.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from crosswire.model import Statement, StatementClass, StatementKind
from crosswire.nlp.lang import text as tx
from crosswire.nlp.lang.entities import NameMention, gender_of_word
from crosswire.nlp.lang.tokens import Layer
from crosswire.nlp.names import fold

Span = tuple[int, int]
MIN_QUOTE_WORDS = 3  # shorter quotes with no cue are names, titles or scare quotes ("sogenannte „Spezialoperation“")
INHERIT_SHARE = 0.7  # a frameless quote filling 70 % of its sentence continues the statement before it
MAX_SPEAKER_DISTANCE = 10  # words between a cue and its speaker in the frame
NEGATIONS = {"de": {"nicht", "kein", "keine", "keinen", "keiner", "keinem", "keines", "nie", "niemals", "nichts"},
             "ru": {"не", "нет", "ни", "никогда", "ничего"}, "uk": {"не", "ні", "немає", "ніколи", "нічого"}}
MODALS = {"de": {"könnte": "could", "könnten": "could", "würde": "would", "würden": "would", "dürfte": "may",
                 "möglicherweise": "may", "vielleicht": "may", "wahrscheinlich": "hedged", "soll": "reportedly",
                 "sollen": "reportedly", "wohl": "hedged", "wenn": "conditional", "falls": "conditional"},
          "ru": {"может": "may", "могут": "may", "мог": "could", "могли": "could", "бы": "would", "возможно": "may",
                 "вероятно": "hedged", "если": "conditional"},
          "uk": {"може": "may", "можуть": "may", "міг": "could", "могли": "could", "би": "would", "б": "would",
                 "можливо": "may", "ймовірно": "hedged", "якщо": "conditional"}}
PREPOSITIONS_DE = frozenset("""in im am an auf aus bei beim mit nach seit von vom vor zu zum zur über unter für gegen
    gegenüber während wegen durch um ohne bis ab""".split())
NOT_SPEAKERS_DE = frozenset("""uhr jahr jahre jahren prozent woche wochen tag tage tagen monat monate monaten
    morgen abend nacht mittag mitte anfang ende zudem unterdessen außerdem daher deshalb dennoch jedoch inzwischen
    bisher damals später zuvor danach dabei allerdings zunächst schließlich gleichzeitig indes mittlerweile bereits
    trotzdem nun hier dort dazu darauf darüber""".split())  # time, measure and sentence adverbs: never a speaker
OBJECT_DETERMINERS_DE = frozenset("den dem diesen diesem einen einem jenen ihren seinen ihrem seinem".split())
ARTICLES = frozenset({"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem"})
INFINITIVE = re.compile(r"\bzu\s+\w+en\W*$|\w+zu\w+en\W*$")  # "… zu entsenden", "… auszunutzen" closing the clause
AUXILIARIES = {"de": frozenset("hat hatte habe hätte haben hatten ist war sei wurde wird".split())}
REFERRING = {"de": ("demnach", "demzufolge"), "ru": ("согласно ему",), "uk": ()}  # "Demnach sei …"
ANAPHORS = {"de": ("das", "dies", "dieses", "so"), "ru": ("это", "об этом"), "uk": ("це", "про це")}
ANAPHORIC_MAX_WORDS = 14  # "Das teilte Feuerwehrsprecher Axel Stüken am Montag mit." — a frame, not a statement
CONTINUATION_MAX_GAP = 400  # characters between reported speech and a Konjunktiv sentence that continues it
CLAUSE_END = re.compile(r"[,;:()–—]")


@dataclass(frozen=True, slots=True)
class Who:
    name: str
    entity: str | None
    span: Span
    role: str | None = None
    resolved_from: Span | None = None
    via: str = "name"  # name | pronoun | mention | syntax | inherited


@dataclass(frozen=True, slots=True)
class Cue:
    span: Span
    text: str
    klass: str  # speech | stance
    tok: int | None  # token index of the verb (None for a construction)


class Finder:
    def __init__(self, text: str, layer: Layer, names: list[NameMention], article_id: str) -> None:
        self.text, self.layer, self.names, self.article_id = text, layer, names, article_id
        self.p = layer.profile
        self.out: list[Statement] = []
        self.used: list[Span] = []  # text already in a statement's content or frame
        self.last: tuple[Statement, Who | None, int] | None = None  # previous statement, its speaker, its paragraph

    # ---- entry -------------------------------------------------------------------------------------------
    def run(self) -> list[Statement]:
        for k, (a, b) in enumerate(self.layer.paragraphs):
            self._paragraph(k, a, b)
        return sorted(self.out, key=lambda s: s.content[0])

    def _paragraph(self, k: int, a: int, b: int) -> None:
        dialogue = tx.dash_quotes(self.text, a, b) if self.layer.language in ("ru", "uk") else []
        if dialogue:
            self._dialogue(k, dialogue)
        for q in tx.quotes(self.text, a, b):
            self._direct(k, q, a, b)
        for s, e in self.layer.sentences:
            if a <= s and e <= b and not self._covered(s, e) and not any(s <= x < e for x, _ in self.used):
                if not self._reported(k, s, e):
                    self._continued(k, s, e)

    # ---- direct ------------------------------------------------------------------------------------------
    def _direct(self, k: int, q: tx.Quote, pa: int, pb: int) -> None:
        c0, c1 = q.content
        if self._covered(c0, c1):
            return
        sent = self._sentence_of(q.open)
        tail = (q.close + 1, self._sentence_of(q.close)[1])
        head = (sent[0], q.open)
        nwords = len(tx.words(self.text, c0, c1))
        if q.open > sent[0] and self._labelled(k, q, sent):
            return
        if nwords < MIN_QUOTE_WORDS and q.open > sent[0]:
            return  # "in der Zeitung «Маарив»", "als «Provokation»": a short quote inside a sentence is a name or a label
        found = self._tail_frame(tail)
        if found:
            cue, who, frame_end = found
            spans = [q.content]
            nxt = next((q2 for q2 in tx.quotes(self.text, frame_end, pb) if self.text[frame_end : q2.open].strip(" ,") == ""), None)
            if nxt is not None:
                spans.append(nxt.content)
            self._add(k, spans, cue, who, "quote:frame-after")
            return
        before = self.text[head[0] : head[1]].rstrip()
        if before.endswith(":"):
            lead = self._cue_in(head[0], head[1])
            if lead is not None:
                who = self._speaker(head[0], head[1], lead, prefer="before")
                self._add(k, [q.content], lead, who, "quote:frame-before")
                return
        if nwords >= MIN_QUOTE_WORDS and (c1 - c0) >= INHERIT_SHARE * (sent[1] - sent[0]) and self.last is not None:
            prev, who, pk = self.last
            if pk >= k - 1 and who is not None:
                inherited = Who(who.name, who.entity, who.span, who.role, who.resolved_from, "inherited")
                self._add(k, [q.content], None, inherited, "quote:inherited", speaker_span=prev.speaker_span)

    def _labelled(self, k: int, q: tx.Quote, sent: Span) -> bool:
        """``Edathy bezeichnete die Erweiterung als „maßvoll“``, ``он назвал это «большим грехом»``: a quoted label
        whose clause has a labelling verb — the quote is the speaker's word."""
        clause = self._clause_start(sent[0], q.open)
        for i in self.layer.tokens_in(clause if clause > sent[0] else sent[0], q.open):
            t = self.layer.toks[i]
            if t.text.lower() in self.p.labelling or t.lemma in self.p.labelling:
                cue = Cue((t.start, t.end), t.text, "speech", i)
                who = self._speaker(sent[0], q.open, cue, prefer="nearest")
                if who is None:
                    return False
                self._add(k, [q.content], cue, who, "quote:label", kind=StatementKind.DIRECT)
                return True
        return False

    def _tail_frame(self, tail: Span) -> tuple[Cue, Who | None, int] | None:
        """``, sagte Kovel.`` / ``, — заявил Песков.`` / ``, so Reyk.`` right after a closing quote mark."""
        a, b = tail
        m = re.match(r"\s*[,—–]\s*[—–-]?\s*", self.text[a:b])
        if m is None:
            return None  # no comma or dash after the quote: the quote is part of the sentence, not framed by it
        start = a + m.end()
        toks = self.layer.tokens_in(start, b)[:4]
        for i in toks:
            t = self.layer.toks[i]
            cue = self._cue_at(i, b, inverted=i == toks[0])
            if cue is not None:
                end = self._clause_end(max(t.end, cue.span[1]), b) if cue.span[1] > t.end else self._clause_end(t.end, b)
                end = max(end, cue.span[1])
                who = self._speaker(t.start, end, cue, prefer="after")
                return cue, who, end
        return None

    def _dialogue(self, k: int, parts: list[tuple[tx.Quote, Span | None]]) -> None:
        who: Who | None = None
        cue: Cue | None = None
        for _q, frame in parts:
            if frame is not None and who is None:
                cue = self._cue_in(*frame)
                if cue is not None:
                    who = self._speaker(frame[0], frame[1], cue, prefer="after")
        if cue is None:
            return
        for q, _ in parts:
            if len(tx.words(self.text, *q.content)) >= 1:
                self._add(k, [q.content], cue, who, "dialogue:dash", kind=StatementKind.DIRECT)

    # ---- reported ----------------------------------------------------------------------------------------
    def _reported(self, k: int, s: int, e: int) -> bool:
        """One rule per sentence, the most specific first; True when one fired."""
        end = e - 1 if self.text[e - 1] in ".!?…" else e
        toks = self.layer.tokens_in(s, e)
        if not toks:
            return False
        return (self._source_before(k, s, end) or self._source_after(k, s, end) or self._as_clause(k, s, end, toks)
                or self._as_clause_after(k, s, end) or self._demnach(k, s, end, toks)
                or self._anaphoric(k, s, end, toks) or self._cue_after_content(k, s, end, toks)
                or self._cue_before_complement(k, s, end, toks))

    def _source_before(self, k: int, s: int, end: int) -> bool:
        """``Laut X, …``, ``По словам X, …``, ``Nach Angaben der Feuerwehr brannten …``, ``Heute wurden nach
        Armeeangaben 40 Ziele angegriffen`` (the content is the sentence around the source phrase)."""
        low = self.text[s:end].lower()
        found = [(m.start(1), m.end(1), phrase) for phrase in self.p.before_source
                 for m in [re.search(rf"(?:^|[\s,(])({re.escape(phrase)})\s", low)] if m]
        found += [(m.start(), m.end(), "pattern") for pat in self.p.source_patterns for m in [re.search(pat, low)] if m]
        for m0, m1, phrase in sorted(found):
            p0 = s + m0
            if m0 > 3 and self._cue_in(s, p0) is not None:
                continue  # "Полиция сообщила, что …, где, по словам полиции, …": the verb's statement, nested source
            src_end = self._source_np_end(s + m1, end) if phrase != "pattern" or self.text[s + m1 : s + m1 + 1] != " " \
                else self._source_np_end(s + m1, end) or s + m1
            if phrase == "pattern":
                src_end = self._source_np_end(s + m1, end) if self._starts_np(s + m1, end) else s + m1
            if src_end is None:
                continue
            klass = "stance" if phrase in self.p.stance_constructions else "speech"
            cue = Cue((p0, s + m1), self.text[p0 : s + m1], klass, None)
            who = self._speaker(p0, src_end, cue, prefer="after")
            if who is None and self.layer.language != "de" and src_end - (s + m1) < 60:
                a0 = self._skip_punct(s + m1, src_end)
                if src_end > a0:  # "по словам организаторов", "за даними джерел у Міноборони"
                    who = Who(self.text[a0:src_end], None, (a0, src_end), via="mention")
            if who is None and phrase == "pattern":  # "nach Unternehmensangaben": the compound names the source
                last = self.layer.tokens_in(p0, s + m1)[-1:]
                if last:
                    t = self.layer.toks[last[0]]
                    who = Who(t.text, None, (t.start, t.end), via="mention")
            spans = [(s, self._rstrip(s, p0)), (self._skip_punct(src_end, end), end)]
            spans = [(a, b) for a, b in spans if b - a > 3]
            if sum(b - a for a, b in spans) > 10:
                self._add(k, spans, cue, who, f"source:{phrase}")
                return True
        return False

    def _starts_np(self, a: int, end: int) -> bool:
        nxt = self.layer.tokens_in(a, end)[:1]
        return bool(nxt) and self.layer.toks[nxt[0]].text.lower() in ARTICLES | {"von", "vom", "des", "der"}

    def _source_after(self, k: int, s: int, end: int) -> bool:
        """``Der Polizei zufolge wurden …``."""
        low = self.text[s:end].lower()
        for phrase in self.p.after_source:
            m = re.search(rf"\s({re.escape(phrase)})[\s,]", low)
            if m:
                p0 = s + m.start(1)
                cue = Cue((p0, s + m.end(1)), self.text[p0 : s + m.end(1)], "speech", None)
                before = self.layer.tokens_in(s, p0)[-1:]
                if not before:
                    continue
                t = self.layer.toks[before[0]]  # "Berichten zufolge", "der Polizei zufolge": the noun right before
                who = Who(t.text, None, (t.start, t.end), via="mention")
                if self.layer.language == "de":
                    who = self._as_phrase(who, cue)
                named = next((m2 for m2 in self.names if who.span[0] <= m2.span[0] < who.span[1]), None)
                if named is not None:
                    w = self._who(named)
                    who = Who(w.name, w.entity, who.span, w.role, via=w.via)
                src0 = who.span[0]
                spans = [(s, self._rstrip(s, src0)), (self._skip_punct(s + m.end(1), end), end)]
                spans = [(a, b) for a, b in spans if b - a > 3]
                if sum(b - a for a, b in spans) > 10:
                    self._add(k, spans, cue, who, f"source:{phrase}")
                    return True
        return False

    def _as_clause(self, k: int, s: int, end: int, toks: list[int]) -> bool:
        """``Wie die Polizei mitteilte, …``, ``Как сообщил X, …``."""
        first = self.layer.toks[toks[0]]
        comma = self.text.find(",", s, end)
        if first.text.lower() not in self.p.as_clause or comma < 0:
            return False
        cue = self._cue_in(s, comma)
        if cue is None:
            return False
        who = self._speaker(first.end, comma, cue, prefer="nearest")
        self._add(k, [(self._skip_punct(comma + 1, end), end)], cue, who, "as-clause")
        return True

    def _as_clause_after(self, k: int, s: int, end: int) -> bool:
        """``…, wie EADS gestern mitteilte.``, ``…, как сообщил губернатор.``: the as-clause closes the sentence."""
        for word in self.p.as_clause:
            found = list(re.finditer(rf",\s+({re.escape(word)})\s", self.text[s:end], re.IGNORECASE))
            m = found[-1] if found else None
            if m is None or m.start() < 10:
                continue
            a = s + m.start(1)
            cue = self._cue_in(a, end)
            if cue is None:
                continue
            who = self._speaker(a, end, cue, prefer="nearest")
            self._add(k, [(s, self._rstrip(s, s + m.start()))], cue, who, "as-clause:after")
            return True
        return False

    def _demnach(self, k: int, s: int, end: int, toks: list[int]) -> bool:
        """``Demnach hat der Sohn …``, ``Der Abzug soll demnach …``: the source named before goes on speaking; the
        mention is the adverb itself (the speaker, when the statement before has one, is its speaker)."""
        ref = next((i for i in toks if self.layer.toks[i].text.lower() in REFERRING.get(self.layer.language, ())), None)
        if ref is None or self.last is None:
            return False
        prev, who, pk = self.last
        if pk < k - 1:
            return False
        t = self.layer.toks[ref]
        spans = [(s, self._rstrip(s, t.start)), (self._skip_punct(t.end, end), end)]
        spans = [(a, b) for a, b in spans if b - a > 3]
        cue = Cue((t.start, t.end), t.text, "speech", None)
        inherited = Who(who.name, who.entity, (t.start, t.end), who.role, who.resolved_from, "inherited") if who else \
            Who(t.text, None, (t.start, t.end), via="unresolved")
        self._add(k, spans, cue, inherited, "source:referring")
        return True

    def _anaphoric(self, k: int, s: int, end: int, toks: list[int]) -> bool:
        """``Das teilte Feuerwehrsprecher Axel Stüken mit.``: the sentence before is the content."""
        first = self.layer.toks[toks[0]].text.lower()
        if first not in ANAPHORS.get(self.layer.language, ()) or len(toks) > ANAPHORIC_MAX_WORDS or len(toks) < 2:
            return False
        cue = self._cue_at(toks[1], end)
        i = next((n for n, x in enumerate(self.layer.sentences) if x[0] == s), None)
        if cue is None or not i:
            return False
        prev = self.layer.sentences[i - 1]
        if self._covered(*prev) or not any(a <= prev[0] < b for a, b in self.layer.paragraphs if a <= s < b) and \
                self.text[prev[1] : s].count("\n") > 2:
            return False
        who = self._speaker(cue.span[0], end, cue, prefer="after")
        pe = prev[1] - 1 if self.text[prev[1] - 1] in ".!?…" else prev[1]
        self._add(k, [(prev[0], pe)], cue, who, "verb:anaphoric")
        return True

    def _cue_after_content(self, k: int, s: int, end: int, toks: list[int]) -> bool:
        """``…, sagte Kovel.``, ``…, заявил он.``, ``…, hieß es.``: the cue opens the last clause."""
        body = self.text[s:end]
        last_comma = max(body.rfind(", "), body.rfind(",\u00a0"))
        if last_comma <= 10:
            return False
        tail = [i for i in toks if self.layer.toks[i].start >= s + last_comma + 1]
        lead = tail[:2]
        if lead and self.layer.toks[lead[0]].text.lower() in AUXILIARIES.get(self.layer.language, ()) and len(tail) > 2:
            lead = [tail[-1]]  # "…, hatte Obama bei dem Treffen gesagt.": the participle closes the clause
        for i in lead:
            t = self.layer.toks[i]
            cue = self._cue_at(i, end, inverted=i == lead[0])
            if cue is not None and not self._inside_quote(t.start):
                who = self._speaker(t.start, end, cue, prefer="after")
                self._add(k, [(s, self._rstrip(s, s + last_comma))], cue, who, "verb:after-content")
                return True
        return False

    def _cue_before_complement(self, k: int, s: int, end: int, toks: list[int]) -> bool:
        """``Kovel sagte, man …``, ``X teilte mit, dass …``, ``Путин заявил, что …``."""
        for i in toks:
            t = self.layer.toks[i]
            found = self._cue_at(i, end)
            if found is None or self._inside_quote(t.start):
                continue
            rest = self.text[found.span[1] : end]
            m = re.match(r"([^\S\n]+[^\s,:;]+){0,6}?\s*([,:])\s*", rest)
            if not m:
                continue
            c0 = found.span[1] + m.end()
            comp = re.match(r"(\w+)[\s,]+", self.text[c0:end])
            if comp is not None and comp.group(1).lower() in self.p.complementizers:
                c0 += comp.end()
            elif m.group(2) == "," and self.layer.language != "de":
                continue  # Russian and Ukrainian report with "что"/"що"; a bare comma is something else
            elif m.group(2) == "," and not self._subjunctive(c0, end) and not INFINITIVE.search(self.text[c0:end]):
                continue  # German reported speech without "dass" is in the Konjunktiv ("sagte, man schließe …") or an
                # infinitive ("forderte die Regierung auf, die Sanktionen zu verschärfen")
            who = self._speaker(self._clause_start(s, t.start), c0, found, prefer="nearest")
            if end - c0 > 10:
                self._add(k, [(c0, end)], found, who, "verb:complement")
                return True
        return False

    def _subjunctive(self, a: int, b: int) -> bool:
        """A German Konjunktiv form in ``[a, b)``: a listed one, or a lower-case verb one letter short of its
        infinitive (``resultiere``, ``liege``, ``entbehre``)."""
        if not self.p.subjunctive:
            return False
        for i in self.layer.tokens_in(a, b):
            t = self.layer.toks[i]
            low = t.text.lower()
            if low in self.p.subjunctive or (t.text[:1].islower() and len(low) >= 4 and low.endswith("e")
                                             and t.lemma.endswith("en") and t.lemma[:-1] == low):
                return True
        return False

    def _continued(self, k: int, s: int, e: int) -> bool:
        """A German sentence in the Konjunktiv right after reported speech goes on reporting it (free indirect
        speech): ``Kovel sagte, man schließe nichts aus. Der Fluss werde alle sechs Stunden beprobt.``"""
        if self.last is None or not self.p.subjunctive:
            return False
        prev, who, pk = self.last
        if pk < k - 1 or prev.class_ is not StatementClass.SPEECH:
            return False
        gap = self.text[max(b for _, b in prev.content) : s]
        if len(gap) > CONTINUATION_MAX_GAP or not self._subjunctive(s, e) or self.p.cue_class(self.text[s:e].split()[0]):
            return False
        end = e - 1 if self.text[e - 1] in ".!?…" else e
        inherited = Who(who.name, who.entity, who.span, who.role, who.resolved_from, "inherited") if who else None
        self._add(k, [(s, end)], None, inherited, "subjunctive:continued", speaker_span=prev.speaker_span)
        return True

    # ---- cues and speakers ---------------------------------------------------------------------------------
    def _cue_in(self, a: int, b: int) -> Cue | None:
        for i in self.layer.tokens_in(a, b):
            cue = self._cue_at(i, b)
            if cue is not None:
                return cue
        return None

    def _cue_at(self, i: int, limit: int, inverted: bool = False) -> Cue | None:
        """The cue at token ``i``: a cue verb, a separable verb with its particle before ``limit`` (``teilte … mit``),
        or (``inverted``) the German ``so`` of ``…, so Kovel``."""
        t = self.layer.toks[i]
        low = t.text.lower()
        if self.layer.language == "de" and t.text[:1].isupper() and i > 0 and self.layer.toks[i - 1].sent == t.sent:
            return None  # a capitalised German word inside a sentence is a noun ("Teil", "Erkenntnisse"), not a verb
        particles = self.p.separable.get(low) or self.p.separable.get(t.lemma)
        if particles:
            clause_end = self._clause_end(t.end, limit)
            for j in self.layer.tokens_in(t.end, clause_end):
                if self.layer.toks[j].text.lower() in particles:
                    p = self.layer.toks[j]
                    return Cue((t.start, p.end), f"{t.text} … {p.text}", "speech", i)
        klass = self.p.cue_class(t.text) or ("speech" if inverted and low in self.p.inverted else None)
        return Cue((t.start, t.end), t.text, klass, i) if klass else None

    def _speaker(self, a: int, b: int, cue: Cue, prefer: str) -> Who | None:
        syntax = self._syntax_subject(cue) if self.layer.language == "ru" else None
        if syntax is not None:
            return syntax
        at = cue.span[0]
        cands: list[tuple[int, Who]] = []
        for m in self.names:
            kind = m.cluster.kind if m.cluster else m.kind
            if a <= m.span[0] and m.span[1] <= b and not _on_cue(m.span[0], cue) and kind != "place":
                cands.append((m.span[0], self._who(m)))
        for i in self.layer.tokens_in(a, b):
            t = self.layer.toks[i]
            if t.text.lower() in self.p.masculine | self.p.feminine:
                w = self._pronoun(t.start, t.end, "f" if t.text.lower() in self.p.feminine else "m")
                cands.append((t.start, w or Who(t.text, None, (t.start, t.end), via="unresolved")))
        if self.layer.language == "de":
            taken = {p for p, _ in cands}
            for i in self.layer.tokens_in(a, b):
                t = self.layer.toks[i]
                if t.start not in taken and self._np_head(i) and not _on_cue(t.start, cue):
                    cands.append((t.start, Who(t.text, None, (t.start, t.end), via="mention")))
        after = sorted((c for c in cands if c[0] >= _verb_end(cue)), key=lambda c: c[0])
        before = sorted((c for c in cands if c[0] < at), key=lambda c: -c[0])
        order = {"after": after + before, "before": before + after}.get(prefer) or sorted(cands, key=lambda c: abs(c[0] - at))
        if prefer == "nearest" and self.layer.language == "de":
            clause = self._skip_punct(self._clause_start(a, at), at)
            opening = [c for c in before if self._opens_clause(clause, c[0])]  # "Der Minister sagte …": its subject
            order = opening + after + [c for c in before if c not in opening]
        for pos, who in order:
            if len(tx.words(self.text, min(pos, at), max(pos, _verb_end(cue)))) <= MAX_SPEAKER_DISTANCE + 1:
                if self.layer.language == "de" and who.via != "pronoun" and who.via != "unresolved":
                    who = self._as_phrase(who, cue)
                self._speaks(who)
                return who
        return self._noun_phrase(a, b, cue, prefer)

    def _opens_clause(self, clause: int, pos: int) -> bool:
        """Only articles, adjectives and capitalised words stand between the clause start and ``pos``."""
        for i in self.layer.tokens_in(clause, pos):
            w = self.layer.toks[i].text
            if not (w.lower() in ARTICLES or _adjective(w) or (w[:1].isupper() and w.lower() not in PREPOSITIONS_DE
                                                               and w.lower() not in NOT_SPEAKERS_DE)):
                return False
        return True

    def _np_head(self, i: int) -> bool:
        """A German capitalised noun that can head a speaker phrase: not after a preposition, not a date word."""
        t = self.layer.toks[i]
        low = t.text.lower()
        if not t.text[:1].isupper() or low in self.p.function_words or low in self.p.weekdays or self.p.cue_class(t.text):
            return False
        if low in NOT_SPEAKERS_DE or low in self.p.months or low in PREPOSITIONS_DE:
            return False
        j = i - 1
        while j >= 0 and self.layer.toks[j].sent == t.sent and (self.layer.toks[j].text.lower() in ARTICLES
                                                                 or _adjective(self.layer.toks[j].text)):
            j -= 1
        before = self.layer.toks[j].text.lower() if j >= 0 and self.layer.toks[j].sent == t.sent else ""
        det = self.layer.toks[i - 1].text.lower() if i > 0 and self.layer.toks[i - 1].sent == t.sent else ""
        return before not in PREPOSITIONS_DE and det not in OBJECT_DETERMINERS_DE  # "den Vorgang": an object

    def _as_phrase(self, who: Who, cue: Cue) -> Who:
        """The whole noun phrase around a German speaker (``der zuständige Gewerkschaftsvorstand Uwe Foullong``),
        its person's name when it holds one."""
        toks = self.layer.toks
        idx = [i for i in self.layer.tokens_in(*who.span)]
        if not idx:
            return who
        l, r = idx[0], idx[-1]
        sent = toks[l].sent

        def joined(x: int, y: int) -> bool:
            return self.text[toks[x].end : toks[y].start].strip() == ""

        while l > 0 and toks[l - 1].sent == sent and joined(l - 1, l) and not _on_cue(toks[l - 1].start, cue):
            w = toks[l - 1].text
            if w.lower() in ARTICLES or _adjective(w) or (w[:1].isupper() and w.lower() not in self.p.function_words
                                                         and not self.p.cue_class(w) and w.lower() not in PREPOSITIONS_DE):
                l -= 1
            else:
                break
        while r + 1 < len(toks) and toks[r + 1].sent == sent and joined(r, r + 1):
            nxt = toks[r + 1]
            if _on_cue(nxt.start, cue):
                break
            if nxt.text[:1].isupper() and nxt.text.lower() not in self.p.function_words and not self.p.cue_class(nxt.text) \
                    and nxt.text.lower() not in self.p.weekdays:
                r += 1
            elif nxt.text.lower() in ("des", "der", "von", "vom") and r + 2 < len(toks) and joined(r + 1, r + 2) and (
                    toks[r + 2].text[:1].isupper() or _adjective(toks[r + 2].text)) and not self._in_person_name(r):
                r += 2
            elif nxt.text.lower() in ("von", "vom") and self._in_person_name(r) and r + 2 < len(toks):
                j = r + 2  # "John Sifton von Human Rights Watch", "Mayra Veliz von der Staatsanwaltschaft"
                while j < len(toks) and j - r <= 5 and joined(j - 1, j) and (toks[j].text.lower() in ARTICLES
                                                                             or _adjective(toks[j].text)):
                    j += 1
                if j < len(toks) and toks[j].text[:1].isupper() and joined(j - 1, j):
                    r = j
                else:
                    break
            elif _adjective(nxt.text) and r + 2 < len(toks) and toks[r + 2].text[:1].isupper() and toks[r].text.lower() in ARTICLES:
                r += 1
            else:
                break
        after = re.match(r",\s*", self.text[toks[r].end : toks[r].end + 3])
        if after and not self._in_person_name(r):  # "des Sprechers des Ministeriums, Roland Eichhorn": the apposed name
            at = toks[r].end + after.end()
            name = next((m for m in self.names if m.span[0] == at and m.cluster is not None and m.cluster.kind == "person"), None)
            if name is not None:
                r = max(i for i in self.layer.tokens_in(*name.span))
        span = (toks[l].start, toks[r].end)
        person = next((m for m in self.names if span[0] <= m.span[0] and m.span[1] <= span[1] and m.cluster is not None
                       and m.cluster.kind in ("person", "org", None)), None)
        if person is not None:
            named = self._who(person)
            return Who(named.name, named.entity, span, named.role, named.resolved_from, named.via)
        return Who(who.name if who.entity else self.text[span[0] : span[1]], who.entity, span, who.role, who.resolved_from, who.via)

    def _in_person_name(self, i: int) -> bool:
        t = self.layer.toks[i]
        return any(m.span[0] <= t.start < m.span[1] and m.cluster is not None and m.cluster.kind == "person" for m in self.names)

    def _syntax_subject(self, cue: Cue) -> Who | None:
        if cue.tok is None:
            return None
        toks = self.layer.toks
        subj = next((j for j, t in enumerate(toks) if t.head == cue.tok and t.rel in ("nsubj", "nsubj:pass")), None)
        if subj is None:  # "В полиции сообщили": the place the words came from
            subj = next((j for j, t in enumerate(toks) if t.head == cue.tok and t.rel == "obl" and j < cue.tok
                         and t.pos in ("NOUN", "PROPN") and toks[j - 1].text.lower() in ("в", "во")), None)
        if subj is None:
            return None
        t = toks[subj]
        for m in sorted(self.names, key=lambda m: m.kind != "person"):
            if m.span[0] <= t.start < m.span[1] or (m.kind == "person" and m.span[0] >= t.start and self._head_chain(m, subj)):
                return self._who(m)
        if t.text.lower() in self.p.masculine | self.p.feminine:
            return self._pronoun(t.start, t.end, "f" if t.text.lower() in self.p.feminine else "m")
        if t.pos in ("NOUN", "PROPN"):
            left = min([t.start] + [x.start for x in toks if x.head == subj and x.rel in ("amod", "compound")])
            right = max([t.end] + [x.end for x in toks if x.head == subj and x.rel in ("nmod", "flat:name", "appos")
                                  and x.start > t.start and x.start - t.end < 40])
            return Who(self.text[left:right], None, (left, right), via="mention")
        return None

    def _speaks(self, who: Who) -> None:
        """An untyped name that speaks is a person: its cluster says so, so the entity is stored with the statement."""
        for m in self.names:
            if m.cluster is not None and m.cluster.kind is None and (m.span == who.span or m.span == who.resolved_from):
                m.cluster.kind = "person"

    def _head_chain(self, m: NameMention, subj: int) -> bool:
        """A name in apposition to the subject noun (``глава области Вячеслав Гладков``)."""
        for x in self.layer.toks:
            if m.span[0] <= x.start < m.span[1] and x.head == subj and x.rel in ("appos", "flat:name"):
                return True
        return False

    def _who(self, m: NameMention) -> Who:
        c = m.cluster
        if c is None or c.kind not in ("person", "org", None):
            return Who(m.text, None, m.span, m.role, via="mention")
        if c.kind is None:
            return Who(c.name, f"person:{fold(c.name)}", m.span, m.role, via="name")  # an untyped name that speaks
        return Who(c.name, c.key, m.span, m.role or (c.roles[0] if c.roles else None), via="name")

    def _pronoun(self, start: int, end: int, gender: str) -> Who | None:
        """The nearest earlier person whose gender fits (German "sie" may be a woman or a plural: women only)."""
        for m in sorted((m for m in self.names if m.span[1] <= start), key=lambda m: -m.span[0]):
            c = m.cluster
            if c is None or c.kind not in ("person", None) or not m.words:
                continue
            g = c.gender or gender_of_word(m.words[-1])
            if g is None and c.kind is None:
                continue
            if (g or "m") == gender or (g is None and gender == "m"):
                w = self._who(m)
                return Who(w.name, w.entity, (start, end), w.role, m.span, "pronoun")
            if g is not None:
                continue
        return None

    def _noun_phrase(self, a: int, b: int, cue: Cue, prefer: str) -> Who | None:
        """``die Polizei``, ``das Ministerium``, ``глава области``: the frame's subject without a name."""
        toks = self.layer.tokens_in(a, b)
        side = [i for i in toks if self.layer.toks[i].start >= _verb_end(cue)] if prefer == "after" else \
            [i for i in toks if self.layer.toks[i].end <= cue.span[0]]
        if prefer != "after":
            side = side[-4:]
        for i in side[:4]:
            t = self.layer.toks[i]
            if self.layer.language == "de" and t.text[:1].isupper() and t.text.lower() not in self.p.function_words:
                j = i - 1 if i > 0 and self.layer.toks[i - 1].text.lower() in ARTICLES else i
                s0 = self.layer.toks[j].start
                return Who(self.text[s0 : t.end], None, (s0, t.end), via="mention")
            if self.layer.language != "de" and t.text.lower().endswith(self.p.role_suffixes):
                return Who(self.text[t.start : t.end], None, (t.start, t.end), via="mention")
        return None

    # ---- building ------------------------------------------------------------------------------------------
    def _add(self, k: int, spans: list[Span], cue: Cue | None, who: Who | None, how: str,
             speaker_span: Span | None = None, kind: StatementKind | None = None) -> None:
        spans = [self._trimmed(a, b) for a, b in spans]
        spans = [(a, b) for a, b in spans if b > a]
        if not spans:
            return
        content_text = " ".join(self.text[a:b] for a, b in spans)
        words = {w.text.lower() for w in tx.words(content_text)}
        cue_words = {w.text.lower() for w in tx.words(self.text, *cue.span)} if cue else set()
        st = Statement(
            id="st" + hashlib.sha1(f"{self.article_id}:{spans}".encode()).hexdigest()[:10],
            kind=kind or _kind(self.text, spans),
            content=tuple(spans),
            speaker=who.name if who and who.via != "unresolved" else None,
            speaker_span=speaker_span or (who.span if who else None),
            speaker_entity=who.entity if who else None,
            speaker_role=who.role if who else None,
            resolved_from=who.resolved_from if who else None,
            cue=cue.text if cue else None,
            cue_span=cue.span if cue else None,
            how=how,
            class_=StatementClass.STANCE if cue and cue.klass == "stance" else StatementClass.SPEECH,
            negated=bool((words | cue_words) & NEGATIONS[self.layer.language]),
            modality=next((m for w, m in MODALS[self.layer.language].items() if w in words), None),
        )
        self.out.append(st)
        self.used += spans + ([cue.span] if cue else [])
        self.last = (st, who, k)

    def _trimmed(self, a: int, b: int) -> Span:
        while a < b and (self.text[a].isspace() or self.text[a] in ",;:—–-"):
            a += 1
        while b > a and (self.text[b - 1].isspace() or self.text[b - 1] in ",;:—–-"):
            b -= 1
        return a, b

    def _covered(self, a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in self.used) or sum(
            max(0, min(b, e) - max(a, s)) for s, e in self.used) >= 0.5 * (b - a)

    def _inside_quote(self, pos: int) -> bool:
        para = next(((a, b) for a, b in self.layer.paragraphs if a <= pos < b), None)
        return para is not None and any(q.open < pos < q.close for q in tx.quotes(self.text, *para))

    def _sentence_of(self, pos: int) -> Span:
        return next(((a, b) for a, b in self.layer.sentences if a <= pos < b),
                    next(((a, b) for a, b in self.layer.paragraphs if a <= pos < b), (pos, pos + 1)))

    def _clause_end(self, a: int, b: int) -> int:
        m = re.compile(r"[,;:(]|\s[—–]\s|[.!?](?=\s|$)").search(self.text, a, b)
        return m.start() if m else b

    def _clause_start(self, s: int, pos: int) -> int:
        ends = [m.end() for m in CLAUSE_END.finditer(self.text, s, pos)]
        return ends[-1] if ends else s

    def _source_np_end(self, a: int, end: int) -> int | None:
        """The end of the source after ``laut`` / ``по словам``: the next comma, or (German, no comma) the first
        lower-case word that is not an article or adjective before a noun."""
        comma = self.text.find(",", a, end)
        toks = self.layer.tokens_in(a, end)
        if self.layer.language != "de":
            return comma if comma > 0 and comma - a < 120 else None
        last = None
        for n, i in enumerate(toks[:8]):
            t = self.layer.toks[i]
            nxt = self.layer.toks[toks[n + 1]] if n + 1 < len(toks) else None
            if t.text[:1].isupper() or t.text.lower() in ARTICLES or t.text.lower() in ("von", "vom") or (
                    nxt is not None and nxt.text[:1].isupper() and t.text.endswith(("e", "en", "er", "es", "em"))):
                last = t.end
                if self.text[t.end : t.end + 1] == ",":
                    return t.end
                continue
            break
        return last

    def _skip_punct(self, a: int, b: int) -> int:
        while a < b and self.text[a] in " ,:—–-":
            a += 1
        return a

    def _rstrip(self, s: int, b: int) -> int:
        while b > s and self.text[b - 1] in " ,;:—–-":
            b -= 1
        return b


def _verb_end(cue: Cue) -> int:
    """Where the cue's first word ends: a separable cue (``gab … bekannt``) holds its speaker between its words."""
    first = cue.text.split(" … ")[0]
    return cue.span[0] + len(first)


def _on_cue(pos: int, cue: Cue) -> bool:
    """``pos`` is inside the cue's verb or its closing particle."""
    parts = cue.text.split(" … ")
    return cue.span[0] <= pos < _verb_end(cue) or (len(parts) > 1 and cue.span[1] - len(parts[-1]) <= pos < cue.span[1])


def _adjective(word: str) -> bool:
    """A lower-case German attributive adjective (``zuständige``, ``libanesischen``)."""
    return word[:1].islower() and len(word) > 3 and word.endswith(("e", "en", "er", "es", "em")) and word.isalpha()


def _kind(text: str, spans: list[Span]) -> StatementKind:
    total = sum(b - a for a, b in spans)
    quoted = 0
    for a, b in spans:
        if a > 0 and (text[a - 1] in '„»«“"‚›' or (b < len(text) and text[b : b + 1] in '“”«»"‘’‹')):
            quoted += b - a
            continue
        quoted += sum(q.close - q.open for q in tx.quotes(text, a, b))
    if total and quoted >= 0.9 * total:
        return StatementKind.DIRECT
    return StatementKind.MIXED if quoted else StatementKind.INDIRECT
