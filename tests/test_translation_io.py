"""Content and survey texts go out as one PO per language and come back without harm."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from inclucities.i18n import LANGUAGES
from inclucities.translation_io import (
    ROOT,
    TranslationFileError,
    all_units,
    export_catalog,
    import_catalog,
    missing_translations,
    write_export,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the content and survey files to import into."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("i18n"))
    shutil.copytree(ROOT / "surveys", tmp_path / "surveys")
    return tmp_path


def _export(lang: str, root: Path, tmp_path: Path) -> Path:
    out = tmp_path / f"content-{lang}.po"
    write_export(lang, out, root)
    return out


def _edit(po: Path, context: str, text: str) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.context == context)
    message.string = text
    with po.open("wb") as handle:
        write_po(handle, catalog, width=100)


def test_every_shipped_content_and_survey_text_exists_in_every_language():
    assert missing_translations() == []
    units = all_units()
    files = {u.file for u in units}
    assert "data/cities.yaml" in files and "surveys/definitions/resident.yaml" in files
    assert "data/sources.yaml" in files  # the translated short titles of the project documents


def test_the_export_has_context_source_and_a_french_reference():
    catalog = export_catalog("uk")
    entry = catalog.get("Italian Association of CEMR", context="data/associations.yaml|aiccre.name")
    assert entry is not None and entry.string == "Італійська асоціація CEMR"
    assert any("French: Association italienne du CCRE" in c for c in entry.auto_comments)
    fact = catalog.get(
        "Sicily is a main arrival point in Italy, with about 190,000 migrants on the island.",
        context="data/cities.yaml|capaci.facts.0",
    )
    assert fact is not None  # a list item is its own entry, named by the record id
    survey = catalog.get("housing", context="surveys/definitions/resident.yaml|"
                         "questions.access.items.housing.label")  # fmt: skip
    assert survey is not None and survey.string == "житла"


def test_english_is_the_source_not_a_target():
    with pytest.raises(TranslationFileError):
        export_catalog("en")


def test_an_untouched_round_trip_leaves_every_file_byte_for_byte(project: Path, tmp_path: Path):
    before = {p: p.read_bytes() for p in project.rglob("*.yaml")}
    report = import_catalog(_export("lv", project, tmp_path), project)
    assert report.written == 0 and not report.stale and not report.unknown
    assert {p: p.read_bytes() for p in project.rglob("*.yaml")} == before


def test_an_imported_translation_changes_only_its_own_line(project: Path, tmp_path: Path):
    po = _export("nl", project, tmp_path)
    _edit(po, "data/themes.yaml|language.name", "Hulp bij het leren van de taal")
    _edit(po, "data/pairs.yaml|4.challenges.1", "Negatieve houding tegenover migranten.")
    themes_before = (project / "data/themes.yaml").read_text(encoding="utf-8").splitlines()
    report = import_catalog(po, project)
    assert report.written == 2 and report.files == {"data/themes.yaml", "data/pairs.yaml"}
    themes_after = (project / "data/themes.yaml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(themes_before, themes_after, strict=True) if a != b]
    assert changed == [
        (
            "    nl: Ondersteuning bij het leren van de taal",
            "    nl: Hulp bij het leren van de taal",
        )
    ]
    pairs = (project / "data/pairs.yaml").read_text(encoding="utf-8")
    assert "- Negatieve houding tegenover migranten." in pairs
    assert "# The four mentoring pairs" in pairs  # comments survive


def test_a_missing_language_is_inserted_in_its_place(project: Path, tmp_path: Path):
    path = project / "data/associations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    uk: Асоціація фламандських міст і громад\n", ""), "utf-8")
    po = _export("uk", project, tmp_path)
    _edit(po, "data/associations.yaml|vvsg.name", "Асоціація фламандських міст і громад")
    assert import_catalog(po, project).written == 1
    assert path.read_text(encoding="utf-8") == text


def test_an_entry_whose_english_changed_is_skipped_and_reported(project: Path, tmp_path: Path):
    po = _export("es", project, tmp_path)
    _edit(po, "data/themes.yaml|labour.name", "Integración laboral")
    themes = project / "data/themes.yaml"
    themes.write_text(
        themes.read_text(encoding="utf-8").replace(
            "en: Labour market integration", "en: Integration into work"
        ),
        encoding="utf-8",
    )
    report = import_catalog(po, project)
    assert report.stale == ["data/themes.yaml|labour.name"] and report.written == 0


def test_a_po_without_a_language_is_refused(tmp_path: Path):
    po = tmp_path / "x.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n', "utf-8")
    with pytest.raises(TranslationFileError, match="names no language"):
        import_catalog(po)


def test_every_language_can_be_exported():
    for lang in LANGUAGES:
        if lang != "en":
            assert len(export_catalog(lang)) == len(all_units())
