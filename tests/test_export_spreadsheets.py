"""Exports that open right in European spreadsheets (issue 24): the CSV separator per language,
the Excel workbook (read back with openpyxl), typed Parquet, yes-or-no words and the withheld
cells in the admin's language."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from inclucities import admin_actions, export
from inclucities.auth import AdminSession
from inclucities.i18n import LANGUAGES, translator
from inclucities.store import SurveyStore
from scripts.support.survey_helpers import RESIDENT, SURVEYS, resident_answers

SEMICOLON_LANGUAGES = ("fr", "nl", "it", "es", "el", "lv", "uk")


@pytest.fixture
def store(tmp_path):
    s = SurveyStore(tmp_path / "sheets.duckdb", SURVEYS.values())
    yield s
    s.close()


@pytest.fixture
def admin():
    session = AdminSession()
    session.grant()
    return session


@pytest.fixture
def answered(store):
    """Six answers from Brussels in French (one "I don't know", one hostile idea, two info
    sources) and one lone Arabic answer from Jelgava, whose profile must be withheld."""
    for n in range(6):
        store.submit(
            f"b{n}",
            "resident",
            RESIDENT.version,
            "fr",
            resident_answers(
                city="brussels",
                welcome="dk" if n == 2 else "4",
                information="4",  # info_sources is asked only then
                info_sources=["city-website", "friends-family"],
                idea="=1+1" if n == 0 else f"idée {n}",
            ),
        )
    store.submit("lone", "resident", RESIDENT.version, "ar", resident_answers(city="jelgava"))
    return store


# -- the separator rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", SEMICOLON_LANGUAGES)
def test_languages_writing_decimals_with_a_comma_get_a_semicolon(lang):
    assert export.csv_separator(lang) == ";"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_english_and_arabic_get_a_comma(lang):
    # Babel: both write decimals with a point (Arabic in the Latin digits the app uses)
    assert export.csv_separator(lang) == ","


def test_every_interface_language_has_a_rule_and_an_unknown_one_falls_back_to_comma():
    assert {lang: export.csv_separator(lang) for lang in LANGUAGES} == {
        lang: ";" if lang in SEMICOLON_LANGUAGES else "," for lang in LANGUAGES
    }
    assert export.csv_separator("xx-nonsense") == ","


def test_a_semicolon_csv_splits_on_semicolons_with_decimal_commas_and_words_for_booleans():
    frame = pd.DataFrame(
        {"city": ["Liège", "=evil"], "share": [0.25, 0.5], "n": [3, 4], "hidden": [True, False]}
    )
    data = export.to_csv(frame, separator=";", booleans=("oui", "non"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))
    assert rows == [
        ["city", "share", "n", "hidden"],
        ["Liège", "0,25", "3", "oui"],
        ["'=evil", "0,5", "4", "non"],
    ]
    with pytest.raises(ValueError):
        export.to_csv(frame, separator="|")


# -- CSV files: separator, yes-or-no words, withheld cells ----------------------------------------


def test_every_csv_file_takes_the_separator_and_no_python_booleans(answered, admin):
    files = {
        "responses": admin_actions.export_responses_csv(
            admin, answered, "resident", lang="fr", separator=";"
        ),
        "codebook": admin_actions.export_codebook_csv(admin, RESIDENT, lang="fr", separator=";"),
        "shareable": admin_actions.export_shareable_csv(
            admin, answered, RESIDENT, min_cell=5, lang="fr", separator=";"
        ),
    }
    for name, data in files.items():
        text = data.decode("utf-8")
        header = next(csv.reader(io.StringIO(text), delimiter=";"))
        assert len(header) > 3, (name, header)
        assert "True" not in text and "False" not in text, name
    shareable = list(csv.DictReader(io.StringIO(files["shareable"].decode()), delimiter=";"))
    assert {row["suppressed"] for row in shareable} == {"oui", "non"}
    assert any("," in row["share"] for row in shareable)  # decimals with a comma beside ";"
    book = list(csv.DictReader(io.StringIO(files["codebook"].decode()), delimiter=";"))
    questions = [row for row in book if row["type"] not in ("note",) and not row["code"]]
    assert {row["required"] for row in questions} == {"oui", "non"}
    assert all(row["required"] == "" for row in book if row["type"] == "note")


@pytest.mark.parametrize("lang", ["fr", "en", "uk"])
def test_withheld_cells_say_so_in_the_admins_language_and_the_codebook_says_why(
    answered, admin, lang
):
    marker = translator(lang)("admin.export.withheld")
    assert marker != "admin.export.withheld"
    data = admin_actions.export_responses_csv(admin, answered, "resident", lang=lang)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    lone = next(row for row in rows if row["submission_id"] == "lone")
    assert lone["city"] == marker and lone["lang"] == marker
    assert "withheld" not in {row["city"] for row in rows}  # never the bare English code
    book = list(
        csv.DictReader(
            io.StringIO(admin_actions.export_codebook_csv(admin, RESIDENT, lang=lang).decode())
        )
    )
    notes = {row["variable"]: row for row in book if row["type"] == "note" and row["code"]}
    assert {"city", "age_group", "gender", "relationship", "lang"} <= set(notes)
    for variable in ("city", "lang"):
        note = notes[variable]
        assert note["code"] == marker
        assert marker in note["text_en"] and marker in note["text_fr"]
        assert "singled out" in note["text_en"] and "null" in note["text_en"]  # why, and Parquet
        assert "identifié" in note["text_fr"]


def test_the_codebook_explains_the_yes_or_no_words_and_the_parquet_flags(admin):
    book = list(
        csv.DictReader(
            io.StringIO(admin_actions.export_codebook_csv(admin, RESIDENT, lang="fr").decode())
        )
    )
    booleans = next(row for row in book if row["type"] == "note" and row["variable"] == "required")
    assert "« oui »" in booleans["text_fr"] and "“oui”" in booleans["text_en"]
    flags = {row["variable"] for row in book if row["type"] == "note"}
    assert {"welcome_dk", "access.education_na"} <= flags


# -- Parquet --------------------------------------------------------------------------------------


def test_parquet_types_levels_as_integers_flags_as_booleans_and_withheld_as_null(answered, admin):
    back = export.read_parquet(admin_actions.export_responses_parquet(admin, answered, "resident"))
    assert str(back["welcome"].dtype) == "Int64"
    assert str(back["welcome_dk"].dtype) == "boolean"
    by_id = back.set_index("submission_id")
    assert pd.isna(by_id.loc["b2", "welcome"]) and bool(by_id.loc["b2", "welcome_dk"])
    assert by_id.loc["b1", "welcome"] == 4 and not bool(by_id.loc["b1", "welcome_dk"])
    assert list(back.columns).index("welcome_dk") == list(back.columns).index("welcome") + 1
    for item in RESIDENT.question("access").items:
        assert str(back[f"access.{item.id}"].dtype) == "Int64"
    assert str(back["city"].dtype) == "string" and str(back["age_group"].dtype) == "string"
    # withheld profile answers are nulls, never a word
    assert pd.isna(by_id.loc["lone", "city"]) and pd.isna(by_id.loc["lone", "lang"])
    assert by_id.loc["b0", "city"] == "brussels"
    assert "withheld" not in set(back["city"].dropna())
    assert str(back["session_id"].dtype) == "string"  # all empty, still typed as text


def test_parquet_leaves_a_missing_answer_missing_in_the_flag_too():
    frame = pd.DataFrame({"welcome": ["4", None, "dk"]})
    typed = export.parquet_responses(frame, RESIDENT)
    assert typed["welcome"].tolist()[0] == 4 and pd.isna(typed["welcome"].tolist()[1])
    assert [None if pd.isna(v) else bool(v) for v in typed["welcome_dk"]] == [False, None, True]


# -- the Excel workbook --------------------------------------------------------------------------


def _workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def _rows(sheet) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.mark.parametrize(
    ("lang", "sheets", "label", "agree"),
    [
        ("fr", ["Réponses", "Dictionnaire des codes"], "welcome (libellé)", "D'accord"),
        ("en", ["Answers", "Codebook"], "welcome (label)", "Agree"),
        ("uk", ["Відповіді", "Кодова книга"], "welcome (назва)", None),
    ],
)
def test_the_workbook_has_translated_sheets_and_labels_beside_the_codes(
    answered, admin, lang, sheets, label, agree
):
    book = _workbook(admin_actions.export_responses_xlsx(admin, answered, RESIDENT, lang=lang))
    assert book.sheetnames == sheets
    answers, codebook = book.worksheets
    header = [cell.value for cell in answers[1]]
    assert header.index(label) == header.index("welcome") + 1
    rows = {row["submission_id"]: row for row in _rows(answers)}
    t = translator(lang)
    assert rows["b1"]["welcome"] == 4  # a number a spreadsheet can average
    assert rows["b1"][label] == (agree or t("survey.scale.4"))
    assert rows["b2"]["welcome"] == "dk"
    assert rows["b2"][label] == RESIDENT.question("welcome").no_answer.label[lang]
    city_label = t.text(RESIDENT.question("city").option("brussels").label)
    assert rows["b1"][t("admin.export.label_column", column="city")] == city_label
    sources = rows["b1"][t("admin.export.label_column", column="info_sources")]
    question = RESIDENT.question("info_sources")
    assert sources == "; ".join(
        t.text(question.option(o).label) for o in ("city-website", "friends-family")
    )
    marker = t("admin.export.withheld")
    assert rows["lone"]["city"] == marker and rows["lone"]["lang"] == marker
    assert isinstance(rows["b1"]["created_at"], dt.datetime)  # a date cell, not text
    # the codebook sheet: every language's text, yes-or-no in words
    book_rows = _rows(codebook)
    assert {row["required"] for row in book_rows if row["type"] != "note"} == {
        t("admin.export.yes"),
        t("admin.export.no"),
    }
    assert any(row["code"] == marker for row in book_rows)


def test_the_workbook_neutralises_formulas_and_stores_text_as_text(answered, admin):
    book = _workbook(admin_actions.export_responses_xlsx(admin, answered, RESIDENT, lang="fr"))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index("idea") + 1
    cells = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=column)
        for r in range(2, sheet.max_row + 1)
    }
    hostile = cells["b0"]
    assert hostile.value == "'=1+1"
    assert hostile.data_type == "s"  # text, never a formula
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_the_workbook_layout_header_frozen_widths_and_right_to_left_for_arabic(answered, admin):
    for lang, rtl in (("fr", False), ("ar", True)):
        book = _workbook(admin_actions.export_responses_xlsx(admin, answered, RESIDENT, lang=lang))
        for sheet in book.worksheets:
            assert sheet.freeze_panes == "A2"
            assert bool(sheet.sheet_view.rightToLeft) is rtl
            assert sheet["A1"].font.b
            widths = [dim.width for dim in sheet.column_dimensions.values() if dim.width]
            assert widths and all(
                export.COLUMN_WIDTH_MIN <= w <= export.COLUMN_WIDTH_MAX for w in widths
            )
    sheet = _workbook(
        admin_actions.export_responses_xlsx(admin, answered, RESIDENT, lang="fr")
    ).worksheets[0]
    header = [cell.value for cell in sheet[1]]

    def width(column: str) -> float:
        return sheet.column_dimensions[get_column_letter(header.index(column) + 1)].width

    # sized to the content: the labels of two sources are wider than a language code
    assert width("info_sources (libellé)") > width("lang") >= len("lang")
    assert width("info_sources (libellé)") > len("Le site web ou l'application de la ville")


@pytest.mark.parametrize(
    "hostile", ["=1+1", "+33 6 12", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0", "a;=2*21"]
)
def test_to_xlsx_keeps_every_hostile_text_as_defused_text(hostile):
    frame = pd.DataFrame({"=header": [hostile], "n": [3], "bell": ["a\x07b"]})
    sheet = _workbook(export.to_xlsx([("Data", frame)])).worksheets[0]
    assert sheet["A1"].value == "'=header" and sheet["A1"].data_type == "s"
    assert sheet["A2"].value == export.neutralise_cell(hostile)
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == "ab"  # a control character Excel refuses is dropped


def test_sheet_titles_are_made_acceptable_to_excel():
    assert export.sheet_title("Réponses") == "Réponses"
    assert export.sheet_title("a/b:c?d*e[f]g\\h") == "a b c d e f g h"
    assert len(export.sheet_title("x" * 40)) == 31
    for lang in LANGUAGES:
        t = translator(lang)
        for key in ("admin.export.sheet_answers", "admin.export.sheet_codebook"):
            assert export.sheet_title(t(key)) == t(key), (lang, key)


def test_a_session_workbook_notes_its_session(store, admin):
    live = store.create_session("resident", "Salle 2", actor="t")
    for n in range(5):
        store.submit(
            f"s{n}", "resident", RESIDENT.version, "fr", resident_answers(), session_id=live.id
        )
    store.submit("out", "resident", RESIDENT.version, "fr", resident_answers())
    data = admin_actions.export_responses_xlsx(
        admin, store, RESIDENT, lang="fr", session_id=live.id, live=live
    )
    answers, codebook = _workbook(data).worksheets
    assert {row["submission_id"] for row in _rows(answers)} == {f"s{n}" for n in range(5)}
    assert any(row["code"] == live.id for row in _rows(codebook))
