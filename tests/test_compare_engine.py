"""The comparison engine on short texts written for these tests: one assertion per group, qualifier classes,
modality shifts, independence from evidence of own reporting, the summary, and timeline contradictions."""

from __future__ import annotations

import re

from crosswire import export
from crosswire.app.reading import TimelineEntry
from crosswire.compare import Doc, compare_story, flag_contradictions
from crosswire.model import Analysis, Statement, StatementClass, StatementKind
from crosswire.storage.analysis import StoredStatement


def st(text: str, content: str, speaker: str | None = "Ana Ruiz", kind: StatementKind = StatementKind.INDIRECT,
       cue: str = "said", class_: StatementClass = StatementClass.SPEECH) -> Statement:
    start = text.index(content)
    entity = f"person:{speaker.lower()}" if speaker else None
    return Statement(f"st{abs(hash((text, content))) % 10**8}", kind, ((start, start + len(content)),), speaker, None,
                     entity, cue=cue, class_=class_)


def doc(id_: str, text: str, *contents: str | tuple, outlet: str | None = None, credited: tuple[str, ...] = (),
        published: str = "2024-05-01") -> Doc:
    statements = tuple(st(text, c) if isinstance(c, str) else st(text, *c) for c in contents)
    return Doc(id_, text, None, outlet or id_.title(), published, credited, "en",
               Analysis(id_, "en", True, statements=statements))


def groups_of(comparison: object) -> list[set[str]]:
    return [{v.text for v in a.variants} | {r.text for v in a.variants for r in v.repeats}
            for a in comparison.statements]  # type: ignore[attr-defined]


A = ("Mayor Ana Ruiz said that the bridge will stay closed as of today. "
     "Ruiz said the flood was caused by a burst dam upstream. "
     "She said that the bridge will stay closed for repairs as of today.")
B = ("Ana Ruiz said that the bridge would currently remain closed. "
     "Ruiz said that the council has approved 2 million euros for the repairs.")


def test_one_statement_said_twice_is_one_group_and_time_qualifiers_are_one_class() -> None:
    a = doc("a", A, "that the bridge will stay closed as of today", "the flood was caused by a burst dam upstream",
            "that the bridge will stay closed for repairs as of today")
    b = doc("b", B, "that the bridge would currently remain closed", "that the council has approved 2 million euros for the repairs")
    c = compare_story("s", [a, b])
    bridge = [g for g in groups_of(c) if any("bridge" in t for t in g)]
    assert len(bridge) == 1 and len(bridge[0]) == 3  # a's two renderings and b's: one group
    [group] = [x for x in c.statements if any("bridge" in v.text for v in x.variants)]
    assert not any(s.kind == "qualifier" for v in group.variants for s in v.shifts)  # "as of today" ≈ "currently"
    assert not any("flood" in t for g in bridge for t in g)  # another assertion stays out


def test_having_a_time_restriction_against_lacking_one_is_a_qualifier_shift() -> None:
    a = doc("a", "Ana Ruiz said the bridge will stay closed as of today.", "the bridge will stay closed as of today")
    b = doc("b", "Ana Ruiz said the bridge will stay closed.", "the bridge will stay closed", published="2024-05-02")
    [group] = compare_story("s", [a, b]).statements
    [shift] = [s for s in group.variants[1].shifts if s.kind == "qualifier"]
    assert "drops the time restriction 'as of today'" == shift.detail
    assert shift.source.text == "as of today" and shift.target.text == "the bridge will stay closed"


def test_a_conditional_threat_reported_as_an_intention_is_a_modality_shift() -> None:
    a = doc("a", 'Ana Ruiz said: "If the rain continues, we will be forced to evacuate the valley."',
            ("If the rain continues, we will be forced to evacuate the valley.", "Ana Ruiz", StatementKind.DIRECT, ":"))
    b = doc("b", "Ana Ruiz announced her intention to evacuate the valley.", ("her intention to evacuate the valley", "Ana Ruiz",
            StatementKind.INDIRECT, "announced"), published="2024-05-02")
    c = compare_story("s", [a, b])
    [group] = c.statements
    shift = next(s for s in group.variants[1].shifts if s.kind == "modality")
    assert shift.detail.startswith("conditional ('If')") and "intention ('intention')" in shift.detail
    assert shift.source.article_id == "a" and shift.source.text == "If" and shift.target.text == "intention"
    record = export.comparison_record(c)
    assert record["statements"][0]["variants"][1]["shift"][0]["from"]["outlet"] == "A"
    assert any(x["kind"] == "dispute" and "How firmly" in x["text"] for x in record["summary"]["lines"])


def test_may_becoming_will_and_alleged_becoming_established() -> None:
    a = doc("a", "Ana Ruiz said the dam may fail. Ruiz said the alleged saboteur was arrested.",
            "the dam may fail", "the alleged saboteur was arrested")
    b = doc("b", "Ana Ruiz said the dam will fail. Ruiz said the saboteur was arrested.", "the dam will fail",
            "the saboteur was arrested", published="2024-05-02")
    details = [s.detail for g in compare_story("s", [a, b]).statements for v in g.variants for s in v.shifts]
    assert any(d.startswith("possibility ('may') → future ('will')") for d in details), details
    assert any("drops the hedge 'alleged'" in d and "stated as fact" in d for d in details), details


def test_different_assertions_of_one_speaker_are_not_aligned() -> None:
    a = doc("a", "Ana Ruiz said the army launched the offensive to stop attacks on border towns.",
            "the army launched the offensive to stop attacks on border towns")
    b = doc("b", "Ana Ruiz said the army will create a buffer zone along the border.",
            "the army will create a buffer zone along the border")
    assert compare_story("s", [a, b]).statements == ()


def test_stances_are_not_aligned() -> None:
    text = "Ana Ruiz believes the bridge is unsafe."
    a = doc("a", text, ("the bridge is unsafe", "Ana Ruiz", StatementKind.INDIRECT, "believes", StatementClass.STANCE))
    b = doc("b", text, ("the bridge is unsafe", "Ana Ruiz", StatementKind.INDIRECT, "believes", StatementClass.STANCE))
    assert compare_story("s", [a, b]).statements == ()


def test_independence_needs_evidence_of_own_reporting() -> None:
    wire = doc("wire", 'HARLOW (Wire) – The port closed. "We had no choice," harbour master Ana Ruiz said.',
               ('"We had no choice,"', "Ana Ruiz", StatementKind.DIRECT), outlet="Wire")
    agency = doc("agency", "Shipping was halted across Harlow bay when gale winds tore through on Monday.", outlet="Daily",
                 credited=("AFP",))
    rewrite = doc("rewrite", "Authorities suspended all ferry traffic as weather worsened and waves grew.", outlet="Farm")
    c = compare_story("s", [wire, agency, rewrite])
    status = {s.article_id: s.status for s in c.sources}
    assert status == {"wire": "independent", "agency": "credited", "rewrite": "possibly-common-source"}
    assert c.independent_sources == 2
    line = next(x for x in c.summary if x.kind == "independence")
    assert "AFP (credited by Daily)" in line.text and "possibly from a common source" in line.text and "Farm" in line.text
    assert 3 <= len(c.summary) <= 6 and not any("every compared fact" in x.text for x in c.summary)
    coverage = next(x for x in c.summary if x.kind == "coverage")
    assert coverage.text.endswith("appear in one outlet only")


def _entry(i: int, text: str, article: str) -> TimelineEntry:
    s = Statement(f"st{i}", StatementKind.INDIRECT, ((0, len(text)),), "Ana Ruiz", None)
    return TimelineEntry(StoredStatement(article, None, None, f"2024-05-0{i}", "stated", s, text), ("place:kharkiv",), None)


def test_timeline_flags_a_negated_claim_but_not_a_reassuring_paraphrase() -> None:
    flagged = flag_contradictions([_entry(1, "Russia has no plans to take Kharkiv", "a"),
                                   _entry(2, "Russia plans to take Kharkiv", "b")])
    assert flagged[1].contradicts == ("st1",)
    calm = flag_contradictions([_entry(1, "to reassure residents worried about pollution of the Kharkiv river", "a"),
                                _entry(2, "that residents need not fear for the Kharkiv river", "b")])
    assert calm[1].contradicts == ()


def test_every_comparison_key_is_documented() -> None:
    from tests.conftest import ROOT

    doc_text = (ROOT / "docs" / "export-schema.md").read_text("utf-8").split("### Comparison")[1].split("\n## ")[0]
    a = doc("a", "Ana Ruiz said the bridge will stay closed as of today.", "the bridge will stay closed as of today")
    b = doc("b", "Ana Ruiz said the bridge will stay closed.", "the bridge will stay closed", published="2024-05-02")
    record = export.comparison_record(compare_story("s", [a, b]))
    variant = record["statements"][0]["variants"][1]
    keys = set(record) | set(record["summary"]) | set(record["summary"]["lines"][0]) | set(record["summary"]["compared"]) \
        | set(record["sources"][0]) | set(variant) | set(variant["shift"][0]) | set(variant["shift"][0]["from"])
    assert {k for k in keys if not re.search(rf"[`{{, ]{k}[`}},]", doc_text)} == set()


def test_denied_becoming_admitted_and_a_quote_becoming_a_paraphrase() -> None:
    a = doc("a", 'Ana Ruiz denied that the council hid the report. "We hid nothing," Ruiz said.',
            ("that the council hid the report", "Ana Ruiz", StatementKind.INDIRECT, "denied"))
    b = doc("b", "Ana Ruiz admitted that the council hid the report.",
            ("that the council hid the report", "Ana Ruiz", StatementKind.INDIRECT, "admitted"), published="2024-05-02")
    [group] = compare_story("s", [a, b]).statements
    [shift] = [s for s in group.variants[1].shifts if s.kind == "modality"]
    assert shift.detail == "deny ('denied') → admit ('admitted')"
    c = doc("c", '"The dam will hold," Ana Ruiz said.', ('"The dam will hold,"', "Ana Ruiz", StatementKind.DIRECT))
    d = doc("d", "Ana Ruiz said that the dam will hold.", "that the dam will hold", published="2024-05-02")
    [group] = compare_story("s", [c, d]).statements
    assert [s.detail for s in group.variants[1].shifts if s.kind == "attribution"] == ["quoted → paraphrased"]
