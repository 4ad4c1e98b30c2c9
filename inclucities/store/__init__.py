"""Storage of survey answers: the store's interfaces (`Store`, and one per concern) and its two
backends.

`open_store` picks the backend from the settings; pages, summaries and admin actions use only the
methods of these interfaces and the types below, never a database driver.
"""

from inclucities.store.base import (
    FAULT_REASONS,
    IDEA_STATUSES,
    JOIN_CODE_ALPHABET,
    LANG_COLUMN,
    MAX_SUPPORTS_PER_SESSION,
    AuditEntry,
    CountRow,
    FaultReason,
    Health,
    Idea,
    IdeaStatus,
    LiveSession,
    StorageFault,
    StoreUnavailable,
    SubmissionCounts,
    SubmitResult,
    SupportResult,
    quote,
)
from inclucities.store.duckdb_store import DuckDBStore, SurveyStore
from inclucities.store.factory import open_store
from inclucities.store.interfaces import (
    AnswerStore,
    LoginFailureStore,
    ModerationStore,
    PrivacyStore,
    SessionStore,
    Store,
    StoreCore,
)
from inclucities.store.sql_schema import SCHEMA_VERSION

__all__ = [
    "FAULT_REASONS",
    "IDEA_STATUSES",
    "JOIN_CODE_ALPHABET",
    "LANG_COLUMN",
    "MAX_SUPPORTS_PER_SESSION",
    "SCHEMA_VERSION",
    "AnswerStore",
    "AuditEntry",
    "CountRow",
    "DuckDBStore",
    "FaultReason",
    "Health",
    "Idea",
    "IdeaStatus",
    "LiveSession",
    "LoginFailureStore",
    "ModerationStore",
    "PrivacyStore",
    "SessionStore",
    "StorageFault",
    "Store",
    "StoreCore",
    "StoreUnavailable",
    "SubmissionCounts",
    "SubmitResult",
    "SupportResult",
    "SurveyStore",
    "open_store",
    "quote",
]
