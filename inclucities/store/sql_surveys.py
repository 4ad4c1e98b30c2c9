"""Survey definitions in the shared store: registering a survey, its table and layout history."""

from __future__ import annotations

from collections.abc import Iterable

from inclucities.store import layout as layouts
from inclucities.store.base import (
    StorageFault,
    quote,
    utcnow,
)
from inclucities.store.layout import AnswerLayout
from inclucities.store.sql_core import Cursor, SQLCore
from inclucities.survey.models import Survey


class SurveysSQL(SQLCore):
    """Survey definitions: each survey's answer table, laid out and kept in step."""

    def _start(self, surveys: Iterable[Survey]) -> None:
        self._migrate()
        for survey in surveys:
            try:
                self.register_survey(survey)
            except (ValueError, StorageFault) as exc:  # one bad survey disables only itself
                self.registration_errors[survey.id] = str(exc)

    # -- survey definitions and layouts -----------------------------------------------------------

    def _latest_layout(self, cur: Cursor, survey_id: str) -> AnswerLayout | None:
        row = cur.one(
            "SELECT layout FROM answer_layouts WHERE survey_id = ? ORDER BY version DESC LIMIT 1",
            [survey_id],
        )
        return AnswerLayout.from_json(row[0]) if row else None

    def _record_layout(
        self, cur: Cursor, layout: AnswerLayout, definition_version: int | None
    ) -> None:
        row = cur.one(
            "SELECT coalesce(max(version), 0) FROM answer_layouts WHERE survey_id = ?",
            [layout.survey_id],
        )
        version = int(row[0]) + 1 if row else 1
        cur.run(
            "INSERT INTO answer_layouts VALUES (?, ?, ?, ?, ?)",
            [layout.survey_id, version, layout.to_json(), definition_version, utcnow()],
        )

    def _ensure_types(self, cur: Cursor, layout: AnswerLayout) -> None:
        for name, values in layout.enum_types.items():
            if not self._type_exists(cur, name):
                cur.run(layouts.create_type_sql(name, values))

    def _apply_layout(
        self, cur: Cursor, wanted: AnswerLayout, definition_version: int | None
    ) -> AnswerLayout:
        """Bring the stored answer table to a layout that holds `wanted`; record the change."""
        self._lock_schema(cur)
        stored = self._latest_layout(cur, wanted.survey_id)
        if stored is None and wanted.table in self._table_names(cur):
            raise ValueError(f"table {wanted.table} exists without a recorded layout")
        change = layouts.plan(stored, wanted)
        new = change.layout
        if new is None:
            assert stored is not None
            return stored
        self._ensure_types(cur, new)
        if change.create:
            cur.run(layouts.create_table_sql(new))
            self._after_create_table(cur, new)
        else:
            for column in change.added:
                cur.run(layouts.add_column_sql(new, column))
            for column in change.retyped:
                cur.run(layouts.retype_column_sql(new, column.name, column.enum_type))
            if change.languages_grew:
                lang_type = layouts.enum_type_name(new.languages)
                cur.run(layouts.retype_column_sql(new, "lang", lang_type))
        self._record_layout(cur, new, definition_version)
        return new

    def register_survey(self, survey: Survey) -> None:
        with self._lock:
            wanted = layouts.layout_for(survey)
            layout = self._do(
                lambda cur: self._apply_layout(cur, wanted, survey.version), idempotent=False
            )
            columns = layouts.definition_columns(survey)
            names = ", ".join(
                [
                    "submission_id",
                    "survey_version",
                    "lang",
                    "created_at",
                    "session_id",
                    "receipt_hash",
                    *map(quote, columns),
                ]
            )
            marks = ", ".join("?" for _ in range(len(columns) + 6))
            self._insert_sql[survey.id] = (
                f"INSERT INTO {quote(layout.table)} ({names}) VALUES ({marks})"
            )
            self._layouts[survey.id] = layout
            self._surveys[survey.id] = survey
            self.registration_errors.pop(survey.id, None)

    def layout_history(self, survey_id: str) -> list[tuple[int, str]]:
        rows = self._read_do(
            lambda cur: cur.rows(
                "SELECT version, layout FROM answer_layouts WHERE survey_id = ? ORDER BY version",
                [survey_id],
            )
        )
        return [(int(v), str(text)) for v, text in rows]
