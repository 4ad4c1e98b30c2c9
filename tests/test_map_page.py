"""The map page (issue 26): the map before its folded filters, cited notes, no false warning."""

from __future__ import annotations

import re

import pytest

from inclucities.i18n import default_catalogs
from tests.apptest_utils import page_text, run_app

CITATION = re.compile(r"\[\\\[\d+\\\]\]\(#[\w-]+\)")


@pytest.fixture(scope="module")
def fr_page():
    at = run_app("pages/map.py", "fr")
    assert not at.exception
    return at


def test_the_map_comes_first_and_its_filters_fold_under_it(fr_page):
    children = list(fr_page.main.children.values())
    kinds = [getattr(node, "type", "") for node in children]
    filters_at = next(
        i for i, node in enumerate(children) if kinds[i] == "expander" and node.label == "Filtres"
    )
    map_slot = children[filters_at - 1]  # the slot the map is drawn into, just before
    assert kinds[filters_at - 1] == "flex_container"
    assert any("map-legend" in el.proto.body for el in map_slot.get("html"))
    assert kinds.index("selectbox") > filters_at  # the city chooser follows
    expander = children[filters_at]
    assert [m.label for m in expander.multiselect] == ["Duo", "Thème", "Rôle"]


def test_filters_still_narrow_the_map_key_from_under_the_map():
    at = run_app("pages/map.py", "en")
    at.multiselect(key="map_filter_pairs").set_value([4]).run()
    assert not at.exception
    key = next(el.proto.body for el in at.get("html") if "map-pairs-key" in el.proto.body)
    assert "Schaerbeek" in key and "Capaci" not in key


def test_notes_under_the_table_carry_their_citations(fr_page):
    notes = [
        m.value
        for m in fr_page.markdown
        if "Wikipédia indique 16" in m.value or "Autres sources" in m.value
    ]
    assert notes, "the figure notes are missing"
    lines = [line for line in notes[0].splitlines() if line.startswith("- ")]
    assert len(lines) >= 4  # Saint-Jean, Fuenlabrada, Livadia, Capaci
    for line in lines:
        assert CITATION.search(line), f"no citation on: {line}"


def test_no_false_warning_that_the_map_needs_internet(fr_page):
    # The map draws from files the app serves itself (see test_browser_map), so the old note
    # "if the map does not appear (at a venue without internet)" is gone, and its catalog entry.
    assert "internet" not in page_text(fr_page).lower()
    assert default_catalogs().lookup("fr", "map.offline_note") is None
