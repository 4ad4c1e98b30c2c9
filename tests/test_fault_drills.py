"""Fault drills in a real browser: the database locked by another process (an answer sent
meanwhile is kept on the phone and sent, once, when the lock goes); a malformed survey
definition file. Each drill starts its own server on loopback and is bounded in time."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import yaml

from scripts.support.browser_utils import DESKTOP, PHONE, stop_server
from scripts.support.e2e_utils import (
    answer_again,
    catalog_text,
    copy_project,
    exceptions_on,
    fill_academy,
    fill_resident,
    form,
    new_page,
    open_any,
    open_page,
    qkey,
    settle,
    skey,
    start_server_in,
    submit,
    survey_ready,
    thank_you_shown,
    wait_thank_you,
    write_artifact,
)

pytestmark = pytest.mark.browser

OTHER_PAGES = ["home", "map", "process", "recommendations", "privacy"]
ALERT = "[data-testid^='stAlert']"

HOLDER = """
import sys, duckdb
conn = duckdb.connect(sys.argv[1])  # a write connection: DuckDB locks the file for others
conn.execute("CREATE TABLE IF NOT EXISTS held_by_drill (x INTEGER)")
print("locked", flush=True)
sys.stdin.read()  # hold until the test closes our stdin
conn.close()
"""


def _page_state(page) -> dict:
    return {
        "heading": (
            page.locator("h1").first.inner_text().strip() if page.locator("h1").count() else ""
        ),
        "exceptions": exceptions_on(page),
        "text": page.locator("[data-testid='stMain']").inner_text(),
    }


def test_locked_database_gives_a_clear_message_and_other_pages_work(browser, tmp_path):
    from scripts.support.browser_utils import ROOT
    from tests.conftest import _require_chromium

    _require_chromium()
    db_path = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    figures: dict[str, object] = {}
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        server = start_server_in(ROOT, db_path)
        try:
            locked_text = catalog_text("en", "survey.unavailable.locked")
            with new_page(browser, PHONE) as page:
                open_page(
                    page,
                    server.page_url("survey", lang="en", survey="academy"),
                    ready=survey_ready("academy"),
                )
                state = _page_state(page)
                assert locked_text in state["text"], "no clear message on the survey page"
                assert not state["exceptions"], state["exceptions"]
                # a respondent who fills in and sends anyway keeps the answers and is told why
                fill_academy(page, "lockdrill")
                submit(page, "academy")
                problem = page.locator(skey("academy", "problem"))
                problem.wait_for(state="visible")
                assert problem.inner_text() == locked_text
                assert not thank_you_shown(page, "academy")
                kept = page.locator(f"{qkey('academy', 'one_word')} input").input_value()
                assert kept == "lockdrill", "an answer was lost"
                figures["survey_message"] = locked_text

                pages: dict[str, dict] = {}
                live_messages = {  # the page's own warning, or its live screen's notice
                    "results": catalog_text("en", "results.unavailable"),
                    "presenter": catalog_text("en", "results.unavailable_live"),
                }
                for path in [*OTHER_PAGES, *live_messages]:
                    open_any(page, server.page_url(path, lang="en"), also=ALERT)
                    state = _page_state(page)
                    pages[path] = {"heading": state["heading"], "exceptions": state["exceptions"]}
                    if path in live_messages:  # pages that need the database say so
                        page.wait_for_selector(
                            f"{ALERT}, [data-testid='stException'], .live-alert:not(:empty)"
                        )
                        shown = live_messages[path] in _page_state(page)["text"]
                        pages[path]["message_shown"] = shown
                figures["pages"] = pages

                # the lock is released, without a restart: back on the survey page, the phone
                # sends the answer it kept (nothing typed again, nothing pressed), then takes
                # new answers as usual
                holder.communicate("", timeout=30)
                open_page(
                    page,
                    server.page_url("survey", lang="en", survey="academy"),
                    ready=f"{form('academy')}[data-ready]",  # the form, or already its thanks
                )
                wait_thank_you(page, "academy", timeout=120_000)
                figures["kept_answer_sent_after_unlock"] = True
                answer_again(page, "academy")
                fill_academy(page, "afterlock")
                submit(page, "academy")
                wait_thank_you(page, "academy")
                figures["recovered_after_unlock"] = True
        finally:
            stop_server(server)
        figures["stored"] = _stored_words(db_path)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(timeout=10)
        write_artifact("fault_locked", figures)
    broken = {p: v["exceptions"][0][:300] for p, v in figures["pages"].items() if v["exceptions"]}
    empty = [p for p in OTHER_PAGES if not figures["pages"][p]["heading"]]
    silent = [p for p, v in figures["pages"].items() if v.get("message_shown") is False]
    assert not broken, f"pages crash while the database is locked: {broken}"
    assert not silent, f"pages needing the database give no clear message: {silent}"
    assert not empty, f"pages without a heading while the database is locked: {empty}"
    assert figures["stored"] == {"lockdrill": 1, "afterlock": 1}, figures["stored"]


def _stored_words(db_path) -> dict[str, int]:
    """How many times each one-word answer of the academy poll is stored (server stopped)."""
    import duckdb

    from inclucities.store import quote
    from inclucities.survey.loader import load_survey_definitions

    table = quote(load_survey_definitions().surveys["academy"].table_name)
    with duckdb.connect(str(db_path), read_only=True) as conn:
        return dict(
            conn.execute(
                f"SELECT i.text, count(*) FROM ideas i JOIN {table} r USING (submission_id) "
                "GROUP BY i.text"
            ).fetchall()
        )


def _break_academy(root) -> str:
    """Remove the Latvian text of one question: a realistic translation slip."""
    path = root / "surveys" / "definitions" / "academy.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    del data["questions"][2]["text"]["lv"]
    data["questions"][0]["options"][1]["id"] = "Not An Id!"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path.name


def test_malformed_survey_file_disables_that_survey_only(browser, tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    root = copy_project(tmp_path / "project")
    filename = _break_academy(root)
    server = start_server_in(root, tmp_path / "malformed.duckdb")
    figures: dict[str, object] = {"file": filename}
    try:
        message = catalog_text("en", "survey.definition_error")
        with new_page(browser, DESKTOP) as page:
            error_box = "[data-testid='stAlertContentError']"
            open_any(page, server.page_url("survey", lang="en", survey="academy"), also=error_box)
            page.wait_for_selector(error_box)
            figures["survey_error_page_has_heading"] = page.locator("h1").count() > 0
            state = _page_state(page)
            assert message in state["text"]
            assert not state["exceptions"]
            # the details for the site team name the file, the question and the field
            page.locator("[data-testid='stExpander'] summary").first.click()
            settle(page)
            details = page.locator("[data-testid='stExpander'] [data-testid='stCode']").inner_text()
            assert filename in details
            assert "question 'one_word', field 'text'" in details, details
            assert "lv" in details
            assert "options" in details
            assert page.locator(survey_ready("academy")).count() == 0
            figures["details"] = details

            results_message = catalog_text("en", "results.definition_error")
            open_any(page, server.page_url("results", lang="en", survey="academy"))
            page.wait_for_selector(error_box)
            assert results_message in _page_state(page)["text"]

            pages = {}
            for path in [
                "home",
                "map",
                "process",
                "recommendations",
                "results",
                "presenter",
                "privacy",
            ]:
                open_any(page, server.page_url(path, lang="en"))
                state = _page_state(page)
                pages[path] = {"heading": state["heading"], "exceptions": state["exceptions"]}
            figures["pages"] = pages
            assert not any(v["exceptions"] for v in pages.values()), pages

        # the other survey still works end to end
        started = time.monotonic()
        with new_page(browser, PHONE) as page:
            open_page(page, server.page_url("survey", lang="en"), ready=survey_ready("resident"))
            fill_resident(page, "en")
            submit(page, "resident")
            wait_thank_you(page, "resident")
        figures["resident_submitted_seconds"] = round(time.monotonic() - started, 1)
    finally:
        stop_server(server)
        write_artifact("fault_malformed", figures)
