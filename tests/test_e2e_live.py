"""Live pages in separate browser contexts: results and presenter update without a reload;
admin signs in, approves an idea that then shows on the presenter's wall; CSV export."""

from __future__ import annotations

import csv
import io
import re
import urllib.error
import urllib.request
import uuid

import pytest

from scripts.support.browser_utils import (
    DESKTOP,
    PHONE,
    TEST_ADMIN_PASSWORD,
    TEST_PRESENTER_PASSWORD,
)
from scripts.support.e2e_utils import (
    exceptions_on,
    fill_academy,
    key,
    new_page,
    open_page,
    pick_st_radio,
    settle,
    sign_in,
    submit,
    survey_ready,
    wait_thank_you,
    write_artifact,
)

pytestmark = pytest.mark.browser

MARK_JS = "() => { window.__e2e_no_reload = true; }"
MARKED_JS = "() => window.__e2e_no_reload === true"


COUNT = "[data-testid='live-count']"  # the live count, drawn from the pushed summary


def _metric(page) -> int:
    text = page.locator(COUNT).first.inner_text()
    digits = re.sub(r"\D", "", text)
    assert digits, f"no number in the live count {text!r}"
    return int(digits)


def _wait_metric(page, at_least: int, timeout: float = 45_000) -> None:
    page.wait_for_function(
        """(n) => { const m = document.querySelector('[data-testid="live-count"]');
            return m && parseInt(m.innerText.replace(/\\D/g, ''), 10) >= n; }""",
        arg=at_least,
        timeout=timeout,
    )


def _submit_academy(browser, url: str, word: str, choice: int = 0) -> None:
    with new_page(browser, PHONE) as page:
        open_page(page, url, ready=survey_ready("academy"))
        fill_academy(page, word, choice=choice)
        submit(page, "academy")
        wait_thank_you(page, "academy")


def test_results_and_presenter_update_without_reload(live_server, browser):
    survey_url = live_server.page_url("survey", lang="en", survey="academy")
    with new_page(browser, DESKTOP) as results, new_page(browser, DESKTOP) as presenter:
        open_page(
            results,
            live_server.page_url("results", lang="en", survey="academy"),
            ready=f".live[data-live-ready] {COUNT}",
        )
        open_page(
            presenter,
            live_server.page_url("presenter", lang="en"),
            ready=f".st-key-presenter_stage .live[data-live-ready] {COUNT}",
        )
        before_results, before_presenter = _metric(results), _metric(presenter)
        results.evaluate(MARK_JS)
        presenter.evaluate(MARK_JS)
        _submit_academy(browser, survey_url, f"live{uuid.uuid4().hex[:8]}")
        _wait_metric(results, before_results + 1)
        _wait_metric(presenter, before_presenter + 1)
        assert results.evaluate(MARKED_JS) and presenter.evaluate(MARKED_JS), "a page reloaded"
        assert not exceptions_on(results) and not exceptions_on(presenter)
        figures = {
            "results": [before_results, _metric(results)],
            "presenter": [before_presenter, _metric(presenter)],
        }
    write_artifact("e2e_live", figures)


def _admin_login(page, url: str) -> None:
    base = url.split("/admin", 1)[0]
    sign_in(page, base, TEST_ADMIN_PASSWORD, "admin", "en", key("admin_survey"))


def _open_section(page, index: int) -> None:
    """Pick one admin section (status, moderation, export, data, audit) by its position."""
    page.locator(f"{key('admin_section')} button").nth(index).click()
    settle(page)


def test_admin_approves_an_idea_that_shows_on_the_wall(live_server, browser):
    # a few words: a one-word answer lives in the word cloud, not on the wall's cards
    word = f"wall idea {uuid.uuid4().hex[:10]}"
    _submit_academy(browser, live_server.page_url("survey", lang="fr", survey="academy"), word, 2)
    with new_page(browser, DESKTOP) as admin, new_page(browser, DESKTOP) as wall:
        # the presenter's wall is open before the idea is approved, and is not reloaded
        sign_in(wall, live_server.url, TEST_PRESENTER_PASSWORD, "presenter", "en")
        open_page(wall, live_server.page_url("presenter", lang="en"), ready=key("presenter_mode"))
        pick_st_radio(wall, key("presenter_mode"), 1)  # live, wall, slides
        wall.evaluate(MARK_JS)
        wall.wait_for_selector(".live--wall[data-live-ready]")
        assert wall.locator(".live-idea", has_text=word).count() == 0  # pending: not shown
        _admin_login(admin, live_server.page_url("admin", lang="en"))
        _open_section(admin, 1)  # moderation, pending ideas
        card = admin.locator("[data-testid='stVerticalBlock']", has_text=word).last
        approve = card.locator("[class*='st-key-approve_'] button")
        approve.wait_for()
        approve.click()
        settle(admin)
        admin.wait_for_function(
            "(w) => !document.querySelector('[data-testid=stMain]').innerText.includes(w)",
            arg=word,
        )
        wall.locator(".live-idea", has_text=word).wait_for(timeout=45_000)
        assert wall.evaluate(MARKED_JS), "the wall reloaded"
        assert not exceptions_on(admin) and not exceptions_on(wall)


def test_csv_export_downloads_every_response(live_server, browser, tmp_path):
    words = [f"csv{uuid.uuid4().hex[:8]}", "=HYPERLINK(1)"]  # the second must be neutralised
    for i, word in enumerate(words):
        _submit_academy(
            browser, live_server.page_url("survey", lang="en", survey="academy"), word, i
        )
    with new_page(browser, DESKTOP) as admin:
        _admin_login(admin, live_server.page_url("admin", lang="en"))
        _open_section(admin, 2)  # export
        link = admin.locator("a[data-export='csv']")
        link.wait_for()
        with admin.expect_download(timeout=60_000) as info:
            link.click()
        download = info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        export_url = live_server.url + str(link.get_attribute("href"))
    # the same link, fetched without the admin browser's cookie, is refused
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(export_url, timeout=10)
    assert refused.value.code in (403, 404)
    raw = path.read_bytes()
    assert download.suggested_filename == "inclucities_academy_responses.csv"
    assert raw.startswith(b"\xef\xbb\xbf"), "the Excel BOM is on by default"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows, "empty export"
    header = list(rows[0])
    for column in ("submission_id", "lang", "first_recommendation", "one_word"):
        assert column in header, header
    assert any(c.startswith("readiness.") for c in header), header
    ids = [r["submission_id"] for r in rows]
    assert len(ids) == len(set(ids)), "a submission is exported twice"
    by_word = {r["one_word"]: r for r in rows}
    assert words[0] in by_word
    assert by_word[words[0]]["first_recommendation"] == "whole-community"
    assert "'=HYPERLINK(1)" in by_word, "a formula was exported as a formula"
    write_artifact(
        "e2e_export",
        {"file": download.suggested_filename, "rows": len(rows), "columns": header},
    )
