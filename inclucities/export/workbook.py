"""The Excel workbook export (openpyxl, write-only): text stays text, headers frozen."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
from babel import Locale, UnknownLocaleError
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from inclucities.export.cells import _missing, neutralise_cell, variables
from inclucities.i18n import LANGUAGES
from inclucities.survey.models import AGREEMENT_LEVELS, Survey

# -- Excel workbook -----------------------------------------------------------------------------

SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
COLUMN_WIDTH_MIN, COLUMN_WIDTH_MAX = 8, 60
WIDTH_SAMPLE = 500  # rows read to size a column


def sheet_title(title: str) -> str:
    """A title Excel accepts: no []:*?/\\ and at most 31 characters."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip() or "Sheet"
    return cleaned[:SHEET_TITLE_MAX]


def with_labels(
    frame: pd.DataFrame,
    labels: Mapping[str, Mapping[str, str]],
    header: Callable[[str], str],
) -> pd.DataFrame:
    """Each coded column followed by one holding its labels (header given by `header`).

    Several codes in one cell (multiple choices, ';'-joined) get their labels in the same
    order; a value without a label (withheld text) is repeated as it is.
    """
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        series = frame[name]
        columns[str(name)] = series
        codes = labels.get(str(name))
        if codes is None:
            continue

        def label(value: object, codes: Mapping[str, str] = codes) -> object:
            if _missing(value):
                return None
            parts = str(value).split(";")
            return "; ".join(codes.get(part, part) for part in parts)

        columns[header(str(name))] = series.map(label).astype(object)
    return pd.DataFrame(columns, index=frame.index)


def column_widths(frame: pd.DataFrame) -> list[float]:
    """A width per column from its header and its first rows' text, within sensible bounds."""
    widths: list[float] = []
    for name in frame.columns:
        sample = frame[name].head(WIDTH_SAMPLE).dropna().map(str)
        longest = max([len(str(name)), *(len(line) for v in sample for line in v.split("\n"))])
        widths.append(float(min(max(longest + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX)))
    return widths


XlsxValue = str | float | dt.datetime | None  # bool and int are floats to the type checker
DAY_FORMAT = "yyyy-mm-dd"


def _xlsx_value(value: object) -> tuple[XlsxValue, bool]:
    """A value openpyxl writes with its type (numbers, booleans, dates, text), and whether it
    is a day without a time."""
    if _missing(value):
        return None, False
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None), False
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()), True
    if isinstance(value, (bool, int, float, str)):
        return value, False
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return _xlsx_value(item())
    return str(value), False


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object, bold: bool = False) -> XlsxCell:
    plain, day = _xlsx_value(value)
    if isinstance(plain, str):
        # defused as in the CSV, control characters Excel refuses dropped, and typed as text
        # so that openpyxl never writes it as a formula
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", neutralise_cell(plain)))
        cell.data_type = "s"
    else:
        cell = WriteOnlyCell(sheet, value=plain)
        if day:
            cell.number_format = DAY_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def to_xlsx(sheets: Sequence[tuple[str, pd.DataFrame]], right_to_left: bool = False) -> bytes:
    """An Excel workbook with one sheet per (title, frame): header row in bold and frozen, a
    filter on it, columns sized to their content, every text cell written as text (never as
    a formula) and defused like the CSV. `right_to_left` lays the sheets out for Arabic."""
    book = Workbook(write_only=True)
    for title, frame in sheets:
        sheet = book.create_sheet(title=sheet_title(title))
        sheet.freeze_panes = "A2"
        sheet.sheet_view.rightToLeft = right_to_left
        for index, width in enumerate(column_widths(frame), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if len(frame.columns):
            last = get_column_letter(len(frame.columns))
            sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
        sheet.append([_xlsx_cell(sheet, str(name), bold=True) for name in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def answer_labels(
    survey: Survey,
    lang: str,
    level_labels: Mapping[str, str] | None = None,
) -> dict[str, dict[str, str]]:
    """Column -> code -> label in `lang`, for every coded column of a responses frame.

    `level_labels` maps agreement levels ("1".."5") to their words; the respondent's language
    is named in `lang` (Babel's names, "arabe" in French).
    """

    def text(value: Mapping[str, str] | None) -> str:
        return (value or {}).get(lang) or (value or {}).get("en") or ""

    labels: dict[str, dict[str, str]] = {}
    for question in survey.questions:
        if question.type == "text":
            continue
        codes: dict[str, str]
        if question.type == "agreement":
            codes = {level: (level_labels or {}).get(level, level) for level in AGREEMENT_LEVELS}
            if question.no_answer is not None:
                codes[question.no_answer.id] = text(question.no_answer.label)
        else:
            codes = {option.id: text(option.label) for option in question.options}
        for column in variables(question):
            labels[column] = codes
    try:
        locale = Locale.parse(lang)
        labels["lang"] = {
            code: Locale.parse(code).get_display_name(locale) or code for code in LANGUAGES
        }
    except (UnknownLocaleError, ValueError):
        labels["lang"] = {code: LANGUAGES[code].native_name for code in LANGUAGES}
    return labels
