"""Citations: numbered in order of first use, formatted as a reader needs, no internal paths."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from inclucities.citations import (
    Citations,
    anchor,
    inline_markdown,
    numbers_label,
    sources_csv,
    sources_markdown,
)
from inclucities.content import default_content
from inclucities.i18n import LANGUAGES, translator

ROOT = Path(__file__).resolve().parent.parent
REGISTER = default_content().sources


def test_numbers_follow_first_citation_and_repeat_for_the_same_source():
    cites = Citations(REGISTER)
    assert cites.cite(["P1", "PROJ"]) == (1, 2)
    assert cites.cite(["PROJ", "CEMR-LESSONS", "P1"]) == (1, 2, 3)
    assert cites.cite(["NO-SUCH-KEY"]) == ()
    assert cites.keys == ["P1", "PROJ", "CEMR-LESSONS"]
    assert numbers_label(cites.cite(["CEMR-LESSONS", "P1"])) == "[1, 3]"
    assert inline_markdown((1, 3)) == "[\\[1\\]](#src-1) [\\[3\\]](#src-3)"
    assert anchor(3) == "src-3"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_cited_source_is_a_full_citation_in_every_language(lang):
    t = translator(lang)
    cites = Citations(REGISTER)
    cites.cite_in_order(REGISTER)
    for entry in cites.entries(t):
        assert entry.title and entry.publisher, entry.key
        source = REGISTER[entry.key]
        assert bool(entry.date) == bool(source.date), entry.key  # a date only when one is known
        if lang != "en":  # our English descriptions of pages are not shown to other readers
            assert not entry.title.startswith("[") or entry.title_lang != "en", entry.key
        assert entry.url or entry.availability, entry.key  # no link is said, never left blank
        assert entry.url.startswith("https://") or entry.url.startswith("http://") or not entry.url
        text = entry.text()
        assert text.startswith(f"[{entry.number}] {entry.publisher}.")
        assert "shared/" not in text and "SEED" not in text


def test_a_french_document_gets_a_translated_title_and_its_date_and_language():
    cites = Citations(REGISTER)
    cites.cite(["BRUL-PR"])
    en = cites.entries(translator("en"))[0]
    assert en.title.startswith("Migrations en Europe") and en.title_lang == "fr"
    assert en.translated_title.startswith("Migration in Europe")
    assert en.date == "December 8, 2022" and en.language == "Language: French"
    assert en.url.startswith("https://brulocalis.brussels/") and en.availability == ""
    fr = cites.entries(translator("fr"))[0]
    assert fr.translated_title == ""  # a French reader reads the title itself
    assert fr.date == "8 décembre 2022" and fr.language == "Langue : français"
    ar = cites.entries(translator("ar"))[0]
    assert ar.language == "اللغة: الفرنسية" and "2022" in ar.date


def test_the_leaflet_link_says_it_is_the_publishers_site():
    cites = Citations(REGISTER)
    cites.cite(["LEAFLET"])
    entry = cites.entries(translator("en"))[0]
    assert entry.url == "https://www.inclucities.eu/"
    assert "website that published it" in entry.availability


def test_downloads_carry_the_numbered_list():
    t = translator("en")
    cites = Citations(REGISTER)
    cites.cite(["CEMR-LESSONS", "P3"])
    markdown = sources_markdown(cites, t)
    assert markdown.startswith("## Sources\n")
    assert "- [1] CEMR (CCRE). Leçons clés" in markdown
    assert "https://inclucities.eu/pair-3" in markdown
    rows = list(csv.reader(io.StringIO(sources_csv(cites, t))))
    assert rows[0] == ["Number", "Title", "Publisher", "Date", "Language", "Link", "Note"]
    assert rows[2][0] == "2" and rows[2][5] == "https://inclucities.eu/pair-3"


def test_the_project_documents_are_in_the_register_with_their_titles():
    titles = {key: REGISTER[key].title for key in ("CEMR-LESSONS", "LEAFLET", "CEMR-WG", "BRUL-PR")}
    assert titles["CEMR-LESSONS"].startswith("Leçons clés du projet IncluCities")
    assert "IncluCities en bref" in titles["LEAFLET"]
    assert titles["CEMR-WG"].startswith("Migration et inclusion")
    assert titles["BRUL-PR"].startswith("Migrations en Europe")
    for key in titles:
        assert REGISTER[key].short is not None and set(REGISTER[key].short) == set(LANGUAGES)


def test_nothing_shipped_points_at_the_internal_dossier():
    """No shipped file names the team's internal folder, the dossier key or the seed files."""
    shipped = [ROOT / "app.py"]
    for folder in ("data", "inclucities", "components", "pages", "surveys", "static"):
        shipped += [p for p in (ROOT / folder).rglob("*") if p.is_file()]
    found = []
    for path in shipped:
        if path.suffix not in {".py", ".yaml", ".po", ".pot", ".css", ".j2", ".md", ".js"}:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("shared/", "SEED-", "FACTS", "seeds/", "facts/inclucities"):
            if needle in text:
                found.append(f"{path.relative_to(ROOT)}: {needle}")
    assert found == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_map_page_shows_numbers_and_titles_never_register_keys(lang):
    """Story, tables, popups and associations cite by number; the list under the map has the
    full citation of each number."""
    from inclucities.mapping import build_partner_map
    from tests.apptest_utils import page_text, run_app

    at = run_app("pages/map.py", lang)
    at.selectbox(key="map_selected_city").set_value("capaci").run()  # its pair story too
    assert not at.exception
    shown = page_text(at) + "".join(h.proto.body for h in at.get("html"))
    # a key as the old captions showed it: alone, before a comma, a bracket or the line's end
    names = {  # association names that are also register keys, e.g. "LALRG (LPS)"
        word
        for a in default_content().associations.values()
        for word in re.findall(r"[\w-]+", f"{a.acronym} {a.local_name or ''}")
    }
    leaked = [
        key
        for key in REGISTER
        if key not in names
        and re.search(rf"(?<![\w-]){re.escape(key)}(?=[,)\]]|[ \t]*$)", shown, re.MULTILINE)
    ]
    assert leaked == []
    assert "[1]" in shown or "\\[1\\]" in shown
    popups = build_partner_map(default_content(), translator(lang), cites=Citations())
    html = popups.get_root().render()
    assert not [k for k in REGISTER if k not in names and (f": {k}" in html or f"{k}," in html)]
