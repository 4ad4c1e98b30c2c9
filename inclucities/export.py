"""Safe exports: CSV (formula-neutralised, optional BOM), Parquet, codebook, shareable summary."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from inclucities.i18n import LANGUAGES
from inclucities.survey.models import AGREEMENT_LEVELS, Survey
from inclucities.survey.summary import Cell, SurveySummary

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = b"\xef\xbb\xbf"
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


def to_csv(frame: pd.DataFrame, bom: bool = False) -> bytes:
    """UTF-8 CSV, every text field quoted and defused; `bom=True` lets Excel read accents.

    Quoting keeps a reader that splits on ";" from cutting a text field into cells.
    """
    text = str(
        neutralise_frame(frame).to_csv(
            index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC
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
                "required": False,
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
