"""Safe exports: CSV (formula-neutralised, optional BOM, the separator of the reader's
spreadsheet), Excel workbook, Parquet, codebook, shareable summary."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from inclucities.i18n import LANGUAGES
from inclucities.survey.models import AGREEMENT_LEVELS, Question, Survey
from inclucities.survey.summary import Cell, SurveySummary

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = b"\xef\xbb\xbf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMMA, SEMICOLON = ",", ";"
CSV_SEPARATORS: tuple[str, ...] = (COMMA, SEMICOLON)
YES_NO_DIGITS: tuple[str, str] = ("1", "0")
# A spreadsheet may split a cell on any of these (Excel in fr, de, nl, es and it splits on ";"),
# so every part after one is a cell of its own: a part that starts like a formula is defused too.
_PART_FORMULA = re.compile(r"([,;|\t\r\n])([ \"']*)([=+\-@])")


def neutralise_cell(value: Any) -> Any:
    """Defuse text a spreadsheet would run as a formula, whichever separator it splits on.

    The cell gets a leading quote if it starts like a formula, and so does every part that
    follows a comma, semicolon, bar, tab or line break; numbers and other values pass through.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    return _PART_FORMULA.sub(r"\1\2'\3", value)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            continue
        safe[column] = series.map(neutralise_cell, na_action="ignore").astype(object)
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe


def csv_separator(lang: str) -> str:
    """The CSV separator a spreadsheet set to this language expects.

    Where the locale writes decimals with a comma (fr, nl, it, es, el, lv, uk, de...), Excel
    lists, and so splits CSV files, on ";"; elsewhere (en, ar: Babel gives "." for both) on ",".
    """
    try:
        decimal = get_decimal_symbol(Locale.parse(lang))
    except (UnknownLocaleError, ValueError):
        return COMMA
    return SEMICOLON if decimal == "," else COMMA


def decimal_mark(separator: str) -> str:
    """The decimal mark written with a separator: a comma beside ";", as its readers expect."""
    return "," if separator == SEMICOLON else "."


def _is_yes_no(series: pd.Series) -> bool:
    """A boolean column, or one of booleans and empty cells (a codebook note's "required")."""
    if pd.api.types.is_bool_dtype(series):
        return True
    if series.dtype != object:
        return False
    values = series.dropna()
    if values.empty or not isinstance(values.iloc[0], bool):
        return False
    return bool(values.map(lambda v: isinstance(v, bool)).all())


def spell_booleans(frame: pd.DataFrame, yes: str, no: str) -> pd.DataFrame:
    """A copy with every yes-or-no column written as `yes` / `no` (never Python's True/False)."""
    spelled = frame.copy()
    for column in spelled.columns:
        series = spelled[column]
        if _is_yes_no(series):
            spelled[column] = series.map(
                lambda v: None if _missing(v) else (yes if v else no)
            ).astype(object)
    return spelled


def to_csv(
    frame: pd.DataFrame,
    bom: bool = False,
    separator: str = COMMA,
    booleans: tuple[str, str] = YES_NO_DIGITS,
) -> bytes:
    """UTF-8 CSV, every text field quoted and defused; `bom=True` lets Excel read accents.

    `separator` is "," or ";" (see `csv_separator`); with ";" decimals take a comma. Yes-or-no
    values are written as `booleans` (yes, no). Quoting keeps a reader that splits on another
    separator from cutting a text field into cells.
    """
    if separator not in CSV_SEPARATORS:
        raise ValueError(f"unsupported CSV separator {separator!r}")
    safe = neutralise_frame(spell_booleans(frame, *booleans))
    text = str(
        safe.to_csv(
            index=False,
            sep=separator,
            decimal=decimal_mark(separator),
            lineterminator="\r\n",
            quoting=csv.QUOTE_NONNUMERIC,
        )
    )
    data = text.encode("utf-8")
    return UTF8_BOM + data if bom else data


def to_parquet(frame: pd.DataFrame) -> bytes:
    """Parquet bytes (values kept as they are: Parquet is not opened as a spreadsheet)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=False)
    return buffer.getvalue()


def read_parquet(data: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(data), engine="pyarrow")


def _missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def variables(question: Question) -> list[str]:
    """The columns one question fills in a responses frame ('question.item' for grid items)."""
    if question.items:
        return [f"{question.id}.{item.id}" for item in question.items]
    return [question.id]


def no_answer_column(variable: str, code: str) -> str:
    """The Parquet column that flags an agreement statement's "no answer" choice."""
    return f"{variable}_{code}"


def agreement_as_numbers(frame: pd.DataFrame, survey: Survey) -> pd.DataFrame:
    """A copy where agreement levels are whole numbers (1-5); other codes ("I don't know")
    and withheld text stay as they are. For spreadsheets, which then sum and average them."""
    typed = frame.copy()
    for question in survey.questions:
        if question.type != "agreement":
            continue
        for column in variables(question):
            if column in typed:
                typed[column] = (
                    typed[column]
                    .map(lambda v: int(v) if v in AGREEMENT_LEVELS else v, na_action="ignore")
                    .astype(object)
                )
    return typed


def parquet_responses(frame: pd.DataFrame, survey: Survey) -> pd.DataFrame:
    """Responses typed for Parquet: agreement levels as nullable integers (Int64), each
    statement with a "no answer" choice followed by a boolean column saying it was chosen,
    every other text column as strings. Withheld cells should already be null."""
    columns: dict[str, pd.Series] = {}
    agreement = {
        column: question
        for question in survey.questions
        if question.type == "agreement"
        for column in variables(question)
    }
    for name in frame.columns:
        series = frame[name]
        question = agreement.get(str(name))
        if question is not None:
            text = series.astype("string")
            levels = text.where(text.isin(AGREEMENT_LEVELS))
            columns[str(name)] = pd.to_numeric(levels, errors="coerce").astype("Int64")
            if question.no_answer is not None:
                chose = text.eq(question.no_answer.id).astype("boolean")
                chose[text.isna()] = pd.NA
                columns[no_answer_column(str(name), question.no_answer.id)] = chose
        elif series.dtype == object and str(name) != "created_at":
            columns[str(name)] = series.astype("string")
        else:
            columns[str(name)] = series
    return pd.DataFrame(columns, index=frame.index)


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


# -- codebook -----------------------------------------------------------------------------------


def codebook(
    survey: Survey,
    languages: Sequence[str] = tuple(LANGUAGES),
    level_labels: Mapping[str, Mapping[str, str]] | None = None,
    notes: Sequence[tuple[str, str, Mapping[str, str]]] = (),
) -> pd.DataFrame:
    """One row per exported column and one per answer code, with text in every language.

    `level_labels` maps language -> agreement level ("1".."5") -> label; without it the
    levels are labelled with their numbers.
    """
    rows: list[dict[str, object]] = []

    def text_columns(
        texts: Mapping[str, str] | None, suffix: Mapping[str, str] | None = None
    ) -> dict[str, object]:
        out: dict[str, object] = {}
        for lang in languages:
            value = (texts or {}).get(lang, "")
            if suffix is not None:
                value = f"{value}: {suffix.get(lang, '')}"
            out[f"text_{lang}"] = value
        return out

    for question in survey.questions:
        variables: list[tuple[str, Mapping[str, str] | None]]
        if question.items:
            variables = [(f"{question.id}.{item.id}", item.label) for item in question.items]
        else:
            variables = [(question.id, None)]
        for variable, item_label in variables:
            rows.append(
                {
                    "variable": variable,
                    "question_id": question.id,
                    "type": question.type,
                    "required": question.required,
                    "code": "",
                    **text_columns(question.text, item_label),
                }
            )
            if question.type == "text":
                continue
            if question.type == "agreement":
                codes = [
                    (
                        level,
                        {
                            lang: (level_labels or {}).get(lang, {}).get(level, level)
                            for lang in languages
                        },
                    )
                    for level in AGREEMENT_LEVELS
                ]
                if question.no_answer is not None:
                    codes.append((question.no_answer.id, question.no_answer.label))
            else:
                codes = [(option.id, option.label) for option in question.options]
            for code, labels in codes:
                rows.append(
                    {
                        "variable": variable,
                        "question_id": question.id,
                        "type": question.type,
                        "required": question.required,
                        "code": code,
                        **text_columns(labels),
                    }
                )
    for variable, code, texts in notes:
        rows.append(
            {
                "variable": variable,
                "question_id": "",
                "type": "note",
                "required": None,  # a note is no question: neither yes nor no
                "code": code,
                **text_columns(texts),
            }
        )
    return pd.DataFrame(rows)


# -- shareable summary --------------------------------------------------------------------------

SHAREABLE_COLUMNS: tuple[str, ...] = (
    "section",
    "variable",
    "question",
    "code",
    "label",
    "count",
    "share",
    "suppressed",
)


def shareable_frame(
    summary: SurveySummary,
    survey: Survey,
    lang: str = "en",
    level_labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Counts from the one suppressed summary, without any free text: safe to publish.

    Every count below the summary's `min_cell` (and any cell that would reveal one by
    subtraction) is already hidden there; here it becomes an empty count, `suppressed=True`.
    The export of all sessions and that of each session follow the cross-session rule of
    inclucities.survey.summary, so no two exports subtract to a hidden cell. It is the admin's
    own download, made to share: the presenter's hide/reveal switch governs the public screens,
    not it.
    """
    rows: list[dict[str, object]] = []

    def add(section: str, variable: str, question: str, code: str, label: str, cell: Cell) -> None:
        rows.append(
            {
                "section": section,
                "variable": variable,
                "question": question,
                "code": code,
                "label": label,
                "count": None if cell.suppressed else cell.count,
                "share": None if cell.suppressed or cell.share is None else round(cell.share, 4),
                "suppressed": cell.suppressed,
            }
        )

    def text(value: Mapping[str, str] | None) -> str:
        if not value:
            return ""
        return value.get(lang) or value.get("en") or ""

    total_cell = Cell("total", summary.total, summary.total < summary.min_cell)
    add("total", "", "", "", "", total_cell)
    for cell in summary.by_language:
        native = LANGUAGES[cell.key].native_name if cell.key in LANGUAGES else cell.key
        add("language", "lang", "", cell.key, native, cell)
    for q_summary in summary.questions:
        question = survey.question(q_summary.question_id)
        if question is None or question.type == "text":
            continue
        title = text(question.text)
        if q_summary.item_id is not None:
            item = next((i for i in question.items if i.id == q_summary.item_id), None)
            title = f"{title}: {text(item.label) if item else q_summary.item_id}"
        add("answered", q_summary.key, title, "", "", q_summary.answered)
        for cell in q_summary.options:
            if question.type == "agreement":
                label = (level_labels or {}).get(cell.key, cell.key)
            else:
                option = question.option(cell.key)
                label = text(option.label) if option else cell.key
            add("option", q_summary.key, title, cell.key, label, cell)
    if summary.comparison_question:
        compare_q = survey.question(summary.comparison_question)
        for cell in summary.comparison_groups:
            option = compare_q.option(cell.key) if compare_q else None
            add(
                "group",
                summary.comparison_question,
                text(compare_q.text) if compare_q else "",
                cell.key,
                text(option.label) if option else cell.key,
                cell,
            )
        for comparison in summary.comparisons:
            question = survey.question(comparison.question_id)
            title = text(question.text) if question else comparison.question_id
            if question is not None and comparison.item_id is not None:
                item = next((i for i in question.items if i.id == comparison.item_id), None)
                title = f"{title}: {text(item.label) if item else comparison.item_id}"
            for group in comparison.groups:
                option = compare_q.option(group.group) if compare_q else None
                share_cell = Cell(
                    group.group,
                    group.answered.count,
                    group.answered.suppressed,
                    group.agree_share,
                )
                add(
                    "agree_by_group",
                    comparison.key,
                    title,
                    group.group,
                    text(option.label) if option else group.group,
                    share_cell,
                )
    frame = pd.DataFrame(rows, columns=list(SHAREABLE_COLUMNS))
    frame["count"] = frame["count"].astype("Int64")
    return frame
