"""The server backend: PostgreSQL through psycopg 3 and a connection pool, for several replicas.

Everything replicas must agree on lives in the database (open/closed state, moderation, sessions,
the login throttle, reveal state, the change token); schema changes are serialised between
replicas with an advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import pandas as pd
import psycopg
import psycopg.errors
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from inclucities.store.base import LANG_COLUMN, FaultReason, StorageFault, StoreUnavailable, quote
from inclucities.store.layout import AnswerLayout, definition_columns
from inclucities.store.sqlstore import Cursor, ErrorKind, SQLStore
from inclucities.survey.models import Survey

SCHEMA_LOCK = 7_311_911  # advisory lock key: one replica changes the schema at a time
RECENT_WINDOW = 4096
"""Submissions that commit out of sequence order are still seen by the change token as long as
fewer than this many sequence values were drawn meanwhile."""
CONNECTION_ERRORS = ("08", "57P01", "57P02", "57P03")
CONFLICTS = (
    psycopg.errors.SerializationFailure,
    psycopg.errors.DeadlockDetected,
    psycopg.errors.LockNotAvailable,
)


def redact_url(url: str) -> str:
    """The server address without its password, fit for logs, errors and /healthz."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://?"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"postgresql://{user}{host}:{port}/{parts.get('dbname') or ''}"


def classify_postgres(exc: BaseException) -> ErrorKind | None:
    """What a psycopg error means: a conflict to retry, a storage fault, or a bug (None)."""
    if isinstance(exc, (PoolTimeout, PoolClosed)):
        return "connection_lost"
    if not isinstance(exc, psycopg.Error):
        return None
    if isinstance(exc, CONFLICTS):
        return "conflict"
    if isinstance(exc, psycopg.errors.UniqueViolation):
        return "constraint"
    state = exc.sqlstate or ""
    if state == "53100":  # disk_full
        return "disk_full"
    if state in ("25006", "42501"):  # read_only_sql_transaction, insufficient_privilege
        return "readonly"
    if state.startswith(CONNECTION_ERRORS) or (
        not state and isinstance(exc, psycopg.OperationalError)
    ):
        return "connection_lost"
    if state.startswith("53"):  # insufficient resources (memory, connections)
        return "busy"
    if isinstance(exc, (psycopg.OperationalError, psycopg.InternalError)):
        return "other"
    return None  # a programming error: let it show


class _PgCursor:
    def __init__(self, cur: psycopg.Cursor[Any]) -> None:
        self._cur = cur

    def _execute(self, sql: str, params: Sequence[object]) -> None:
        if params:
            query = sql.replace("%", "%%").replace("?", "%s")
            self._cur.execute(query, list(params))
        else:
            self._cur.execute(sql)

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        self._execute(sql, params)
        return list(self._cur.fetchall()) if self._cur.description else []

    def one(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        self._execute(sql, params)
        return self._cur.fetchone() if self._cur.description else None

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        self._execute(sql, params)
        return max(self._cur.rowcount, 0)

    def many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        query = sql.replace("%", "%%").replace("?", "%s")
        self._cur.executemany(query, [list(r) for r in rows])

    def frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        self._execute(sql, params)
        columns = [d.name for d in self._cur.description or ()]
        return pd.DataFrame.from_records(list(self._cur.fetchall()), columns=columns)


class PostgresStore(SQLStore):
    """A pool of connections to one PostgreSQL database, shared by every session."""

    backend = "postgresql"

    def __init__(
        self,
        url: str,
        surveys: Iterable[Survey] = (),
        *,
        min_size: int = 1,
        max_size: int = 10,
        timeout: float = 10.0,
    ) -> None:
        super().__init__()
        self.url = url
        self._where = redact_url(url)
        secret = conninfo_to_dict(url).get("password") if "://" in url or "=" in url else None
        self._password = str(secret) if secret else None
        try:  # one direct connection first, for a clear reason when the server refuses
            psycopg.connect(url, connect_timeout=5).close()
        except psycopg.Error as exc:
            kind = classify_postgres(exc)
            known = ("readonly", "disk_full", "busy")
            reason: FaultReason = kind if kind in known else "connection_lost"  # type: ignore[assignment]
            raise StoreUnavailable(reason, self._where, self._redact(str(exc))) from exc
        self._pool = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            kwargs={"autocommit": True, "connect_timeout": 5},
            timeout=timeout,
            check=ConnectionPool.check_connection,
            open=False,
            name="inclucities",
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
            self._start(surveys)
        except PoolTimeout as exc:
            self._pool.close()
            raise StoreUnavailable("connection_lost", self._where, str(exc)) from exc
        except BaseException:
            self._pool.close()
            raise

    @property
    def location(self) -> str:
        return self._where

    def _redact(self, text: str) -> str:
        return text.replace(self._password, "***") if self._password else text

    def close(self) -> None:
        self._pool.close()

    def _classify(self, exc: BaseException) -> ErrorKind | None:
        return classify_postgres(exc)

    def _worth_retrying(self, exc: BaseException) -> bool:
        return not isinstance(exc, PoolTimeout)  # the pool has waited for a connection already

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        with self._pool.connection() as conn, conn.cursor() as cur:
            yield _PgCursor(cur)

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield _PgCursor(cur)

    def _lock_schema(self, cur: Cursor) -> None:
        cur.rows("SELECT pg_advisory_xact_lock(?)", [SCHEMA_LOCK])

    def _table_names(self, cur: Cursor) -> set[str]:
        rows = cur.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {str(r[0]) for r in rows}

    def _type_exists(self, cur: Cursor, name: str) -> bool:
        return bool(
            cur.one(
                "SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE t.typname = ? AND n.nspname = current_schema()",
                [name],
            )
        )

    def _after_create_table(self, cur: Cursor, layout: AnswerLayout) -> None:
        table = quote(layout.table)
        cur.run(f"CREATE INDEX {quote(layout.table + '_seq')} ON {table} (seq)")
        cur.run(f"CREATE INDEX {quote(layout.table + '_created')} ON {table} (created_at)")

    def _v3_indexes(self, cur: Cursor) -> None:
        for sql in (
            "CREATE INDEX ideas_survey ON ideas (survey_id, status)",
            "CREATE INDEX idea_supports_survey ON idea_supports (survey_id)",
            "CREATE INDEX login_failures_scope ON login_failures (scope, failed_at)",
            "CREATE INDEX audit_log_survey ON audit_log (survey_id, entry_id)",
            "CREATE INDEX live_sessions_survey ON live_sessions (survey_id)",
        ):
            cur.run(sql)

    def _migrate_legacy_answers(self, cur: Cursor) -> None:
        """The PostgreSQL backend starts at schema version 3: there is nothing older to move."""

    def _count_rows(
        self, cur: Cursor, survey: Survey, session_id: str | None
    ) -> list[tuple[Any, ...]]:
        """One scan with GROUPING SETS: (lang), and (column, comparison group) per column."""
        columns = definition_columns(survey)
        group = survey.compare.question if survey.compare else None
        names = ["lang", *columns]
        if group is not None and group not in names:
            names.append(group)
        sets = ["(lang)"] + [
            f"({quote(c)}, {quote(group)})" if group and group != c else f"({quote(c)})"
            for c in columns
        ]
        flags = ", ".join(f"grouping({quote(n)})" for n in names)
        values = ", ".join(f"{quote(n)}::VARCHAR" for n in names)
        sql = (
            f"SELECT {flags}, {values}, count(*) FROM {quote(survey.table_name)} "
            "WHERE deleted_at IS NULL"
        )
        params: list[object] = []
        if session_id is not None:
            sql += " AND session_id = ?"
            params.append(session_id)
        sql += f" GROUP BY GROUPING SETS ({', '.join(sets)})"
        width = len(names)
        out: list[tuple[Any, ...]] = []
        for row in cur.rows(sql, params):
            grouped = [names[k] for k in range(width) if row[k] == 0]
            value_of = dict(zip(names, row[width : 2 * width], strict=True))
            n = row[-1]
            if grouped == ["lang"]:
                out.append((LANG_COLUMN, value_of["lang"], None, n))
                continue
            column = next((c for c in grouped if c != group), group)
            if column is None or value_of[column] is None:
                continue  # not answered
            out.append((column, value_of[column], value_of[group] if group else None, n))
        return out

    def _data_version(self, cur: Cursor, table: str, survey_id: str) -> str:
        """A count(*) over a million rows is too slow to poll: the token is the highest
        submission number (an index lookup) with the count of the most recent numbers, so a
        submission that commits after a later-numbered one still changes it."""
        row = cur.one(
            f"WITH top AS (SELECT coalesce(max(seq), 0) AS n FROM {table}) "
            f"SELECT top.n, (SELECT count(*) FROM {table} WHERE seq > top.n - {RECENT_WINDOW}), "
            "(SELECT version FROM survey_versions WHERE survey_id = ?), "
            "(SELECT count(*) FROM idea_supports WHERE survey_id = ?) FROM top",
            [survey_id, survey_id],
        )
        top, recent, version, supports = row if row else (0, 0, 0, 0)
        return f"{int(top or 0)}-{int(recent or 0)}.{int(version or 0)}.{int(supports or 0)}"

    def _hash_expr(self, expr: str) -> str:
        return f"abs(hashint8(({expr})::bigint)::bigint)"

    def _series(self) -> str:
        return "generate_series(?::bigint, ?::bigint) AS t(i)"

    def _compact(self, tables: list[str]) -> None:
        """VACUUM FULL writes each table anew and deletes the old files, so purged rows are in
        no table file any more. (WAL segments that recorded them are recycled after the next
        checkpoints; backups keep them until they expire: see docs/deploy.md.)"""
        try:
            with self._pool.connection() as conn:
                for table in tables:
                    conn.execute(f"VACUUM (FULL) {quote(table)}")
                with suppress(psycopg.errors.InsufficientPrivilege):
                    conn.execute("CHECKPOINT")  # else the next automatic checkpoint will do
        except (psycopg.Error, PoolTimeout) as exc:
            kind = classify_postgres(exc)
            reason: FaultReason = kind if kind not in (None, "conflict", "constraint") else "other"  # type: ignore[assignment]
            raise StorageFault(reason, self._where, self._redact(str(exc))) from exc
