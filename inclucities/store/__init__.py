"""Storage of survey answers: the store interface and its backends."""

from inclucities.store.duckdb_store import (
    SCHEMA_VERSION,
    AuditEntry,
    Idea,
    IdeaStatus,
    StoreUnavailable,
    SubmitResult,
    SurveyStore,
    quote,
)

__all__ = [
    "SCHEMA_VERSION",
    "AuditEntry",
    "Idea",
    "IdeaStatus",
    "StoreUnavailable",
    "SubmitResult",
    "SurveyStore",
    "quote",
]
