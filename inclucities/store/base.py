"""The store interface every page, summary and admin action talks to, with its shared types.

Two backends implement it: `DuckDBStore` (one embedded file, the default) and `PostgresStore`
(one server shared by several app replicas). Nothing above `inclucities.store` imports a database
driver; code that needs the database calls the methods of `Store`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, NamedTuple, Protocol, runtime_checkable

import pandas as pd

from inclucities.survey.models import Survey

IdeaStatus = Literal["pending", "approved", "hidden"]
IDEA_STATUSES: tuple[str, ...] = ("pending", "approved", "hidden")

FaultReason = Literal["locked", "readonly", "disk_full", "connection_lost", "busy", "other"]
"""Why the database cannot be used:

- ``locked``: another program holds the DuckDB file;
- ``readonly``: the file, folder, disk or database refuses writes;
- ``disk_full``: no space left for the database;
- ``connection_lost``: the PostgreSQL server cannot be reached (restart, network);
- ``busy``: writes kept conflicting with other writers (retried, then given up);
- ``other``: anything else (the detail says what).
"""
FAULT_REASONS: tuple[str, ...] = (
    "locked",
    "readonly",
    "disk_full",
    "connection_lost",
    "busy",
    "other",
)
UnavailableReason = FaultReason  # the older name

LANG_COLUMN = "#lang"
"""The `column` of the language rows in `Store.answer_counts`."""

MAX_SUPPORTS_PER_SESSION = 3
"""How many ideas one supporter may support in one session (or in the survey without sessions)."""

JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
"""Join codes use letters and digits nobody confuses when read aloud or off a projector
(no 0/O, 1/I/L, 2/Z, 5/S, 8/B)."""
JOIN_CODE_LENGTH = 6


class SubmitResult(enum.StrEnum):
    """What happened to a submission."""

    STORED = "stored"
    DUPLICATE = "duplicate"  # this submission id was already stored: nothing new written
    CLOSED = "closed"  # the survey (or the submission's session) is closed: nothing written


class SupportResult(enum.StrEnum):
    """What happened when someone supported an idea, or took their support back."""

    SUPPORTED = "supported"
    ALREADY = "already"  # this supporter already supports this idea: nothing changed
    LIMIT_REACHED = "limit_reached"  # already MAX_SUPPORTS_PER_SESSION ideas in this session
    UNAVAILABLE = "unavailable"  # no such idea, not approved, or its answer was removed
    CLOSED = "closed"  # the survey or the idea's session is closed
    NOT_SENT = "not_sent"  # the supporter is no stored answer of the idea's session
    OWN_IDEA = "own_idea"  # the supporter is the idea's own answer: nobody supports themselves
    TAKEN_BACK = "taken_back"  # the support was withdrawn: the idea counts one fewer
    NOT_SUPPORTED = "not_supported"  # nothing to take back (never given, or taken back already)


class StoreUnavailable(RuntimeError):
    """The database cannot be used right now; `reason` says why (see `FaultReason`).

    Raised when the store is opened (locked or unwritable file, server down) and, as its
    subclass `StorageFault`, when an operation fails for a storage reason.
    """

    def __init__(self, reason: FaultReason, where: str | Path, detail: str) -> None:
        self.reason: FaultReason = reason
        self.where = str(where)
        self.detail = detail
        super().__init__(f"{reason}: {where}: {detail}")

    @property
    def path(self) -> str:
        """Where the database is (file path, or server address without a password)."""
        return self.where


class StorageFault(StoreUnavailable):
    """An operation could not be stored (disk full, read-only, connection lost, conflicts).

    Never a half-written submission: the transaction was rolled back, so the caller keeps the
    answers and may send them again (submissions are idempotent by their id).
    """


class CountRow(NamedTuple):
    """One group of `Store.answer_counts`: `n` answers had `value` in `column`, among
    respondents whose comparison answer was `group` (None: no comparison, or not answered).
    `column` is an answer column of the survey's layout, or LANG_COLUMN."""

    column: str
    value: str | None
    group: str | None
    n: int


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
    session_id: str | None = None
    pinned: bool = False
    supports: int = 0


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    survey_id: str | None
    detail: str | None


@dataclass(frozen=True)
class LiveSession:
    """One run of a survey in a room (an academy morning, a city meeting), with its join code."""

    id: str
    survey_id: str
    join_code: str
    name: str
    place: str | None
    date: date | None
    opened_at: datetime
    closed_at: datetime | None
    created_by: str

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class SubmissionCounts:
    active: int
    deleted: int

    @property
    def total(self) -> int:
        return self.active + self.deleted


@dataclass(frozen=True)
class Health:
    """What `/healthz` reports: can the database be read, and did the last write fail?"""

    ok: bool
    backend: str
    reason: FaultReason | None = None
    detail: str | None = None


def utcnow() -> datetime:
    """Naive UTC: every timestamp the store writes or compares."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_utc(value: datetime) -> datetime:
    """A naive UTC datetime from an aware one (naive values are taken as UTC already)."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def quote(identifier: str) -> str:
    """Quote a SQL identifier (ids are validated by pattern; this is a second guard)."""
    return '"' + identifier.replace('"', '""') + '"'


def normalise_join_code(code: str) -> str:
    """What a person typed (any case, spaces or dashes) as a stored join code."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


@runtime_checkable
class LoginFailureStore(Protocol):
    """Storage for the admin login throttle, shared by every replica."""

    def record_login_failure(self, scope: str, at: datetime) -> None: ...

    def login_failures_since(self, scope: str, since: datetime) -> int: ...

    def clear_login_failures(self, scope: str) -> None: ...


@runtime_checkable
class Store(LoginFailureStore, Protocol):
    """Everything the app stores. Every method is safe to call from many threads at once.

    Writes are committed before the method returns. A storage problem raises StorageFault (a
    StoreUnavailable) with a reason; nothing is left half-written.
    """

    backend: str  # "duckdb" or "postgresql"
    registration_errors: dict[str, str]  # survey id -> why its answers cannot be stored

    # -- lifecycle ------------------------------------------------------------------------------
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

    # -- survey definitions and their answer layout ----------------------------------------------
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

    # -- submissions ---------------------------------------------------------------------------
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
        """Validate and store one submission, once per id whatever the retries (ON CONFLICT DO
        NOTHING). CLOSED when the survey or the session is closed. Raises InvalidSubmission
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

    def withdraw(self, receipt_hash: str) -> bool:
        """Delete for good the one submission sent with this receipt hash (answers, ideas and
        their supports); audited without the receipt. False when there is none."""
        ...

    def purge(self, before: datetime, actor: str) -> int:
        """Delete for good every submission created before `before` (answers, ideas, supports),
        then rewrite the storage so the deleted data is gone from the database files; audited.
        Returns how many submissions were deleted."""
        ...

    # -- open / closed, and what live screens watch ------------------------------------------------
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

    # -- what summaries read -----------------------------------------------------------------------
    def answer_counts(self, survey_id: str, session_id: str | None = None) -> list[CountRow]:
        """Counts of non-deleted answers per (answer column, value, comparison group), and per
        language (column LANG_COLUMN); unanswered columns are left out."""
        ...

    def idea_count(
        self, survey_id: str, session_id: str | None = None, status: IdeaStatus | None = None
    ) -> int: ...

    # -- ideas and moderation -------------------------------------------------------------------
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

    def server_secret(self, name: str) -> bytes:
        """A random secret made once and kept in the database, shared by every replica and in
        no export (receipt codes are keyed with it)."""
        ...

    def top_ideas(
        self, survey_id: str, session_id: str | None = None, limit: int = 10
    ) -> list[Idea]:
        """Approved ideas, pinned first, then by support; `Idea.supports` filled in."""
        ...

    # -- live sessions -----------------------------------------------------------------------------
    def create_session(
        self,
        survey_id: str,
        name: str,
        *,
        actor: str,
        place: str | None = None,
        day: date | None = None,
    ) -> LiveSession: ...

    def close_session(self, session_id: str, actor: str) -> None: ...

    def reopen_session(self, session_id: str, actor: str) -> None: ...

    def get_session(self, session_id: str) -> LiveSession | None: ...

    def session_by_code(self, join_code: str) -> LiveSession | None: ...

    def sessions(self, survey_id: str | None = None) -> list[LiveSession]: ...

    # -- soft delete, audit ------------------------------------------------------------------------
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

    # -- rows for the admin and for exports -------------------------------------------------------
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
