"""The embedded backend: one DuckDB file, one process (the default, no server needed)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from inclucities.store.base import LANG_COLUMN, FaultReason, StorageFault, StoreUnavailable, quote
from inclucities.store.layout import (
    AnswerLayout,
    LayoutColumn,
    create_table_sql,
    definition_columns,
)
from inclucities.store.sql_core import Cursor, ErrorKind
from inclucities.store.sqlstore import SQLStore
from inclucities.survey.models import Survey

READ_ONLY_HINTS = (
    "read-only",
    "read only",
    "readonly",
    "permission denied",
    "operation not permitted",
)
DISK_FULL_HINTS = ("no space left", "disk full", "not enough space", "disk quota")
LOCK_HINTS = ("could not set lock", "conflicting lock", "lock on file")
STORAGE_ERRORS = (
    duckdb.IOException,
    duckdb.FatalException,
    duckdb.PermissionException,
    duckdb.OutOfMemoryException,
    duckdb.TransactionException,
    duckdb.InternalException,
    duckdb.ConnectionException,
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def classify_duckdb(exc: BaseException) -> ErrorKind | None:
    """What a DuckDB error means: a conflict to retry, a storage fault, or a bug (None)."""
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc).lower()
    if any(hint in text for hint in DISK_FULL_HINTS):
        return "disk_full"
    if any(hint in text for hint in READ_ONLY_HINTS):
        return "readonly"
    if any(hint in text for hint in LOCK_HINTS):
        return "locked"
    if isinstance(exc, duckdb.ConstraintException) or "constraint violation" in text:
        return "constraint"  # at commit, a concurrent transaction's key comes as a conflict
    if isinstance(exc, duckdb.TransactionException) and "conflict" in text:
        return "conflict"
    if isinstance(exc, STORAGE_ERRORS):
        return "other"
    return None


class _DuckCursor:
    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        self._cur = cur

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        return self._cur.execute(sql, list(params)).fetchall()

    def one(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        return self._cur.execute(sql, list(params)).fetchone()

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        result = self._cur.execute(sql, list(params))
        if result.description is None:
            return 0
        row = result.fetchone()
        return int(row[0]) if row and isinstance(row[0], int) else 0

    def many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        self._cur.executemany(sql, [list(r) for r in rows])

    def frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        return self._cur.execute(sql, list(params)).df()


class _Gate:
    """Many operations at once, or one exclusive one (reopening or compacting the file)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._exclusive = False
        self._local = threading.local()

    @contextmanager
    def shared(self) -> Iterator[None]:
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            with self._cond:
                while self._exclusive:
                    self._cond.wait()
                self._readers += 1
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth -= 1
            if self._local.depth == 0:
                with self._cond:
                    self._readers -= 1
                    if self._readers == 0:
                        self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            self._exclusive = True  # no new operation starts
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


class DuckDBStore(SQLStore):
    """One DuckDB connection shared by all sessions; every operation runs on its own cursor.

    DuckDB lets one process write a file: a second process gets StoreUnavailable('locked').
    """

    backend = "duckdb"

    def __init__(self, path: str | Path, surveys: Iterable[Survey] = ()) -> None:
        super().__init__()
        self.path = Path(path)
        self._gate = _Gate()
        self._broken = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable("readonly", self.path, str(exc)) from exc
        self._conn = self._connect(StoreUnavailable)
        try:
            self._start(surveys)
        except BaseException:
            self._conn.close()
            raise
        if self._erase_marker.exists():  # stopped after a withdrawal, before its rewrite
            self._erase_soon(["ideas", "idea_supports"])

    @property
    def location(self) -> str:
        return str(self.path)

    def _connect(self, error: type[StoreUnavailable]) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            kind = classify_duckdb(exc)
            reason: FaultReason = (
                kind if kind not in (None, "conflict", "constraint") else "other"  # type: ignore[assignment]
            )
            raise error(reason, self.path, str(exc)) from exc

    @property
    def _erase_marker(self) -> Path:
        return self.path.with_name(self.path.name + ".erase-pending")

    def _erasure_pending(self, pending: bool) -> None:
        """An empty file next to the database while a rewrite after a withdrawal is due, so
        that a restart does it (the withdrawn text is in the WAL until then)."""
        with suppress(OSError):
            if pending:
                self._erase_marker.touch()
            else:
                self._erase_marker.unlink(missing_ok=True)

    def close(self) -> None:
        self._stop_erasure()  # a rewrite that is due runs first
        with self._gate.exclusive():
            self._conn.close()

    def _classify(self, exc: BaseException) -> ErrorKind | None:
        kind = classify_duckdb(exc)
        text = str(exc).lower()
        if isinstance(exc, duckdb.FatalException) or "invalidated" in text:
            self._broken = True  # DuckDB must reopen the file before using it again
        return kind

    def _reopen_if_broken(self) -> None:
        if not self._broken:
            return
        with self._gate.exclusive():
            if not self._broken:
                return
            with suppress(duckdb.Error):
                self._conn.close()
            self._conn = self._connect(StorageFault)
            self._broken = False

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        self._reopen_if_broken()
        with self._gate.shared():
            cur = self._conn.cursor()
            try:
                yield _DuckCursor(cur)
            finally:
                cur.close()

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        self._reopen_if_broken()
        with self._gate.shared():
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield _DuckCursor(cur)
                except BaseException:
                    with suppress(duckdb.Error):
                        cur.execute("ROLLBACK")
                    raise
                try:
                    cur.execute("COMMIT")
                except duckdb.Error:
                    with suppress(duckdb.Error):  # a failed commit is rolled back already
                        cur.execute("ROLLBACK")
                    raise
            finally:
                cur.close()

    def _insert_once(self, cur: Cursor, table: str, insert: str, values: list[object]) -> bool:
        """Look the id up, then insert: the primary key still refuses a concurrent double (a
        conflict, retried, that then finds the id). DuckDB's ON CONFLICT costs about twice the
        CPU of this on every submission."""
        if cur.one(f"SELECT 1 FROM {table} WHERE submission_id = ?", [values[0]]):
            return False
        cur.run(insert, values)
        return True

    def _lock_schema(self, cur: Cursor) -> None:
        """One process per file: the store's own lock is enough."""

    def _v3_extra(self, cur: Cursor) -> None:
        """None: DuckDB filters with zone maps, and ART indexes would slow every insert."""

    def _table_names(self, cur: Cursor) -> set[str]:
        rows = cur.rows("SELECT table_name FROM duckdb_tables() WHERE NOT temporary")
        return {str(r[0]) for r in rows}

    def _type_exists(self, cur: Cursor, name: str) -> bool:
        return bool(cur.one("SELECT 1 FROM duckdb_types() WHERE type_name = ?", [name]))

    def _after_create_table(self, cur: Cursor, layout: AnswerLayout) -> None:
        """DuckDB filters with its zone maps: no secondary index needed (or wanted)."""

    def _migrate_legacy_answers(self, cur: Cursor) -> None:
        """Versions 1-2 kept a submission in three places (`submissions`, the answer table and
        `ideas`, each with its own deleted flag): move it into the answer table."""
        found = cur.rows(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND "
            "starts_with(table_name, 'responses_')"
        )
        for (table,) in found:
            columns = cur.rows(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                "AND NOT internal ORDER BY column_index",
                [table],
            )
            names = [str(c) for c, _ in columns]
            if "deleted" not in names or "seq" in names:
                continue

            def options(data_type: str) -> tuple[str, ...]:
                row = cur.one(f"SELECT enum_range(NULL::{data_type})::VARCHAR[]")
                return tuple(row[0]) if row else ()

            types = {str(c): str(t) for c, t in columns}
            answer = [c for c in names if c not in ("submission_id", "lang", "deleted")]
            layout = AnswerLayout(
                survey_id=str(table).removeprefix("responses_"),
                table=str(table),
                languages=options(types["lang"]),
                columns=tuple(LayoutColumn(c, options(types[c])) for c in answer),
            )
            legacy = quote(f"legacy_{table}")
            cur.run(
                f"CREATE TEMP TABLE {legacy} AS SELECT r.*, s.survey_version AS _version, "
                "s.created_at AS _created, s.deleted_at AS _deleted "
                f"FROM {quote(str(table))} r JOIN submissions s USING (submission_id)"
            )
            cur.run(f"DROP TABLE {quote(str(table))}")
            self._ensure_types(cur, layout)
            cur.run(create_table_sql(layout))
            listed = "".join(f", {quote(c)}" for c in answer)
            cur.run(
                f"INSERT INTO {quote(str(table))} (submission_id, survey_version, lang, "
                f"created_at, deleted_at{listed}) SELECT submission_id, _version, lang, "
                f"_created, _deleted{listed} FROM {legacy} ORDER BY _created, submission_id"
            )
            cur.run(f"DROP TABLE {legacy}")
            cur.run(  # ideas of a half-written submission (no answers) are dropped with it
                f"DELETE FROM ideas WHERE survey_id = ? AND submission_id NOT IN "
                f"(SELECT submission_id FROM {quote(str(table))})",
                [layout.survey_id],
            )
            self._record_layout(cur, layout, None)

    def _count_rows(
        self, cur: Cursor, survey: Survey, session_id: str | None
    ) -> list[tuple[Any, ...]]:
        """One statement: a GROUP BY per answer column (one-byte ENUMs, so each branch is fast);
        the few result rows are cast to text afterwards."""
        table = quote(survey.table_name)
        group = quote(survey.compare.question) if survey.compare else "NULL"
        live = f"FROM {table} WHERE deleted_at IS NULL"
        if session_id is not None:
            live += " AND session_id = $1"
        branches = [
            f"SELECT {_literal(LANG_COLUMN)} AS col, v::VARCHAR AS v, NULL AS g, n FROM "
            f"(SELECT lang AS v, count(*) AS n {live} GROUP BY ALL)"
        ]
        for column in definition_columns(survey):
            branches.append(
                f"SELECT {_literal(column)}, v::VARCHAR, g::VARCHAR, n FROM (SELECT "
                f"{quote(column)} AS v, {group} AS g, count(*) AS n {live} AND "
                f"{quote(column)} IS NOT NULL GROUP BY ALL)"
            )
        params = [session_id] if session_id is not None else []
        return cur.rows("\nUNION ALL ".join(branches), params)

    def _data_version(self, cur: Cursor, table: str, survey_id: str) -> str:
        """New submissions change the row count (cheap in DuckDB); every other change bumps
        `survey_versions`; supports change their own count. No row is shared by writers."""
        row = cur.one(
            f"SELECT (SELECT count(*) FROM {table}), "
            "(SELECT version FROM survey_versions WHERE survey_id = ?), "
            "(SELECT count(*) FROM idea_supports WHERE survey_id = ?)",
            [survey_id, survey_id],
        )
        count, version, supports = row if row else (0, 0, 0)
        return f"{int(count or 0)}.{int(version or 0)}.{int(supports or 0)}"

    def _rows_leaving_counts(
        self,
        cur: Cursor,
        survey_id: str,
        where: str,
        params: Sequence[object],
        sign: int,
    ) -> None:
        """Nothing to adjust: DuckDB counts every summary from the rows themselves."""

    def _hash_expr(self, expr: str) -> str:
        return f"(hash({expr}) % 2147483647)::BIGINT"

    def _series(self) -> str:
        return "range(?::BIGINT, ?::BIGINT + 1) t(i)"

    def _compact(self, tables: list[str]) -> None:
        """Copy the database into a fresh file and swap it in: DuckDB reuses freed blocks but
        never clears them, so deleted text would otherwise stay readable in the file."""
        del tables
        fresh = self.path.with_name(self.path.name + ".compact")
        with self._gate.exclusive():
            for leftover in (fresh, Path(f"{fresh}.wal")):
                leftover.unlink(missing_ok=True)
            try:
                self._conn.execute("CHECKPOINT")
                row = self._conn.execute("SELECT current_database()").fetchone()
                name = str(row[0]) if row else "main"
                self._conn.execute(f"ATTACH {_literal(str(fresh))} AS inclucities_compact")
                try:
                    self._conn.execute(f"COPY FROM DATABASE {quote(name)} TO inclucities_compact")
                finally:
                    self._conn.execute("DETACH inclucities_compact")
            except duckdb.Error as exc:
                fresh.unlink(missing_ok=True)
                Path(f"{fresh}.wal").unlink(missing_ok=True)
                kind = self._classify(exc)
                reason: FaultReason = kind if kind in ("disk_full", "readonly") else "other"  # type: ignore[assignment]
                raise StorageFault(reason, self.path, str(exc)) from exc
            self._conn.close()
            os.replace(fresh, self.path)
            Path(f"{self.path}.wal").unlink(missing_ok=True)
            folder = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
            self._conn = self._connect(StorageFault)


SurveyStore = DuckDBStore
"""The older name of the embedded store (kept for existing callers)."""
