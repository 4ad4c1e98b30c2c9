"""The export tab in a real browser (issue 24), in French and in English: the Excel workbook and
the CSV are downloaded as the admin does and read back (openpyxl for the workbook), with labels
in the admin's language, formulas kept as text, and the French CSV split on ";"."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from openpyxl import load_workbook

from inclucities import admin_actions, export
from inclucities.i18n import translator
from scripts.support.browser_utils import DESKTOP, PHONE, TEST_ADMIN_PASSWORD
from scripts.support.e2e_utils import (
    exceptions_on,
    fill_academy,
    key,
    new_page,
    open_page,
    settle,
    sign_in,
    submit,
    survey_ready,
    wait_thank_you,
    write_artifact,
)
from scripts.support.survey_helpers import ACADEMY

pytestmark = pytest.mark.browser

HOSTILE = "=HYPERLINK(1)"
EXPORT_SECTION = 2  # status, moderation, export, data, audit
SEPARATORS = {"fr": ";", "en": ","}


@pytest.fixture(scope="module")
def answers(live_server, browser) -> str:
    """Two academy answers sent from a phone: a word of this run, and a formula."""
    word = f"xlsx{uuid.uuid4().hex[:8]}"
    for i, text in enumerate([word, HOSTILE]):
        with new_page(browser, PHONE) as page:
            open_page(
                page,
                live_server.page_url("survey", lang="fr", survey="academy"),
                ready=survey_ready("academy"),
            )
            fill_academy(page, text, choice=i)
            submit(page, "academy")
            wait_thank_you(page, "academy")
    return word


def _download(page, kind: str, folder) -> tuple[str, bytes]:
    link = page.locator(f"a[data-export='{kind}']")
    link.wait_for()
    with page.expect_download(timeout=60_000) as info:
        link.click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path.read_bytes()


def _open_exports(page, base: str, lang: str) -> None:
    sign_in(page, base, TEST_ADMIN_PASSWORD, "admin", lang, key("admin_survey"))
    page.locator(f"{key('admin_section')} button").nth(EXPORT_SECTION).click()
    settle(page)
    page.locator(key(f"admin_csv_separator_{lang}")).wait_for()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_workbook_and_the_csv_download_and_read_back_in_the_admins_language(
    live_server, browser, tmp_path, answers, lang
):
    t = translator(lang)
    with new_page(browser, DESKTOP) as admin:
        _open_exports(admin, live_server.url, lang)
        # the separator offered first is the one this language's spreadsheet expects
        checked = admin.locator(f"{key(f'admin_csv_separator_{lang}')} input[type=radio]")
        states = [checked.nth(i).is_checked() for i in range(checked.count())]
        assert states == [SEPARATORS[lang] == ",", SEPARATORS[lang] == ";"], states
        xlsx_name, xlsx = _download(admin, "xlsx", tmp_path)
        csv_name, raw_csv = _download(admin, "csv", tmp_path)
        assert not exceptions_on(admin)

    # the workbook, read back with the library that wrote it
    assert xlsx_name == "inclucities_academy_responses.xlsx"
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == [t("admin.export.sheet_answers"), t("admin.export.sheet_codebook")]
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    choice_label = t("admin.export.label_column", column="first_recommendation")
    assert header.index(choice_label) == header.index("first_recommendation") + 1
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    by_word = {row["one_word"].value: row for row in rows}
    mine = by_word[answers]
    option = ACADEMY.question("first_recommendation").option(mine["first_recommendation"].value)
    assert mine[choice_label].value == option.label[lang]
    labels = export.answer_labels(ACADEMY, lang, admin_actions.agreement_texts(lang))
    item = ACADEMY.question("readiness").items[0].id
    level = mine[f"readiness.{item}"].value
    readiness_label = t("admin.export.label_column", column=f"readiness.{item}")
    assert mine[readiness_label].value == labels[f"readiness.{item}"][str(level)]
    hostile = by_word["'" + HOSTILE]  # neutralised, and stored as text, not as a formula
    assert hostile["one_word"].data_type == "s"
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert sheet.freeze_panes == "A2"
    codebook = [c.value for c in book.worksheets[1][1]]
    assert codebook[:5] == ["variable", "question_id", "type", "required", "code"]

    # the CSV, split on the separator of the admin's language
    assert csv_name == "inclucities_academy_responses.csv"
    text = raw_csv.decode("utf-8-sig")
    assert text.splitlines()[0].startswith(f'"submission_id"{SEPARATORS[lang]}')
    table = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=SEPARATORS[lang]))
    assert {"submission_id", "lang", "first_recommendation", "one_word"} <= set(table[0])
    by_text = {row["one_word"]: row for row in table}
    assert answers in by_text and "'" + HOSTILE in by_text
    assert all(len(row) == len(table[0]) for row in table)  # every row split into its cells
    languages = {row["lang"] for row in table}
    assert "withheld" not in languages  # a withheld language reads in the admin's words
    assert languages <= {"fr", "en", "nl", "es", "it", "el", "lv", "ar", "uk"} | {
        t("admin.export.withheld")
    }
    write_artifact(
        f"e2e_export_{lang}",
        {"xlsx": xlsx_name, "sheets": book.sheetnames, "csv_rows": len(table)},
    )
