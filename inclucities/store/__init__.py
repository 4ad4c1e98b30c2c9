"""Storage of survey answers: the store interface (`Store`) and its two backends.

`open_store` picks the backend from the settings; pages, summaries and admin actions use only the
methods of `Store` and the types below, never a database driver.
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
    LoginFailureStore,
    StorageFault,
    Store,
    StoreUnavailable,
    SubmissionCounts,
    SubmitResult,
    SupportResult,
    quote,
)
from inclucities.store.duckdb_store import DuckDBStore, SurveyStore
from inclucities.store.factory import open_store
from inclucities.store.sqlstore import SCHEMA_VERSION

__all__ = [
    "FAULT_REASONS",
    "IDEA_STATUSES",
    "JOIN_CODE_ALPHABET",
    "LANG_COLUMN",
    "MAX_SUPPORTS_PER_SESSION",
    "SCHEMA_VERSION",
    "AuditEntry",
    "CountRow",
    "DuckDBStore",
    "FaultReason",
    "Health",
    "Idea",
    "IdeaStatus",
    "LiveSession",
    "LoginFailureStore",
    "StorageFault",
    "Store",
    "StoreUnavailable",
    "SubmissionCounts",
    "SubmitResult",
    "SupportResult",
    "SurveyStore",
    "open_store",
    "quote",
]
