"""Process-wide shared objects (survey definitions, the store), for pages and HTTP routes alike."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from inclucities.settings import get_settings
from inclucities.store import Store, open_store
from inclucities.survey.loader import SurveyRegistry, load_survey_definitions

LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_stores: dict[str, Store] = {}


@lru_cache(maxsize=1)
def survey_registry() -> SurveyRegistry:
    """Survey definitions, loaded and validated once per process."""
    return load_survey_definitions()


def store_key() -> str:
    """Which database the settings name (the PostgreSQL URL, else the DuckDB file)."""
    settings = get_settings()
    url = settings.database_url
    return url.get_secret_value() if url is not None else str(settings.db_path)


def get_store() -> Store:
    """The store for the configured database (PostgreSQL when `database_url` is set, else the
    DuckDB file), opened once per process.

    Raises StoreUnavailable with a reason; a failure is not remembered, so the next call retries.
    """
    settings = get_settings()
    key = store_key()
    with _lock:
        store = _stores.get(key)
        if store is None:
            url = settings.database_url
            store = open_store(
                url.get_secret_value() if url is not None else None,
                settings.db_path,
                survey_registry().surveys.values(),
            )
            _stores[key] = store
    return store


def close_stores() -> None:
    """Close every store this process opened (the server's shutdown): DuckDB writes its last
    checkpoint, and a rewrite still due after withdrawals runs now rather than at next start."""
    with _lock:
        opened = list(_stores.values())
        _stores.clear()
    for store in opened:
        try:
            store.close()
        except Exception:  # one store failing to close must not keep the others open
            LOG.exception("closing the store at %s failed", store.location)
