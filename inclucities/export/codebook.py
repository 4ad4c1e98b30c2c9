"""The codebook: every variable, its codes and their text in every language, and notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from inclucities.i18n import LANGUAGES
from inclucities.survey.models import AGREEMENT_LEVELS, Survey

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
