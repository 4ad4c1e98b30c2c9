"""The store logic both backends share, composed from its parts (one module per concern).

The SQL here runs unchanged on DuckDB and PostgreSQL; a backend (`duckdb_store`, `postgres_store`)
supplies connections, transactions, error classification and the few statements that differ.
"""

from __future__ import annotations

from inclucities.store.sql_answers import AnswersSQL
from inclucities.store.sql_moderation import ModerationSQL
from inclucities.store.sql_privacy import PrivacySQL
from inclucities.store.sql_sessions import SessionsSQL
from inclucities.store.sql_surveys import SurveysSQL


class SQLStore(SurveysSQL, AnswersSQL, ModerationSQL, SessionsSQL, PrivacySQL):
    """The store logic both backends share. Subclasses open the connection, then call
    `_start(surveys)`."""


__all__ = ["SQLStore"]
