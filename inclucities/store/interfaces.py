"""The store's interfaces, one per concern, and `Store`, all of them together.

Pages, summaries and admin actions ask for the smallest one they need (an admin action that
moderates takes a `ModerationStore`); both backends implement every one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Protocol, runtime_checkable

import pandas as pd

from inclucities.store.base import (
    AuditEntry,
    CountRow,
    Health,
    Idea,
    IdeaStatus,
    LiveSession,
    SubmissionCounts,
    SubmitResult,
    SupportResult,
)
from inclucities.survey.models import Survey


@runtime_checkable
class LoginFailureStore(Protocol):
    """Storage for the admin login throttle, shared by every replica."""

    def record_login_failure(self, scope: str, at: datetime) -> None: ...

    def login_failures_since(self, scope: str, since: datetime) -> int: ...

    def clear_login_failures(self, scope: str) -> None: ...


@runtime_checkable
class StoreCore(Protocol):
    """What every part of the store offers: its lifecycle, the survey definitions, the audit log
    and the server secrets. Every method is safe to call from many threads at once; writes are
    committed before the method returns, and a storage problem raises StorageFault (a
    StoreUnavailable) with a reason, nothing half-written."""

    backend: str  # "duckdb" or "postgresql"
    registration_errors: dict[str, str]  # survey id -> why its answers cannot be stored

    @property
    def location(self) -> str:
        """The database file, or the server address without its password."""
        ...

    def close(self) -> None: ...

    def schema_version(self) -> int: ...

    def health(self) -> Health:
        """Read the database once; report the cause of the last failed write unless a write
        has succeeded since."""
        ...

    def heartbeat(self) -> datetime:
        """Write one row and read it back (the health check's proof that writes work); raises
        StorageFault with the reason when they do not."""
        ...

    def register_survey(self, survey: Survey) -> None:
        """Create or extend the survey's answer table; every change is a recorded layout
        version. Raises ValueError when the definition no longer fits the stored answers."""
        ...

    def survey(self, survey_id: str) -> Survey: ...

    @property
    def surveys(self) -> dict[str, Survey]: ...

    def layout_history(self, survey_id: str) -> list[tuple[int, str]]:
        """(layout version, layout as JSON) of the survey's answer table, oldest first."""
        ...

    def audit_log(
        self,
        survey_id: str | None = None,
        *,
        include_global: bool = False,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[AuditEntry]: ...

    def record_audit(
        self, actor: str, action: str, survey_id: str | None = None, detail: str | None = None
    ) -> None:
        """Add an entry for an action the store does not see (an export, a sign-in)."""
        ...

    def server_secret(self, name: str) -> bytes:
        """A random secret made once and kept in the database, shared by every replica and in
        no export (receipt codes are keyed with it)."""
        ...


@runtime_checkable
class AnswerStore(StoreCore, Protocol):
    """Answers: one submission stored once, the counts summaries read, the rows exports read."""

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
        device: str | None = None,
    ) -> SubmitResult:
        """Validate and store one submission, once per id whatever the retries (ON CONFLICT DO
        NOTHING). CLOSED when the survey or the session is closed; DEVICE_ANSWERED when the
        session takes one answer per device and `device` (a keyed hash of the browser's cookie)
        sent another already. Raises InvalidSubmission
        (nothing stored) when the answers break the definition, ValueError for an unknown
        language or session, StorageFault when it cannot be stored."""
        ...

    def has_submission(self, submission_id: str) -> bool: ...

    def count(self, survey_id: str, session_id: str | None = None) -> int:
        """Stored, not deleted submissions (of one session, or all with None)."""
        ...

    def submission_counts(
        self, survey_id: str, session_id: str | None = None
    ) -> SubmissionCounts: ...

    def insert_synthetic(
        self,
        survey_id: str,
        count: int,
        start: int = 0,
        *,
        session_id: str | None = None,
        idea_every: int = 0,
    ) -> None:
        """Bulk-insert `count` valid-looking responses (ids syn-<n>), for benchmarks and load
        tests; every `idea_every`-th one also leaves an idea (0: none)."""
        ...

    def answer_counts(self, survey_id: str, session_id: str | None = None) -> list[CountRow]:
        """Counts of non-deleted answers per (answer column, value, comparison group), and per
        language (column LANG_COLUMN); unanswered columns are left out."""
        ...

    def responses_frame(
        self,
        survey_id: str,
        include_deleted: bool = False,
        *,
        session_id: str | None = None,
        deidentified: bool = False,
    ) -> pd.DataFrame:
        """Every row at once (small surveys, tests); prefer `iter_responses` for exports."""
        ...

    def responses_page(
        self,
        survey_id: str,
        *,
        offset: int = 0,
        limit: int = 50,
        deleted: bool | None = False,
        session_id: str | None = None,
    ) -> pd.DataFrame:
        """One page of rows, newest first, paged in SQL (`deleted`: False live rows, True
        removed rows, None both; a `deleted_at` column is always there)."""
        ...

    def iter_responses(
        self,
        survey_id: str,
        *,
        page_size: int = 10_000,
        include_deleted: bool = False,
        session_id: str | None = None,
        deidentified: bool = False,
    ) -> Iterator[pd.DataFrame]:
        """Every row, `page_size` at a time, in a stable order (keyset paging in SQL).

        One row per submission, one column per question (grid items as 'question.item'),
        multiple choices as ';'-joined option ids, free text from the ideas. `deidentified`
        drops the submission id, gives the day (`created_on`) instead of the time, and orders
        rows within a day by a hash, so row order does not reveal arrival order."""
        ...


@runtime_checkable
class ModerationStore(StoreCore, Protocol):
    """Ideas: what respondents wrote, its moderation, and the supports it gathers."""

    def idea_count(
        self, survey_id: str, session_id: str | None = None, status: IdeaStatus | None = None
    ) -> int: ...

    def may_have_ideas(
        self, survey_id: str, status: IdeaStatus, session_id: str | None = None
    ) -> bool:
        """False when `ideas` with these filters is sure to list none: one cheap query, for
        the many rooms with no approved idea (True may still list none: removed submissions
        are not looked at)."""
        ...

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
        """Free-text answers of non-deleted submissions, oldest first unless `newest_first`."""
        ...

    def set_idea_status(self, idea_id: int, status: IdeaStatus, actor: str) -> None: ...

    def set_ideas_status(self, idea_ids: Iterable[int], status: IdeaStatus, actor: str) -> int:
        """Bulk moderation (e.g. approve many); one audit entry; returns how many changed."""
        ...

    def set_idea_pinned(self, idea_id: int, pinned: bool, actor: str) -> None: ...

    def support_idea(self, idea_id: int, supporter: str) -> SupportResult:
        """`supporter` is the id of a stored, live submission of the idea's session (the one
        key per respondent the app has); one support per idea per submission, never the
        submission's own idea (OWN_IDEA)."""
        ...

    def withdraw_support(self, idea_id: int, supporter: str) -> SupportResult:
        """Take back `supporter`'s support of the idea: TAKEN_BACK (its slot is free again),
        NOT_SUPPORTED when there is none (a repeat changes nothing), CLOSED while the survey or
        the idea's session is closed (the counts stay as they were at closing)."""
        ...

    def supported_ideas(self, supporter: str, session_id: str | None = None) -> list[int]: ...

    def own_ideas(self, submission_id: str) -> list[int]:
        """The ids of the ideas this submission left (what its phone may not support)."""
        ...

    def top_ideas(
        self, survey_id: str, session_id: str | None = None, limit: int = 10
    ) -> list[Idea]:
        """Approved ideas, pinned first, then by support; `Idea.supports` filled in."""
        ...


@runtime_checkable
class SessionStore(StoreCore, Protocol):
    """What the room sees: surveys open or closed, results revealed or hidden, live sessions."""

    def set_survey_open(self, survey_id: str, is_open: bool, actor: str) -> None: ...

    def is_survey_open(self, survey_id: str) -> bool: ...

    def data_version(self, survey_id: str) -> str:
        """A cheap token that changes whenever anything a live screen shows for the survey
        changes (the same on every replica)."""
        ...

    def set_results_revealed(
        self, survey_id: str, revealed: bool, actor: str, session_id: str | None = None
    ) -> None: ...

    def results_revealed(self, survey_id: str, session_id: str | None = None) -> bool: ...

    def create_session(
        self,
        survey_id: str,
        name: str,
        *,
        actor: str,
        place: str | None = None,
        day: date | None = None,
        one_answer_per_device: bool = False,
    ) -> LiveSession: ...

    def close_session(self, session_id: str, actor: str) -> None: ...

    def reopen_session(self, session_id: str, actor: str) -> None: ...

    def get_session(self, session_id: str) -> LiveSession | None: ...

    def session_by_code(self, join_code: str) -> LiveSession | None: ...

    def sessions(self, survey_id: str | None = None) -> list[LiveSession]: ...


@runtime_checkable
class PrivacyStore(StoreCore, LoginFailureStore, Protocol):
    """What protects respondents: withdrawal, purge, soft delete and restore, the login throttle."""

    def withdraw(self, receipt_hash: str) -> bool:
        """Delete for good the one submission sent with this receipt hash (answers, ideas and
        their supports); audited without the receipt. False when there is none."""
        ...

    def purge(self, before: datetime, actor: str) -> int:
        """Delete for good every submission created before `before` (answers, ideas, supports),
        then rewrite the storage so the deleted data is gone from the database files; audited.
        Returns how many submissions were deleted."""
        ...

    def soft_delete(
        self,
        survey_id: str,
        submission_ids: Iterable[str] | None = None,
        *,
        actor: str,
        reason: str,
    ) -> int: ...

    def restore(
        self,
        survey_id: str,
        submission_ids: Iterable[str] | None = None,
        *,
        actor: str,
        reason: str,
    ) -> int: ...


@runtime_checkable
class Store(AnswerStore, ModerationStore, SessionStore, PrivacyStore, Protocol):
    """Everything the app stores: every interface above, as both backends implement it."""
