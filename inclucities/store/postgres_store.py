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

from inclucities.store.base import (
    LANG_COLUMN,
    CountRow,
    FaultReason,
    StorageFault,
    StoreUnavailable,
    SubmissionCounts,
    quote,
)
from inclucities.store.layout import AnswerLayout, definition_columns
from inclucities.store.sql_core import Cursor, ErrorKind
from inclucities.store.sqlstore import SQLStore
from inclucities.survey.models import Survey

SCHEMA_LOCK = 7_311_911  # advisory lock key: one replica changes the schema at a time
TALLY_LOCK = 7_311_912  # advisory lock key (with the survey): one replica folds counts at a time
FOLD_AFTER = 2_000  # rows stored since the last fold before summaries fold them in
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
        self._stop_erasure()  # a VACUUM that is due runs first
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
        cur.run(  # the few removed submissions, for ideas and counts that leave them out
            f"CREATE INDEX {quote(layout.table + '_removed')} ON {table} (submission_id) "
            "WHERE deleted_at IS NOT NULL"
        )
        # the transaction that stored each row: what the running counts have taken in
        cur.run(
            f"ALTER TABLE {table} ADD COLUMN ins_xid xid8 NOT NULL DEFAULT pg_current_xact_id()"
        )
        cur.run(f"CREATE INDEX {quote(layout.table + '_xid')} ON {table} (ins_xid)")

    def _v3_extra(self, cur: Cursor) -> None:
        for sql in (
            "CREATE INDEX ideas_survey ON ideas (survey_id, status)",
            "CREATE INDEX idea_supports_survey ON idea_supports (survey_id)",
            "CREATE INDEX login_failures_scope ON login_failures (scope, failed_at)",
            "CREATE INDEX audit_log_survey ON audit_log (survey_id, entry_id)",
            "CREATE INDEX live_sessions_survey ON live_sessions (survey_id)",
            # Running counts for summaries: a row-store scan of a million answers per refresh is
            # too slow, so counts of rows stored by transactions older than `folded_below` are
            # kept here and only newer rows are counted live (see _count_rows).
            """CREATE TABLE answer_tallies (
                survey_id VARCHAR NOT NULL,
                session_key VARCHAR NOT NULL,
                col VARCHAR NOT NULL,
                val VARCHAR NOT NULL,
                grp VARCHAR NOT NULL,
                n BIGINT NOT NULL,
                PRIMARY KEY (survey_id, session_key, col, val, grp)
            )""",
            """CREATE TABLE tally_marks (
                survey_id VARCHAR PRIMARY KEY,
                folded_below xid8 NOT NULL,
                grouped_by VARCHAR NOT NULL
            )""",
        ):
            cur.run(sql)

    def _migrate_legacy_answers(self, cur: Cursor) -> None:
        """The PostgreSQL backend starts at schema version 3: there is nothing older to move."""

    # -- counting: running tallies plus the rows since ------------------------------------------

    @staticmethod
    def _grouped(survey: Survey, where: str, by_session: bool) -> tuple[str, list[str], str | None]:
        """One scan with GROUPING SETS: (lang), and (column, comparison group) per column; by
        session too when `by_session`. Returns the SQL, the grouped names and the group."""
        columns = definition_columns(survey)
        group = survey.compare.question if survey.compare else None
        names = ["lang", *columns]
        if group is not None and group not in names:
            names.append(group)
        lead = "session_key, " if by_session else ""
        sets = [f"({lead}lang)"] + [
            f"({lead}{quote(c)}, {quote(group)})" if group and group != c else f"({lead}{quote(c)})"
            for c in columns
        ]
        flags = ", ".join(f"grouping({quote(n)})" for n in names)
        values = ", ".join(f"{quote(n)}::VARCHAR" for n in names)
        source = quote(survey.table_name)
        if by_session:
            source = f"(SELECT *, coalesce(session_id, '') AS session_key FROM {source}) r"
        key = "session_key" if by_session else "''"
        sql = (
            f"SELECT {flags}, {values}, {key}, count(*) FROM {source} WHERE {where} "
            f"GROUP BY GROUPING SETS ({', '.join(sets)})"
        )
        return sql, names, group

    @staticmethod
    def _decode(
        rows: list[tuple[Any, ...]], names: list[str], group: str | None
    ) -> list[tuple[str, str, str, str, int]]:
        """(session key, column, value, group or '', n) of grouping-set rows."""
        width = len(names)
        out: list[tuple[str, str, str, str, int]] = []
        for row in rows:
            grouped = [names[k] for k in range(width) if row[k] == 0]
            value_of = dict(zip(names, row[width : 2 * width], strict=True))
            session_key, n = str(row[-2]), int(row[-1])
            if grouped == ["lang"]:
                out.append((session_key, LANG_COLUMN, str(value_of["lang"]), "", n))
                continue
            column = next((c for c in grouped if c != group), group)
            if column is None or value_of[column] is None:
                continue  # not answered
            grp = value_of[group] if group else None
            out.append((session_key, column, str(value_of[column]), grp or "", n))
        return out

    def _tally_lock(self, cur: Cursor, survey_id: str, wait: bool) -> bool:
        fn = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        row = cur.one(f"SELECT {fn}(?, hashtext(?))::text", [TALLY_LOCK, survey_id])
        return wait or bool(row and row[0] == "true")

    def _add_tallies(
        self, cur: Cursor, survey: Survey, where: str, params: Sequence[object], sign: int
    ) -> None:
        sql, names, group = self._grouped(survey, where, by_session=True)
        rows = self._decode(cur.rows(sql, params), names, group)
        if rows:
            cur.many(
                "INSERT INTO answer_tallies VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                "(survey_id, session_key, col, val, grp) DO UPDATE SET "
                "n = answer_tallies.n + EXCLUDED.n",
                [[survey.id, key, col, val, grp, sign * n] for key, col, val, grp, n in rows],
            )

    def _fold(self, survey: Survey) -> None:
        """Take rows stored by transactions that have all ended into the running counts (one
        replica at a time; the others go on reading counts plus newer rows)."""
        table = quote(survey.table_name)
        grouped_by = survey.compare.question if survey.compare else ""

        def work(cur: Cursor) -> None:
            if not self._tally_lock(cur, survey.id, wait=False):
                return
            mark = cur.one(
                "SELECT folded_below::text, grouped_by FROM tally_marks WHERE survey_id = ?",
                [survey.id],
            )
            if mark is not None and mark[1] != grouped_by:  # the comparison question changed
                cur.run("DELETE FROM answer_tallies WHERE survey_id = ?", [survey.id])
                cur.run("DELETE FROM tally_marks WHERE survey_id = ?", [survey.id])
                mark = None
            low = str(mark[0]) if mark else "0"
            high_row = cur.one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
            high = str(high_row[0]) if high_row else low
            if mark is not None:
                pending = cur.one(
                    f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE ins_xid >= ?::xid8 "
                    f"LIMIT {FOLD_AFTER}) AS recent",
                    [low],
                )
                if pending is None or int(pending[0]) < FOLD_AFTER:
                    return
            self._add_tallies(
                cur,
                survey,
                "deleted_at IS NULL AND ins_xid >= ?::xid8 AND ins_xid < ?::xid8",
                [low, high],
                1,
            )
            cur.run(
                "INSERT INTO tally_marks VALUES (?, ?::xid8, ?) ON CONFLICT (survey_id) "
                "DO UPDATE SET folded_below = EXCLUDED.folded_below",
                [survey.id, high, grouped_by],
            )

        with suppress(StorageFault):  # folding only saves time: rows not folded are counted live
            self._do(work)

    def answer_counts(self, survey_id: str, session_id: str | None = None) -> list[CountRow]:
        self._fold(self.survey(survey_id))
        return super().answer_counts(survey_id, session_id)

    def count(self, survey_id: str, session_id: str | None = None) -> int:
        """From the running counts (a count(*) of a million rows takes half a second)."""
        rows = self.answer_counts(survey_id, session_id)
        return sum(row.n for row in rows if row.column == LANG_COLUMN)

    def submission_counts(self, survey_id: str, session_id: str | None = None) -> SubmissionCounts:
        where, params = self._session_filter(session_id)
        sql = f"SELECT count(*) FROM {self._table(survey_id)} WHERE deleted_at IS NOT NULL{where}"
        row = self._read_do(lambda cur: cur.one(sql, params))
        return SubmissionCounts(self.count(survey_id, session_id), int(row[0]) if row else 0)

    @contextmanager
    def _snapshot(self) -> Iterator[Cursor]:
        """Several reads that see one moment (counts and the newer rows agree)."""
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield _PgCursor(cur)

    def _count_rows(
        self, cur: Cursor, survey: Survey, session_id: str | None
    ) -> list[tuple[Any, ...]]:
        """Running counts up to `folded_below`, plus the rows stored since, counted live."""
        del cur  # the two reads need one snapshot of their own

        def read(snap: Cursor) -> list[tuple[Any, ...]]:
            grouped_by = survey.compare.question if survey.compare else ""
            mark = snap.one(
                "SELECT folded_below::text FROM tally_marks WHERE survey_id = ? AND grouped_by = ?",
                [survey.id, grouped_by],
            )
            low = str(mark[0]) if mark else "0"
            tally_sql = "SELECT col, val, grp, sum(n) FROM answer_tallies WHERE survey_id = ? AND ?"
            tally_params: list[object] = [survey.id, mark is not None]
            where, params = "deleted_at IS NULL AND ins_xid >= ?::xid8", [low]
            if session_id is not None:
                tally_sql += " AND session_key = ?"
                tally_params.append(session_id)
                where += " AND session_id = ?"
                params.append(session_id)
            tallies = snap.rows(tally_sql + " GROUP BY col, val, grp", tally_params)
            sql, names, group = self._grouped(survey, where, by_session=False)
            recent = self._decode(snap.rows(sql, params), names, group)
            totals: dict[tuple[str, str, str], int] = {}
            for col, val, grp, n in tallies:
                key = (str(col), str(val), str(grp))
                totals[key] = totals.get(key, 0) + int(n)
            for _key, col, val, grp, n in recent:
                totals[(col, val, grp)] = totals.get((col, val, grp), 0) + n
            wanted = {LANG_COLUMN, *definition_columns(survey)}
            return [
                (col, val, None if col == LANG_COLUMN or not grp else grp, n)
                for (col, val, grp), n in totals.items()
                if n > 0 and col in wanted
            ]

        with self._snapshot() as snap:
            return read(snap)

    def insert_synthetic(
        self,
        survey_id: str,
        count: int,
        start: int = 0,
        *,
        session_id: str | None = None,
        idea_every: int = 0,
    ) -> None:
        super().insert_synthetic(
            survey_id, count, start, session_id=session_id, idea_every=idea_every
        )
        self._fold(self.survey(survey_id))  # the bulk load pays for counting its rows

    def _rows_leaving_counts(
        self,
        cur: Cursor,
        survey_id: str,
        where: str,
        params: Sequence[object],
        sign: int,
    ) -> None:
        """Rows already in the running counts leave them (or come back) in this transaction."""
        survey = self._surveys.get(survey_id)
        if survey is None:
            return
        self._tally_lock(cur, survey_id, wait=True)  # no fold meanwhile
        mark = cur.one(
            "SELECT folded_below::text FROM tally_marks WHERE survey_id = ?", [survey_id]
        )
        if mark is None:
            return
        # `where` picks the rows as they are now (live ones to remove, removed ones to restore)
        self._add_tallies(cur, survey, f"{where} AND ins_xid < ?::xid8", [*params, mark[0]], sign)

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
