"""Shared fixtures: a temporary database per test (DuckDB, or PostgreSQL on a throwaway server);
a live server and Chromium for browser tests."""

from __future__ import annotations

import contextlib
import os

import pytest

from scripts.support.browser_utils import CHROMIUM_ARGS, chromium_path, running_server


@pytest.fixture(autouse=True)
def isolated_database(tmp_path, monkeypatch):
    """Point INCLUCITIES_DB_PATH at a fresh file so tests never touch real answers."""
    path = tmp_path / "db" / "test.duckdb"
    monkeypatch.setenv("INCLUCITIES_DB_PATH", str(path))
    return path


@pytest.fixture(autouse=True)
def fresh_runtime():
    """Each test starts without the process's shared state (stores, hub, limits, sign-in
    queue) of the one before; whatever it opened is closed after it."""
    from inclucities import runtime

    runtime.reset()
    yield
    runtime.reset()


@pytest.fixture
def store(isolated_database):
    """A survey store on this test's database, holding the shipped definitions."""
    from inclucities.store import SurveyStore
    from scripts.support.survey_helpers import SURVEYS

    s = SurveyStore(isolated_database, SURVEYS.values())
    yield s
    s.close()


BACKENDS = ("duckdb", "postgresql")

BROWSER_FIXTURES = frozenset({"browser", "live_server"})
POSTGRES_FIXTURES = frozenset({"postgres_server", "postgres_url"})
# Modules that start several servers, a proxy or a load run: minutes each, so the fast loop
# (`pytest -m "not browser and not slow"`) leaves them to CI.
SLOW_MODULES = frozenset(
    {
        "test_deploy_proxy",
        "test_fault_drills",
        "test_fault_kill",
        "test_fault_replicas",
        "test_fault_storage",
        "test_loadtest",
    }
)


def pytest_collection_modifyitems(config, items):
    """Mark the tiers from what each test uses, so no module has to remember its markers."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        uses_postgres = bool(fixtures & POSTGRES_FIXTURES) or (
            callspec is not None and callspec.params.get("backend") == "postgresql"
        )
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if uses_postgres:
            item.add_marker(pytest.mark.postgres)
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for the whole run, stopped (and its folder removed) after.

    Without PostgreSQL the backend tests skip locally with the reason; in CI they fail.
    """
    from scripts.support.pg_server import PostgresUnavailable, start_postgres

    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests cannot run: {exc}")
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the throwaway server, dropped after the test."""
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def open_backend(request, backend, isolated_database):
    """Open a store of the parametrised backend on this test's database (again and again: every
    store opened shares the same database, as replicas or restarts would)."""
    from inclucities.store import open_store
    from scripts.support.survey_helpers import SURVEYS

    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else None
    opened = []

    def opener(surveys=None):
        store = open_store(url, isolated_database, SURVEYS.values() if surveys is None else surveys)
        opened.append(store)
        return store

    opener.url = url
    yield opener
    for store in opened:
        with contextlib.suppress(Exception):  # already closed by the test
            store.close()


@pytest.fixture
def any_store(open_backend):
    """A store with the shipped definitions, on DuckDB and on PostgreSQL (parametrised)."""
    return open_backend()


def require_program(path: str | None, message: str) -> str:
    """The program's path; without it, skip here with the reason, and fail in CI."""
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing program is a failure, never a silent skip
    pytest.skip(message)


def _require_chromium() -> str:
    return require_program(
        chromium_path(),
        "Debian chromium is not installed (apt-get install chromium); .ci/run installs it",
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app, started with `streamlit run app.py` on a free loopback port."""
    _require_chromium()
    db_path = tmp_path_factory.mktemp("live") / "live.duckdb"
    with running_server(db_path) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    executable = _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
