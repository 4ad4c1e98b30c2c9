"""The store's shared types: results, faults, the rows it returns, and a few SQL helpers.

Two backends (`DuckDBStore`, one embedded file, the default; `PostgresStore`, one server shared
by several app replicas) implement the interfaces in `inclucities.store.interfaces`. Nothing above
`inclucities.store` imports a database driver.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, NamedTuple

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
    DEVICE_ANSWERED = "device_answered"  # a session with one answer per device: this one had


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
    one_answer_per_device: bool = False
    """A second answer from the same browser is refused (a room where each has their own phone)."""

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
