"""Cells, CSV and Parquet: formula-neutralised text, the reader's separator, typed columns."""

from __future__ import annotations

import csv
import io
import math
import re
from typing import Any

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol

from inclucities.survey.models import AGREEMENT_LEVELS, Question, Survey

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
