"""The shareable summary: counts from the one suppressed summary, no free text."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from inclucities.i18n import LANGUAGES
from inclucities.results.model import Cell, SurveySummary
from inclucities.survey.models import Survey

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
    inclucities.results.summary, so no two exports subtract to a hidden cell. It is the admin's
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
