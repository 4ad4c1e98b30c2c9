"""The partner map builder, checked through the HTML it renders, and the table alternative."""

from __future__ import annotations

import math
import re
from itertools import pairwise
from pathlib import Path

import pytest

from inclucities.content import load_content
from inclucities.i18n import translator
from inclucities.mapping import (
    CROWD_DIRECTIONS,
    MapFilters,
    build_partner_map,
    cities_table,
    city_at,
    legend_html,
    map_config,
    marker_size,
    visible_cities,
)

ROOT = Path(__file__).resolve().parent.parent


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


def test_every_pair_is_labelled_on_the_map_the_same_way_by_its_number(content):
    """Issue 26: no pair shows its theme while another shows only its number."""
    config = map_config(content, translator("fr"), visible_cities(content, MapFilters()))
    assert [pair["label"] for pair in config["pairs"]] == ["1", "2", "3", "4"]
    assert all(set(pair) == {"id", "mentor", "mentee", "label"} for pair in config["pairs"])


def test_every_partner_country_is_named_in_the_page_language(content):
    cities = visible_cities(content, MapFilters())
    assert map_config(content, translator("fr"), cities)["countries"] == {
        "BE": "Belgique",
        "ES": "Espagne",
        "FR": "France",
        "GR": "Grèce",
        "IT": "Italie",
        "LV": "Lettonie",
    }
    assert map_config(content, translator("el"), cities)["countries"]["BE"] == "Βέλγιο"
    only_pair_4 = visible_cities(content, MapFilters.of(pairs=[4]))
    assert set(map_config(content, translator("en"), only_pair_4)["countries"]) == {"BE", "LV"}


def test_the_map_leaves_the_scale_to_the_layout_script_which_shows_metric_only(content):
    page = render(content)
    assert "L.control.scale" not in page  # folium's scale shows miles too
    script = (ROOT / "static" / "map" / "partner-map.js").read_text(encoding="utf-8")
    assert "L.control.scale({ imperial: false" in script


def _screen_direction(content, city_id: str, other_id: str) -> tuple[float, float]:
    """From one city toward another on screen (x right, y down), roughly, in degrees."""
    a, b = content.cities[city_id], content.cities[other_id]
    return (b.lon - a.lon) * math.cos(math.radians(a.lat)), a.lat - b.lat


def _angle(vector: tuple[float, float]) -> float:
    return math.degrees(math.atan2(vector[1], vector[0])) % 360


def test_crowded_markers_fan_out_to_their_own_sides_toward_their_partners(content):
    """The Brussels-area leaders fan out from one hub: apart by at least 45°, and each paired
    city steps toward its partner so its pair line leaves the cluster without crossing them."""
    angles = {city: _angle(direction) for city, direction in CROWD_DIRECTIONS.items()}
    assert set(angles) == {"brussels", "mechelen", "schaerbeek", "cemr"}
    ordered = sorted(angles.values())
    gaps = [b - a for a, b in pairwise(ordered)] + [360 - ordered[-1] + ordered[0]]
    assert min(gaps) >= 45, angles
    for city_id, direction in CROWD_DIRECTIONS.items():
        pair = content.pair_for_city(city_id)
        if pair is None:
            continue
        partner = pair.mentee if pair.mentor == city_id else pair.mentor
        toward = _screen_direction(content, city_id, partner)
        assert direction[0] * toward[0] + direction[1] * toward[1] > 0, city_id


def test_the_opening_view_is_fitted_at_once_not_animated(content):
    """A zoom still running shows the labels scaled over the wrong countries (CI: 'Greece sits
    on MK'): the labels are placed for the view the script reads, so the fit is not animated."""
    page = render(content)
    fit = page[page.index(".fitBounds(") :]
    assert '"animate": false' in fit[: fit.index(");")]
