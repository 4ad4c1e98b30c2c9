"""Synthetic responses for benchmarks and load tests, generated inside the database."""

from __future__ import annotations

from inclucities.store import Store
from inclucities.survey.models import Survey

LANG_MIX = ("fr", "en", "nl", "es", "it", "el", "lv", "ar", "uk")


def insert_synthetic(
    store: Store,
    survey: Survey,
    count: int,
    start: int = 0,
    *,
    session_id: str | None = None,
    idea_every: int = 0,
) -> None:
    """Insert `count` valid-looking responses (ids syn-<n>) through the store's bulk insert
    (generated in SQL, per-row validation bypassed by design)."""
    store.insert_synthetic(survey.id, count, start, session_id=session_id, idea_every=idea_every)
