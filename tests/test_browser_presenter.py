"""The presenter screen in real browsers, served as at a venue (listening on the network).

- a phone opens the link shown under the QR code (the presenter opened the page on 127.0.0.1,
  yet the link is the machine's network address), answers, and the projector counts it without
  a reload;
- the QR code encodes exactly the link shown, never a loopback address;
- a reveal on the controls device reaches the projector view by itself; chart text on the
  projector measures at least 24 px on screen (from the rendered SVG); no chart toolbar;
- axe: no serious or critical violation on any presenter screen, in English and Arabic.
Timings go to tests/.artifacts (not asserted); screenshots to tests/.artifacts/screens/.
"""

from __future__ import annotations

import base64
import contextlib
import re
import time
from urllib.parse import urlsplit

import pytest
import segno
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from inclucities.network import is_loopback, network_address
from inclucities.presenter import MODES
from inclucities.share import join_code_for
from scripts.support.a11y_utils import blocking, describe, run_axe_settled
from scripts.support.browser_utils import (
    PHONE,
    PROJECTOR,
    TEST_PRESENTER_PASSWORD,
    start_server,
    stop_server,
)
from scripts.support.e2e_utils import (
    ARTIFACTS,
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
from scripts.support.seed import seed
from tests.conftest import _require_chromium

pytestmark = pytest.mark.browser

READY = ".st-key-presenter_stage .live[data-live-ready]"
COUNT = ".st-key-presenter_stage [data-testid='live-count']"
LINK = ".st-key-presenter_stage [data-testid='presenter-link']"
SCREENS = ARTIFACTS / "screens"
WAIT = 120_000

# Effective size on screen of every text drawn in the projector's charts: font size times
# the SVG's scale, measured by the browser.
SVG_TEXT_SIZES_JS = """() => Array.from(document.querySelectorAll(
    '.st-key-presenter_stage .live-vega svg text')).filter(t => t.textContent.trim())
  .map(t => [t.textContent.trim(),
             parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a])"""
# every chart text drawn at 24 px or more: the charts have finished (re)drawing at their width
CHARTS_SETTLED_JS = (
    "() => { const sizes = (" + SVG_TEXT_SIZES_JS + ")(); "
    "return sizes.length > 0 && sizes.every(([, size]) => size >= 24); }"
)
HTML_TEXT_SIZES_JS = """() => Array.from(document.querySelectorAll(
    '.st-key-presenter_stage .live-legend li, .st-key-presenter_stage .live-title,'
    + '.st-key-presenter_stage .live-status, .st-key-presenter_stage .live-table-details summary'))
  .map(e => [e.innerText.trim(), parseFloat(getComputedStyle(e).fontSize)])"""


@pytest.fixture(scope="module")
def venue_server(tmp_path_factory):
    """The app listening on every interface, as `streamlit run app.py` does by default."""
    _require_chromium()
    if network_address() is None:
        pytest.skip("this machine has no network address to serve phones on")
    db = tmp_path_factory.mktemp("venue") / "venue.duckdb"
    seed(db, resident=0, academy=9)
    server = start_server(db, address="0.0.0.0")
    try:
        yield server
    finally:
        stop_server(server)


def _count(page) -> int:
    return int(re.sub(r"\D", "", page.locator(COUNT).inner_text()))


def _shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))


def _presenter_url(server, **query: str) -> str:
    return server.page_url("presenter", **query)


def test_the_qr_never_points_to_loopback_and_encodes_the_link_shown(venue_server, browser):
    with new_page(browser, PROJECTOR) as presenter:
        sign_in(presenter, venue_server.url, TEST_PRESENTER_PASSWORD, "presenter", "en")
        open_page(presenter, _presenter_url(venue_server, lang="en"), READY)
        assert urlsplit(presenter.url).hostname == "127.0.0.1"  # opened on this computer
        link = presenter.locator(LINK).inner_text().strip()
        host = urlsplit(link).hostname
        assert host == network_address() and not is_loopback(host)
        assert link == f"http://{host}:{venue_server.port}/j/{join_code_for('academy', 'en')}"
        # the QR image is the QR of exactly that link
        src = presenter.locator(".st-key-presenter_stage img.join-qr").get_attribute("src")
        svg = base64.b64decode((src or "").split(",", 1)[1]).decode("utf-8")
        path = segno.make(link, error="m", micro=False).svg_inline(scale=10, border=4)
        assert path.split(' d="', 1)[1].split('"', 1)[0] in svg
        notice = presenter.locator(".presenter-join-notice").inner_text()
        assert host in notice  # and the screen says where the address comes from
        code = presenter.locator("[data-testid='presenter-code']").inner_text()
        assert join_code_for("academy", "en") in code
        # the link wraps only between its parts (break opportunities), never inside a word
        wrapping = presenter.evaluate(
            "(s) => { const c = getComputedStyle(document.querySelector(s));"
            " return [c.overflowWrap, c.wordBreak]; }",
            LINK,
        )
        assert wrapping == ["normal", "normal"]
        assert presenter.locator(f"{LINK} wbr").count() >= 3


def test_a_phone_answer_reaches_the_projector_without_reload(venue_server, browser):
    with new_page(browser, PROJECTOR) as presenter:
        open_page(presenter, _presenter_url(venue_server, lang="en"), READY)
        link = presenter.locator(LINK).inner_text().strip()
        before = _count(presenter)
        presenter.evaluate("() => { window.__sameDocument = true; }")  # gone if it reloads
        with new_page(browser, PHONE) as phone:
            open_page(phone, link, ready=survey_ready("academy"))  # the link shown, as scanned
            fill_academy(phone, word="Trust")
            submit(phone, "academy")
            wait_thank_you(phone, "academy")
            stored_at = time.monotonic()
            assert not exceptions_on(phone)
        presenter.wait_for_function(
            "([sel, n]) => { const el = document.querySelector(sel);"
            " return el && parseInt(el.innerText.replace(/\\D/g, ''), 10) === n; }",
            arg=[COUNT, before + 1],
            timeout=WAIT,
        )
        seconds = time.monotonic() - stored_at
        assert presenter.evaluate("() => window.__sameDocument === true"), "the page reloaded"
        assert not exceptions_on(presenter)
    write_artifact("presenter_live_update", {"seconds_to_show_new_answer": round(seconds, 2)})


def _hide_toggle(page):
    return page.locator(f"{key('presenter_hide_results')} label").first


def _charts_settle(page) -> None:
    """Give the charts time to finish drawing (a slow machine); the sizes are asserted after."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(CHARTS_SETTLED_JS, timeout=30_000)


def test_a_reveal_reaches_the_projector_and_its_text_is_24_px(venue_server, browser):
    with new_page(browser, PROJECTOR) as projector, new_page(browser) as controls:
        open_page(
            projector,
            _presenter_url(
                venue_server, lang="en", view="projector", survey="academy", screen="live"
            ),
            READY,
        )
        assert projector.locator("[data-testid='stSidebar']").is_hidden()
        projector.evaluate("() => { window.__sameDocument = true; }")
        sign_in(controls, venue_server.url, TEST_PRESENTER_PASSWORD, "presenter", "en")
        open_page(controls, _presenter_url(venue_server, lang="en"), key("presenter_hide_results"))
        if projector.locator(".live[data-live-revealed='true']").count():
            _hide_toggle(controls).click()  # start from hidden
            settle(controls)
            projector.wait_for_selector(".live[data-live-revealed='false']", timeout=WAIT)
        assert projector.locator(".st-key-presenter_stage .live-vega svg").count() == 0
        _hide_toggle(controls).click()  # reveal, on the presenter's own device
        started = time.monotonic()
        settle(controls)
        projector.wait_for_selector(".live[data-live-revealed='true'] .live-vega svg", timeout=WAIT)
        seconds = time.monotonic() - started
        _charts_settle(projector)
        assert projector.evaluate("() => window.__sameDocument === true"), "the page reloaded"
        svg_sizes = projector.evaluate(SVG_TEXT_SIZES_JS)
        html_sizes = projector.evaluate(HTML_TEXT_SIZES_JS)
        assert svg_sizes and html_sizes
        small = [(text, round(size, 1)) for text, size in svg_sizes + html_sizes if size < 24]
        assert small == [], small
        assert (
            projector.locator(
                ".st-key-presenter_stage [data-testid='stElementToolbar'], .vega-actions"
            ).count()
            == 0
        )
        _shot(projector, "presenter-projector-live-en")
        # the stage narrows without a window resize (a layout change): charts redraw to fit,
        # rather than being scaled down by CSS with their labels
        projector.evaluate(
            "() => { document.querySelector('.st-key-presenter_stage').style.maxWidth = '1100px'; }"
        )
        _charts_settle(projector)
        narrowed = projector.evaluate(SVG_TEXT_SIZES_JS)
        assert narrowed and [(t, round(size, 1)) for t, size in narrowed if size < 24] == []
    write_artifact(
        "presenter_reveal",
        {
            "seconds_reveal_to_projector": round(seconds, 2),
            "smallest_svg_text_px": round(min(size for _, size in svg_sizes), 1),
            "smallest_html_text_px": round(min(size for _, size in html_sizes), 1),
        },
    )


# every widget that could change what a screen shows (the page's own language picker and menu
# change only the visitor's own page)
CONTROLS = (
    ", ".join(
        f"[data-testid='{kind}']"
        for kind in (
            "stToggle",
            "stSelectbox",
            "stRadio",
            "stExpander",
            "stForm",
            "stTextInput",
            "stDateInput",
            "stCheckbox",
            "stSegmentedControl",
        )
    )
    + ", .st-key-presenter_reveal, .st-key-presenter_session_close"
)


def test_nobody_signed_out_can_change_a_screen_and_a_presenter_can(venue_server, browser):
    stage_urls = [
        _presenter_url(venue_server, lang="en"),
        _presenter_url(venue_server, lang="en", view="projector", survey="academy"),
        _presenter_url(venue_server, lang="ar", survey="academy", screen="wall"),
    ]
    with new_page(browser, PROJECTOR) as visitor:
        for url in stage_urls:
            open_page(visitor, url, READY)
            found = visitor.locator(CONTROLS)
            names = [
                found.nth(i).evaluate("e => e.outerHTML.slice(0, 120)")
                for i in range(found.count())
            ]
            assert names == [], (url, names)
        # the audience's screen: no language picker, no technical notice
        open_page(visitor, stage_urls[1], READY)
        assert visitor.locator(".st-key-language_bar").count() == 0
        assert visitor.locator(".presenter-join-notice").count() == 0
        # the menu does not offer the presenter's page to the public
        open_page(visitor, venue_server.page_url("", lang="en"))
        assert visitor.locator("[data-testid='stSidebarNav'] a[href$='/presenter']").count() == 0
        _shot(visitor, "presenter-signed-out-en")
    with new_page(browser, PROJECTOR) as presenter:
        sign_in(presenter, venue_server.url, TEST_PRESENTER_PASSWORD, "presenter", "en")
        presenter.wait_for_selector(key("presenter_hide_results"))
        # read the state only once the stage has drawn it (an earlier test may have revealed)
        presenter.wait_for_selector(".live[data-live-revealed]", timeout=WAIT)
        settle(presenter)
        assert presenter.locator("[data-testid='stSidebarNav'] a[href$='/presenter']").count() == 1
        before = presenter.locator(".live[data-live-revealed='true']").count() > 0
        _hide_toggle(presenter).click()
        settle(presenter)
        presenter.wait_for_selector(
            f".live[data-live-revealed='{'false' if before else 'true'}']", timeout=WAIT
        )
        _hide_toggle(presenter).click()  # back as it was, for the other tests
        settle(presenter)
        presenter.wait_for_selector(
            f".live[data-live-revealed='{'true' if before else 'false'}']", timeout=WAIT
        )
        _shot(presenter, "presenter-signed-in-en")


def test_enter_on_the_projector_shows_and_hides_the_results_for_a_presenter(venue_server, browser):
    url = _presenter_url(venue_server, lang="en", view="projector", survey="academy")
    with new_page(browser, PROJECTOR) as page:
        sign_in(page, venue_server.url, TEST_PRESENTER_PASSWORD, "presenter", "en")
        open_page(page, url, READY)
        page.wait_for_selector(".live[data-live-revealed]", timeout=WAIT)
        assert page.locator(CONTROLS).count() == 0  # nothing in sight on the big screen
        before = page.locator(".live[data-live-revealed='true']").count() > 0
        for revealed in (not before, before):
            page.keyboard.press("Enter")
            page.wait_for_selector(
                f".live[data-live-revealed='{str(revealed).lower()}']", timeout=WAIT
            )


def _audit(page, name: str) -> list[str]:
    violations, _ = run_axe_settled(page)
    _shot(page, name)
    bad = blocking(violations)
    return [f"{name}:\n{describe(bad)}"] if bad else []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_presenter_screen_passes_axe(venue_server, browser, lang):
    problems: list[str] = []
    with new_page(browser, PROJECTOR) as page:
        sign_in(page, venue_server.url, TEST_PRESENTER_PASSWORD, "presenter", lang)
        open_page(page, _presenter_url(venue_server, lang=lang), READY)
        if lang == "ar":
            page.locator(f"{key('presenter_lang')} input").click()
            page.locator("[role='option']", has_text="العربية").click()
            settle(page)
            page.wait_for_selector(".live[lang='ar'][data-live-ready]")
        problems += _audit(page, f"presenter-join-{lang}")
        revealed = page.locator(".live[data-live-revealed='true']").count() > 0
        if not revealed:
            _hide_toggle(page).click()
            settle(page)
        page.wait_for_selector(".live[data-live-revealed='true'] .live-vega svg", timeout=WAIT)
        problems += _audit(page, f"presenter-live-{lang}")
        pick_st_radio(page, key("presenter_mode"), MODES.index("wall"))
        page.wait_for_selector(".live--wall[data-live-ready]")
        problems += _audit(page, f"presenter-wall-{lang}")
        pick_st_radio(page, key("presenter_mode"), MODES.index("compare"))
        # two sessions side by side, or (none started here) the note that two are needed
        page.wait_for_selector(
            f"{key('presenter_compare_ltr')}, {key('presenter_compare_rtl')}, "
            ".st-key-presenter_stage [data-testid='stAlertContentInfo']"
        )
        problems += _audit(page, f"presenter-compare-{lang}")
        pick_st_radio(page, key("presenter_mode"), MODES.index("slides"))
        page.wait_for_selector(key("presenter_next"))
        problems += _audit(page, f"presenter-slides-{lang}")
    with new_page(browser, PROJECTOR) as page:
        url = _presenter_url(
            venue_server, lang=lang, view="projector", survey="academy", survey_lang=lang
        )
        open_page(page, url, READY)
        problems += _audit(page, f"presenter-projector-{lang}")
    assert not problems, "\n".join(problems)
