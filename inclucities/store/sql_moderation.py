"""Ideas in the shared store: listing, moderation and supports."""

from __future__ import annotations

from collections.abc import Iterable

from inclucities.store.base import (
    IDEA_STATUSES,
    MAX_SUPPORTS_PER_SESSION,
    Idea,
    IdeaStatus,
    SupportResult,
    utcnow,
)
from inclucities.store.sql_core import Cursor, SQLCore, _Retry
from inclucities.store.sql_schema import _idea, _short


class ModerationSQL(SQLCore):
    """Ideas: what respondents wrote, its moderation, and the supports it gathers."""

    # -- summaries ------------------------------------------------------------------------------

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
