"""The shared store and definitions (st.cache_resource) and cached summaries (st.cache_data)."""

from __future__ import annotations

import streamlit as st

from inclucities import runtime
from inclucities.results.model import SurveySummary
from inclucities.results.summary import summarise
from inclucities.settings import get_settings
from inclucities.store import StoreUnavailable

REFRESH_SECONDS = get_settings().refresh_seconds

__all__ = [
    "REFRESH_SECONDS",
    "StoreUnavailable",
    "cached_summary",
    "clear_summaries",
    "db_path",
    "get_store",
    "min_cell_size",
    "survey_registry",
]


def db_path() -> str:
    return str(get_settings().db_path)


def min_cell_size() -> int:
    """Smallest group a public breakdown may show (the setting refuses values below 2)."""
    return get_settings().min_cell_size


survey_registry = runtime.survey_registry
get_store = runtime.get_store


@st.cache_data(ttl=REFRESH_SECONDS, max_entries=64, show_spinner=False)
def _summary(path: str, survey_id: str, min_cell: int) -> SurveySummary:
    store = get_store()
    return summarise(store, store.survey(survey_id), min_cell)


def cached_summary(survey_id: str, min_cell: int | None = None) -> SurveySummary:
    """One summary query per refresh interval, shared by every viewer of every page."""
    return _summary(db_path(), survey_id, min_cell if min_cell is not None else min_cell_size())


def clear_summaries() -> None:
    """Forget cached summaries after a write from this process, so results show it at once."""
    _summary.clear()
