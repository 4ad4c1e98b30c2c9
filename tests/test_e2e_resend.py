"""Issues 16 and 21: an answer is stored once, whatever the browser or the server does.

The form keeps the answers on the phone until the server acknowledges them, and every resend
is the same submission (the phone's secret). Each test runs its own server (real
`streamlit run app.py`) on its own database, answers the academy poll with a unique word, and
reads the database once the server is stopped:

- the server is killed with SIGKILL the moment the answer is committed (before the thank-you
  reaches the phone) and restarted on the same port: the phone resends on its own, shows the
  thank-you with the receipt of the stored answer, and the answer is stored once;
- Send is pressed while the server is down: the phone says it will send, and sends on its own
  once the server is back; stored once;
- a reload while the answer is still unsent keeps it and sends it, once, when the connection
  is back;
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

from inclucities.i18n import translator
from inclucities.receipt import normalise, receipt_hash
from scripts.support.browser_utils import PHONE, start_server, stop_server
from scripts.support.e2e_utils import (
    answer_again,
    fill_academy,
    go_to,
    new_page,
    open_page,
    qkey,
    receipt_shown,
    skey,
    survey_ready,
    thank_you_shown,
    wait_thank_you,
    write_artifact,
)
from scripts.support.survey_helpers import SURVEYS

pytestmark = pytest.mark.browser

S = "academy"
SEND = skey(S, "submit")
PROBLEM = skey(S, "problem")
RESTART_WAIT = 120_000  # ms: a restart on two shared cores, then the phone's next retry


def _stored(db_path: Path) -> dict[str, list[str]]:
    """The receipt hashes stored for each one-word answer (the server must be stopped)."""
    table = SURVEYS[S].table_name
    with duckdb.connect(str(db_path), read_only=True) as conn:
        rows = conn.execute(
            f'SELECT i.text, r.receipt_hash FROM ideas i JOIN "{table}" r USING (submission_id) '
            "WHERE i.survey_id = ?",
            [S],
        ).fetchall()
        submissions, distinct = conn.execute(
            f'SELECT count(*), count(DISTINCT submission_id) FROM "{table}"'
        ).fetchone()
    assert submissions == distinct == len(rows), (submissions, distinct, len(rows))
    found: dict[str, list[str]] = {}
    for text, hashed in rows:
        found.setdefault(text, []).append(hashed)
    return found


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


def _receipt(page) -> str:
    code = normalise(receipt_shown(page, S))
    assert code, f"no receipt code on the thank-you: {receipt_shown(page, S)!r}"
    return code


def _check_once(stored: dict[str, list[str]], words: dict[str, str], receipts: dict[str, str]):
    for case, word in words.items():
        hashes = stored.get(word, [])
        assert len(hashes) == 1, f"{case}: stored {len(hashes)} times"
        if case in receipts:  # the receipt the phone shows is the stored answer's
            assert hashes[0] == receipt_hash(receipts[case]), f"{case}: another receipt"


def test_kill_during_send_then_resend_stores_once(browser, tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    db_path = tmp_path / "resend.duckdb"
    server = start_server(db_path)
    words: dict[str, str] = {}
    receipts: dict[str, str] = {}
    figures: dict[str, object] = {}
    try:
        # 1. killed the moment the answer is committed, before the thank-you is shown (the form
        #    mounted in the Streamlit survey page)
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
            figures["wal_written_before_kill"] = _wal_state(db_path) != before
            figures["thank_you_before_kill"] = thank_you_shown(page, S)
            server = start_server(db_path, port=server.port)
            # nothing pressed: the phone sends the same submission again by itself
            wait_thank_you(page, S, timeout=RESTART_WAIT)
            receipts["committed"] = _receipt(page)
            figures["thank_you_after_restart"] = True

        # 2. Send pressed while the server is down (the light page): the phone says so, keeps
        #    the answers and sends them once the server is back
        with new_page(browser, PHONE, "uk-UA") as page:
            open_page(page, server.page_url(f"answer/{S}", lang="uk"), ready=survey_ready(S))
            words["offline"] = _word()
            fill_academy(page, words["offline"])
            _ready_to_send(page)
            _kill(server)
            page.locator(SEND).click()
            problem = page.locator(PROBLEM)
            problem.wait_for(state="visible")
            figures["offline_notice"] = problem.inner_text()
            assert figures["offline_notice"] == translator("uk")("survey.offline_send")
            assert not thank_you_shown(page, S)
            server = start_server(db_path, port=server.port)
            wait_thank_you(page, S, timeout=RESTART_WAIT)
            receipts["offline"] = _receipt(page)
    finally:
        stop_server(server)
    stored = _stored(db_path)
    write_artifact(
        "resend", {**figures, "stored": {k: len(stored.get(w, [])) for k, w in words.items()}}
    )
    _check_once(stored, words, receipts)


def test_a_reload_while_unsent_keeps_the_answer_and_sends_it_once(browser, tmp_path):
    """The connection to the answers route is lost (the venue's Wi-Fi), Send is pressed, the
    page is reloaded: the answers come back from the phone's storage, the page says it is
    sending them, and they arrive once the connection is back."""
    from tests.conftest import _require_chromium

    _require_chromium()
    db_path = tmp_path / "reload-unsent.duckdb"
    server = start_server(db_path)
    word = _word()
    tries: list[str] = []
    try:
        with new_page(browser, PHONE, "es-ES") as page:
            url = server.page_url(f"answer/{S}", lang="es")
            open_page(page, url, ready=survey_ready(S))
            fill_academy(page, word)
            _ready_to_send(page)

            def lost(route) -> None:
                tries.append(route.request.url)
                route.abort("internetdisconnected")

            page.route("**/api/answers?*", lost)
            page.locator(SEND).click()
            page.locator(PROBLEM).wait_for(state="visible")
            page.reload()
            page.wait_for_selector(survey_ready(S))
            page.wait_for_function(
                "(t) => document.querySelector('.icf-restored').textContent === t",
                arg=translator("es")("survey.form.resending"),
            )
            assert not thank_you_shown(page, S)
            assert len(tries) >= 2, tries  # sent again after the reload, by itself
            page.unroute("**/api/answers?*")
            wait_thank_you(page, S, timeout=RESTART_WAIT)
            receipt = _receipt(page)
    finally:
        stop_server(server)
    _check_once(_stored(db_path), {"reloaded": word}, {"reloaded": receipt})


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
            receipt = receipt_shown(page, S)
            page.reload()
            wait_thank_you(page, S)  # the thank-you again, not a blank form
            assert receipt_shown(page, S) == receipt
            assert not page.locator(SEND).is_visible()
            open_page(page, server.page_url("results", survey=S, lang="ar"))
            page.go_back()
            wait_thank_you(page, S)
            page.go_forward()
            page.go_back()
            wait_thank_you(page, S)
            tab = page.context.new_page()  # same browser, another tab
            tab.goto(url)
            wait_thank_you(tab, S)
            assert receipt_shown(tab, S) == receipt
            tab.close()
            # "answer again" on a shared device: a new respondent, a blank form
            answer_again(page, S)
            assert not thank_you_shown(page, S)
            assert page.locator(f"{qkey(S, 'one_word')} input").input_value() == ""
        with new_page(browser, PHONE, "ar") as other:  # someone else opens the same link
            open_page(other, url, ready=survey_ready(S))
            assert not thank_you_shown(other, S), "a second browser was taken for the first"
            fill_academy(other, second)
            _ready_to_send(other)
            other.locator(SEND).click()
            wait_thank_you(other, S)
            assert receipt_shown(other, S) != receipt
    finally:
        stop_server(server)
    stored = _stored(db_path)
    assert len(stored.get(first, [])) == 1, f"the first answer is stored {stored.get(first)}"
    assert len(stored.get(second, [])) == 1, "the second browser's answer is missing"
    assert len(stored) == 2, stored
