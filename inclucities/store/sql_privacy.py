"""Privacy in the shared store: withdrawal, purge, erasure, soft delete, the login throttle."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime

from inclucities.store.base import (
    as_utc,
    quote,
    utcnow,
)
from inclucities.store.sql_core import LOG, LOGIN_FAILURE_RETENTION, Cursor, SQLCore


class PrivacySQL(SQLCore):
    """What protects respondents: withdrawal, purge and erasure, soft delete, the login throttle."""

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
            cur.run(  # a closed session's device marks have done their work
                "DELETE FROM session_devices WHERE session_id IN (SELECT session_id FROM "
                "live_sessions WHERE closed_at < ?)",
                [cutoff],
            )
            return total

        total = self._do(work, idempotent=False)
        self._compact(
            [*touched, "ideas", "idea_supports", "login_failures", "session_devices", "audit_log"]
        )
        return total

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
