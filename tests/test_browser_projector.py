"""The projector at 1920 × 1080 after "reveal", measured in a real browser (fr, en, ar).

- every visible text on the revealed stage and on the two-session comparison is at least 24 px
  on screen (HTML: its computed size; charts: the SVG text size times the SVG's scale);
- the revealed stage with 8 answers is one screen: the stage's scrollHeight is at most 1080 and
  the page does not scroll; no visible table, no text outside the window;
- when the questions do not fit one screen they take turns ("1 / 3"), the arrow keys move
  between the screens, and every question is shown on one of them;
- the comparison names its sessions "A" and "B" (the full names once, in a key), labels its
  counts, and shows no toolbar or picker.
Screenshots go to tests/.artifacts/screens/ for review.
"""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from inclucities.i18n import translator
from inclucities.store import SurveyStore
from inclucities.survey.loader import load_survey_definitions
from scripts.support.browser_utils import PROJECTOR, running_server
from scripts.support.e2e_utils import ARTIFACTS, exceptions_on, new_page, open_page
from scripts.support.seed import seed
from scripts.support.survey_helpers import resident_answers
from tests.conftest import _require_chromium

pytestmark = pytest.mark.browser

STAGE = ".st-key-presenter_stage"
LIVE = f"{STAGE} .live"
REVEALED = f"{LIVE}[data-live-ready][data-live-revealed='true']"
SCREENS = ARTIFACTS / "screens"
WAIT = 120_000
SESSION_NAMES = ("Bruxelles, atelier du matin", "Jelgava, académie du soir")

# Every text the audience can see on the stage, with its size on screen: HTML text at its
# computed size, chart text at its SVG size times the SVG's scale. Text visually hidden for
# screen readers (a 1 px clip), folded away or hidden is not seen, so not measured.
VISIBLE_TEXTS_JS = """(root) => {
  const stage = document.querySelector(root);
  const walker = document.createTreeWalker(stage, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    const folded = '[hidden], details:not([open]) > :not(summary)';
    if (!text || !parent || parent.closest(folded)) continue;
    let clipped = false;  // inside a box clipped to a pixel (visually hidden)
    for (let box = parent; box && box !== stage; box = box.parentElement) {
      const own = getComputedStyle(box);
      if (own.overflow !== 'visible' && (box.clientWidth <= 1 || box.clientHeight <= 1)) {
        clipped = true;
      }
    }
    if (clipped) continue;
    const style = getComputedStyle(parent);
    if (style.visibility !== 'visible' || Number(style.opacity) === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // visually hidden (clipped to 1 px)
    const svgText = parent.closest('svg text');
    const size = parseFloat(style.fontSize) * (svgText ? svgText.getScreenCTM().a : 1);
    found.push({text, size, left: box.left, right: box.right, top: box.top,
                bottom: box.bottom});
  }
  return found;
}"""
# the stage's own height and every scrolling box of the page: nothing scrolls
FIT_JS = """(root) => {
  const boxes = [document.scrollingElement, ...document.querySelectorAll(
    '[data-testid="stMain"], [data-testid="stAppViewContainer"],'
    + ' [data-testid="stAppScrollToBottomContainer"]')];
  return {
    stage: document.querySelector(root).scrollHeight,
    scrolls: boxes.filter(Boolean).map((b) => b.scrollHeight - b.clientHeight),
  };
}"""
SHOWN_SECTIONS_JS = """(live) => [...document.querySelectorAll(live + ' .live-sections > section')]
  .filter((s) => !s.hidden).map((s) => s.dataset.section)"""
ALL_SECTIONS_JS = """(live) => [...document.querySelectorAll(live + ' .live-sections > section')]
  .map((s) => s.dataset.section)"""
# every table is inside a box clipped to a pixel: in the page, not on the screen
TABLES_HIDDEN_JS = """(live) => [...document.querySelectorAll(live + ' table')].every((t) => {
  const box = t.parentElement.getBoundingClientRect();
  return box.width <= 1 && box.height <= 1;
})"""
CHARTS_DRAWN_JS = """(live) => {
  const holders = [...document.querySelectorAll(
    live + ' .live-sections > section:not([hidden]) .live-vega')];
  return holders.every((h) => {
    const svg = h.querySelector('svg');
    const width = Math.floor(h.getBoundingClientRect().width);
    return svg && Math.abs(Number(svg.getAttribute('width')) - width) <= 1;
  });
}"""


def _seed_room(db) -> str:
    """8 academy answers; two resident sessions (6 then 8 answers), the second one current and
    revealed. Nobody answers "info_sources": a question still under the threshold."""
    seed(db, resident=0, academy=8)
    store = SurveyStore(db, load_survey_definitions().surveys.values())
    sessions = [store.create_session("resident", name, actor="test") for name in SESSION_NAMES]
    for session, count in zip(sessions, (6, 8), strict=True):
        for i in range(count):
            welcome = "1" if i == 0 else "45"[i % 2]
            contact = ("often", "sometimes", "rarely")[i % 3]
            answers = resident_answers(welcome=welcome, voice="24"[i % 2], contact=contact)
            lang = "ar" if i < 2 else "fr"
            store.submit(f"{session.id}-{i}", "resident", 1, lang, answers, session_id=session.id)
    for session_id in (None, sessions[1].id):
        store.set_results_revealed("resident", True, "test", session_id=session_id)
    store.close()
    return sessions[1].id


@pytest.fixture(scope="module")
def room_server(tmp_path_factory):
    _require_chromium()
    db = tmp_path_factory.mktemp("projector") / "projector.duckdb"
    _seed_room(db)
    with running_server(db) as server:
        yield server


def _shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))


def _projector_url(server, lang: str, screen: str) -> str:
    return server.page_url(
        "presenter", view="projector", survey="resident", survey_lang=lang, screen=screen, lang=lang
    )


def _small(texts: list[dict]) -> list[tuple[str, float]]:
    return [(t["text"][:60], round(t["size"], 1)) for t in texts if t["size"] < 24]


def _outside(texts: list[dict]) -> list[str]:
    """Texts not wholly inside the 1920 × 1080 window (cut at an edge)."""
    return [
        t["text"][:60]
        for t in texts
        if t["left"] < -1 or t["top"] < -1 or t["right"] > 1921 or t["bottom"] > 1081
    ]


def _charts_drawn(page) -> None:
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(CHARTS_DRAWN_JS, arg=LIVE, timeout=30_000)
    page.wait_for_timeout(300)


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_the_revealed_stage_fits_one_screen_in_pages_of_24_px_text(room_server, browser, lang):
    with new_page(browser, PROJECTOR) as page:
        open_page(page, _projector_url(room_server, lang, "live"), REVEALED, timeout=WAIT)
        page.wait_for_selector(f"{LIVE} .live-vega svg", timeout=WAIT)
        page.wait_for_function(
            f'() => document.querySelector("{LIVE}").dataset.livePages !== undefined'
        )
        _charts_drawn(page)
        assert page.locator(f"{LIVE}").get_attribute("data-live-total") == "8"
        everything = page.evaluate(ALL_SECTIONS_JS, LIVE)
        pages = int(page.locator(LIVE).get_attribute("data-live-pages") or "1")
        pager = page.locator(f"{LIVE} [data-testid='live-pager']")
        seen: list[str] = []
        for number in range(1, pages + 1):
            assert page.locator(LIVE).get_attribute("data-live-page") == str(number)
            if pages > 1:
                assert pager.is_visible()
                position = pager.locator("[aria-hidden='true']").inner_text()
                assert position.split() == [str(number), "/", str(pages)]
            _charts_drawn(page)
            _shot(page, f"projector-revealed-{lang}-{number}of{pages}")
            texts = page.evaluate(VISIBLE_TEXTS_JS, STAGE)
            assert texts
            assert _small(texts) == [], (number, _small(texts))
            assert _outside(texts) == [], (number, _outside(texts))
            fit = page.evaluate(FIT_JS, STAGE)
            assert fit["stage"] <= 1080 and max(fit["scrolls"]) <= 1, (number, fit)
            # charts, not tables: the figures stay in the page for screen readers only
            assert page.locator(f"{LIVE} table").count() > 0
            assert page.evaluate(TABLES_HIDDEN_JS, LIVE)
            seen += page.evaluate(SHOWN_SECTIONS_JS, LIVE)
            if number < pages:
                page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "([s, n]) => document.querySelector(s).dataset.livePage === String(n)",
                    arg=[LIVE, number + 1],
                )
        assert sorted(seen) == sorted(everything) and len(seen) == len(set(seen))
        # a question under the small-group threshold is one line, no table
        waiting = page.locator(f"{LIVE} [data-section='count:info_sources']")
        if pages > 1:
            page.keyboard.press("ArrowLeft" if pages > 1 else "ArrowRight")
        note = translator(lang)("results.stage_waiting", count=5)
        assert waiting.locator(".live-note").inner_text().strip() == note
        assert waiting.locator("table").count() == 0
        assert not exceptions_on(page)
        assert pages > 1, "9 questions at 24 px do not fit one screen: expected several screens"


def test_the_stage_turns_its_screens_by_itself(room_server, browser):
    with new_page(browser, PROJECTOR) as page:
        open_page(page, _projector_url(room_server, "fr", "live"), REVEALED, timeout=WAIT)
        page.wait_for_function(
            f'() => Number(document.querySelector("{LIVE}").dataset.livePages) > 1',
            timeout=WAIT,
        )
        first = page.evaluate(SHOWN_SECTIONS_JS, LIVE)
        page.wait_for_function(
            f"() => document.querySelector(\"{LIVE}\").dataset.livePage === '2'", timeout=20_000
        )
        assert page.evaluate(SHOWN_SECTIONS_JS, LIVE) != first


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_the_comparison_reads_from_the_back_of_the_room(room_server, browser, lang):
    t = translator(lang)
    with new_page(browser, PROJECTOR) as page:
        open_page(page, _projector_url(room_server, lang, "compare"), STAGE, timeout=WAIT)
        page.wait_for_selector(f"{STAGE} [data-testid='stVegaLiteChart'] svg text", timeout=WAIT)
        page.wait_for_timeout(800)  # the chart fits its width
        texts = page.evaluate(VISIBLE_TEXTS_JS, STAGE)
        assert texts
        assert _small(texts) == [], _small(texts)
        shown = page.locator(STAGE).inner_text()
        short = (t("presenter.compare.short_a"), t("presenter.compare.short_b"))
        for name in SESSION_NAMES:  # each full name once, in the key
            assert sum(name in x["text"] for x in texts) == 1, name
        for letter, count in zip(short, (6, 8), strict=True):
            assert t("presenter.compare.count", session=letter, count=count) in shown
        # nothing but the comparison: no toolbar, no picker, no visible data grid
        chrome = (
            "[data-testid='stElementToolbar'], [data-testid='stSelectbox'], "
            "[data-testid='stDataFrame'], .vega-actions"
        )
        assert not any(e.is_visible() for e in page.locator(f"{STAGE} :is({chrome})").all())
        assert page.locator(f"{STAGE} table").count() > 0  # the figures, for screen readers
        _shot(page, f"projector-compare-{lang}")
        page.screenshot(path=str(SCREENS / f"projector-compare-{lang}-full.png"), full_page=True)
        assert not exceptions_on(page)
