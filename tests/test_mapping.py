"""The partner map builder, checked through the HTML it renders, and the table alternative."""

from __future__ import annotations

import re

import pytest

from inclucities.content import load_content
from inclucities.i18n import translator
from inclucities.mapping import (
    MapFilters,
    build_partner_map,
    cities_table,
    city_at,
    legend_html,
    marker_size,
    visible_cities,
)


@pytest.fixture(scope="module")
def content():
    return load_content()


def render(content, lang="en", filters=None) -> str:
    return build_partner_map(content, translator(lang), filters).get_root().render()


def test_one_marker_per_city_with_shape_by_role(content):
    page = render(content)
    assert page.count("city-marker role-mentor") == 4
    assert page.count("city-marker role-mentee") == 4
    assert page.count("city-marker role-coordinator") == 1
    assert page.count("rect x=") >= 4  # mentors are squares
    assert page.count("circle cx=") >= 4  # mentees are circles


def test_four_pair_lines_labelled_with_their_theme(content):
    page = render(content)
    assert len(re.findall(r"L\.polyline\(", page)) == 4
    for label in (
        "1 · Gender-sensitive integration",
        "2 · Building a &quot;city for all&quot;",
        "3 · Labour market integration",
        "4 · Language learning support",
    ):
        assert label in page


def test_popups_carry_the_city_facts_in_the_chosen_language(content):
    page = render(content, "fr")
    assert "Ville de Bruxelles" in page
    assert "175\u202f000" in page  # population, French grouping
    assert "36\u00a0%" in page  # foreign-origin share
    assert "Ville mentorée" in page
    assert "BRULOCALIS" in page
    assert "Sources : " not in page or "P1" in page
    assert "Malines" in page


def test_legend_names_every_role_with_its_shape():
    legend = legend_html(translator("fr"))
    for role_label in ("Ville mentor", "Ville mentorée", "Coordinateur (CCRE)"):
        assert role_label in legend
    assert "■" in legend and "●" in legend and "◆" in legend  # shapes, not colour alone
    assert "mentor → mentorée" in legend


def test_marker_size_grows_with_population(content):
    sizes = {c.id: marker_size(content, c) for c in content.city_list()}
    assert sizes["fuenlabrada"] > sizes["mechelen"] > sizes["capaci"]


def test_filters_by_pair_theme_and_role(content):
    assert {c.id for c in visible_cities(content, MapFilters.of(pairs=[3]))} == {
        "fuenlabrada",
        "livadia",
    }
    assert {c.id for c in visible_cities(content, MapFilters.of(themes=["language"]))} == {
        "schaerbeek",
        "jelgava",
    }
    mentees = visible_cities(content, MapFilters.of(roles=["mentee"]))
    assert len(mentees) == 4 and all(c.role == "mentee" for c in mentees)
    page = render(content, filters=MapFilters.of(roles=["mentee"]))
    assert "L.polyline(" not in page  # no mentor visible, so no pair line


def test_click_position_finds_the_city(content):
    assert city_at(content, 38.1667, 13.2333).id == "capaci"
    assert city_at(content, 0.0, 0.0) is None


def test_table_has_a_row_per_city_with_locale_numbers(content):
    table = cities_table(content, translator("fr"), content.city_list())
    assert len(table) == 9
    row = table[table["Ville"] == "Fuenlabrada"].iloc[0]
    assert row["Population"] == "202\u202f000"
    assert row["Ville partenaire"] == "Livadia (Levadia)"
    assert "■" in row["Rôle"]  # role shown by symbol and word, not colour
