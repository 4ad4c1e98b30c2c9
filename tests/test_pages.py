"""Every registered page runs in French and English under AppTest, starting from app.py."""

from __future__ import annotations

import re

import pytest

from components.navigation import PAGES
from tests.apptest_utils import page_text, run_app


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test_page_runs_with_a_title(spec, lang):
    at = run_app(spec.script, lang)
    assert not at.exception, at.exception
    # st.title, or a heading drawn in the language of its text (the presenter's stage)
    headings = [t.value for t in at.title] + [
        re.sub(r"<[^>]+>", "", h.proto.body) for h in at.get("html") if "<h1" in h.proto.body
    ]
    assert headings, f"{spec.script} has no title"
    assert headings[0].strip()


def test_home_shows_figures_counted_from_the_data():
    at = run_app(None, "en")
    assert not at.exception
    figures = {m.label: m.value for m in at.metric}
    assert figures["Partner cities"] == "8"
    assert figures["Mentoring pairs"] == "4"
    assert figures["Stages in the method"] == "7"
    assert figures["CEMR recommendations"] == "7"


def test_language_picker_switches_language_and_url():
    at = run_app(None, "en")
    assert at.title[0].value == "IncluCities Live"
    # At the top of the page (issues 10/12/26): one control naming the current language, which
    # opens one link per language (this page with ?lang=xx).
    picker = at.get("popover")[0]
    assert picker.proto.popover.label == "English"
    french = next(c for c in picker.children.values() if c.proto.label == "Français")
    assert french.proto.query_string == "lang=fr"
    at.query_params["lang"] = "fr"  # what following the link does
    at.run()
    assert at.query_params["lang"] == ["fr"] or at.query_params["lang"] == "fr"
    assert "Villes partenaires" in [m.label for m in at.metric]
    assert at.get("popover")[0].proto.popover.label == "Français"


def test_unknown_language_in_url_falls_back_politely():
    at = run_app(None, "xx")
    assert not at.exception
    assert "Partner cities" in [m.label for m in at.metric]


@pytest.mark.parametrize(
    ("page", "heading"),
    [
        ("pages/map.py", "المدن الشريكة وثنائياتها"),
        ("pages/process.py", "كيف جرى الإرشاد"),
        ("pages/recommendations.py", "ما الذي يوصي به IncluCities"),
        ("pages/home.py", "ما هو مشروع IncluCities؟"),
    ],
)
def test_arabic_visitor_reads_every_page_in_arabic(page, heading):
    """No page falls back to English any more: each one speaks Arabic, with no notice."""
    at = run_app(page, "ar")
    assert not at.exception
    assert heading in [*(t.value for t in at.title), *(s.value for s in at.subheader)]
    assert not [i for i in at.info if "English" in str(i.value)]


def test_map_page_tells_the_pair_story_of_the_chosen_city():
    at = run_app("pages/map.py", "en")
    at.selectbox(key="map_selected_city").set_value("jelgava").run()
    assert not at.exception
    text = page_text(at)
    assert "Pair 4: Schaerbeek → Jelgava" in [s.value for s in at.subheader]
    assert "CAMIM" in text
    assert "Limited Latvian hinders access to basic services." in text


def test_map_filters_narrow_the_table():
    at = run_app("pages/map.py", "fr")
    at.multiselect(key="map_filter_pairs").set_value([2]).run()
    assert not at.exception
    # The table is now HTML (essentials that fit a phone, issue 10), no longer st.dataframe.
    table = next(el.proto.body for el in at.get("html") if "city-table" in el.proto.body)
    names = re.findall(r'<th scope="row">.*?<span dir="auto">(.*?)</span>', table, re.S)
    assert sorted(names) == ["Capaci", "Malines"]
