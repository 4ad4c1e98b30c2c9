"""Shared fixtures: every test gets its own temporary database file."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_database(tmp_path, monkeypatch):
    """Point INCLUCITIES_DB_PATH at a fresh file so tests never touch real answers."""
    path = tmp_path / "db" / "test.duckdb"
    monkeypatch.setenv("INCLUCITIES_DB_PATH", str(path))
    return path
