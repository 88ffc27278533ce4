"""Text cleanup rules on small hand-written articles (invented text)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.extract.text import clean_text, line_key, markdown_plain

SCRAPE = """\
Ad image

# Harbour Crane Collapses in Storm, Port Closed for Two Days

By [Nordwire](#)

March 3, 2025

![crane](https://example.invalid/crane.jpg)

The toppled crane lies across Pier 4. **Ana Lind / Nordwire**

PORTVILLE, Estria (Nordwire) – A container crane collapsed at Portville harbour on Sunday night, injuring three dock workers, the port authority said.

"We closed the port as a precaution," harbour master Ilse Berg told reporters.

**Related article:** [Storm warnings issued for the coast](#)

Read also:
- Ferry fares to rise in spring
- New lighthouse opens at Cape Varn

Engineers will inspect the remaining cranes before operations resume, Berg said, adding that no ships were damaged.

3 Min Read

Share This Article

Register now to get free unlimited access to Nordwire.example

Additional reporting by Piet Hol; Writing by Mara Quist; Editing by Jon Dell

Leave a Comment

Original url:

<https://nordwire.example/2025/03/03/crane-collapse?utm_source=feed>
"""


def test_scrape_metadata_is_parsed_before_the_lines_go() -> None:
    c = clean_text(SCRAPE)
    assert c.title == "Harbour Crane Collapses in Storm, Port Closed for Two Days"
    assert c.credited == ("Nordwire",)
    assert c.published is not None and c.published[0] == "2025-03-03"
    assert "line" in c.published[1]
    assert c.url == "https://nordwire.example/2025/03/03/crane-collapse?utm_source=feed"
    assert c.dateline == "Portville"
    assert c.authors == ("Mara Quist",)


def test_scrape_debris_removed_with_reasons_and_paragraphs_kept() -> None:
    c = clean_text(SCRAPE)
    assert c.body.startswith("PORTVILLE, Estria (Nordwire) – A container crane collapsed")
    assert '"We closed the port as a precaution," harbour master Ilse Berg told reporters.' in c.body
    assert c.body.endswith("no ships were damaged.")
    for debris in ("Ad image", "Share This", "Min Read", "Register now", "Leave a Comment", "Ferry fares",
                   "Storm warnings", "Ana Lind", "crane.jpg", "Original url", "Writing by"):
        assert debris not in c.body, debris
    rules = {r.text.strip(): (r.reason, r.rule) for r in c.removed}
    assert rules["Share This Article"] == ("boilerplate", "lexicon:share")
    assert rules["3 Min Read"] == ("boilerplate", "lexicon:reading")
    assert rules["Read also:"] == ("related-block", "block:start")
    assert rules["- Ferry fares to rise in spring"][0] == "related-block"
    assert rules["**Related article:** [Storm warnings issued for the coast](#)"][0] == "related-teaser"
    assert rules["By [Nordwire](#)"] == ("metadata", "byline")
    assert rules["March 3, 2025"] == ("metadata", "date-line:published")
    assert rules["The toppled crane lies across Pier 4. **Ana Lind / Nordwire**"][0] == "caption"
    assert all(SCRAPE.split("\n")[r.line_no - 1].strip().endswith(r.text.strip()) for r in c.removed if r.line_no > 0)


def test_plain_title_outlet_line_and_highlights() -> None:
    text = (
        "Mayor Promises New Tram Line by 2027\n"
        "Valley Courier\n"
        "  • Budget of 40 million approved\n"
        "  • Works start in autumn\n"
        "The mayor of Lindholm said on Tuesday that the city would open a new tram line by 2027, "
        "connecting the station with the university.\n"
        "Kursk Tram History\n"
        "The last tram in Lindholm ran in 1961, when buses replaced the old network entirely.\n"
    )
    c = clean_text(text)
    assert c.title == "Mayor Promises New Tram Line by 2027"
    assert c.outlet == "Valley Courier"
    assert "Budget of 40 million" not in c.body
    assert "Kursk Tram History" in c.body  # a subheading below the first paragraph stays
    assert c.published is None


def test_title_section_suffix_dropped_and_recorded() -> None:
    c = clean_text("Dam Opens After Ten Years | Regional news\nMONews\nThe new dam on the Orva river opened on Monday after ten years of construction work.\n")
    assert c.title == "Dam Opens After Ten Years"
    assert any("section suffix" in s for f, s in c.signals if f == "title")


def test_source_line_credited_and_restating_prose_kept() -> None:
    c = clean_text("A headline here\nThe council voted to close the old bridge to heavy traffic, citing cracks found last year.\nSource: www.dailyvoice.example\n")
    assert c.credited == ("www.dailyvoice.example",)
    assert "Source:" not in c.body


def test_prose_with_reported_by_is_not_a_credits_line() -> None:
    line = "The blast damaged four homes and injured two people, as reported by local officials."
    c = clean_text("A headline\n" + line + "\n")
    assert line in c.body


def test_trailing_read_more_is_cut_and_recorded() -> None:
    c = clean_text("Title of it\nThe minister warned that the decision would cross a red line for the government. Read more\n")
    assert c.body.endswith("for the government.")
    assert any(r.rule == "trailing-phrase" for r in c.removed)


def test_hard_wrapped_paragraph_rejoined() -> None:
    c = clean_text("Wrapped Title\nThe storm reached the coast late on Friday and\nknocked out power for thousands of homes in the region.\n")
    assert "Friday and knocked out power" in c.body


def test_all_caps_dateline_place() -> None:
    c = clean_text("Headline\nLINDHOLM — The city council on Monday approved a budget for the new tram line to the university.\n")
    assert c.dateline == "Lindholm"


def test_updated_date_line_kept_apart_from_published() -> None:
    c = clean_text("Headline\nPublished: 12.04.2025 09:00\nUpdated: 13.04.2025 18:30\nSome long paragraph of text that is clearly article prose and continues for a while.\n")
    assert c.published and c.published[0] == "2025-04-12"
    assert c.updated and c.updated[0] == "2025-04-13"


def test_relative_dates_are_never_resolved() -> None:
    c = clean_text("Headline\nOn Friday\nThe council met on Friday to discuss the tram plan and approved it after a long debate.\n")
    assert c.published is None


def test_from_html_drops_repeated_headline_and_kicker_but_guesses_no_outlet() -> None:
    c = clean_text("Tram Plan Approved\nCity news\nThe council approved the tram plan on Monday after a long debate in the chamber.\n"
                   "Works\nConstruction starts in May.\n", from_html=True, title="Tram Plan Approved")
    assert c.title == "Tram Plan Approved"
    assert c.outlet is None
    assert c.body.startswith("The council approved")
    assert "\n\nWorks\n\n" in c.body  # a subheading inside the body stays
    assert [(r.text, r.reason) for r in c.removed] == [("Tram Plan Approved", "metadata"), ("City news", "kicker")]


def test_markdown_plain_and_line_key() -> None:
    assert markdown_plain("**Bold** and [a link](https://x.example) here") == "Bold and a link here"
    assert line_key("© 2024 Valley Courier. All rights reserved!") == line_key("© 2025 valley courier — all rights reserved")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=25))
def test_clean_text_never_crashes_and_line_numbers_are_real(lines: list[str]) -> None:
    text = "\n".join(lines)
    c = clean_text(text)
    n_lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert all(1 <= r.line_no <= n_lines for r in c.removed)
    assert "\n\n\n" not in c.body
    assert clean_text(text) == c  # pure: same input, same output


def test_a_long_bulleted_first_paragraph_is_the_article_not_a_highlight() -> None:
    body = ("• Council approves budget • Works start in May The council of Lindholm approved the budget for the new tram "
            "line on Monday after a long debate, and construction is due to start in May next year.")
    c = clean_text(body, title="Tram budget approved")
    assert c.body == body


def test_a_one_line_text_is_kept_as_body() -> None:
    c = clean_text("Relatively unknown actor Mara Quist was named the new lighthouse keeper of Cape Varn.")
    assert c.body == "Relatively unknown actor Mara Quist was named the new lighthouse keeper of Cape Varn."
    assert c.title == "Relatively unknown actor Mara Quist was named the new lighthouse keeper of Cape Varn."
