"""The results page in a real browser: figures pushed by the server, drawn by the page.

- with 3 answers: the count and when results will appear, no chart, no stray "0.000000";
- from k answers: opinion distributions in full, small groups still "fewer than k";
- a viewer whose connection drops says so, with the time of its figures, and recovers by
  itself (the server is stopped and started again) with the answers given meanwhile;
- axe: no serious or critical violation, phone and desktop, 3 and 30 answers.
Screenshots go to tests/.artifacts/screens/ for review.
"""

from __future__ import annotations

import re

import pytest

from inclucities.store import SurveyStore
from inclucities.survey.loader import load_survey_definitions
from scripts.support.a11y_utils import blocking, describe, run_axe_settled
from scripts.support.browser_utils import DESKTOP, PHONE, running_server, start_server, stop_server
from scripts.support.e2e_utils import ARTIFACTS, exceptions_on, new_page, open_page, write_artifact
from scripts.support.seed import seed
from scripts.support.survey_helpers import resident_answers
from tests.conftest import _require_chromium

pytestmark = pytest.mark.browser

READY = ".live[data-live-ready]"
SCREENS = ARTIFACTS / "screens"
MARK_JS = "() => { window.__not_reloaded = true; }"
MARKED_JS = "() => window.__not_reloaded === true"


def reveal(db_path, *survey_ids: str) -> None:
    """Reveal the results of all sessions of these surveys, as a presenter does."""
    store = SurveyStore(db_path, load_survey_definitions().surveys.values())
    for survey_id in survey_ids:
        store.set_results_revealed(survey_id, True, actor="test")
    store.close()


@pytest.fixture(scope="module")
def results_server(tmp_path_factory):
    _require_chromium()
    db = tmp_path_factory.mktemp("results") / "results.duckdb"
    seed(db, resident=30, academy=3)
    reveal(db, "resident", "academy")  # the public sees what the presenter has revealed
    with running_server(db) as server:
        yield server


def _shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _live_text(page) -> str:
    return page.locator(".live").inner_text()


def test_three_answers_show_the_count_and_when_results_appear(results_server, browser):
    with new_page(browser, PHONE) as page:
        open_page(page, results_server.page_url("results", lang="en", survey="academy"), READY)
        assert page.locator("[data-testid='live-count']").inner_text() == "3"
        note = page.locator("[data-testid='live-note']").inner_text()
        assert note.startswith("2 more answers are needed before the results appear")
        assert page.locator(".live svg, .live table").count() == 0  # no empty axes or tables
        text = page.locator("[data-testid='stMain']").inner_text()
        assert "0.000000" not in text and "Answered" not in text
        assert re.search(r"Last updated \d", _live_text(page))
        assert not exceptions_on(page)
        _shot(page, "results-3-phone-en")


def test_opinions_are_shown_in_full_from_k_answers(results_server, browser):
    with new_page(browser, DESKTOP) as page:
        open_page(page, results_server.page_url("results", lang="en", survey="resident"), READY)
        page.wait_for_selector("[data-section='agreement'] .live-vega svg")
        table = page.locator("[data-section='agreement'] table")
        row = table.locator("tr", has_text="I feel welcome in my city.")
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == "30" and cells[1] == "1 (3%)"  # one person, shown inside 30 answers
        languages = page.locator("[data-section='profile:lang'] tr", has_text="العربية")
        assert languages.locator("td").inner_text() == "fewer than 5"  # a profile: still hidden
        assert "0.000000" not in page.locator("[data-testid='stMain']").inner_text()
        assert not exceptions_on(page)
        _shot(page, "results-30-desktop-en")
    with new_page(browser, PHONE) as page:
        open_page(page, results_server.page_url("results", lang="ar", survey="resident"), READY)
        page.wait_for_selector("[data-section='agreement'] .live-vega svg")
        # one screen of essentials; everything else folded away
        assert page.locator("details.live-more").get_attribute("open") is None
        assert page.locator(".live").get_attribute("dir") == "rtl"
        _shot(page, "results-30-phone-ar")
        # charts drawn while folded (no width) are redrawn to fit once the sections open
        page.locator("details.live-more > summary").click()
        page.wait_for_function(FOLDED_CHARTS_FIT_JS, timeout=30_000)


# every chart in the opened folded sections is as wide as its holder, to the pixel below
FOLDED_CHARTS_FIT_JS = """() => {
  const holders = [...document.querySelectorAll('details.live-more[open] .live-vega')];
  return holders.length > 0 && holders.every((h) => {
    const svg = h.querySelector('svg');
    const box = h.getBoundingClientRect().width;
    return svg && Number(svg.getAttribute('width')) === Math.floor(box);
  });
}"""


@pytest.mark.parametrize(
    ("survey", "viewport", "lang"),
    [("academy", PHONE, "fr"), ("resident", PHONE, "ar"), ("resident", DESKTOP, "en")],
)
def test_results_page_passes_axe_with_its_figures(results_server, browser, survey, viewport, lang):
    with new_page(browser, viewport) as page:
        open_page(page, results_server.page_url("results", lang=lang, survey=survey), READY)
        if survey == "resident":
            page.wait_for_selector(".live-vega svg")
        violations, _ = run_axe_settled(page)
    bad = blocking(violations)
    assert not bad, describe(bad)


def test_a_dropped_viewer_says_so_and_recovers_with_what_it_missed(tmp_path, browser):
    _require_chromium()
    db = tmp_path / "drop.duckdb"
    seed(db, resident=6, academy=0)
    server = start_server(db)
    try:
        with new_page(browser, PHONE) as page:
            open_page(page, server.page_url("results", lang="fr", survey="resident"), READY)
            assert page.locator("[data-testid='live-count']").inner_text() == "6"
            page.evaluate(MARK_JS)
            stop_server(server)  # the venue's Wi-Fi drops, or the laptop restarts the app
            page.wait_for_selector(".live[data-live-state='offline']")
            alert = page.locator(".live-alert").inner_text()
            assert alert.startswith("Connexion perdue") and re.search(r"\d\d:\d\d:\d\d", alert)
            _shot(page, "results-offline-phone-fr")
            store = SurveyStore(db, load_survey_definitions().surveys.values())
            store.submit("while-down", "resident", 1, "fr", resident_answers())  # meanwhile
            store.close()
            server = start_server(db, port=server.port)
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"live-count\"]').innerText === '7'",
                timeout=120_000,
            )
            assert page.locator(".live").get_attribute("data-live-state") == "online"
            assert page.locator(".live-alert").is_hidden()
            assert page.evaluate(MARKED_JS), "the page was reloaded"
    finally:
        stop_server(server)
    write_artifact("live_reconnect", {"count_after_reconnect": 7})
