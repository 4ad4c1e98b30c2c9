"""Issue 16: an answer is stored once, whatever the browser does.

Each test runs its own server (real `streamlit run app.py`) on its own database, answers the
academy poll with a unique word, and reads the database once the server is stopped:

- the server is killed with SIGKILL the moment the answer is committed (before the thank-you
  reaches the phone) and restarted on the same port: the page reconnects by itself with the
  answers still filled, and sending again stores nothing twice;
- Send is pressed while the server is down: the answer is sent once the page is connected again;
- after sending, a reload, back and forward, and a second tab all show the thank-you, not a blank
  form, and store nothing; a second browser opening the same link is a new respondent.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from tests.browser_utils import PHONE, start_server, stop_server
from tests.e2e_utils import (
    fill_academy,
    go_to,
    new_page,
    open_page,
    skey,
    survey_ready,
    thank_you_shown,
    wait_thank_you,
    write_artifact,
)
from tests.survey_helpers import SURVEYS

pytestmark = pytest.mark.browser

S = "academy"
SEND = f"{skey(S, 'submit')} button"
OFFLINE = "() => document.documentElement.classList.contains('survey-offline')"
ONLINE = "() => !document.documentElement.classList.contains('survey-offline')"


def _stored(db_path: Path) -> dict[str, int]:
    """How many times each one-word answer is stored (the server must be stopped)."""
    with duckdb.connect(str(db_path), read_only=True) as conn:
        rows = conn.execute(
            "SELECT text, count(*) FROM ideas WHERE survey_id = ? GROUP BY text", [S]
        ).fetchall()
        submissions, distinct = conn.execute(
            f'SELECT count(*), count(DISTINCT submission_id) FROM "{SURVEYS[S].table_name}"'
        ).fetchone()
    assert submissions == distinct
    return dict(rows)


def _wal_state(db_path: Path) -> tuple[int, int]:
    wal = Path(f"{db_path}.wal")
    try:
        stat = wal.stat()
    except FileNotFoundError:
        return (0, 0)
    return (stat.st_size, stat.st_mtime_ns)


def _kill(server) -> None:
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)


def _word() -> str:
    return f"w{uuid.uuid4().hex[:12]}"


def _ready_to_send(page) -> None:
    go_to(page, S, SEND)


def test_kill_during_send_then_resend_stores_once(browser, tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    db_path = tmp_path / "resend.duckdb"
    server = start_server(db_path)
    words: dict[str, str] = {}
    figures: dict[str, object] = {}
    try:
        # 1. killed the moment the answer is committed, before the thank-you is shown
        with new_page(browser, PHONE, "fr-FR") as page:
            open_page(page, server.page_url("survey", survey=S, lang="fr"), ready=survey_ready(S))
            words["committed"] = _word()
            fill_academy(page, words["committed"])
            _ready_to_send(page)
            before = _wal_state(db_path)
            page.locator(SEND).click(no_wait_after=True)
            deadline = time.monotonic() + 15
            while _wal_state(db_path) == before and time.monotonic() < deadline:
                time.sleep(0.001)
            _kill(server)
            figures["thank_you_before_kill"] = thank_you_shown(page, S)
            server = start_server(db_path, port=server.port)
            # the page reconnects by itself; whichever it shows, sending again stores nothing
            page.wait_for_selector(f"{skey(S, 'new')} a, {SEND}", timeout=90_000)
            page.wait_for_function(ONLINE, timeout=90_000)
            if not thank_you_shown(page, S):
                page.locator(SEND).click()
            wait_thank_you(page, S, timeout=90_000)
            figures["thank_you_after_restart"] = True

        # 2. Send pressed while the server is down: sent once the page is connected again
        with new_page(browser, PHONE, "uk-UA") as page:
            open_page(page, server.page_url("survey", survey=S, lang="uk"), ready=survey_ready(S))
            words["offline"] = _word()
            fill_academy(page, words["offline"])
            _ready_to_send(page)
            _kill(server)
            page.wait_for_function(OFFLINE, timeout=30_000)
            page.locator(SEND).click(force=True)  # the button is disabled: the press is kept
            notice = page.locator("#survey-connection")
            assert notice.is_visible()
            figures["offline_notice"] = notice.inner_text()
            server = start_server(db_path, port=server.port)
            wait_thank_you(page, S, timeout=90_000)
    finally:
        stop_server(server)
    stored = _stored(db_path)
    write_artifact("resend", {**figures, "stored": {k: stored.get(w, 0) for k, w in words.items()}})
    assert figures["offline_notice"], "no notice while the server was down"
    for case, word in words.items():
        assert stored.get(word) == 1, f"{case}: stored {stored.get(word, 0)} times"


def test_reload_back_forward_and_second_tab_store_once(browser, tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    db_path = tmp_path / "reload.duckdb"
    server = start_server(db_path)
    first, second = _word(), _word()
    url = server.page_url("survey", survey=S, lang="ar")
    try:
        with new_page(browser, PHONE, "ar") as page:
            open_page(page, url, ready=survey_ready(S))
            fill_academy(page, first)
            _ready_to_send(page)
            page.locator(SEND).click()
            wait_thank_you(page, S)
            page.reload()
            wait_thank_you(page, S)  # the thank-you again, not a blank form
            assert not page.locator(SEND).count()
            open_page(page, server.page_url("results", survey=S, lang="ar"))
            page.go_back()
            wait_thank_you(page, S)
            page.go_forward()
            page.go_back()
            wait_thank_you(page, S)
            tab = page.context.new_page()  # same browser, another tab
            tab.goto(url)
            wait_thank_you(tab, S)
            tab.close()
            # "answer again" on a shared device: a new respondent, a blank form
            page.locator(f"{skey(S, 'new')} a").click()
            page.wait_for_selector(survey_ready(S))
            assert not thank_you_shown(page, S)
        with new_page(browser, PHONE, "ar") as other:  # someone else opens the same link
            open_page(other, url, ready=survey_ready(S))
            assert not thank_you_shown(other, S), "a second browser was taken for the first"
            fill_academy(other, second)
            _ready_to_send(other)
            other.locator(SEND).click()
            wait_thank_you(other, S)
    finally:
        stop_server(server)
    stored = _stored(db_path)
    assert stored.get(first) == 1, f"the first answer is stored {stored.get(first, 0)} times"
    assert stored.get(second) == 1, "the second browser's answer is missing"
    assert len(stored) == 2, stored
