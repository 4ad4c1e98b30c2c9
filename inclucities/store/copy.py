"""Move the data of a DuckDB file into PostgreSQL, idempotently (run it twice: stored once).

Answers are matched by submission id, ideas by (submission, question), supports by (idea,
supporter), sessions by id, audit entries by their content; the target keeps whatever it has and
gains what it lacks. Submission and idea numbers are the target's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from inclucities.store.base import quote
from inclucities.store.duckdb_store import DuckDBStore
from inclucities.store.layout import LAYOUT_COLUMNS, AnswerLayout, merged
from inclucities.store.postgres_store import PostgresStore
from inclucities.store.sql_core import Cursor
from inclucities.store.sql_schema import SESSION_TABLE_COLUMNS
from inclucities.survey.models import Survey

PAGE = 5_000


@dataclass
class CopyReport:
    source: str
    target: str
    added: dict[str, int] = field(default_factory=dict)  # table -> rows the target gained
    seen: dict[str, int] = field(default_factory=dict)  # table -> rows in the source

    def lines(self) -> list[str]:
        out = [f"Copied {self.source} into {self.target}:"]
        for table in self.seen:
            added, seen = self.added.get(table, 0), self.seen[table]
            out.append(
                f"  {table}: {seen} in the file, {added} added, {seen - added} there already"
            )
        return out


def _count(target: PostgresStore, table: str) -> int:
    row = target._read_do(lambda cur: cur.one(f"SELECT count(*) FROM {quote(table)}"))
    return int(row[0]) if row else 0


def _insert_all(
    target: PostgresStore, report: CopyReport, table: str, sql: str, rows: list[Any]
) -> None:
    before = _count(target, table)
    for start in range(0, len(rows), PAGE):
        chunk = rows[start : start + PAGE]

        def work(cur: Cursor, chunk: list[Any] = chunk) -> None:
            cur.many(sql, chunk)

        target._do(work)
    report.seen[table] = report.seen.get(table, 0) + len(rows)
    report.added[table] = report.added.get(table, 0) + _count(target, table) - before


def copy_duckdb_to_postgres(
    source: str | Path,
    url: str,
    surveys: Iterable[Survey],
    *,
    actor: str = "command line",
) -> CopyReport:
    """Copy every answer, idea, support, session, state and audit entry of the file."""
    surveys = list(surveys)
    DuckDBStore(source, surveys).close()  # bring the file to the current schema first
    target = PostgresStore(url, surveys)
    report = CopyReport(str(source), target.location)
    try:
        with duckdb.connect(str(source), read_only=True) as src:
            _copy(src, target, report, actor)
    finally:
        target.close()
    return report


def _copy(
    src: duckdb.DuckDBPyConnection, target: PostgresStore, report: CopyReport, actor: str
) -> None:
    layouts = {
        str(survey_id): AnswerLayout.from_json(text)
        for survey_id, text in src.execute(
            "SELECT survey_id, layout FROM answer_layouts a WHERE version = "
            "(SELECT max(version) FROM answer_layouts b WHERE b.survey_id = a.survey_id)"
        ).fetchall()
    }
    for layout in layouts.values():

        def fit(cur: Cursor, layout: AnswerLayout = layout) -> None:
            have = target._latest_layout(cur, layout.survey_id)
            wanted = merged(have, layout) if have is not None else layout
            target._apply_layout(cur, wanted, None)

        target._do(fit, idempotent=False)

    sessions = src.execute(f"SELECT {SESSION_TABLE_COLUMNS} FROM live_sessions").fetchall()
    _insert_all(
        target,
        report,
        "live_sessions",
        f"INSERT INTO live_sessions ({SESSION_TABLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        sessions,
    )
    for layout in layouts.values():
        columns = [*LAYOUT_COLUMNS, *(c.name for c in layout.columns)]
        typed = {"lang", *(c.name for c in layout.columns)}
        select = ", ".join(f"{quote(c)}::VARCHAR" if c in typed else quote(c) for c in columns)
        rows = src.execute(f"SELECT {select} FROM {quote(layout.table)} ORDER BY seq").fetchall()
        marks = ", ".join("?" for _ in columns)
        _insert_all(
            target,
            report,
            layout.table,
            f"INSERT INTO {quote(layout.table)} ({', '.join(map(quote, columns))}) "
            f"VALUES ({marks}) ON CONFLICT (submission_id) DO NOTHING",
            rows,
        )
    idea_columns = (
        "submission_id, survey_id, session_id, question_id, text, lang, status, pinned, created_at"
    )
    ideas = src.execute(f"SELECT {idea_columns} FROM ideas ORDER BY idea_id").fetchall()
    _insert_all(
        target,
        report,
        "ideas",
        f"INSERT INTO ideas ({idea_columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (submission_id, question_id) DO NOTHING",
        ideas,
    )
    supports = src.execute(
        "SELECT s.supporter, s.survey_id, s.session_key, s.slot, s.created_at, "
        "i.submission_id, i.question_id FROM idea_supports s JOIN ideas i USING (idea_id)"
    ).fetchall()
    _insert_all(
        target,
        report,
        "idea_supports",
        "INSERT INTO idea_supports SELECT i.idea_id, ?, ?, ?, ?, ? FROM ideas i "
        "WHERE i.submission_id = ? AND i.question_id = ? ON CONFLICT DO NOTHING",
        supports,
    )
    for table, listed in (
        ("survey_state", "survey_id, is_open, changed_at, changed_by"),
        ("results_visibility", "survey_id, session_id, revealed, changed_at, changed_by"),
        # receipt codes keep their key (a target that made its own keeps it)
        ("server_secrets", "name, secret, created_at"),
        ("session_rules", "session_id, one_answer_per_device"),
        ("session_devices", "session_id, device"),
    ):
        rows = src.execute(f"SELECT {listed} FROM {table}").fetchall()
        marks = ", ".join("?" for _ in listed.split(","))
        _insert_all(
            target,
            report,
            table,
            f"INSERT INTO {table} ({listed}) VALUES ({marks}) ON CONFLICT DO NOTHING",
            rows,
        )
    audit_columns = "logged_at, actor, action, survey_id, detail"
    entries = src.execute(f"SELECT {audit_columns} FROM audit_log ORDER BY entry_id").fetchall()
    have = set(target._read_do(lambda cur: cur.rows(f"SELECT {audit_columns} FROM audit_log")))
    _insert_all(
        target,
        report,
        "audit_log",
        f"INSERT INTO audit_log ({audit_columns}) VALUES (?, ?, ?, ?, ?)",
        [e for e in entries if tuple(e) not in have],
    )
    report.seen["audit_log"] = len(entries)

    def finish(cur: Cursor) -> None:
        for survey_id in layouts:
            target._bump(cur, survey_id)  # live screens look again
        detail = ", ".join(f"{t} +{n}" for t, n in report.added.items())
        target._audit(cur, actor, "copy_from_duckdb", None, detail)

    target._do(finish, idempotent=False)
    for survey_id in layouts:  # count the copied rows now, not at the first summary
        if survey_id in target.surveys:
            target.answer_counts(survey_id)
