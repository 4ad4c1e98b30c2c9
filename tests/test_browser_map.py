"""In a real browser: the map page of issue 10, and the frame around every page.

Every marker can be tapped at phone and desktop width, with its name shown; the country
outlines draw with the network blocked and nothing is fetched from outside; the cities table
reads without scrolling sideways; /home opens without "Page not found"; the language picker
sits at the top of the page on a phone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from inclucities.city_table import essential_headers
from inclucities.i18n import translator
from scripts.support.browser_utils import DESKTOP, PHONE, wait_for_app

pytestmark = pytest.mark.browser

CITIES = {
    "brussels",
    "saint-jean-de-la-ruelle",
    "mechelen",
    "capaci",
    "fuenlabrada",
    "livadia",
    "schaerbeek",
    "jelgava",
    "cemr",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Inside the map's frame: for each city marker, what sits on top at its centre, whether its
# name label shows, and what (if anything) a label or pair label covers.
MARKER_REPORT = """() => {
  const rect = (el) => el.getBoundingClientRect();
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const cover = (a, b) => a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  const shapes = [...document.querySelectorAll('.city-marker svg')].map((svg) => ({
    id: svg.closest('.city-marker').dataset.city, r: rect(svg) }));
  const labels = [...document.querySelectorAll('.city-label, .pair-label')]
    .filter((l) => getComputedStyle(l).visibility === 'visible' && rect(l).width > 0);
  return shapes.map(({ id, r }) => {
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const label = document.querySelector(`.city-marker[data-city="${id}"] .city-label`);
    const lr = rect(label);
    return {
      id,
      hit: hit && hit.closest('.city-marker') ? hit.closest('.city-marker').dataset.city : null,
      inView: x > box.left && x < box.right && y > box.top && y < box.bottom,
      labelShown: getComputedStyle(label).visibility === 'visible'
        && lr.left >= box.left && lr.right <= box.right
        && lr.top >= box.top && lr.bottom <= box.bottom,
      labelText: label.textContent.trim(),
      coveredBy: labels.filter((l) => cover(rect(l), r)).map((l) => l.textContent.trim()),
    };
  });
}"""


def map_frame(page):
    """The map component's frame, once its outlines are drawn and its labels have settled."""
    page.wait_for_selector("iframe", timeout=30_000)
    page.frame_locator("iframe").first.locator(
        ".leaflet-container[data-boundaries='drawn'][data-settled='yes']"
    ).wait_for(state="attached", timeout=30_000)
    return next(f for f in page.frames if f.query_selector(".leaflet-container"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_marker_can_be_tapped_and_is_named(live_server, browser, viewport, lang):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server.page_url("map", lang=lang))
        wait_for_app(page)
        frame = map_frame(page)
        page.locator("iframe").first.scroll_into_view_if_needed()
        report = {row["id"]: row for row in frame.evaluate(MARKER_REPORT)}
        assert set(report) == CITIES
        for city, row in report.items():
            assert row["inView"], f"{city}: marker outside the map's view"
            assert row["hit"] == city, f"{city}: a tap at its centre reaches {row['hit']}"
            assert row["labelShown"], f"{city}: its name is hidden or cut off"
            assert row["coveredBy"] == [], f"{city}: covered by {row['coveredBy']}"
        assert report["mechelen"]["labelText"] == ("Malines" if lang == "fr" else "Mechelen")
    finally:
        context.close()


def test_a_crowded_mentor_city_opens_its_own_facts_when_tapped(live_server, browser):
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    try:
        page.goto(live_server.page_url("map", lang="fr"))
        wait_for_app(page)
        frame = map_frame(page)
        page.locator("iframe").first.scroll_into_view_if_needed()
        frame.locator(".city-marker[data-city='schaerbeek'] svg").tap()
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10_000)
        assert popup.locator("h4").inner_text() == "Schaerbeek"
    finally:
        context.close()


def test_country_outlines_draw_offline_and_nothing_leaves_the_machine(live_server, browser):
    context = browser.new_context(viewport=DESKTOP)
    requested: list[str] = []

    def only_this_machine(route):
        requested.append(route.request.url)
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()  # the venue has no internet

    context.route("**/*", only_this_machine)
    page = context.new_page()
    try:
        page.goto(live_server.page_url("map", lang="fr"))
        wait_for_app(page)
        frame = map_frame(page)
        frame.wait_for_selector(".leaflet-container[data-boundaries='drawn']", timeout=30_000)
        countries = frame.locator("path.country").count()
        partners = frame.locator("path.partner-country").count()
        assert countries > 40  # Europe and its neighbours, drawn from the shipped file
        assert partners == 6  # BE, FR, IT, ES, GR, LV
        assert frame.locator("img.leaflet-tile").count() == 0  # no tiles at all
        outside = [url for url in requested if urlsplit(url).hostname not in LOCAL_HOSTS]
        assert outside == [], f"requests leaving the machine: {outside}"
        assert any(url.endswith("/app/static/geo/europe-countries.json") for url in requested)
    finally:
        context.close()


TABLE_FIT = """() => {
  const table = document.querySelector('.city-table');
  const main = document.querySelector('[data-testid="stMain"]');
  const cells = [...table.querySelectorAll('th, td')].map((c) => c.getBoundingClientRect());
  return {
    tableRight: table.getBoundingClientRect().right,
    tableWidth: table.scrollWidth,
    wrapWidth: table.parentElement.clientWidth,
    viewport: window.innerWidth,
    pageScrolls: main.scrollWidth > main.clientWidth
      || document.documentElement.scrollWidth > window.innerWidth,
    cellsOutside: cells.filter((r) => r.right > window.innerWidth + 0.5 || r.left < -0.5).length,
    headers: [...table.querySelectorAll('thead th')].map((h) => h.innerText.trim()),
  };
}"""


@pytest.mark.parametrize("width", [1280, 390, 360])
def test_city_table_essentials_read_without_scrolling_sideways(live_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.page_url("map", lang="fr"))
        wait_for_app(page)
        page.locator(".city-table").wait_for(timeout=30_000)
        fit = page.evaluate(TABLE_FIT)
        assert fit["headers"] == essential_headers(translator("fr"))  # the four essentials
        assert fit["tableWidth"] <= fit["wrapWidth"], fit
        assert fit["tableRight"] <= fit["viewport"], fit
        assert fit["cellsOutside"] == 0, fit
        assert not fit["pageScrolls"], fit
        row = page.locator(".city-table tbody tr").filter(
            has=page.locator("th", has_text="Fuenlabrada")
        )
        assert "202\u202f000" in row.inner_text()  # population, in view
        assert "Intégration sur le marché du travail" in row.inner_text()  # theme, in view
    finally:
        context.close()


def test_home_path_opens_the_home_page_without_page_not_found(live_server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(live_server.page_url("home", lang="fr"))
        wait_for_app(page)
        page.wait_for_url("**/?lang=fr", timeout=30_000)
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == "IncluCities Live"
        page.wait_for_function("() => document.documentElement.lang === 'fr'")
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator("[role='dialog']").count() == 0
    finally:
        context.close()


def test_language_picker_is_at_the_top_of_a_phone_page_and_works(live_server, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.page_url("survey", lang="ar"))
        wait_for_app(page)
        control = page.locator(".st-key-frame_lang_picker button")
        heading = page.locator("h1").first.bounding_box()
        box = control.bounding_box()
        # one compact control above the page's heading, both on the first screen (issue 26)
        assert box and box["y"] + box["height"] < heading["y"], "picker not above the heading"
        assert heading["y"] + heading["height"] <= PHONE["height"], "heading below the fold"
        assert box["height"] >= 24  # a comfortable tap target
        page.wait_for_function(
            "() => document.querySelector('.st-key-frame_lang_picker button')"
            ".getAttribute('aria-label') === 'اللغة: العربية'"
        )
        control.focus()
        page.keyboard.press("Enter")  # the menu opens from the keyboard
        menu = page.locator("[data-testid=stPopoverBody]")
        page.wait_for_function(
            "() => document.querySelectorAll("
            "'[data-testid=stPopoverBody] a[hreflang]').length === 9",
            timeout=30_000,
        )
        french = menu.locator("a[hreflang=fr]")
        assert french.get_attribute("lang") == "fr"
        arabic = menu.locator("a[hreflang=ar]")
        assert arabic.get_attribute("aria-current") == "true"
        assert arabic.get_attribute("dir") == "rtl"
        assert arabic.inner_text().strip().startswith("العربية")
        arabic_title = page.locator("h1").first.inner_text()
        french.focus()
        page.keyboard.press("Enter")  # keyboard, not only a tap
        page.wait_for_url("**lang=fr**", timeout=30_000)
        page.wait_for_function("() => document.documentElement.lang === 'fr'")
        page.wait_for_function(
            "t => document.querySelector('h1') && document.querySelector('h1').innerText !== t",
            arg=arabic_title,
        )
        assert not any("\u0600" <= ch <= "\u06ff" for ch in page.locator("h1").first.inner_text())
    finally:
        context.close()
