"""Precision audit of crosswire's statements (issue 13): a fixed random sample, hand labels, a scorer.

    python bench/audit.py sample          # run crosswire, draw the 300 statements -> bench/data/audit/sample.jsonl
    python bench/audit.py [score]         # re-run crosswire, match the labelled items, print the figures
    python bench/audit.py score --json out.json
    python bench/audit.py show 1-20       # items with their context (content [[…]], speaker {{…}}) to label
    python bench/audit.py overlaps        # statements whose content holds or overlaps another speaker's statement

Documents: the 84 PolNeAR dev texts (``../shared/data/polnear/dev/text/*.txt``, sorted) and the first 150
documents of ``../shared/data/ecbplus-docs/docs.jsonl`` (field ``text``, id ``id``). Every statement of
``analyse_texts(texts, processes=2)`` is collected; ``random.Random(2026)`` draws 200 from PolNeAR and 100 from
ECB+, the 300 are shuffled with the same generator and numbered 1..300. The sample file holds offsets only,
never article text: the texts belong to their publishers and are re-read from ``../shared/data`` by path.

Labels: every ``bench/data/audit/labels_*.jsonl`` (see ``bench/data/audit/README.md`` for the guidelines).
Scoring matches a labelled item to the current output of its document by content overlap (at least half of
the labelled item's content characters covered by one current statement's content) and reports:
- speech precision: of matched statements crosswire now classes ``speech``, the share labelled speech and
  content-faithful;
- speaker right: of matched speech statements with a predicted speaker, the share whose speaker names the
  labelled speaker (same last token, or one name contained in the other; an ``UNNAMED: …`` label only when
  crosswire's speaker is that description's words);
  (also the annotators' own ``speaker_ok`` on those whose predicted speaker is unchanged since labelling);
- class accuracy over matched statements; contents that drop a negator or condition (count and item ids);
  labelled items lost (no current statement matches) and current statements (all audited documents) that
  no labelled item matches.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "data"
POLNEAR_DEV = SHARED / "polnear" / "dev" / "text"
ECBPLUS = SHARED / "ecbplus-docs" / "docs.jsonl"
AUDIT = HERE / "data" / "audit"
SAMPLE = AUDIT / "sample.jsonl"
SEED = 2026
N_POLNEAR, N_ECBPLUS, ECB_DOCS = 200, 100, 150
CLASSES = ("speech", "stance", "no-comment", "none")

Spans = list[list[int]]


# ---------------------------------------------------------------- documents and crosswire's output


def documents() -> list[tuple[str, str, str]]:
    """(corpus, doc, text) for every audited document, in a fixed order."""
    out = [("polnear", p.stem, p.read_text(encoding="utf-8")) for p in sorted(POLNEAR_DEV.glob("*.txt"))]
    with ECBPLUS.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= ECB_DOCS:
                break
            d = json.loads(line)
            out.append(("ecbplus", d["id"], d["text"]))
    return out


def document_texts() -> dict[tuple[str, str], str]:
    return {(c, d): t for c, d, t in documents()}


def run_crosswire(docs: list[tuple[str, str, str]], processes: int = 2) -> list[dict]:
    """Every statement crosswire finds in ``docs``, as sample records (no text beyond names and cues)."""
    from crosswire.nlp.analyse import analyse_texts

    analyses = analyse_texts([t for _, _, t in docs], processes=processes)
    out = []
    for (corpus, doc, _text), an in zip(docs, analyses, strict=True):
        for s in an.statements:
            out.append({
                "corpus": corpus,
                "doc": doc,
                "content": [[a, b] for a, b in s.content],
                "speaker": s.speaker,
                "speaker_span": list(s.speaker_span) if s.speaker_span else None,
                "class": str(s.class_),
                "negated": bool(s.negated),
                "modality": s.modality,
                "cue": s.cue,
                "rule": s.how,
            })
    return out


def draw(statements: list[dict], seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    pol = [s for s in statements if s["corpus"] == "polnear"]
    ecb = [s for s in statements if s["corpus"] == "ecbplus"]
    picked = rng.sample(pol, N_POLNEAR) + rng.sample(ecb, N_ECBPLUS)
    rng.shuffle(picked)
    return [{"n": i, **s} for i, s in enumerate(picked, 1)]


def cmd_sample(args: argparse.Namespace) -> None:
    docs = documents()
    statements = run_crosswire(docs, args.processes)
    sample = draw(statements)
    AUDIT.mkdir(parents=True, exist_ok=True)
    with SAMPLE.open("w", encoding="utf-8") as f:
        for item in sample:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    by = Counter(s["corpus"] for s in statements)
    print(f"{len(docs)} documents, {len(statements)} statements (polnear {by['polnear']}, ecbplus {by['ecbplus']}); "
          f"{len(sample)} drawn -> {SAMPLE}")


# ---------------------------------------------------------------- labels


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_sample(path: Path = SAMPLE) -> dict[int, dict]:
    return {it["n"]: it for it in load_jsonl(path)}


def load_labels(folder: Path = AUDIT) -> dict[int, dict]:
    """Every label file in name order; a later file's record for an item replaces an earlier one
    (``labels_r*.jsonl``: items re-judged after the code changed, each with the statement it judged)."""
    labels: dict[int, dict] = {}
    for p in sorted(folder.glob("labels_*.jsonl")):
        for lab in load_jsonl(p):
            labels[lab["n"]] = lab
    return labels


def label_problems(lab: dict, sample: dict[int, dict]) -> list[str]:
    """What is wrong with one label record (empty when it is valid)."""
    out = []
    if lab.get("n") not in sample:
        out.append(f"n={lab.get('n')!r} is not a sample item")
    if lab.get("true_class") not in CLASSES:
        out.append(f"true_class {lab.get('true_class')!r}")
    sp = lab.get("true_speaker")
    if not isinstance(sp, str) or not sp.strip():
        out.append("true_speaker missing")
    if lab.get("speaker_ok") not in (True, False, None):
        out.append(f"speaker_ok {lab.get('speaker_ok')!r}")
    judged = {**sample[lab["n"]], **lab.get("judged", {})} if lab.get("n") in sample else {}
    if judged and judged["speaker"] is None and lab.get("speaker_ok") is not None:
        out.append("speaker_ok must be null when crosswire gave no speaker")
    for k in ("content_faithful", "drops_negation_or_condition"):
        if lab.get(k) not in (True, False):
            out.append(f"{k} {lab.get(k)!r}")
    if not isinstance(lab.get("note", ""), str):
        out.append("note is not a string")
    return out


# ---------------------------------------------------------------- matching and names


def covered(labelled: Spans, current: Spans) -> float:
    """Share of the labelled content's characters that the current content covers."""
    total = sum(e - s for s, e in labelled)
    if not total:
        return 0.0
    chars = set()
    for s, e in current:
        chars.update(range(s, e))
    return sum(1 for s, e in labelled for c in range(s, e) if c in chars) / total


def match(item: dict, current: list[dict], threshold: float = 0.5) -> int | None:
    """Index of the current statement of the item's document that best covers its content (>= threshold)."""
    best, best_cov = None, 0.0
    for i, st in enumerate(current):
        if st["corpus"] != item["corpus"] or st["doc"] != item["doc"]:
            continue
        cov = covered(item["content"], st["content"])
        if cov >= threshold and cov > best_cov:
            best, best_cov = i, cov
    return best


def _fold(name: str) -> list[str]:
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    name = re.sub(r"['’]s\b", "", name)
    return re.findall(r"[a-z0-9]+", name)


STOP = frozenset({"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "jr", "sr", "his", "her", "its", "their", "our"})
POSTMOD = frozenset({"in", "of", "from", "for", "who", "at", "with", "on", "to", "that", "which", "by"})


def _head(words: list[str]) -> str:
    """The last word before a postmodifier: "one GOP source in the room" -> "source"."""
    for i, w in enumerate(words):
        if w in POSTMOD and i:
            return words[i - 1]
    return words[-1] if words else ""


def same_speaker(predicted: str | None, true: str) -> bool:
    """Lenient name comparison. A name: right when the last tokens agree (unless both names give other words
    and none of them agree: Chelsea Clinton is not Hillary Clinton), or one name is contained in the other
    ("Laurence Mark" in "Laurence Mark and Bill Condon"). ``UNNAMED: <description>``: right only when
    crosswire's speaker holds all the description's words, or is made of the description's words and ends in
    its head noun ("GOP" is not "one GOP source in the room", "Scott" is not "Scott's family"); parenthesised
    words in a label are the annotator's comment and are ignored. ``NARRATOR`` is never a right speaker."""
    if not predicted or true == "NARRATOR":
        return False
    p = [w for w in _fold(predicted) if w not in STOP]
    true = re.sub(r"\([^)]*\)", " ", true)
    if not p:
        return False
    if true.startswith("UNNAMED:"):
        raw = _fold(true.split(":", 1)[1])
        words = [w for w in raw if w not in STOP]
        if not words:
            return False
        return set(words) <= set(p) or (set(p) <= set(words) and p[-1] == _head(raw))
    t = [w for w in _fold(true) if w not in STOP]
    if not t:
        return False
    if p[-1] == t[-1]:
        return len(p) == 1 or len(t) == 1 or bool(set(p[:-1]) & set(t[:-1]))
    ps, ts = " ".join(p), " ".join(t)
    return f" {ps} " in f" {ts} " or f" {ts} " in f" {ps} "


def score(sample: dict[int, dict], labels: dict[int, dict], current: list[dict]) -> dict:
    c = Counter()
    used: set[int] = set()
    wrong_speaker, unfaithful, drops, lost, changed, fixed_drops = [], [], [], [], [], []
    confusion = Counter()
    for n in sorted(labels):
        lab = labels[n]
        item = {**sample[n], **lab.get("judged", {})}  # a re-judged label judged the statement as it was then
        c["labelled"] += 1
        i = match(item, current)
        if i is None:
            lost.append(n)
            continue
        used.add(i)
        st = current[i]
        c["matched"] += 1
        confusion[(lab["true_class"], st["class"])] += 1
        c["class_right"] += lab["true_class"] == st["class"]
        same_span = [list(x) for x in st["content"]] == [list(x) for x in item["content"]]
        same_statement = same_span and all(st[k] == item[k] for k in ("speaker", "cue"))
        if lab["drops_negation_or_condition"]:
            # a drop stays a drop while nothing that could carry the lost word changed: the span, the class,
            # the negated flag and the modality are what they were when the item was labelled
            carried = not same_span or any(st[k] != item[k] for k in ("class", "negated", "modality"))
            (fixed_drops if carried else drops).append(n)
        if st["class"] == "speech":
            if same_statement:
                c["speech"] += 1
                ok = lab["true_class"] == "speech" and lab["content_faithful"]
                c["speech_ok"] += ok
                if not ok:
                    unfaithful.append(n)
            else:
                changed.append(n)  # the label judged another span, speaker or cue: not scored until re-judged
            if st["speaker"] and same_span and lab["true_class"] != "none":  # whose words these are does not change
                c["speech_spk"] += 1
                if same_speaker(st["speaker"], lab["true_speaker"]):
                    c["speech_spk_ok"] += 1
                else:
                    wrong_speaker.append(n)
                if st["speaker"] == item["speaker"] and lab["speaker_ok"] is not None:
                    c["speech_spk_judged"] += 1
                    c["speech_spk_judged_ok"] += bool(lab["speaker_ok"])
    unlabelled = len(current) - len(used)

    def share(a: str, b: str) -> float | None:
        return round(c[a] / c[b], 3) if c[b] else None

    return {
        "labelled": c["labelled"],
        "matched": c["matched"],
        "lost": len(lost),
        "lost_ids": lost,
        "current_statements": len(current),
        "current_unlabelled": unlabelled,
        "speech_matched": c["speech"],
        "speech_precision": share("speech_ok", "speech"),
        "speech_not_ok_ids": unfaithful,
        "speech_with_speaker": c["speech_spk"],
        "speaker_right": share("speech_spk_ok", "speech_spk"),
        "wrong_speaker_ids": wrong_speaker,
        "speaker_right_annotator": share("speech_spk_judged_ok", "speech_spk_judged"),
        "speaker_judged": c["speech_spk_judged"],
        "class_accuracy": share("class_right", "matched"),
        "confusion": {f"{t}->{p}": k for (t, p), k in sorted(confusion.items())},
        "drops_negation_or_condition": len(drops),
        "drops_ids": drops,
        "drops_now_carried_ids": fixed_drops,  # the span or a flag changed since labelling: re-check by hand
        "speech_span_changed_ids": changed,
    }


def cmd_score(args: argparse.Namespace) -> None:
    sample = load_sample()
    labels = load_labels()
    bad = {n: p for n, lab in labels.items() if (p := label_problems(lab, sample))}
    if bad:
        for n, p in sorted(bad.items()):
            print(f"label {n}: {'; '.join(p)}", file=sys.stderr)
        sys.exit(1)
    current = run_crosswire(documents(), args.processes)
    res = score(sample, labels, current)
    files = [p.name for p in sorted(AUDIT.glob("labels_*.jsonl"))]
    print(f"precision audit: {len(sample)} sample items, {res['labelled']} labelled ({', '.join(files)}), "
          f"{res['matched']} matched, {res['lost']} lost")
    rows = [
        ("speech precision", res["speech_precision"], f"of {res['speech_matched']} matched speech statements", "0.95"),
        ("speaker right", res["speaker_right"], f"of {res['speech_with_speaker']} speech with a speaker", "0.93"),
        ("  (annotators' speaker_ok)", res["speaker_right_annotator"],
         f"of {res['speaker_judged']} whose speaker is unchanged since labelling", ""),
        ("class accuracy", res["class_accuracy"], f"of {res['matched']} matched", ""),
        ("drops negator/condition", res["drops_negation_or_condition"], f"ids {res['drops_ids']}", "0"),
        ("  span or flag changed", len(res["drops_now_carried_ids"]), f"ids {res['drops_now_carried_ids']} (re-check)", ""),
        ("speech changed", len(res["speech_span_changed_ids"]),
         f"ids {res['speech_span_changed_ids']} (not scored until re-labelled)", ""),
        ("speech not ok", len(res["speech_not_ok_ids"]), f"ids {res['speech_not_ok_ids']}", ""),
        ("lost labelled items", res["lost"], f"ids {res['lost_ids']}", ""),
        ("current unlabelled", res["current_unlabelled"],
         f"of {res['current_statements']} current statements no labelled item matches", ""),
    ]
    print(f"{'figure':26} {'value':>7}  {'target':>6}  detail")
    for name, val, detail, target in rows:
        v = "-" if val is None else (f"{val:.3f}" if isinstance(val, float) else str(val))
        print(f"{name:26} {v:>7}  {target:>6}  {detail}")
    print("class (true->predicted): " + ", ".join(f"{k} {v}" for k, v in res["confusion"].items()))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """From the sentence before ``start`` to the end of the sentence holding ``end``."""
    a = start
    for _ in range(2):
        if a <= 1:
            a = 0
            break
        m = max(text.rfind(". ", 0, a - 1), text.rfind("\n", 0, a - 1))
        a = m + 1 if m >= 0 else 0
    b = end
    m = re.search(r"[.!?][\"'”’]?(\s|$)", text[b:])
    b = b + m.end() if m else len(text)
    return max(0, min(a, start - 600)) if start - a > 600 else a, min(b, end + 300)


def overlapping(statements: list[dict]) -> list[tuple[dict, dict, list[str]]]:
    """Pairs (a, b) of one document's statements with different speakers where a's content overlaps b's content
    (listed once), or holds b's cue or b's speaker mention: one speaker's words in another's statement, or a
    statement nested in another. Records need ``content``, ``speaker``, ``speaker_span`` and ``cue_span``."""
    def hits(x: list[list[int]], span: list[int] | None) -> bool:
        return span is not None and any(s < span[1] and span[0] < e for s, e in x)

    out = []
    for i, a in enumerate(statements):
        for j, b in enumerate(statements):
            if i == j or (a["speaker"] or a["speaker_span"]) == (b["speaker"] or b["speaker_span"]):
                continue
            what = [k for k, hit in (("content", i < j and any(hits(a["content"], c) for c in b["content"])),
                                     ("cue", hits(a["content"], b["cue_span"])),
                                     ("speaker", hits(a["content"], b["speaker_span"]))) if hit]
            if what:
                out.append((a, b, what))
    return out


def cmd_overlaps(args: argparse.Namespace) -> None:
    """Every pair ``overlapping`` finds in the audited documents, with the texts, and the count per corpus."""
    from crosswire.nlp.analyse import analyse_texts

    docs = documents()
    counts: Counter[str] = Counter()
    for (corpus, doc, text), an in zip(docs, analyse_texts([t for _, _, t in docs], processes=args.processes), strict=True):
        recs = [{"content": [list(c) for c in st.content], "speaker": st.speaker, "how": st.how, "cue": st.cue,
                 "speaker_span": list(st.speaker_span) if st.speaker_span else None,
                 "cue_span": list(st.cue_span) if st.cue_span else None} for st in an.statements]
        for a, b, what in overlapping(recs):
            counts[corpus] += 1
            print(f"-- {corpus} {doc}: {', '.join(what)}")
            for tag, st in (("A", a), ("B", b)):
                mention = text[slice(*st["speaker_span"])] if st["speaker_span"] else None
                words = " | ".join(text[x:y] for x, y in st["content"]).replace("\n", " / ")
                print(f"   {tag} {st['how']} {st['speaker']!r} ({mention!r}) cue={st['cue']!r} {st['content']}: {words[:240]!r}")
    print("pairs: " + ", ".join(f"{c} {counts[c]}" for c in ("polnear", "ecbplus")) + f" ({len(docs)} documents)")


def cmd_show(args: argparse.Namespace) -> None:
    """Print sample items with their context: content in [[…]], speaker mention in {{…}}."""
    sample = load_sample()
    texts = document_texts()
    lo, _, hi = args.items.partition("-")
    for n in range(int(lo), int(hi or lo) + 1):
        it = sample[n]
        text = texts[(it["corpus"], it["doc"])]
        spans = [tuple(x) for x in it["content"]]
        marks = [(s, "[[") for s, _ in spans] + [(e, "]]") for _, e in spans]
        starts = [s for s, _ in spans]
        ends = [e for _, e in spans]
        if it["speaker_span"]:
            s, e = it["speaker_span"]
            marks += [(s, "{{"), (e, "}}")]
            starts.append(s)
            ends.append(e)
        a, b = _sentence_bounds(text, min(starts), max(ends))
        out, pos = [], a
        for at, mark in sorted(marks, key=lambda m: (m[0], m[1] in ("]]", "}}") and 0 or 1)):
            if a <= at <= b:
                out.append(text[pos:at])
                out.append(mark)
                pos = at
        out.append(text[pos:b])
        print(f"== {n} {it['corpus']} {it['doc']} | class={it['class']} rule={it['rule']} cue={it['cue']!r} "
              f"speaker={it['speaker']!r} negated={it['negated']} modality={it['modality']}")
        print("   " + "".join(out).replace("\n", " / "))
        print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="score", choices=("sample", "score", "show", "overlaps"))
    ap.add_argument("items", nargs="?", default="1-300", help="show: item numbers, e.g. 1-20")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--json", help="score: write the figures to this file")
    args = ap.parse_args()
    if args.command == "sample":
        cmd_sample(args)
    elif args.command == "show":
        cmd_show(args)
    elif args.command == "overlaps":
        cmd_overlaps(args)
    else:
        cmd_score(args)


if __name__ == "__main__":
    main()
