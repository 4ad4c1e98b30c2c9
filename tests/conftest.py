"""Shared fixtures: a temporary database per test; a live server and Chromium for browser tests."""

from __future__ import annotations

import os

import pytest

from tests.browser_utils import CHROMIUM_ARGS, chromium_path, running_server


@pytest.fixture(autouse=True)
def isolated_database(tmp_path, monkeypatch):
    """Point INCLUCITIES_DB_PATH at a fresh file so tests never touch real answers."""
    path = tmp_path / "db" / "test.duckdb"
    monkeypatch.setenv("INCLUCITIES_DB_PATH", str(path))
    return path


@pytest.fixture
def store(isolated_database):
    """A survey store on this test's database, holding the shipped definitions."""
    from inclucities.store import SurveyStore
    from tests.survey_helpers import SURVEYS

    s = SurveyStore(isolated_database, SURVEYS.values())
    yield s
    s.close()


def _require_chromium() -> str:
    path = chromium_path()
    if path:
        return path
    message = "Debian chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
    pytest.skip(message)


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
