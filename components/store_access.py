"""The shared store and definitions (st.cache_resource) and cached summaries (st.cache_data)."""

from __future__ import annotations

import streamlit as st

from inclucities.config import get_int_setting, get_setting
from surveys.loader import SurveyRegistry, load_survey_definitions
from surveys.store import StoreUnavailable, SurveyStore
from surveys.summary import SurveySummary, summarise

REFRESH_SECONDS = get_int_setting("refresh_seconds", st.secrets)

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
    return str(get_setting("db_path", st.secrets))


def min_cell_size() -> int:
    """Smallest group a public breakdown may show (at least 2, whatever is configured)."""
    return max(2, get_int_setting("min_cell_size", st.secrets))


@st.cache_resource(show_spinner=False)
def survey_registry() -> SurveyRegistry:
    """Survey definitions, loaded and validated once per process."""
    return load_survey_definitions()


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> SurveyStore:
    # StoreUnavailable propagates and is not cached: the next run tries again
    return SurveyStore(path, survey_registry().surveys.values())


def get_store() -> SurveyStore:
    """The process-wide store for the configured path; raises StoreUnavailable with a reason."""
    return _open_store(db_path())


@st.cache_data(ttl=REFRESH_SECONDS, max_entries=64, show_spinner=False)
def _summary(path: str, survey_id: str, min_cell: int) -> SurveySummary:
    store = _open_store(path)
    return summarise(store, store.survey(survey_id), min_cell)


def cached_summary(survey_id: str, min_cell: int | None = None) -> SurveySummary:
    """One summary query per refresh interval, shared by every viewer of every page."""
    return _summary(db_path(), survey_id, min_cell if min_cell is not None else min_cell_size())


def clear_summaries() -> None:
    """Forget cached summaries after a write from this process, so results show it at once."""
    _summary.clear()
