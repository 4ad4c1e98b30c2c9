"""A full academy in the browser: the presenter signs in and starts a session, ten respondents
join by the session's code and answer, a second session starts, and the comparison shows both.
Then the comparison at 1920×1080 in French and Arabic (screenshots in tests/.artifacts/)."""

from __future__ import annotations

import time

import pytest

from scripts.support.browser_utils import DESKTOP, PHONE, TEST_PRESENTER_PASSWORD
from scripts.support.e2e_utils import (
    ARTIFACTS,
    catalog_text,
    exceptions_on,
    fill_academy,
    key,
    new_page,
    open_page,
    settle,
    sign_in,
    submit,
    survey_ready,
    wait_thank_you,
    write_artifact,
)

pytestmark = pytest.mark.browser

CODE = ".presenter-code-value"
FULL_HD = {"width": 1920, "height": 1080}


def _start_session(page, name: str, place: str) -> str:
    """Start a session from the presenter's sidebar; returns its join code once on screen."""
    before = page.locator(CODE).first.inner_text() if page.locator(CODE).count() else ""
    field = page.locator(f"{key('presenter_session_name')} input")
    if not field.is_visible():
        page.get_by_text(catalog_text("en", "presenter.sessions.heading"), exact=True).click()
        field.wait_for(state="visible")
    page.locator(f"{key('presenter_session_name')} input").fill(name)
    page.locator(f"{key('presenter_session_place')} input").fill(place)
    page.get_by_role("button", name=catalog_text("en", "presenter.sessions.start")).click()
    settle(page)
    page.wait_for_function(
        "(old) => { const c = document.querySelector('.presenter-code-value');"
        " return c && c.innerText.trim().length === 6 && c.innerText.trim() !== old; }",
        arg=before,
    )
    return page.locator(CODE).first.inner_text().strip()


def _respondents(browser, url: str, count: int, prefix: str, session: str) -> None:
    """Phones open the code's link (the light form page) and answer; the form names the
    session it answers for."""
    for n in range(count):
        with new_page(browser, PHONE) as phone:
            open_page(phone, url, ready=survey_ready("academy"))
            assert session in phone.locator(".icf[data-survey='academy'] .icf-session").inner_text()
            fill_academy(phone, f"{prefix}{n}", choice=n % 3)
            submit(phone, "academy")
            wait_thank_you(phone, "academy")


def test_an_academy_with_two_sessions_and_their_comparison(live_server, browser):
    started = time.monotonic()
    with new_page(browser, DESKTOP) as presenter:
        sign_in(presenter, live_server.url, TEST_PRESENTER_PASSWORD, "presenter", "en")
        presenter.wait_for_selector(key("presenter_stage"))
        presenter.get_by_text(catalog_text("en", "presenter.sessions.heading"), exact=True).click()
        settle(presenter)
        presenter.wait_for_selector(f"{key('presenter_session_name')} input")
        first = _start_session(presenter, "Brussels academy, morning", "Brussels")

        _respondents(
            browser, live_server.page_url(f"j/{first}"), 10, "before", "Brussels academy, morning"
        )
        assert presenter.locator(CODE).first.inner_text().strip() == first

        second = _start_session(presenter, "Jelgava academy", "Jelgava")
        assert second != first
        _respondents(browser, live_server.page_url(f"j/{second}"), 5, "after", "Jelgava academy")

        presenter.get_by_text(catalog_text("en", "presenter.mode.compare"), exact=True).click()
        settle(presenter)
        presenter.wait_for_selector(".compare-key")
        counts = presenter.locator(".compare-key-count").all_inner_texts()
        labels = " ".join(presenter.locator(".compare-key-name").all_inner_texts())
        assert sorted(counts) == ["A: 10 answers", "B: 5 answers"]
        assert "Brussels academy, morning" in labels and "Jelgava academy" in labels
        presenter.wait_for_selector("[data-testid='stVegaLiteChart']")  # drawn after the rest
        # the table alternative, folded away on the presenter's own screen
        presenter.wait_for_selector(".st-key-presenter_stage [data-testid='stExpander']")
        assert not exceptions_on(presenter)
    elapsed = time.monotonic() - started

    shots = {}
    for lang in ("fr", "ar"):
        with new_page(browser, FULL_HD) as screen:
            open_page(
                screen,
                live_server.page_url("presenter", lang=lang, survey="academy", screen="compare"),
                ready="[data-testid='stVegaLiteChart']",
            )
            screen.wait_for_timeout(800)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            path = ARTIFACTS / f"compare-{lang}-1920.png"
            screen.screenshot(path=str(path), full_page=True)
            shots[lang] = str(path)
            assert not exceptions_on(screen)
    write_artifact("e2e_sessions", {"seconds": round(elapsed, 1), "screenshots": shots})
