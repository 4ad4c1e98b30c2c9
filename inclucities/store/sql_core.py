"""The shared store's footing: units of work and their retries, migrations, the audit log, secrets.

The SQL of every part runs unchanged on DuckDB and PostgreSQL: `?` placeholders (the PostgreSQL
cursor turns them into `%s`), identifiers quoted, values always bound. A backend supplies
connections, transactions, error classification and the few statements that differ.
"""

from __future__ import annotations

import abc
import logging
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import pandas as pd

from inclucities.store.base import (
    AuditEntry,
    FaultReason,
    Health,
    StorageFault,
    StoreUnavailable,
    quote,
    utcnow,
)
from inclucities.store.layout import AnswerLayout
from inclucities.store.sql_schema import V1, V2, V3_AFTER_ANSWERS, V3_BEFORE_ANSWERS, V4, V5
from inclucities.survey.models import Survey

T = TypeVar("T")

MAX_CONFLICT_RETRIES = 20  # write-write conflicts between concurrent commits are retried
MAX_CONNECTION_RETRIES = 3  # a lost connection is retried on a fresh one (idempotent work only)
LOGIN_FAILURE_RETENTION = timedelta(days=2)  # older failures are pruned (they name addresses)
MAX_RECEIPT_HASH = 128
MAX_SESSION_TEXT = 200
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


class SQLCore(abc.ABC):
    """What every part of the shared store stands on: the state, the backend's hooks, units of
    work with their retries, migrations, the audit log and the server secrets."""

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
            (5, lambda cur: self._statements(cur, V5)),
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

    # -- lookups every part uses ------------------------------------------------------------------

    def survey(self, survey_id: str) -> Survey:
        try:
            return self._surveys[survey_id]
        except KeyError:
            raise KeyError(f"survey '{survey_id}' is not registered with the store") from None

    @property
    def surveys(self) -> dict[str, Survey]:
        return dict(self._surveys)

    def _table(self, survey_id: str) -> str:
        return quote(self.survey(survey_id).table_name)

    def _all_tables(self, cur: Cursor) -> dict[str, str]:
        """survey id -> answer table, for every recorded layout (registered or not)."""
        rows = cur.rows("SELECT DISTINCT survey_id FROM answer_layouts")
        found = {str(r[0]): f"responses_{r[0]}" for r in rows}
        found.update({sid: s.table_name for sid, s in self._surveys.items()})
        return found

    @staticmethod
    def _session_filter(session_id: str | None, alias: str = "") -> tuple[str, list[object]]:
        if session_id is None:
            return "", []
        return f" AND {alias}session_id = ?", [session_id]

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

    # -- server secrets ---------------------------------------------------------------------------

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
