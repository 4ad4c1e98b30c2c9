"""Storage fault drills in a real browser (issue 11, item 9): the disk fills up, or the database
file turns read-only, while the app runs.

A respondent who presses send gets a clear message in their language and keeps every answer on
the page; /healthz names the cause; once the cause is gone the phone sends the same submission
again on its own (nothing pressed), shows the thank-you, and the answer is stored once. Each
drill starts its own server and is bounded in time.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from inclucities.store import quote
from inclucities.survey.loader import load_survey_definitions
from scripts.support.browser_utils import PHONE, ROOT, stop_server
from scripts.support.e2e_utils import (
    answer_again,
    catalog_text,
    exceptions_on,
    fill_academy,
    new_page,
    open_page,
    qkey,
    skey,
    start_server_in,
    submit,
    survey_ready,
    wait_thank_you,
    write_artifact,
)
from tests.fault_fs import fill_disk, require_freezable, set_immutable, small_disk

pytestmark = pytest.mark.browser

LANG = "fr"
ATTEMPTS = 20  # sends until the full disk refuses one (a few still fit in the file's blocks)
RESEND_WAIT = 150_000  # ms: the phone's retries back off up to a minute apart
THANKS = f"{skey('academy', 'thanks')}:not([hidden])"
PROBLEM = f"{skey('academy', 'problem')}:not([hidden])"
SAVED = "icf:academy:-"  # the form's localStorage entry (no live session)


def _healthz(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _stored_words(db_path: Path) -> dict[str, int]:
    survey = load_survey_definitions().surveys["academy"]
    with duckdb.connect(str(db_path), read_only=True) as conn:
        words = dict(
            conn.execute(
                f"SELECT i.text, count(*) FROM ideas i JOIN {quote(survey.table_name)} r "
                "USING (submission_id) GROUP BY i.text"
            ).fetchall()
        )
        orphans = conn.execute(
            f"SELECT count(*) FROM ideas i LEFT JOIN {quote(survey.table_name)} r "
            "USING (submission_id) WHERE r.submission_id IS NULL"
        ).fetchone()[0]
    assert orphans == 0, "an idea without its answers: half-written"
    return words


def _drill(browser, db_path: Path, break_it, repair, reason: str, name: str) -> None:
    from tests.conftest import _require_chromium

    _require_chromium()
    server = start_server_in(ROOT, db_path)
    figures: dict[str, object] = {"reason": reason}
    message = catalog_text(LANG, f"survey.unavailable.{reason}")
    try:
        url = server.page_url("survey", lang=LANG, survey="academy")
        with new_page(browser, PHONE, locale="fr-FR") as page:
            open_page(page, url, ready=survey_ready("academy"))
            fill_academy(page, "avant")
            submit(page, "academy")
            wait_thank_you(page, "academy")
            answer_again(page, "academy")

            break_it()
            refused_after = None
            for attempt in range(ATTEMPTS):
                word = f"pendant{attempt}"
                fill_academy(page, word, choice=attempt % 7)
                submit(page, "academy")
                page.wait_for_selector(f"{THANKS} .icf-receipt-code:not(:empty), {PROBLEM}")
                if page.locator(THANKS).count():
                    answer_again(page, "academy")
                    continue
                refused_after = attempt
                break
            assert refused_after is not None, f"no send was refused in {ATTEMPTS} tries"
            figures["sends_before_refusal"] = refused_after
            text = page.locator(skey("academy", "problem")).inner_text()
            figures["message"] = text
            assert text == message, f"no clear message; the form says: {text[:600]}"
            assert "Traceback" not in text and "Error" not in text
            assert not exceptions_on(page), exceptions_on(page)
            kept = page.locator(f"{qkey('academy', 'one_word')} input").input_value()
            assert kept == word, "an answer was lost"
            assert not page.locator(THANKS).count()
            # kept on the phone too (a reload or a closed tab loses nothing), waiting to be sent
            saved = page.evaluate("(k) => JSON.parse(localStorage.getItem(k) || 'null')", SAVED)
            assert saved and saved["pending"], f"the unsent answers are not on the phone: {saved}"
            assert saved["pending"]["answers"]["one_word"] == word, saved["pending"]
            assert saved["answers"]["one_word"] == word
            figures["kept_on_the_phone"] = True
            status, body = _healthz(server.url)
            figures["healthz_during"] = {"status": status, **body}
            assert status == 503 and body["database"] == reason, body

            repair()
            # nothing pressed: the phone keeps trying the same submission and gets through
            wait_thank_you(page, "academy", timeout=RESEND_WAIT)
            figures["resent_on_its_own"] = True
            status, body = _healthz(server.url)
            figures["healthz_after"] = {"status": status, **body}
            assert status == 200 and body["database"] == "ok", body
    finally:
        stop_server(server)
        write_artifact(name, figures)
    stored = _stored_words(db_path)
    figures["stored"] = stored
    write_artifact(name, figures)
    assert stored.get("avant") == 1
    assert stored.get(word) == 1, f"the resent answer is stored {stored.get(word, 0)} times"
    assert all(n == 1 for n in stored.values()), stored


def test_full_disk_gives_a_clear_message_and_keeps_the_answers(browser):
    with small_disk("24m") as disk:
        db_path = disk / "answers.duckdb"
        filler: list[Path] = []
        _drill(
            browser,
            db_path,
            break_it=lambda: filler.append(fill_disk(disk)),
            repair=lambda: filler[0].unlink(),
            reason="disk_full",
            name="fault_disk_full",
        )


def test_database_turned_read_only_mid_run_gives_a_clear_message(browser, tmp_path):
    folder = tmp_path / "frozen"
    folder.mkdir()
    require_freezable(folder)
    db_path = folder / "answers.duckdb"
    frozen = [db_path, db_path.with_name(db_path.name + ".wal"), folder]
    try:
        _drill(
            browser,
            db_path,
            break_it=lambda: set_immutable(frozen, True),
            repair=lambda: set_immutable(frozen, False),
            reason="readonly",
            name="fault_read_only",
        )
    finally:
        set_immutable(frozen, False)
