"""Live state in the shared store: open or closed, revealed or hidden, and live sessions."""

from __future__ import annotations

import secrets
import uuid
from datetime import date

from inclucities.store.base import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    LiveSession,
    normalise_join_code,
    utcnow,
)
from inclucities.store.sql_core import MAX_SESSION_TEXT, Cursor, SQLCore, _Retry
from inclucities.store.sql_schema import SESSION_COLUMNS, SESSIONS, _session


class SessionsSQL(SQLCore):
    """What the room sees: surveys open or closed, results revealed or hidden, sessions."""

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

    # -- live sessions --------------------------------------------------------------------------

    def create_session(
        self,
        survey_id: str,
        name: str,
        *,
        actor: str,
        place: str | None = None,
        day: date | None = None,
        one_answer_per_device: bool = False,
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
            if one_answer_per_device:
                cur.run("INSERT INTO session_rules VALUES (?, true)", [session_id])
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
                f"SELECT {SESSION_COLUMNS} FROM {SESSIONS} WHERE session_id = ?", [session_id]
            )
        )
        return _session(row) if row else None

    def session_by_code(self, join_code: str) -> LiveSession | None:
        code = normalise_join_code(join_code)
        if not code:
            return None
        row = self._read_do(
            lambda cur: cur.one(
                f"SELECT {SESSION_COLUMNS} FROM {SESSIONS} WHERE join_code = ?", [code]
            )
        )
        return _session(row) if row else None

    def sessions(self, survey_id: str | None = None) -> list[LiveSession]:
        sql = f"SELECT {SESSION_COLUMNS} FROM {SESSIONS}"
        params: list[object] = []
        if survey_id is not None:
            sql += " WHERE survey_id = ?"
            params.append(survey_id)
        rows = self._read_do(lambda cur: cur.rows(sql + " ORDER BY opened_at, session_id", params))
        return [_session(r) for r in rows]
