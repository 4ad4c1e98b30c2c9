"""Synthetic responses generated in DuckDB SQL (range()), for benchmarks and load tests."""

from __future__ import annotations

from inclucities.store import SurveyStore, quote
from inclucities.survey.models import AGREEMENT_LEVELS, LIST_TYPES, Question, Survey

LANG_MIX = ("fr", "en", "nl", "es", "it", "el", "lv", "ar", "uk")


def _literal(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: list[str], salt: int) -> str:
    """A deterministic pseudo-random element of `values` for row i."""
    return f"{_literal(values)}[(hash(i * 7919 + {salt}) % {len(values)})::INTEGER + 1]"


def _expressions(question: Question, salt: int) -> list[str]:
    """One SQL expression per stored column of `question` for row i."""
    values = list(AGREEMENT_LEVELS) if question.type == "agreement" else question.option_ids
    skip = "FALSE" if question.required else f"hash(i * 104729 + {salt}) % 10 < 2"
    if question.type in LIST_TYPES:
        width = question.max_selections or 1
        chosen = f"(hash(i * 31 + {salt}) % {width})"  # picks 1..width distinct options
        base = f"hash(i * 7919 + {salt})"
        return [
            f"CASE WHEN {skip} OR {chosen} < {k} THEN NULL ELSE "
            f"{_literal(values)}[(({base} + {k}) % {len(values)})::INTEGER + 1] END"
            for k in range(width)
        ]
    return [
        f"CASE WHEN {skip} THEN NULL ELSE {_pick(values, salt + n)} END"
        for n, _ in enumerate(question.columns)
    ]


def insert_synthetic(store: SurveyStore, survey: Survey, count: int, start: int = 0) -> None:
    """Insert `count` valid-looking responses (ids syn-<n>) straight into the survey's tables."""
    columns: list[str] = []
    expressions: list[str] = []
    salt = 1
    for question in survey.questions:
        columns.extend(quote(column) for column, _item in question.columns)
        expressions.extend(_expressions(question, salt))
        salt += 17
    lang = _pick(list(LANG_MIX), 3)
    with store._transaction() as cur:  # bulk load bypasses per-row validation by design
        cur.execute(
            f"INSERT INTO submissions SELECT 'syn-' || i, '{survey.id}', {survey.version}, "
            f"{lang}, now()::TIMESTAMP, NULL FROM range({start}, {start + count}) t(i)"
        )
        cur.execute(
            f"INSERT INTO {quote(survey.table_name)} (submission_id, lang, {', '.join(columns)}) "
            f"SELECT 'syn-' || i, {lang}, {', '.join(expressions)} "
            f"FROM range({start}, {start + count}) t(i)"
        )
