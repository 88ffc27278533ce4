"""The learned line classifier: features, page-dump detection, and its use inside clean_text."""

from __future__ import annotations

from crosswire.extract.linemodel import FEATURES, line_features, load_line_model, looks_like_page_dump, main_block
from crosswire.extract.text import clean_text

ARTICLE = [
    "The regional council of Lindholm approved a new tram line on Tuesday, linking the central station with the university campus.",
    "Construction will start next spring and is expected to cost 140 million crowns, council leader Ada Brink told reporters.",
    "Opposition members argued that buses would serve the hospital district faster and asked for an independent review.",
    "The first trams are due to run in 2028, the council said in a statement published after the vote on Tuesday evening.",
]
NAV = ["Home", "News", "Sport", "Culture", "Weather", "Search", "Menu", "Log in", "Subscribe", "Lindholm Daily"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "Cookie settings", "Careers", "Advertise with us",
          "Newsletter", "RSS", "Apps", "© 2025 Lindholm Daily", "Follow us", "Facebook", "Instagram"]
PAGE = [*NAV, "Tram Line Approved for Lindholm", *ARTICLE, "Most read", "Ferry fares rise", "Storm hits coast", *FOOTER]


def test_features_have_one_value_per_name_and_line() -> None:
    rows = line_features(PAGE)
    assert len(rows) == len(PAGE) and all(len(r) == len(FEATURES) for r in rows)
    assert line_features([]) == []


def test_main_block_is_the_article() -> None:
    words = [len(line.split()) for line in PAGE]
    start, end = main_block(words)
    assert PAGE[start:end] == ARTICLE


def test_page_dump_detection() -> None:
    assert looks_like_page_dump(PAGE)
    assert not looks_like_page_dump(ARTICLE * 8)  # long article text, no menus
    assert not looks_like_page_dump(NAV)  # too few lines to judge


def test_page_dump_cleanup_keeps_the_article_and_drops_the_chrome() -> None:
    c = clean_text("\n".join(PAGE))
    for paragraph in ARTICLE:
        assert paragraph in c.body
    dropped = {r.text for r in c.removed}
    assert len(dropped & set(NAV + FOOTER)) >= len(NAV + FOOTER) * 0.8
    assert any(r.rule.startswith("classifier:") for r in c.removed)
    model = load_line_model()
    for r in c.removed:
        if r.rule.startswith("classifier:"):
            assert float(r.rule.split(":")[1]) >= model.threshold - 0.005 and len(r.text.split()) <= model.max_words


def test_article_text_is_never_given_to_the_model() -> None:
    c = clean_text("\n".join(["Tram Line Approved", *ARTICLE, "Short line", "Another one"]))
    assert not any(r.rule.startswith("classifier:") for r in c.removed)
    assert "Short line" in c.body


def test_shipped_model_matches_the_features() -> None:
    model = load_line_model()
    assert len(model.weights) == len(model.means) == len(model.scales) == len(FEATURES)
    assert 0.5 <= model.threshold <= 1.0 and model.max_words >= 1 and "silver" in model.trained_on
