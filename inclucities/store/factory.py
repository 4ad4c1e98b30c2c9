"""Open the configured backend: PostgreSQL when a database URL is set, else the DuckDB file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from inclucities.store.interfaces import Store
from inclucities.survey.models import Survey


def is_postgres_url(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("postgresql://", "postgres://"))


def open_store(
    database_url: str | None, db_path: str | Path, surveys: Iterable[Survey] = ()
) -> Store:
    """The store for a PostgreSQL URL (several replicas), or for the DuckDB file (one process).

    Raises StoreUnavailable with a reason when the database cannot be opened.
    """
    if database_url:
        from inclucities.store.postgres_store import PostgresStore

        return PostgresStore(database_url, surveys)
    from inclucities.store.duckdb_store import DuckDBStore

    return DuckDBStore(db_path, surveys)
