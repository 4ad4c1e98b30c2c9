"""Content files load into typed models, and each kind of mistake gives one clear message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from inclucities.content import DATA_DIR, ContentError, load_content

CONTENT_FILES = ("sources.yaml", "associations.yaml", "cities.yaml", "themes.yaml", "pairs.yaml")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    for name in CONTENT_FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def edit(path: Path, change) -> None:
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")


def test_shipped_content_has_eight_cities_four_pairs_and_the_coordinator():
    content = load_content()
    roles = [c.role for c in content.city_list()]
    assert roles.count("mentor") == 4
    assert roles.count("mentee") == 4
    assert roles.count("coordinator") == 1
    assert sorted(content.pairs) == [1, 2, 3, 4]
    assert {p.theme for p in content.pairs.values()} == set(content.themes)


def test_pairs_match_the_facts_file():
    content = load_content()
    expected = {
        1: ("brussels", "saint-jean-de-la-ruelle"),
        2: ("mechelen", "capaci"),
        3: ("fuenlabrada", "livadia"),
        4: ("schaerbeek", "jelgava"),
    }
    assert {p.id: (p.mentor, p.mentee) for p in content.pairs.values()} == expected
    assert content.cities["brussels"].population.value == 175000
    assert content.cities["saint-jean-de-la-ruelle"].foreign_origin_share.value == pytest.approx(
        0.19
    )
    assert content.cities["capaci"].foreign_origin_share is None


def test_every_record_names_sources_that_exist():
    content = load_content()
    for city in content.city_list():
        assert city.sources
        assert all(key in content.sources for key in city.sources)


def test_invalid_yaml_names_the_file(data_copy: Path):
    (data_copy / "cities.yaml").write_text("- id: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^cities\.yaml: not valid YAML"):
        load_content(data_copy)


def test_missing_file_names_the_file(data_copy: Path):
    (data_copy / "themes.yaml").unlink()
    with pytest.raises(ContentError, match=r"themes\.yaml: file not found"):
        load_content(data_copy)


def test_wrong_type_names_file_record_and_field(data_copy: Path):
    def change(records):
        records[2]["lat"] = "north"

    edit(data_copy / "cities.yaml", change)
    with pytest.raises(ContentError, match=r"cities\.yaml: record 'mechelen', field 'lat'"):
        load_content(data_copy)


def test_missing_translation_names_the_nested_field(data_copy: Path):
    def change(records):
        del records[0]["name"]["fr"]

    edit(data_copy / "cities.yaml", change)
    with pytest.raises(ContentError, match=r"record 'brussels', field 'name\.fr': Field required"):
        load_content(data_copy)


@pytest.mark.parametrize("lang", ["uk", "ar", "lv"])
def test_every_content_language_is_required(data_copy: Path, lang: str):
    """Content is in all nine languages: a missing one names file, record and field."""

    def change(records):
        del records[3]["facts"][lang]

    edit(data_copy / "cities.yaml", change)
    with pytest.raises(
        ContentError, match=rf"cities\.yaml: record 'capaci', field 'facts\.{lang}'"
    ):
        load_content(data_copy)


def test_unknown_field_is_refused(data_copy: Path):
    def change(records):
        records[0]["mayor"] = "someone"

    edit(data_copy / "cities.yaml", change)
    with pytest.raises(ContentError, match=r"record 'brussels', field 'mayor'"):
        load_content(data_copy)


def test_unknown_source_key_is_refused(data_copy: Path):
    def change(records):
        records[1]["sources"] = ["NOWHERE"]

    edit(data_copy / "cities.yaml", change)
    with pytest.raises(ContentError, match=r"record 'saint-jean-de-la-ruelle'.*'NOWHERE'"):
        load_content(data_copy)


def test_pair_with_wrong_mentor_is_refused(data_copy: Path):
    def change(records):
        records[0]["mentor"] = "jelgava"

    edit(data_copy / "pairs.yaml", change)
    with pytest.raises(ContentError, match=r"pairs\.yaml: record '1', field 'mentor'"):
        load_content(data_copy)


def test_unknown_theme_is_refused(data_copy: Path):
    def change(records):
        records[3]["theme"] = "sports"

    edit(data_copy / "pairs.yaml", change)
    with pytest.raises(ContentError, match=r"record '4', field 'theme': unknown 'sports'"):
        load_content(data_copy)


def test_lists_of_different_length_are_refused(data_copy: Path):
    def change(records):
        records[1]["challenges"]["fr"].pop()

    edit(data_copy / "pairs.yaml", change)
    with pytest.raises(ContentError, match=r"record '2', field 'challenges\.fr': 2 items"):
        load_content(data_copy)


def test_source_without_a_title_is_refused(data_copy: Path):
    def change(records):
        del records[0]["title"]

    edit(data_copy / "sources.yaml", change)
    with pytest.raises(ContentError, match=r"sources\.yaml: record 'CEMR-LESSONS', field 'title'"):
        load_content(data_copy)


def test_a_site_only_link_needs_an_address(data_copy: Path):
    def change(records):
        records[1].pop("url")

    edit(data_copy / "sources.yaml", change)
    with pytest.raises(ContentError, match=r"record 'LEAFLET'.*site_only needs a url"):
        load_content(data_copy)


def test_map_page_shows_the_error_instead_of_a_traceback(monkeypatch, tmp_path: Path):
    from inclucities import content as content_module
    from tests.apptest_utils import run_app

    for name in CONTENT_FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    (tmp_path / "pairs.yaml").write_text("- id: 9\n", encoding="utf-8")
    monkeypatch.setattr(content_module, "DATA_DIR", tmp_path)
    monkeypatch.setattr(content_module.load_content, "__defaults__", (tmp_path,))
    content_module.default_content.cache_clear()
    try:
        at = run_app("pages/map.py", "en")
        assert not at.exception
        shown = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # Markdown escapes off
        assert any("pairs.yaml: record '9'" in text for text in shown), shown
    finally:
        content_module.default_content.cache_clear()
