"""The answer layout: how a survey's answers are laid out in its table, recorded and versioned.

A survey definition gives each stored answer a column (see `Question.columns`) whose values are
option ids, stored as an ENUM (one byte in DuckDB) so that counting is a fast GROUP BY. The layout
is the list of those columns with their allowed values. Every change (a first table, a new
question, a new option) is recorded as a new layout version in `answer_layouts`, so the table can
be rebuilt the same way on either backend from the record alone (`create_table_sql`).

Changes that would lose answers are refused: a column is never dropped (a question removed from
the definition keeps its answers), and an option that was stored is never removed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from inclucities.i18n import LANGUAGES
from inclucities.store.base import quote
from inclucities.survey.models import LIST_TYPES, Survey

LAYOUT_FORMAT = 1

# Columns every answer table starts with, in this order (the answer columns follow).
SUBMISSION_COLUMNS: tuple[str, ...] = (
    "submission_id",
    "seq",
    "survey_version",
    "lang",
    "created_at",
    "session_id",
    "receipt_hash",
    "deleted_at",  # the one soft-delete flag of a submission (answers and ideas follow it)
)


LAYOUT_COLUMNS: tuple[str, ...] = (
    "submission_id",
    "survey_version",
    "lang",
    "created_at",
    "session_id",
    "receipt_hash",
    "deleted_at",
)
"""The submission columns a copy carries over (the sequence number `seq` is the target's own)."""


@dataclass(frozen=True)
class LayoutColumn:
    name: str
    options: tuple[str, ...]

    @property
    def enum_type(self) -> str:
        return enum_type_name(self.options)


@dataclass(frozen=True)
class AnswerLayout:
    """The shape of one survey's answer table."""

    survey_id: str
    table: str
    languages: tuple[str, ...]
    columns: tuple[LayoutColumn, ...] = field(default_factory=tuple)

    def column(self, name: str) -> LayoutColumn | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def enum_types(self) -> dict[str, tuple[str, ...]]:
        """Every ENUM type the table uses: name -> values."""
        types = {enum_type_name(self.languages): self.languages}
        for column in self.columns:
            types[column.enum_type] = column.options
        return types

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": LAYOUT_FORMAT,
                "survey_id": self.survey_id,
                "table": self.table,
                "languages": list(self.languages),
                "columns": [{"name": c.name, "options": list(c.options)} for c in self.columns],
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> AnswerLayout:
        data: dict[str, Any] = json.loads(text)
        return cls(
            survey_id=str(data["survey_id"]),
            table=str(data["table"]),
            languages=tuple(data["languages"]),
            columns=tuple(
                LayoutColumn(str(c["name"]), tuple(c["options"])) for c in data["columns"]
            ),
        )


def enum_type_name(values: tuple[str, ...] | list[str]) -> str:
    """A shared ENUM type per list of values (the same name on both backends)."""
    return "enum_" + hashlib.sha1("\x1f".join(values).encode()).hexdigest()[:12]


def layout_for(survey: Survey) -> AnswerLayout:
    """The layout the definition asks for, with nothing stored yet."""
    columns = tuple(
        LayoutColumn(column, tuple(question.option_ids))
        for question in survey.questions
        for column, _item in question.columns
    )
    return AnswerLayout(survey.id, survey.table_name, tuple(LANGUAGES), columns)


@dataclass(frozen=True)
class LayoutChange:
    """What to do to the stored table to fit a definition (nothing when `layout` is None)."""

    layout: AnswerLayout | None  # the new layout to record, None when nothing changes
    create: bool = False
    added: tuple[LayoutColumn, ...] = ()
    retyped: tuple[LayoutColumn, ...] = ()  # columns whose value list grew
    languages_grew: bool = False


def plan(stored: AnswerLayout | None, wanted: AnswerLayout) -> LayoutChange:
    """How to go from the stored layout to one that can hold the definition's answers.

    Raises ValueError when the definition no longer fits what is stored.
    """
    if stored is None:
        return LayoutChange(layout=wanted, create=True, added=wanted.columns)
    columns = list(stored.columns)
    added: list[LayoutColumn] = []
    retyped: list[LayoutColumn] = []
    for column in wanted.columns:
        have = stored.column(column.name)
        if have is None:
            columns.append(column)
            added.append(column)
            continue
        if have.options == column.options:
            continue
        lost = [o for o in have.options if o not in column.options]
        if lost:
            raise ValueError(
                f"survey '{wanted.survey_id}': column {column.name} holds option(s) "
                f"{', '.join(lost)} the definition no longer has; give a changed question a "
                "new id"
            )
        columns[columns.index(have)] = column
        retyped.append(column)
    languages = stored.languages + tuple(
        lang for lang in wanted.languages if lang not in stored.languages
    )
    grew = languages != stored.languages
    if not added and not retyped and not grew:
        return LayoutChange(layout=None)
    new = AnswerLayout(stored.survey_id, stored.table, languages, tuple(columns))
    return LayoutChange(layout=new, added=tuple(added), retyped=tuple(retyped), languages_grew=grew)


def merged(first: AnswerLayout, second: AnswerLayout) -> AnswerLayout:
    """A layout holding everything either holds (first's order, then second's additions)."""
    columns = list(first.columns)
    for column in second.columns:
        have = next((c for c in columns if c.name == column.name), None)
        if have is None:
            columns.append(column)
            continue
        extra = tuple(o for o in column.options if o not in have.options)
        if extra:
            columns[columns.index(have)] = LayoutColumn(have.name, have.options + extra)
    languages = first.languages + tuple(x for x in second.languages if x not in first.languages)
    return AnswerLayout(first.survey_id, first.table, languages, tuple(columns))


def create_type_sql(name: str, values: tuple[str, ...]) -> str:
    literal = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"CREATE TYPE {quote(name)} AS ENUM ({literal})"


def create_table_sql(layout: AnswerLayout) -> str:
    """The answer table of a layout (the ENUM types must exist); the same SQL on both backends."""
    answer_columns = "".join(f", {quote(c.name)} {quote(c.enum_type)}" for c in layout.columns)
    return (
        f"CREATE TABLE {quote(layout.table)} ("
        "submission_id VARCHAR PRIMARY KEY, "
        "seq BIGINT NOT NULL DEFAULT nextval('submission_seq'), "
        "survey_version INTEGER NOT NULL, "
        f"lang {quote(enum_type_name(layout.languages))} NOT NULL, "
        "created_at TIMESTAMP NOT NULL, "
        "session_id VARCHAR, "
        "receipt_hash VARCHAR UNIQUE, "
        f"deleted_at TIMESTAMP{answer_columns})"
    )


def add_column_sql(layout: AnswerLayout, column: LayoutColumn) -> str:
    return (
        f"ALTER TABLE {quote(layout.table)} ADD COLUMN {quote(column.name)} "
        f"{quote(column.enum_type)}"
    )


def retype_column_sql(layout: AnswerLayout, name: str, enum_type: str) -> str:
    """Widen a column to a larger value list (values are kept through their text)."""
    return (
        f"ALTER TABLE {quote(layout.table)} ALTER COLUMN {quote(name)} TYPE {quote(enum_type)} "
        f"USING {quote(name)}::VARCHAR::{quote(enum_type)}"
    )


def answer_row(
    survey: Survey, clean: Mapping[str, object]
) -> tuple[list[object], list[tuple[str, str]]]:
    """Validated answers as (values of the definition's answer columns, [(question, idea)]).

    Multiple choice and priorities fill rank columns in order; grids one column per item.
    """
    row: list[object] = []
    ideas: list[tuple[str, str]] = []
    for question in survey.questions:
        value = clean.get(question.id)
        if question.type == "text":
            if isinstance(value, str):
                ideas.append((question.id, value))
        elif question.items:
            picked = value if isinstance(value, dict) else {}
            row.extend(picked.get(item_id or "") for _, item_id in question.columns)
        elif question.type in LIST_TYPES:
            chosen = list(value) if isinstance(value, list) else []
            slots = len(question.columns)
            row.extend((chosen + [None] * slots)[:slots])
        else:
            row.append(value)
    return row, ideas


def definition_columns(survey: Survey) -> list[str]:
    return [column for question in survey.questions for column, _ in question.columns]
