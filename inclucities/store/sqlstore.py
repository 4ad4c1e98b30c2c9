"""What both backends share: the schema, migrations, and every query written once.

The SQL here runs unchanged on DuckDB and PostgreSQL: `?` placeholders (the PostgreSQL cursor
turns them into `%s`), identifiers quoted, values always bound. A backend supplies connections,
transactions, error classification and the few statements that differ (the summary's counting
query, the change token, bulk synthetic rows, compaction after a purge).
"""

from __future__ import annotations

import abc
import logging
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

import pandas as pd

from inclucities.i18n import LANGUAGES
from inclucities.store import layout as layouts
from inclucities.store.base import (
    IDEA_STATUSES,
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    LANG_COLUMN,
    MAX_SUPPORTS_PER_SESSION,
    AuditEntry,
    CountRow,
    FaultReason,
    Health,
    Idea,
    IdeaStatus,
    LiveSession,
    StorageFault,
    StoreUnavailable,
    SubmissionCounts,
    SubmitResult,
    SupportResult,
    as_utc,
    normalise_join_code,
    quote,
    utcnow,
)
from inclucities.store.layout import AnswerLayout
from inclucities.survey.models import AGREEMENT_LEVELS, LIST_TYPES, Question, Survey
from inclucities.survey.validation import InvalidSubmission, validate_answers

T = TypeVar("T")

MAX_CONFLICT_RETRIES = 20  # write-write conflicts between concurrent commits are retried
MAX_CONNECTION_RETRIES = 3  # a lost connection is retried on a fresh one (idempotent work only)
LOGIN_FAILURE_RETENTION = timedelta(days=2)  # older failures are pruned (they name addresses)
MAX_RECEIPT_HASH = 128
MAX_SESSION_TEXT = 200
AUDIT_ID_LIST = 20  # bulk actions list at most this many ids in the audit detail
ERASE_DELAY_SECONDS = 120.0
"""How long after a withdrawal the store rewrites its files so that the withdrawn text leaves them
(withdrawals within that time share one rewrite). The privacy notice promises "within 5 minutes"
(`privacy.withdraw.body`): the delay, plus the rewrite itself, plus a margin."""
ERASE_PROMISE_MINUTES = 5  # what the privacy notice says; tests/test_store_erasure.py checks it

LOG = logging.getLogger(__name__)
SYNTHETIC_LANGS = ("fr", "en", "nl", "es", "it", "el", "lv", "ar", "uk")

ErrorKind = str  # "conflict", "constraint" or a FaultReason


class Cursor(Protocol):
    """The small cursor interface the shared SQL is written against (`?` placeholders)."""

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]: ...

    def one(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None: ...

    def run(self, sql: str, params: Sequence[object] = ()) -> int: ...

    def many(self, sql: str, rows: Sequence[Sequence[object]]) -> None: ...

    def frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame: ...


def _framer(sql: str, params: Sequence[object]) -> Callable[[Cursor], pd.DataFrame]:
    def work(cur: Cursor) -> pd.DataFrame:
        return cur.frame(sql, params)

    return work


class _Retry(Exception):
    """Raised inside a unit of work to run it again from the start (a lost race)."""


# -- schema ---------------------------------------------------------------------------------------

V1 = (
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
)
V2 = (
    # Bumped by every change other than a new submission (which changes the count), so live
    # screens can tell with one cheap query whether anything they show changed.
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
)
# Version 3: each survey's answer table holds its whole submission (one soft-delete flag,
# `deleted_at`); the answer layout is recorded; sessions, supports, the login throttle.
V3_BEFORE_ANSWERS = ("CREATE SEQUENCE submission_seq START 1",)
V3_AFTER_ANSWERS = (
    "DROP TABLE submissions",
    "ALTER TABLE ideas DROP COLUMN deleted",
    "ALTER TABLE ideas ADD COLUMN session_id VARCHAR",
    "ALTER TABLE ideas ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT false",
    "CREATE UNIQUE INDEX ideas_answer ON ideas (submission_id, question_id)",
    """CREATE TABLE answer_layouts (
        survey_id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        layout VARCHAR NOT NULL,
        definition_version INTEGER,
        recorded_at TIMESTAMP NOT NULL,
        PRIMARY KEY (survey_id, version)
    )""",
    """CREATE TABLE live_sessions (
        session_id VARCHAR PRIMARY KEY,
        survey_id VARCHAR NOT NULL,
        join_code VARCHAR NOT NULL UNIQUE,
        name VARCHAR NOT NULL,
        place VARCHAR,
        session_date DATE,
        opened_at TIMESTAMP NOT NULL,
        closed_at TIMESTAMP,
        created_by VARCHAR NOT NULL
    )""",
    # One row per (idea, supporter); `slot` 1..3 makes "at most three per supporter and session"
    # a uniqueness rule the database enforces even for concurrent clicks.
    """CREATE TABLE idea_supports (
        idea_id BIGINT NOT NULL,
        supporter VARCHAR NOT NULL,
        survey_id VARCHAR NOT NULL,
        session_key VARCHAR NOT NULL,
        slot INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (idea_id, supporter),
        UNIQUE (supporter, session_key, slot)
    )""",
    """CREATE TABLE login_failures (
        scope VARCHAR NOT NULL,
        failed_at TIMESTAMP NOT NULL
    )""",
)
# Version 4: the secrets the server keys receipt codes with (made once, shared by every replica,
# in no export). Supports are bound to a stored submission from now on: `idea_supports.supporter`
# holds the supporting submission's id, so its primary key (idea_id, supporter) allows one support
# per idea per submission. Supports stored before (keyed by a browser hash) are kept as they are.
V4 = (
    """CREATE TABLE server_secrets (
        name VARCHAR PRIMARY KEY,
        secret VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
    )""",
)
SCHEMA_VERSION = 4


def _short(ids: Sequence[object]) -> str:
    shown = ", ".join(str(i) for i in ids[:AUDIT_ID_LIST])
    return shown + (f" and {len(ids) - AUDIT_ID_LIST} more" if len(ids) > AUDIT_ID_LIST else "")


def _idea(row: Sequence[Any]) -> Idea:
    return Idea(
        id=int(row[0]),
        survey_id=row[1],
        question_id=row[2],
        text=row[3],
        lang=row[4],
        status=row[5],
        created_at=row[6],
        session_id=row[7],
        pinned=bool(row[8]),
        supports=int(row[9] or 0),
    )


def _session(row: Sequence[Any]) -> LiveSession:
    return LiveSession(*row)


SESSION_COLUMNS = (
    "session_id, survey_id, join_code, name, place, session_date, opened_at, closed_at, created_by"
)


class SQLStore(abc.ABC):
    """The store logic both backends share. Subclasses open the connection, then call
    `_start(surveys)`."""

    backend: str = "sql"

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards schema changes and the survey caches only
        self._surveys: dict[str, Survey] = {}
        self._layouts: dict[str, AnswerLayout] = {}
        self._insert_sql: dict[str, str] = {}
        self.registration_errors: dict[str, str] = {}
        self._last_fault: StorageFault | None = None
        self._secrets: dict[str, bytes] = {}
        self.erase_delay = ERASE_DELAY_SECONDS  # seconds; tests shorten it
        self._erasure = threading.Lock()  # guards the four fields below
        self._erase_tables: set[str] = set()
        self._erase_timer: threading.Timer | None = None
        self._erase_stopped = False
        self._erase_running = threading.Lock()  # one rewrite at a time

    def _start(self, surveys: Iterable[Survey]) -> None:
        self._migrate()
        for survey in surveys:
            try:
                self.register_survey(survey)
            except (ValueError, StorageFault) as exc:  # one bad survey disables only itself
                self.registration_errors[survey.id] = str(exc)

    # -- what a backend provides -----------------------------------------------------------------

    @property
    @abc.abstractmethod
    def location(self) -> str: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    @abc.abstractmethod
    def _read(self) -> AbstractContextManager[Cursor]:
        """A cursor for reading (autocommit)."""

    @abc.abstractmethod
    def _write(self) -> AbstractContextManager[Cursor]:
        """A cursor inside a transaction, committed when the block ends without an error."""

    @abc.abstractmethod
    def _classify(self, exc: BaseException) -> ErrorKind | None:
        """'conflict', 'constraint' or a FaultReason for a database error, else None."""

    @abc.abstractmethod
    def _lock_schema(self, cur: Cursor) -> None:
        """Serialise schema changes between processes (until the transaction ends)."""

    @abc.abstractmethod
    def _table_names(self, cur: Cursor) -> set[str]: ...

    @abc.abstractmethod
    def _type_exists(self, cur: Cursor, name: str) -> bool: ...

    @abc.abstractmethod
    def _after_create_table(self, cur: Cursor, layout: AnswerLayout) -> None:
        """Backend-specific indexes of a new answer table."""

    @abc.abstractmethod
    def _migrate_legacy_answers(self, cur: Cursor) -> None:
        """Version 3: move answers stored the version 1-2 way into the one-table layout."""

    @abc.abstractmethod
    def _count_rows(
        self, cur: Cursor, survey: Survey, session_id: str | None
    ) -> list[tuple[Any, ...]]:
        """(column, value, group, n) rows for `answer_counts`."""

    @abc.abstractmethod
    def _data_version(self, cur: Cursor, table: str, survey_id: str) -> str: ...

    @abc.abstractmethod
    def _rows_leaving_counts(
        self,
        cur: Cursor,
        survey_id: str,
        where: str,
        params: Sequence[object],
        sign: int,
    ) -> None:
        """Called in the transaction, before rows matching `where` stop counting (sign -1: soft
        delete, withdrawal, purge) or start counting again (+1: restore). A backend that keeps
        running counts adjusts them here."""

    @abc.abstractmethod
    def _hash_expr(self, expr: str) -> str:
        """A non-negative integer SQL expression, a deterministic hash of integer `expr`."""

    @abc.abstractmethod
    def _series(self) -> str:
        """A FROM item giving integers i from ? to ? (two parameters, both inclusive)."""

    @abc.abstractmethod
    def _compact(self, tables: list[str]) -> None:
        """After a purge or withdrawals: rewrite storage so that deleted rows leave no bytes
        behind. Other operations wait meanwhile (they are neither lost nor doubled)."""

    def _erasure_pending(self, pending: bool) -> None:
        """Remember across a restart that a rewrite is due (a backend with a file does; a
        server database without it: PostgreSQL's autovacuum follows, without clearing bytes)."""
        del pending

    # -- plumbing -------------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        return text

    def _do(
        self,
        work: Callable[[Cursor], T],
        *,
        write: bool = True,
        idempotent: bool = True,
    ) -> T:
        """Run `work` in a transaction (or on a read cursor): conflicts are retried, storage
        problems raise StorageFault with their reason."""
        conflicts = connections = 0
        while True:
            try:
                with self._write() if write else self._read() as cur:
                    result = work(cur)
            except _Retry:
                conflicts += 1
                if conflicts > MAX_CONFLICT_RETRIES:
                    raise self._fault("busy", "kept losing races with other writers") from None
                continue
            except StoreUnavailable:
                raise
            except Exception as exc:
                kind = self._classify(exc)
                if kind is None:
                    raise
                if kind in ("conflict", "constraint") and conflicts < MAX_CONFLICT_RETRIES:
                    conflicts += 1
                    time.sleep(random.uniform(0, 0.002 * conflicts))
                    continue
                if kind == "constraint":
                    raise ValueError(f"conflicting value: {self._redact(str(exc))}") from exc
                if kind == "connection_lost" and idempotent and self._worth_retrying(exc):
                    connections += 1
                    if connections <= MAX_CONNECTION_RETRIES:
                        time.sleep(0.2 * connections)
                        continue
                reason: FaultReason = "busy" if kind == "conflict" else kind  # type: ignore[assignment]
                fault = self._fault(reason, str(exc))
                if write:
                    self._last_fault = fault
                raise fault from exc
            if write:
                self._last_fault = None
            return result

    def _worth_retrying(self, exc: BaseException) -> bool:
        """Whether a lost connection may come back at once (not after a long wait already)."""
        return True

    def _fault(self, reason: FaultReason, detail: str) -> StorageFault:
        return StorageFault(reason, self.location, self._redact(detail))

    def _read_do(self, work: Callable[[Cursor], T]) -> T:
        return self._do(work, write=False)

    def heartbeat(self) -> datetime:
        token, now = uuid.uuid4().hex, utcnow()

        def work(cur: Cursor) -> Any:
            cur.run(
                "CREATE TABLE IF NOT EXISTS heartbeat "
                "(id INTEGER PRIMARY KEY, token VARCHAR NOT NULL, written_at TIMESTAMP NOT NULL)"
            )
            cur.run(
                "INSERT INTO heartbeat VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "token = EXCLUDED.token, written_at = EXCLUDED.written_at",
                [token, now],
            )
            return cur.one("SELECT token FROM heartbeat WHERE id = 1")

        row = self._do(work)
        if not row or row[0] != token:
            raise self._fault("readonly", "the heartbeat row did not read back")
        return now

    def schema_version(self) -> int:
        row = self._read_do(lambda cur: cur.one("SELECT max(version) FROM schema_version"))
        return int(row[0]) if row and row[0] is not None else 0

    def health(self) -> Health:
        try:
            self.schema_version()
        except StoreUnavailable as exc:
            return Health(False, self.backend, exc.reason, exc.detail)
        fault = self._last_fault
        if fault is not None:
            return Health(False, self.backend, fault.reason, fault.detail)
        return Health(True, self.backend)

    # -- migrations -----------------------------------------------------------------------------

    def _migrate(self) -> None:
        def ensure(cur: Cursor) -> int:
            self._lock_schema(cur)
            if "schema_version" not in self._table_names(cur):
                cur.run(
                    "CREATE TABLE schema_version "
                    "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
                )
            row = cur.one("SELECT max(version) FROM schema_version")
            return int(row[0]) if row and row[0] is not None else 0

        self._do(ensure, idempotent=False)
        steps: list[tuple[int, Callable[[Cursor], None]]] = [
            (1, lambda cur: self._statements(cur, V1)),
            (2, lambda cur: self._statements(cur, V2)),
            (3, self._v3),
            (4, lambda cur: self._statements(cur, V4)),
        ]
        for version, step in steps:

            def apply(cur: Cursor, version: int = version, step: Any = step) -> None:
                self._lock_schema(cur)
                row = cur.one("SELECT max(version) FROM schema_version")
                if row and row[0] is not None and int(row[0]) >= version:
                    return  # done already (by another replica, maybe)
                step(cur)
                cur.run("INSERT INTO schema_version VALUES (?, ?)", [version, utcnow()])

            self._do(apply, idempotent=False)

    @staticmethod
    def _statements(cur: Cursor, statements: Sequence[str]) -> None:
        for sql in statements:
            cur.run(sql)

    def _v3(self, cur: Cursor) -> None:
        self._statements(cur, V3_BEFORE_ANSWERS)
        # the layouts table first: moving old answer tables records their layouts in it
        layouts_table = next(s for s in V3_AFTER_ANSWERS if "answer_layouts" in s)
        cur.run(layouts_table)
        self._migrate_legacy_answers(cur)
        self._statements(cur, [s for s in V3_AFTER_ANSWERS if s != layouts_table])
        self._v3_extra(cur)

    @abc.abstractmethod
    def _v3_extra(self, cur: Cursor) -> None:
        """Backend-only parts of version 3: secondary indexes, running counts (PostgreSQL)."""

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

    def survey(self, survey_id: str) -> Survey:
        try:
            return self._surveys[survey_id]
        except KeyError:
            raise KeyError(f"survey '{survey_id}' is not registered with the store") from None

    @property
    def surveys(self) -> dict[str, Survey]:
        return dict(self._surveys)

    def layout_history(self, survey_id: str) -> list[tuple[int, str]]:
        rows = self._read_do(
            lambda cur: cur.rows(
                "SELECT version, layout FROM answer_layouts WHERE survey_id = ? ORDER BY version",
                [survey_id],
            )
        )
        return [(int(v), str(text)) for v, text in rows]

    def _table(self, survey_id: str) -> str:
        return quote(self.survey(survey_id).table_name)

    def _all_tables(self, cur: Cursor) -> dict[str, str]:
        """survey id -> answer table, for every recorded layout (registered or not)."""
        rows = cur.rows("SELECT DISTINCT survey_id FROM answer_layouts")
        found = {str(r[0]): f"responses_{r[0]}" for r in rows}
        found.update({sid: s.table_name for sid, s in self._surveys.items()})
        return found

    # -- audit and change markers ---------------------------------------------------------------

    @staticmethod
    def _audit(
        cur: Cursor, actor: str, action: str, survey_id: str | None, detail: str | None
    ) -> None:
        cur.run(
            "INSERT INTO audit_log (logged_at, actor, action, survey_id, detail) "
            "VALUES (?, ?, ?, ?, ?)",
            [utcnow(), actor, action, survey_id, detail],
        )

    @staticmethod
    def _bump(cur: Cursor, survey_id: str) -> None:
        """Mark a change that does not add a submission (moderation, deletion, reveal...)."""
        cur.run(
            "INSERT INTO survey_versions VALUES (?, 1) ON CONFLICT (survey_id) "
            "DO UPDATE SET version = survey_versions.version + 1",
            [survey_id],
        )

    def record_audit(
        self, actor: str, action: str, survey_id: str | None = None, detail: str | None = None
    ) -> None:
        self._do(lambda cur: self._audit(cur, actor, action, survey_id, detail), idempotent=False)

    def audit_log(
        self,
        survey_id: str | None = None,
        *,
        include_global: bool = False,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[AuditEntry]:
        sql = "SELECT entry_id, logged_at, actor, action, survey_id, detail FROM audit_log"
        params: list[object] = []
        if survey_id is not None:
            sql += " WHERE (survey_id = ?" + (" OR survey_id IS NULL)" if include_global else ")")
            params.append(survey_id)
        sql += " ORDER BY entry_id" + (" DESC" if newest_first else "")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        rows = self._read_do(lambda cur: cur.rows(sql, params))
        return [AuditEntry(int(r[0]), *r[1:]) for r in rows]

    # -- submissions ----------------------------------------------------------------------------

    def _insert_once(self, cur: Cursor, table: str, insert: str, values: list[object]) -> bool:
        """Insert a submission unless its id is stored already (then False): the database's
        own guarantee, so a retry on another replica is stored once."""
        return cur.run(f"{insert} ON CONFLICT (submission_id) DO NOTHING", values) > 0

    def _answers_open(self, cur: Cursor, survey_id: str, session_id: str | None) -> bool:
        if session_id is None:
            state = cur.one("SELECT is_open FROM survey_state WHERE survey_id = ?", [survey_id])
            return state is None or bool(state[0])
        row = cur.one(
            "SELECT (SELECT is_open FROM survey_state WHERE survey_id = ?), "
            "(SELECT survey_id FROM live_sessions WHERE session_id = ?), "
            "(SELECT closed_at FROM live_sessions WHERE session_id = ?)",
            [survey_id, session_id, session_id],
        )
        is_open, session_survey, closed_at = row if row else (None, None, None)
        if session_id is not None and session_survey != survey_id:
            raise ValueError(f"no session '{session_id}' of survey '{survey_id}'")
        if is_open is not None and not is_open:
            return False
        return closed_at is None

    def submit(
        self,
        submission_id: str,
        survey_id: str,
        survey_version: int,
        lang: str,
        answers: Mapping[str, object],
        *,
        session_id: str | None = None,
        receipt_hash: str | None = None,
    ) -> SubmitResult:
        survey = self.survey(survey_id)
        if not submission_id or len(submission_id) > 64:
            raise ValueError("submission_id must be 1 to 64 characters")
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language '{lang}'")
        if receipt_hash is not None and not 0 < len(receipt_hash) <= MAX_RECEIPT_HASH:
            raise ValueError(f"receipt_hash must be 1 to {MAX_RECEIPT_HASH} characters")
        result = validate_answers(survey, answers)
        if not result.ok:
            raise InvalidSubmission(result.errors)
        row, ideas = layouts.answer_row(survey, result.answers)
        insert = self._insert_sql[survey_id]
        table = quote(survey.table_name)
        now = utcnow()
        values = [submission_id, survey_version, lang, now, session_id, receipt_hash, *row]
        idea_rows = [
            [submission_id, survey_id, session_id, question_id, text, lang, now]
            for question_id, text in ideas
        ]

        def work(cur: Cursor) -> SubmitResult:
            if not self._answers_open(cur, survey_id, session_id):
                return SubmitResult.CLOSED
            if not self._insert_once(cur, table, insert, values):
                return SubmitResult.DUPLICATE  # stored before (a retry, another replica)
            for idea in idea_rows:
                cur.run(
                    "INSERT INTO ideas (submission_id, survey_id, session_id, question_id, "
                    "text, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    idea,
                )
            return SubmitResult.STORED

        return self._do(work)

    def has_submission(self, submission_id: str) -> bool:
        tables = [s.table_name for s in self._surveys.values()]
        if not tables:
            return False
        sql = " UNION ALL ".join(
            f"SELECT 1 FROM {quote(t)} WHERE submission_id = ?" for t in tables
        )
        return bool(self._read_do(lambda cur: cur.rows(sql, [submission_id] * len(tables))))

    @staticmethod
    def _session_filter(session_id: str | None, alias: str = "") -> tuple[str, list[object]]:
        if session_id is None:
            return "", []
        return f" AND {alias}session_id = ?", [session_id]

    def count(self, survey_id: str, session_id: str | None = None) -> int:
        where, params = self._session_filter(session_id)
        sql = f"SELECT count(*) FROM {self._table(survey_id)} WHERE deleted_at IS NULL{where}"
        row = self._read_do(lambda cur: cur.one(sql, params))
        return int(row[0]) if row else 0

    def submission_counts(self, survey_id: str, session_id: str | None = None) -> SubmissionCounts:
        where, params = self._session_filter(session_id)
        sql = (
            "SELECT count(*) FILTER (WHERE deleted_at IS NULL), "
            f"count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM {self._table(survey_id)} "
            f"WHERE true{where}"
        )
        row = self._read_do(lambda cur: cur.one(sql, params))
        if not row:
            return SubmissionCounts(0, 0)
        return SubmissionCounts(int(row[0] or 0), int(row[1] or 0))

    # -- synthetic rows ---------------------------------------------------------------------------

    def _pick(self, values: Sequence[str], index: str, enum_type: str | None) -> str:
        """values[index] as SQL, `index` a non-negative integer expression."""
        literal = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
        expr = f"(ARRAY[{literal}])[(({index}) % {len(values)} + 1)::INTEGER]"
        return f"{expr}::{quote(enum_type)}" if enum_type else expr

    def _synthetic_expressions(self, question: Question, salt: int) -> list[str]:
        values = list(AGREEMENT_LEVELS) if question.type == "agreement" else question.option_ids
        enum_type = layouts.enum_type_name(question.option_ids)
        h = self._hash_expr
        skip = "false" if question.required else f"{h(f'i * 104729 + {salt}')} % 10 < 2"
        if question.type in LIST_TYPES:
            width = question.max_selections or 1
            chosen = f"{h(f'i * 31 + {salt}')} % {width}"  # picks 1..width distinct options
            base = h(f"i * 7919 + {salt}")
            return [
                f"CASE WHEN {skip} OR {chosen} < {k} THEN NULL ELSE "
                f"{self._pick(values, f'{base} + {k}', enum_type)} END"
                for k in range(width)
            ]
        return [
            f"CASE WHEN {skip} THEN NULL ELSE "
            f"{self._pick(values, h(f'i * 7919 + {salt + n}'), enum_type)} END"
            for n, _ in enumerate(question.columns)
        ]

    def insert_synthetic(
        self,
        survey_id: str,
        count: int,
        start: int = 0,
        *,
        session_id: str | None = None,
        idea_every: int = 0,
    ) -> None:
        survey = self.survey(survey_id)
        layout = self._layouts[survey_id]
        columns: list[str] = []
        expressions: list[str] = []
        salt = 1
        for question in survey.questions:
            columns.extend(quote(column) for column, _item in question.columns)
            expressions.extend(self._synthetic_expressions(question, salt))
            salt += 17
        lang_type = layouts.enum_type_name(layout.languages)
        lang = self._pick(SYNTHETIC_LANGS, self._hash_expr("i * 7919 + 3"), None)
        now = utcnow()
        bounds = [start, start + count - 1]
        text_question = next((q for q in survey.questions if q.type == "text"), None)

        def work(cur: Cursor) -> None:
            cur.run(
                f"INSERT INTO {quote(layout.table)} (submission_id, survey_version, lang, "
                f"created_at, session_id, {', '.join(columns)}) "
                f"SELECT 'syn-' || i, ?, {lang}::{quote(lang_type)}, ?, ?, "
                f"{', '.join(expressions)} FROM {self._series()}",
                [survey.version, now, session_id, *bounds],
            )
            if idea_every > 0 and text_question is not None:
                cur.run(
                    "INSERT INTO ideas (submission_id, survey_id, session_id, question_id, text, "
                    f"lang, created_at) SELECT 'syn-' || i, ?, ?, ?, 'Synthetic idea ' || i, "
                    f"{lang}, ? FROM {self._series()} WHERE i % ? = 0",
                    [survey.id, session_id, text_question.id, now, *bounds, idea_every],
                )

        self._do(work, idempotent=False)

    # -- withdrawal and purge ---------------------------------------------------------------------

    @staticmethod
    def _delete_ideas_of(
        cur: Cursor, survey_id: str, table: str, where: str, params: list[object]
    ) -> None:
        chosen = f"SELECT submission_id FROM {quote(table)} WHERE {where}"
        cur.run(
            "DELETE FROM idea_supports WHERE idea_id IN (SELECT idea_id FROM ideas WHERE "
            f"survey_id = ? AND submission_id IN ({chosen}))",
            [survey_id, *params],
        )
        cur.run(
            f"DELETE FROM ideas WHERE survey_id = ? AND submission_id IN ({chosen})",
            [survey_id, *params],
        )
        cur.run(f"DELETE FROM idea_supports WHERE supporter IN ({chosen})", params)

    def withdraw(self, receipt_hash: str) -> bool:
        """Delete the answer (and its idea and supports) at once; its text leaves the database
        files at the rewrite that follows within `erase_delay` seconds (`_erase_soon`)."""
        if not receipt_hash:
            return False
        touched: list[str] = []

        def work(cur: Cursor) -> bool:
            touched.clear()
            for survey_id, table in self._all_tables(cur).items():
                if table not in self._table_names(cur):
                    continue
                found = cur.one(
                    f"SELECT submission_id FROM {quote(table)} WHERE receipt_hash = ?",
                    [receipt_hash],
                )
                if not found:
                    continue
                self._rows_leaving_counts(
                    cur, survey_id, "receipt_hash = ? AND deleted_at IS NULL", [receipt_hash], -1
                )
                self._delete_ideas_of(cur, survey_id, table, "receipt_hash = ?", [receipt_hash])
                cur.run(f"DELETE FROM {quote(table)} WHERE receipt_hash = ?", [receipt_hash])
                self._audit(cur, "respondent", "withdraw", survey_id, "1 submission")
                self._bump(cur, survey_id)
                touched.append(table)
                return True
            return False

        withdrawn = self._do(work, idempotent=False)
        if withdrawn:
            self._erase_soon([*touched, "ideas", "idea_supports"])
        return withdrawn

    # -- erasure after withdrawals: one rewrite soon after, shared by the withdrawals before it --

    def _erase_soon(self, tables: Iterable[str]) -> None:
        """Rewrite `tables` within `erase_delay` seconds, on a background thread; a rewrite
        already waiting takes them along (so a run of withdrawals costs one rewrite)."""
        with self._erasure:
            self._erase_tables.update(tables)
            self._erasure_pending(True)  # a restart before the rewrite still does it
            if not self._erase_stopped and self._erase_timer is None:
                timer = threading.Timer(self.erase_delay, self._erase_pending)
                timer.name = "inclucities-erasure"
                timer.daemon = True
                self._erase_timer = timer
                timer.start()

    def _erase_pending(self) -> None:
        """Rewrite the tables withdrawals touched; on a failure, try again after the delay."""
        with self._erase_running:
            with self._erasure:
                tables = sorted(self._erase_tables)
                self._erase_tables.clear()
                if self._erase_timer is threading.current_thread():
                    self._erase_timer = None  # the next withdrawal starts a new timer
            if not tables:
                return
            try:
                self._compact(tables)
            except Exception as exc:  # a background thread: log it, and try again later
                LOG.warning("rewriting the store after a withdrawal failed: %s", exc)
                self._erase_soon(tables)
                return
            with self._erasure:
                if not self._erase_tables:
                    self._erasure_pending(False)

    def erase_withdrawn(self) -> None:
        """Rewrite now what withdrawals left in the files (instead of waiting for the timer)."""
        with self._erasure:
            timer, self._erase_timer = self._erase_timer, None
        if timer is not None:
            timer.cancel()
        self._erase_pending()

    def _stop_erasure(self) -> None:
        """At close: no more timers, and a rewrite that is due runs now (errors are logged)."""
        with self._erasure:
            self._erase_stopped = True
            timer, self._erase_timer = self._erase_timer, None
        if timer is not None:
            timer.cancel()
        self._erase_pending()

    def purge(self, before: datetime, actor: str) -> int:
        cutoff = as_utc(before)
        touched: list[str] = []

        def work(cur: Cursor) -> int:
            touched.clear()
            total = 0
            existing = self._table_names(cur)
            for survey_id, table in self._all_tables(cur).items():
                if table not in existing:
                    continue
                self._rows_leaving_counts(
                    cur, survey_id, "created_at < ? AND deleted_at IS NULL", [cutoff], -1
                )
                self._delete_ideas_of(cur, survey_id, table, "created_at < ?", [cutoff])
                deleted = cur.run(f"DELETE FROM {quote(table)} WHERE created_at < ?", [cutoff])
                touched.append(table)
                if deleted:
                    total += deleted
                    self._bump(cur, survey_id)
                    self._audit(
                        cur,
                        actor,
                        "purge",
                        survey_id,
                        f"{deleted} submissions created before {cutoff:%Y-%m-%d %H:%M} UTC",
                    )
            if total == 0:
                self._audit(
                    cur, actor, "purge", None, f"0 submissions created before {cutoff:%Y-%m-%d}"
                )
            cur.run("DELETE FROM login_failures WHERE failed_at < ?", [cutoff])
            return total

        total = self._do(work, idempotent=False)
        self._compact([*touched, "ideas", "idea_supports", "login_failures", "audit_log"])
        return total

    # -- open / closed, live screens -------------------------------------------------------------

    def set_survey_open(self, survey_id: str, is_open: bool, actor: str) -> None:
        def work(cur: Cursor) -> None:
            cur.run(
                "INSERT INTO survey_state VALUES (?, ?, ?, ?) ON CONFLICT (survey_id) DO UPDATE "
                "SET is_open = EXCLUDED.is_open, changed_at = EXCLUDED.changed_at, "
                "changed_by = EXCLUDED.changed_by",
                [survey_id, is_open, utcnow(), actor],
            )
            self._audit(cur, actor, "open" if is_open else "close", survey_id, None)
            self._bump(cur, survey_id)

        self._do(work)

    def is_survey_open(self, survey_id: str) -> bool:
        """Surveys are open unless someone closed them (read from the database each time, so
        every process and page agrees)."""
        row = self._read_do(
            lambda cur: cur.one("SELECT is_open FROM survey_state WHERE survey_id = ?", [survey_id])
        )
        return True if row is None else bool(row[0])

    def data_version(self, survey_id: str) -> str:
        table = self._table(survey_id)
        return self._read_do(lambda cur: self._data_version(cur, table, survey_id))

    def set_results_revealed(
        self, survey_id: str, revealed: bool, actor: str, session_id: str | None = None
    ) -> None:
        def work(cur: Cursor) -> None:
            cur.run(
                "INSERT INTO results_visibility VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (survey_id, session_id) DO UPDATE SET revealed = EXCLUDED.revealed, "
                "changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by",
                [survey_id, session_id or "", revealed, utcnow(), actor],
            )
            self._audit(cur, actor, "reveal" if revealed else "hide", survey_id, session_id)
            self._bump(cur, survey_id)

        self._do(work)

    def results_revealed(self, survey_id: str, session_id: str | None = None) -> bool:
        row = self._read_do(
            lambda cur: cur.one(
                "SELECT revealed FROM results_visibility WHERE survey_id = ? AND session_id = ?",
                [survey_id, session_id or ""],
            )
        )
        return bool(row[0]) if row else False

    # -- summaries ------------------------------------------------------------------------------

    def answer_counts(self, survey_id: str, session_id: str | None = None) -> list[CountRow]:
        survey = self.survey(survey_id)
        rows = self._read_do(lambda cur: self._count_rows(cur, survey, session_id))
        return [
            CountRow(str(col), None if v is None else str(v), None if g is None else str(g), int(n))
            for col, v, g, n in rows
        ]

    def _idea_where(
        self,
        survey_id: str,
        status: str | None,
        session_id: str | None,
    ) -> tuple[str, list[object]]:
        table = self._table(survey_id)
        # not of a removed submission (few are: an anti-join on them is cheap at any size)
        sql = (
            f"FROM ideas i WHERE i.survey_id = ? AND NOT EXISTS (SELECT 1 FROM {table} r "
            "WHERE r.submission_id = i.submission_id AND r.deleted_at IS NOT NULL)"
        )
        params: list[object] = [survey_id]
        if status is not None:
            if status not in IDEA_STATUSES:
                raise ValueError(f"status must be one of {', '.join(IDEA_STATUSES)}")
            sql += " AND i.status = ?"
            params.append(status)
        if session_id is not None:
            sql += " AND i.session_id = ?"
            params.append(session_id)
        return sql, params

    def idea_count(
        self, survey_id: str, session_id: str | None = None, status: IdeaStatus | None = None
    ) -> int:
        where, params = self._idea_where(survey_id, status, session_id)
        row = self._read_do(lambda cur: cur.one(f"SELECT count(*) {where}", params))
        return int(row[0]) if row else 0

    def may_have_ideas(
        self, survey_id: str, status: IdeaStatus, session_id: str | None = None
    ) -> bool:
        if status not in IDEA_STATUSES:
            raise ValueError(f"status must be one of {', '.join(IDEA_STATUSES)}")
        session, params = self._session_filter(session_id)
        sql = f"SELECT 1 FROM ideas WHERE survey_id = ? AND status = ?{session} LIMIT 1"
        row = self._read_do(lambda cur: cur.one(sql, [survey_id, status, *params]))
        return row is not None

    IDEA_SELECT = (
        "SELECT i.idea_id, i.survey_id, i.question_id, i.text, i.lang, i.status, i.created_at, "
        "i.session_id, i.pinned, (SELECT count(*) FROM idea_supports s "
        "WHERE s.idea_id = i.idea_id) AS supports "
    )

    def ideas(
        self,
        survey_id: str,
        status: IdeaStatus | None = None,
        session_id: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Idea]:
        where, params = self._idea_where(survey_id, status, session_id)
        sql = f"{self.IDEA_SELECT}{where} ORDER BY i.idea_id" + (" DESC" if newest_first else "")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [_idea(r) for r in self._read_do(lambda cur: cur.rows(sql, params))]

    def top_ideas(
        self, survey_id: str, session_id: str | None = None, limit: int = 10
    ) -> list[Idea]:
        where, params = self._idea_where(survey_id, "approved", session_id)
        sql = f"{self.IDEA_SELECT}{where} ORDER BY i.pinned DESC, supports DESC, i.idea_id LIMIT ?"
        return [_idea(r) for r in self._read_do(lambda cur: cur.rows(sql, [*params, limit]))]

    # -- moderation -----------------------------------------------------------------------------

    def set_idea_status(self, idea_id: int, status: IdeaStatus, actor: str) -> None:
        if status not in IDEA_STATUSES:
            raise ValueError(f"status must be one of {', '.join(IDEA_STATUSES)}")

        def work(cur: Cursor) -> None:
            row = cur.one("SELECT survey_id, status FROM ideas WHERE idea_id = ?", [idea_id])
            if row is None:
                raise KeyError(f"no idea {idea_id}")
            cur.run("UPDATE ideas SET status = ? WHERE idea_id = ?", [status, idea_id])
            self._audit(cur, actor, "idea_status", row[0], f"idea {idea_id}: {row[1]} -> {status}")
            self._bump(cur, row[0])

        self._do(work)

    def set_ideas_status(self, idea_ids: Iterable[int], status: IdeaStatus, actor: str) -> int:
        if status not in IDEA_STATUSES:
            raise ValueError(f"status must be one of {', '.join(IDEA_STATUSES)}")
        ids = sorted({int(i) for i in idea_ids})
        if not ids:
            return 0

        def work(cur: Cursor) -> int:
            changed = cur.rows(
                "UPDATE ideas SET status = ? WHERE idea_id = ANY(?) AND status <> ? "
                "RETURNING idea_id, survey_id",
                [status, ids, status],
            )
            by_survey: dict[str, list[int]] = {}
            for idea_id, survey_id in changed:
                by_survey.setdefault(str(survey_id), []).append(int(idea_id))
            for survey_id, done in sorted(by_survey.items()):
                done.sort()
                self._audit(
                    cur,
                    actor,
                    "idea_status_bulk",
                    survey_id,
                    f"{len(done)} ideas -> {status}: {_short(done)}",
                )
                self._bump(cur, survey_id)
            return len(changed)

        return self._do(work)

    def set_idea_pinned(self, idea_id: int, pinned: bool, actor: str) -> None:
        def work(cur: Cursor) -> None:
            row = cur.one("SELECT survey_id FROM ideas WHERE idea_id = ?", [idea_id])
            if row is None:
                raise KeyError(f"no idea {idea_id}")
            cur.run("UPDATE ideas SET pinned = ? WHERE idea_id = ?", [pinned, idea_id])
            action = "idea_pin" if pinned else "idea_unpin"
            self._audit(cur, actor, action, row[0], f"idea {idea_id}")
            self._bump(cur, row[0])

        self._do(work)

    # -- supports -------------------------------------------------------------------------------

    def server_secret(self, name: str) -> bytes:
        """A random secret made on first use and kept in the database (every replica shares it;
        no export carries it); cached once read."""
        found = self._secrets.get(name)
        if found is not None:
            return found

        def work(cur: Cursor) -> str:
            row = cur.one("SELECT secret FROM server_secrets WHERE name = ?", [name])
            if row is None:
                cur.run(
                    "INSERT INTO server_secrets VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [name, secrets.token_hex(32), utcnow()],
                )
                row = cur.one("SELECT secret FROM server_secrets WHERE name = ?", [name])
            if row is None:
                raise _Retry()
            return str(row[0])

        found = self._secrets[name] = bytes.fromhex(self._do(work))
        return found

    def support_idea(self, idea_id: int, supporter: str) -> SupportResult:
        if not supporter or len(supporter) > 128:
            raise ValueError("supporter must be 1 to 128 characters")

        def work(cur: Cursor) -> SupportResult:
            row = cur.one(
                "SELECT survey_id, session_id, status, submission_id FROM ideas WHERE idea_id = ?",
                [idea_id],
            )
            if row is None or row[2] != "approved" or row[0] not in self._surveys:
                return SupportResult.UNAVAILABLE
            survey_id, session_id, _status, submission_id = row
            live = cur.one(
                f"SELECT deleted_at FROM {self._table(survey_id)} WHERE submission_id = ?",
                [submission_id],
            )
            if live is None or live[0] is not None:
                return SupportResult.UNAVAILABLE
            if submission_id == supporter:
                return SupportResult.OWN_IDEA  # nobody supports their own idea
            if not self._answers_open(cur, survey_id, session_id):
                return SupportResult.CLOSED
            sent = cur.one(
                f"SELECT session_id FROM {self._table(survey_id)} "
                "WHERE submission_id = ? AND deleted_at IS NULL",
                [supporter],
            )
            if sent is None or (sent[0] or None) != (session_id or None):
                return SupportResult.NOT_SENT  # only a stored answer of this session supports
            key = session_id or ""
            if cur.one(
                "SELECT 1 FROM idea_supports WHERE idea_id = ? AND supporter = ?",
                [idea_id, supporter],
            ):
                return SupportResult.ALREADY
            used = {
                int(r[0])
                for r in cur.rows(
                    "SELECT slot FROM idea_supports WHERE supporter = ? AND session_key = ?",
                    [supporter, key],
                )
            }
            free = [s for s in range(1, MAX_SUPPORTS_PER_SESSION + 1) if s not in used]
            if not free:
                return SupportResult.LIMIT_REACHED
            inserted = cur.run(
                "INSERT INTO idea_supports VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [idea_id, supporter, survey_id, key, free[0], utcnow()],
            )
            if inserted == 0:
                raise _Retry()  # a concurrent click took this slot or this idea: look again
            return SupportResult.SUPPORTED

        return self._do(work)

    def withdraw_support(self, idea_id: int, supporter: str) -> SupportResult:
        if not supporter or len(supporter) > 128:
            raise ValueError("supporter must be 1 to 128 characters")

        def work(cur: Cursor) -> SupportResult:
            row = cur.one(
                "SELECT survey_id, session_key FROM idea_supports "
                "WHERE idea_id = ? AND supporter = ?",
                [idea_id, supporter],
            )
            if row is None:
                return SupportResult.NOT_SUPPORTED  # never given, or taken back already
            survey_id, key = row
            if survey_id in self._surveys and not self._answers_open(cur, survey_id, key or None):
                return SupportResult.CLOSED  # the counts stay as they were at closing
            deleted = cur.run(
                "DELETE FROM idea_supports WHERE idea_id = ? AND supporter = ?",
                [idea_id, supporter],
            )
            if not deleted:
                return SupportResult.NOT_SUPPORTED  # a simultaneous take-back came first
            # The support count alone would not move the live screens' token when another
            # support follows before they look: a version bump does.
            self._bump(cur, survey_id)
            return SupportResult.TAKEN_BACK

        return self._do(work)

    def supported_ideas(self, supporter: str, session_id: str | None = None) -> list[int]:
        rows = self._read_do(
            lambda cur: cur.rows(
                "SELECT idea_id FROM idea_supports WHERE supporter = ? AND session_key = ? "
                "ORDER BY slot",
                [supporter, session_id or ""],
            )
        )
        return [int(r[0]) for r in rows]

    def own_ideas(self, submission_id: str) -> list[int]:
        rows = self._read_do(
            lambda cur: cur.rows(
                "SELECT idea_id FROM ideas WHERE submission_id = ? ORDER BY idea_id",
                [submission_id],
            )
        )
        return [int(r[0]) for r in rows]

    # -- live sessions --------------------------------------------------------------------------

    def create_session(
        self,
        survey_id: str,
        name: str,
        *,
        actor: str,
        place: str | None = None,
        day: date | None = None,
    ) -> LiveSession:
        self.survey(survey_id)
        name = name.strip()
        if not name or len(name) > MAX_SESSION_TEXT:
            raise ValueError(f"a session needs a name of 1 to {MAX_SESSION_TEXT} characters")
        if place is not None and len(place) > MAX_SESSION_TEXT:
            raise ValueError(f"place: at most {MAX_SESSION_TEXT} characters")
        session_id = uuid.uuid4().hex
        opened = utcnow()

        def work(cur: Cursor) -> str:
            code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            inserted = cur.run(
                "INSERT INTO live_sessions VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?) "
                "ON CONFLICT DO NOTHING",
                [session_id, survey_id, code, name, place, day, opened, actor],
            )
            if inserted == 0:
                raise _Retry()  # the join code is taken: draw another
            self._audit(cur, actor, "session_create", survey_id, f"{name} ({code})")
            self._bump(cur, survey_id)
            return code

        self._do(work, idempotent=False)
        created = self.get_session(session_id)
        assert created is not None
        return created

    def _set_session_closed(self, session_id: str, closed: bool, actor: str) -> None:
        def work(cur: Cursor) -> None:
            row = cur.one(
                "SELECT survey_id, name FROM live_sessions WHERE session_id = ?", [session_id]
            )
            if row is None:
                raise KeyError(f"no session {session_id}")
            if closed:
                cur.run(
                    "UPDATE live_sessions SET closed_at = ? WHERE session_id = ? "
                    "AND closed_at IS NULL",
                    [utcnow(), session_id],
                )
            else:
                cur.run(
                    "UPDATE live_sessions SET closed_at = NULL WHERE session_id = ?", [session_id]
                )
            action = "session_close" if closed else "session_reopen"
            self._audit(cur, actor, action, row[0], str(row[1]))
            self._bump(cur, row[0])

        self._do(work)

    def close_session(self, session_id: str, actor: str) -> None:
        self._set_session_closed(session_id, True, actor)

    def reopen_session(self, session_id: str, actor: str) -> None:
        self._set_session_closed(session_id, False, actor)

    def get_session(self, session_id: str) -> LiveSession | None:
        row = self._read_do(
            lambda cur: cur.one(
                f"SELECT {SESSION_COLUMNS} FROM live_sessions WHERE session_id = ?", [session_id]
            )
        )
        return _session(row) if row else None

    def session_by_code(self, join_code: str) -> LiveSession | None:
        code = normalise_join_code(join_code)
        if not code:
            return None
        row = self._read_do(
            lambda cur: cur.one(
                f"SELECT {SESSION_COLUMNS} FROM live_sessions WHERE join_code = ?", [code]
            )
        )
        return _session(row) if row else None

    def sessions(self, survey_id: str | None = None) -> list[LiveSession]:
        sql = f"SELECT {SESSION_COLUMNS} FROM live_sessions"
        params: list[object] = []
        if survey_id is not None:
            sql += " WHERE survey_id = ?"
            params.append(survey_id)
        rows = self._read_do(lambda cur: cur.rows(sql + " ORDER BY opened_at, session_id", params))
        return [_session(r) for r in rows]

    # -- soft delete / restore --------------------------------------------------------------------

    def _mark(
        self,
        survey_id: str,
        submission_ids: Iterable[str] | None,
        actor: str,
        reason: str,
        delete: bool,
    ) -> int:
        table = self._table(survey_id)
        ids = None if submission_ids is None else sorted(set(submission_ids))

        def work(cur: Cursor) -> int:
            where = "deleted_at IS NULL" if delete else "deleted_at IS NOT NULL"
            chosen: list[object] = []
            if ids is not None:
                where += " AND submission_id = ANY(?)"
                chosen.append(ids)
            if ids is not None and not ids:
                changed = 0
            else:
                self._rows_leaving_counts(cur, survey_id, where, chosen, -1 if delete else 1)
                changed = cur.run(
                    f"UPDATE {table} SET deleted_at = ? WHERE {where}",
                    [utcnow() if delete else None, *chosen],
                )
            if changed:
                self._bump(cur, survey_id)
            what = "all" if ids is None else f"{len(ids)} requested"
            self._audit(
                cur,
                actor,
                "soft_delete" if delete else "restore",
                survey_id,
                f"{changed} submissions ({what}); reason: {reason}",
            )
            return changed

        return self._do(work)

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

    # -- rows for the admin and exports ------------------------------------------------------------

    def _row_select(self, survey: Survey, deidentified: bool) -> tuple[list[str], list[object]]:
        """Select list (and its parameters) of one exported row per submission."""
        if deidentified:
            selects = ["CAST(r.created_at AS DATE) AS created_on"]
        else:
            selects = ["r.submission_id", "r.created_at"]
        selects += ["r.lang::VARCHAR AS lang", "r.survey_version", "r.session_id"]
        params: list[object] = []
        for question in survey.questions:
            if question.type == "text":
                selects.append(
                    "(SELECT string_agg(i.text, ' ') FROM ideas i WHERE i.submission_id = "
                    f"r.submission_id AND i.question_id = ?) AS {quote(question.id)}"
                )
                params.append(question.id)
                continue
            if question.type in LIST_TYPES:
                slots = ", ".join(f"r.{quote(c)}::VARCHAR" for c, _ in question.columns)
                selects.append(f"NULLIF(concat_ws(';', {slots}), '') AS {quote(question.id)}")
                continue
            for column, item in question.columns:
                label = question.id if item is None else f"{question.id}.{item}"
                selects.append(f"r.{quote(column)}::VARCHAR AS {quote(label)}")
        return selects, params

    @staticmethod
    def _deleted_filter(deleted: bool | None) -> str:
        if deleted is None:
            return ""
        return " AND r.deleted_at IS NOT NULL" if deleted else " AND r.deleted_at IS NULL"

    def responses_frame(
        self,
        survey_id: str,
        include_deleted: bool = False,
        *,
        session_id: str | None = None,
        deidentified: bool = False,
    ) -> pd.DataFrame:
        pages = list(
            self.iter_responses(
                survey_id,
                page_size=1_000_000_000,
                include_deleted=include_deleted,
                session_id=session_id,
                deidentified=deidentified,
            )
        )
        return pages[0]

    def responses_page(
        self,
        survey_id: str,
        *,
        offset: int = 0,
        limit: int = 50,
        deleted: bool | None = False,
        session_id: str | None = None,
    ) -> pd.DataFrame:
        survey = self.survey(survey_id)
        selects, params = self._row_select(survey, deidentified=False)
        session, session_params = self._session_filter(session_id, "r.")
        sql = (
            f"SELECT {', '.join(selects)}, r.deleted_at FROM {self._table(survey_id)} r "
            f"WHERE true{self._deleted_filter(deleted)}{session} "
            "ORDER BY r.seq DESC LIMIT ? OFFSET ?"
        )
        all_params = [*params, *session_params, limit, offset]
        return self._read_do(lambda cur: cur.frame(sql, all_params))

    def iter_responses(
        self,
        survey_id: str,
        *,
        page_size: int = 10_000,
        include_deleted: bool = False,
        session_id: str | None = None,
        deidentified: bool = False,
    ) -> Iterator[pd.DataFrame]:
        survey = self.survey(survey_id)
        selects, params = self._row_select(survey, deidentified)
        session, session_params = self._session_filter(session_id, "r.")
        where = f"WHERE true{self._deleted_filter(None if include_deleted else False)}{session}"
        if include_deleted and not deidentified:
            selects.append("r.deleted_at")
        table = self._table(survey_id)
        if deidentified:
            # rows within a day in hash order, so row order does not reveal arrival order
            keys = ["CAST(r.created_at AS DATE) AS _k1", "md5(r.submission_id) AS _k2"]
            order = "_k1, _k2"
            day = "CAST(r.created_at AS DATE)"
            after = f" AND ({day} > ? OR ({day} = ? AND md5(r.submission_id) > ?))"
        else:
            keys = ["r.seq AS _k1"]
            order = "_k1"
            after = " AND r.seq > ?"
        base = f"SELECT {', '.join(selects + keys)} FROM {table} r {where}"
        last: list[object] | None = None
        first = True
        while True:
            if last is None:
                sql = f"{base} ORDER BY {order} LIMIT ?"
                page_params = [*params, *session_params, page_size]
            else:
                sql = f"{base}{after} ORDER BY {order} LIMIT ?"
                page_params = [*params, *session_params, *last, page_size]
            frame = self._read_do(_framer(sql, page_params))
            if frame.empty and not first:
                return
            first = False
            if deidentified:
                tail = frame.iloc[-1] if len(frame) else None
                last = None if tail is None else [tail["_k1"], tail["_k1"], tail["_k2"]]
            else:
                last = None if frame.empty else [int(frame.iloc[-1]["_k1"])]
            keys_shown = [c for c in ("_k1", "_k2") if c in frame.columns]
            yield frame.drop(columns=keys_shown).reset_index(drop=True)
            if len(frame) < page_size:
                return

    # -- the admin login throttle's storage -------------------------------------------------------

    def record_login_failure(self, scope: str, at: datetime) -> None:
        when = as_utc(at)

        def work(cur: Cursor) -> None:
            cur.run("INSERT INTO login_failures VALUES (?, ?)", [scope, when])
            cur.run(
                "DELETE FROM login_failures WHERE scope = ? AND failed_at < ?",
                [scope, when - LOGIN_FAILURE_RETENTION],
            )

        self._do(work, idempotent=False)

    def login_failures_since(self, scope: str, since: datetime) -> int:
        row = self._read_do(
            lambda cur: cur.one(
                "SELECT count(*) FROM login_failures WHERE scope = ? AND failed_at >= ?",
                [scope, as_utc(since)],
            )
        )
        return int(row[0]) if row else 0

    def clear_login_failures(self, scope: str) -> None:
        def work(cur: Cursor) -> None:
            cur.run("DELETE FROM login_failures WHERE scope = ?", [scope])

        self._do(work)


__all__ = ["LANG_COLUMN", "SCHEMA_VERSION", "Cursor", "SQLStore"]
