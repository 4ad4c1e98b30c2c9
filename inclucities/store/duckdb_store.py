"""DuckDB storage of survey answers: idempotent submissions, moderation, soft delete and audit."""

from __future__ import annotations

import enum
import hashlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from inclucities.i18n import LANGUAGES
from inclucities.survey.models import LIST_TYPES, Survey
from inclucities.survey.validation import InvalidSubmission, validate_answers

IdeaStatus = Literal["pending", "approved", "hidden"]
IDEA_STATUSES: tuple[str, ...] = ("pending", "approved", "hidden")
UnavailableReason = Literal["locked", "readonly", "other"]
MAX_CONFLICT_RETRIES = 20  # concurrent commits of the same id retry, then report a duplicate

# Ordered migrations: (version, statements). Never edit a released one; append a new one.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """CREATE TABLE submissions (
                submission_id VARCHAR PRIMARY KEY,
                survey_id VARCHAR NOT NULL,
                survey_version INTEGER NOT NULL,
                lang VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                deleted_at TIMESTAMP
            )""",
            """CREATE TABLE survey_state (
                survey_id VARCHAR PRIMARY KEY,
                is_open BOOLEAN NOT NULL,
                changed_at TIMESTAMP NOT NULL,
                changed_by VARCHAR NOT NULL
            )""",
            "CREATE SEQUENCE idea_seq START 1",
            """CREATE TABLE ideas (
                idea_id BIGINT PRIMARY KEY DEFAULT nextval('idea_seq'),
                submission_id VARCHAR NOT NULL,
                survey_id VARCHAR NOT NULL,
                question_id VARCHAR NOT NULL,
                text VARCHAR NOT NULL,
                lang VARCHAR NOT NULL,
                status VARCHAR NOT NULL DEFAULT 'pending',
                created_at TIMESTAMP NOT NULL,
                deleted BOOLEAN NOT NULL DEFAULT false
            )""",
            "CREATE SEQUENCE audit_seq START 1",
            """CREATE TABLE audit_log (
                entry_id BIGINT DEFAULT nextval('audit_seq'),
                logged_at TIMESTAMP NOT NULL,
                actor VARCHAR NOT NULL,
                action VARCHAR NOT NULL,
                survey_id VARCHAR,
                detail VARCHAR
            )""",
        ),
    ),
    (
        2,
        (
            # Bumped by every change other than a new submission (which changes the count), so
            # live screens can tell with one cheap query whether anything they show changed.
            """CREATE TABLE survey_versions (
                survey_id VARCHAR PRIMARY KEY,
                version BIGINT NOT NULL
            )""",
            # Whether the presenter has revealed the results on the projector ('' = no session).
            """CREATE TABLE results_visibility (
                survey_id VARCHAR NOT NULL,
                session_id VARCHAR NOT NULL,
                revealed BOOLEAN NOT NULL,
                changed_at TIMESTAMP NOT NULL,
                changed_by VARCHAR NOT NULL,
                PRIMARY KEY (survey_id, session_id)
            )""",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


class SubmitResult(enum.StrEnum):
    """What happened to a submission."""

    STORED = "stored"
    DUPLICATE = "duplicate"  # this submission id was already stored: nothing new written
    CLOSED = "closed"  # the survey is closed: nothing written


class StoreUnavailable(RuntimeError):
    """The database file cannot be opened for writing (locked by another process, read-only...)."""

    def __init__(self, reason: UnavailableReason, path: Path, detail: str) -> None:
        self.reason: UnavailableReason = reason
        self.path = path
        self.detail = detail
        super().__init__(f"{reason}: {path}: {detail}")


@dataclass(frozen=True)
class Idea:
    """One free-text answer awaiting or past moderation."""

    id: int
    survey_id: str
    question_id: str
    text: str
    lang: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    survey_id: str | None
    detail: str | None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _classify(exc: BaseException) -> UnavailableReason:
    text = str(exc).lower()
    if "lock" in text:
        return "locked"
    if any(s in text for s in ("read-only", "read only", "permission denied", "readonly")):
        return "readonly"
    return "other"


def quote(identifier: str) -> str:
    """Quote a SQL identifier (ids are validated by pattern; this is a second guard)."""
    return '"' + identifier.replace('"', '""') + '"'


class SurveyStore:
    """One DuckDB connection shared by all sessions; every operation runs on its own cursor."""

    def __init__(self, path: str | Path, surveys: Iterable[Survey] = ()) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable("readonly", self.path, str(exc)) from exc
        try:
            self._conn = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise StoreUnavailable(_classify(exc), self.path, str(exc)) from exc
        self._lock = threading.Lock()  # guards schema changes and the survey cache only
        self._surveys: dict[str, Survey] = {}
        self._insert_sql: dict[str, str] = {}
        self.registration_errors: dict[str, str] = {}  # survey id -> why it cannot be stored
        try:
            self._migrate()
        except (duckdb.IOException, duckdb.PermissionException) as exc:
            self._conn.close()
            raise StoreUnavailable(_classify(exc), self.path, str(exc)) from exc
        for survey in surveys:
            try:
                self.register_survey(survey)
            except (ValueError, duckdb.Error) as exc:  # one bad survey disables only itself
                self.registration_errors[survey.id] = str(exc)

    # -- plumbing -------------------------------------------------------------------------

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._conn.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()

    def schema_version(self) -> int:
        with self._cursor() as cur:
            row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def _migrate(self) -> None:
        with self._cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
            )
        current = self.schema_version()
        for version, statements in MIGRATIONS:
            if version <= current:
                continue
            with self._transaction() as cur:
                for sql in statements:
                    cur.execute(sql)
                cur.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])

    def _ensure_enum(self, cur: duckdb.DuckDBPyConnection, values: list[str]) -> str:
        """A shared ENUM type for a list of option ids (stored as one byte, grouped fast)."""
        name = "enum_" + hashlib.sha1("\x1f".join(values).encode()).hexdigest()[:12]
        exists = cur.execute("SELECT 1 FROM duckdb_types() WHERE type_name = ?", [name]).fetchone()
        if not exists:
            literal = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
            cur.execute(f"CREATE TYPE {quote(name)} AS ENUM ({literal})")
        return name

    def register_survey(self, survey: Survey) -> None:
        """Create (or extend with new questions and options) the survey's answer table."""
        with self._lock, self._transaction() as cur:
            table = survey.table_name
            lang_type = self._ensure_enum(cur, list(LANGUAGES))
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {quote(table)} (submission_id VARCHAR NOT NULL, "
                f"lang {quote(lang_type)} NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false)"
            )
            existing = dict(
                cur.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?",
                    [table],
                ).fetchall()
            )
            for question in survey.questions:
                for column, _item in question.columns:
                    wanted = self._ensure_enum(cur, question.option_ids)
                    if column not in existing:
                        cur.execute(
                            f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} {quote(wanted)}"
                        )
                        continue
                    have = existing[column]
                    found = (
                        cur.execute(f"SELECT enum_range(NULL::{have})").fetchone()
                        if have.startswith("ENUM(")
                        else None
                    )
                    old = found[0] if found else None
                    if old == question.option_ids:
                        continue
                    if old is None or not set(old) <= set(question.option_ids):
                        raise ValueError(
                            f"survey '{survey.id}': question '{question.id}' no longer fits "
                            f"column {column} ({have}); give a changed question a new id"
                        )
                    cur.execute(
                        f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} "
                        f"TYPE {quote(wanted)} USING {quote(column)}::VARCHAR::{quote(wanted)}"
                    )
            columns = [c for q in survey.questions for c, _ in q.columns]
            names = ", ".join(["submission_id", "lang", *map(quote, columns)])
            marks = ", ".join("?" for _ in range(len(columns) + 2))
            self._insert_sql[survey.id] = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
            self._surveys[survey.id] = survey

    def survey(self, survey_id: str) -> Survey:
        try:
            return self._surveys[survey_id]
        except KeyError:
            raise KeyError(f"survey '{survey_id}' is not registered with the store") from None

    @property
    def surveys(self) -> dict[str, Survey]:
        return dict(self._surveys)

    def _audit(
        self,
        cur: duckdb.DuckDBPyConnection,
        actor: str,
        action: str,
        survey_id: str | None,
        detail: str | None,
    ) -> None:
        cur.execute(
            "INSERT INTO audit_log (logged_at, actor, action, survey_id, detail) "
            "VALUES (?, ?, ?, ?, ?)",
            [_now(), actor, action, survey_id, detail],
        )

    # -- submissions ------------------------------------------------------------------------

    def submit(
        self,
        submission_id: str,
        survey_id: str,
        survey_version: int,
        lang: str,
        answers: Mapping[str, object],
    ) -> SubmitResult:
        """Validate and store one submission; committed to disk before this returns.

        Raises InvalidSubmission (nothing stored) when answers break the definition.
        """
        survey = self.survey(survey_id)
        if not submission_id or len(submission_id) > 64:
            raise ValueError("submission_id must be 1 to 64 characters")
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language '{lang}'")
        result = validate_answers(survey, answers)
        if not result.ok:
            raise InvalidSubmission(result.errors)
        clean = result.answers
        row: list[object] = [submission_id, lang]
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
        if not self.is_survey_open(survey_id):
            return SubmitResult.CLOSED
        now = _now()
        for _attempt in range(MAX_CONFLICT_RETRIES):
            try:
                self._write(survey, submission_id, survey_version, lang, row, ideas, now)
            except duckdb.ConstraintException:
                return SubmitResult.DUPLICATE  # the primary key already holds this id
            except duckdb.TransactionException:
                continue  # a concurrent commit touched the same key; try again
            return SubmitResult.STORED
        return SubmitResult.DUPLICATE if self.has_submission(submission_id) else self._give_up()

    @staticmethod
    def _give_up() -> SubmitResult:
        raise RuntimeError("could not commit after repeated write conflicts")

    def _write(
        self,
        survey: Survey,
        submission_id: str,
        version: int,
        lang: str,
        row: list[object],
        ideas: list[tuple[str, str]],
        now: datetime,
    ) -> None:
        with self._transaction() as cur:
            cur.execute(
                "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, NULL)",
                [submission_id, survey.id, version, lang, now],
            )
            cur.execute(self._insert_sql[survey.id], row)
            for question_id, text in ideas:
                cur.execute(
                    "INSERT INTO ideas (submission_id, survey_id, question_id, text, lang, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [submission_id, survey.id, question_id, text, lang, now],
                )

    def count(self, survey_id: str) -> int:
        """Stored, not deleted submissions of a survey."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT count(*) FROM submissions WHERE survey_id = ? AND deleted_at IS NULL",
                [survey_id],
            ).fetchone()
        return int(row[0]) if row else 0

    def has_submission(self, submission_id: str) -> bool:
        with self._cursor() as cur:
            return bool(
                cur.execute(
                    "SELECT 1 FROM submissions WHERE submission_id = ?", [submission_id]
                ).fetchone()
            )

    # -- open / closed ----------------------------------------------------------------------

    def set_survey_open(self, survey_id: str, is_open: bool, actor: str) -> None:
        with self._transaction() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO survey_state VALUES (?, ?, ?, ?)",
                [survey_id, is_open, _now(), actor],
            )
            self._audit(cur, actor, "open" if is_open else "close", survey_id, None)
            self._bump(cur, survey_id)

    def is_survey_open(self, survey_id: str) -> bool:
        """Surveys are open unless someone closed them (read from the database each time, so
        every process and page agrees)."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT is_open FROM survey_state WHERE survey_id = ?", [survey_id]
            ).fetchone()
        return True if row is None else bool(row[0])

    # -- what live screens watch ------------------------------------------------------------

    def _bump(self, cur: duckdb.DuckDBPyConnection, survey_id: str) -> None:
        """Mark a change that does not add a submission (moderation, deletion, reveal...)."""
        cur.execute(
            "INSERT INTO survey_versions VALUES (?, 1) ON CONFLICT (survey_id) "
            "DO UPDATE SET version = survey_versions.version + 1",
            [survey_id],
        )

    def data_version(self, survey_id: str) -> str:
        """A token that changes whenever anything a live screen shows for the survey changes.

        New submissions change the row count; every other change bumps `survey_versions`.
        """
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT (SELECT count(*) FROM submissions WHERE survey_id = $1), "
                "(SELECT version FROM survey_versions WHERE survey_id = $1)",
                [survey_id],
            ).fetchone()
        count, version = row if row else (0, None)
        return f"{int(count or 0)}.{int(version or 0)}"

    def set_results_revealed(
        self, survey_id: str, revealed: bool, actor: str, session_id: str | None = None
    ) -> None:
        """Show (or hide) the results on the presenter's screens; audited."""
        with self._transaction() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO results_visibility VALUES (?, ?, ?, ?, ?)",
                [survey_id, session_id or "", revealed, _now(), actor],
            )
            self._audit(cur, actor, "reveal" if revealed else "hide", survey_id, session_id)
            self._bump(cur, survey_id)

    def results_revealed(self, survey_id: str, session_id: str | None = None) -> bool:
        """Results start hidden on the presenter's screens until the presenter reveals them."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT revealed FROM results_visibility WHERE survey_id = ? AND session_id = ?",
                [survey_id, session_id or ""],
            ).fetchone()
        return bool(row[0]) if row else False

    # -- free-text moderation ---------------------------------------------------------------

    def ideas(self, survey_id: str, status: IdeaStatus | None = None) -> list[Idea]:
        """Free-text answers of non-deleted submissions, oldest first."""
        sql = (
            "SELECT idea_id, survey_id, question_id, text, lang, status, created_at FROM ideas "
            "WHERE survey_id = ? AND NOT deleted"
        )
        params: list[object] = [survey_id]
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        with self._cursor() as cur:
            rows = cur.execute(sql + " ORDER BY idea_id", params).fetchall()
        return [Idea(*r) for r in rows]

    def set_idea_status(self, idea_id: int, status: IdeaStatus, actor: str) -> None:
        if status not in IDEA_STATUSES:
            raise ValueError(f"status must be one of {', '.join(IDEA_STATUSES)}")
        with self._transaction() as cur:
            row = cur.execute(
                "SELECT survey_id, status FROM ideas WHERE idea_id = ?", [idea_id]
            ).fetchone()
            if row is None:
                raise KeyError(f"no idea {idea_id}")
            cur.execute("UPDATE ideas SET status = ? WHERE idea_id = ?", [status, idea_id])
            self._audit(cur, actor, "idea_status", row[0], f"idea {idea_id}: {row[1]} -> {status}")
            self._bump(cur, row[0])

    # -- soft delete / restore --------------------------------------------------------------

    def _mark(
        self,
        survey_id: str,
        submission_ids: Iterable[str] | None,
        actor: str,
        reason: str,
        delete: bool,
    ) -> int:
        survey = self.survey(survey_id)
        ids = None if submission_ids is None else list(submission_ids)
        with self._transaction() as cur:
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS _ids (submission_id VARCHAR)")
            cur.execute("DELETE FROM _ids")
            scope = ""
            if ids is not None:
                cur.executemany("INSERT INTO _ids VALUES (?)", [[i] for i in ids])
                scope = " AND submission_id IN (SELECT submission_id FROM _ids)"
            was = "deleted_at IS NULL" if delete else "deleted_at IS NOT NULL"
            changed = [
                r[0]
                for r in cur.execute(
                    f"SELECT submission_id FROM submissions WHERE survey_id = ? AND {was}{scope}",
                    [survey_id],
                ).fetchall()
            ]
            if changed:
                cur.execute("DELETE FROM _ids")
                cur.executemany("INSERT INTO _ids VALUES (?)", [[i] for i in changed])
                in_ids = "submission_id IN (SELECT submission_id FROM _ids)"
                cur.execute(
                    f"UPDATE submissions SET deleted_at = ? WHERE {in_ids}",
                    [_now() if delete else None],
                )
                cur.execute(
                    f"UPDATE {quote(survey.table_name)} SET deleted = ? WHERE {in_ids}", [delete]
                )
                cur.execute(f"UPDATE ideas SET deleted = ? WHERE {in_ids}", [delete])
            what = "all" if ids is None else f"{len(ids)} requested"
            if changed:
                self._bump(cur, survey_id)
            self._audit(
                cur,
                actor,
                "soft_delete" if delete else "restore",
                survey_id,
                f"{len(changed)} submissions ({what}); reason: {reason}",
            )
        return len(changed)

    def soft_delete(
        self,
        survey_id: str,
        submission_ids: Iterable[str] | None = None,
        *,
        actor: str,
        reason: str,
    ) -> int:
        """Hide submissions (all if None) from every count, summary and export; returns how many."""
        return self._mark(survey_id, submission_ids, actor, reason, delete=True)

    def restore(
        self,
        survey_id: str,
        submission_ids: Iterable[str] | None = None,
        *,
        actor: str,
        reason: str,
    ) -> int:
        """Undo a soft delete (all deleted submissions if None); returns how many."""
        return self._mark(survey_id, submission_ids, actor, reason, delete=False)

    def audit_log(self, survey_id: str | None = None) -> list[AuditEntry]:
        sql = "SELECT entry_id, logged_at, actor, action, survey_id, detail FROM audit_log"
        params: list[object] = []
        if survey_id is not None:
            sql += " WHERE survey_id = ?"
            params.append(survey_id)
        with self._cursor() as cur:
            rows = cur.execute(sql + " ORDER BY entry_id", params).fetchall()
        return [AuditEntry(*r) for r in rows]

    # -- reading ----------------------------------------------------------------------------

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
        """Run a read-only query on its own cursor (used by the summary layer)."""
        with self._cursor() as cur:
            return cur.execute(sql, params or []).fetchall()

    def responses_frame(self, survey_id: str, include_deleted: bool = False) -> pd.DataFrame:
        """One row per submission, one column per question (grid items as 'question.item');
        multiple choices as ';'-joined option ids; free text from the ideas table."""
        survey = self.survey(survey_id)
        selects = ["s.submission_id", "s.created_at", "s.lang::VARCHAR AS lang", "s.survey_version"]
        for question in survey.questions:
            if question.type == "text":
                selects.append(
                    "(SELECT string_agg(i.text, ' ') FROM ideas i WHERE i.submission_id = "
                    f"s.submission_id AND i.question_id = '{question.id}') AS {quote(question.id)}"
                )
                continue
            if question.type in LIST_TYPES:
                slots = ", ".join(f"r.{quote(c)}::VARCHAR" for c, _ in question.columns)
                selects.append(f"NULLIF(concat_ws(';', {slots}), '') AS {quote(question.id)}")
                continue
            for column, item in question.columns:
                label = question.id if item is None else f"{question.id}.{item}"
                selects.append(f"r.{quote(column)}::VARCHAR AS {quote(label)}")
        where = "s.survey_id = ?"
        if include_deleted:
            selects.append("s.deleted_at")
        else:
            where += " AND s.deleted_at IS NULL"
        sql = (
            f"SELECT {', '.join(selects)} FROM submissions s JOIN {quote(survey.table_name)} r "
            f"USING (submission_id) WHERE {where} ORDER BY s.created_at, s.submission_id"
        )
        with self._cursor() as cur:
            return cur.execute(sql, [survey_id]).df()
