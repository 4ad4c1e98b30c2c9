"""Process-wide shared objects (survey definitions, the store), for pages and HTTP routes alike."""

from __future__ import annotations

import threading
from functools import lru_cache

from inclucities.settings import get_settings
from inclucities.store import SurveyStore
from inclucities.survey.loader import SurveyRegistry, load_survey_definitions

_lock = threading.Lock()
_stores: dict[str, SurveyStore] = {}


@lru_cache(maxsize=1)
def survey_registry() -> SurveyRegistry:
    """Survey definitions, loaded and validated once per process."""
    return load_survey_definitions()


def get_store() -> SurveyStore:
    """The store for the configured database, opened once per process.

    Raises StoreUnavailable with a reason; a failure is not remembered, so the next call retries.
    """
    path = str(get_settings().db_path)
    with _lock:
        store = _stores.get(path)
        if store is None:
            store = SurveyStore(path, survey_registry().surveys.values())
            _stores[path] = store
    return store
