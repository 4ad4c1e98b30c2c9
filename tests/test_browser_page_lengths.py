"""On a phone (390x844) in fr and ar, the process and recommendations pages are stepped: every
part starts within four screens and opens with one tap or from its link (?part=, ?stage=,
?rec=); the timeline answers a tap; the console shows no Vega warning and no error."""

from __future__ import annotations

from html import unescape

import pytest

from inclucities.i18n import translator
from inclucities.process import PROCESS_PARTS, default_stages
from inclucities.recommendations import RECS_PARTS, default_recommendations
from scripts.support.browser_utils import PHONE
from scripts.support.e2e_utils import new_page, open_any, settle

pytestmark = pytest.mark.browser

SCREEN = PHONE["height"]
# Budgets, in px from the top of the page on a 390x844 phone:
PART_START_BUDGET = 4 * SCREEN  # the sources list (the last part) starts within four screens
PANEL_BUDGET = 3 * SCREEN  # an open part (one stage, one recommendation, ...) is at most three
LANGS = ["fr", "ar"]

# Where an element starts and how tall it is, in px from the top of Streamlit's scrolling main.
GEOMETRY_JS = """(selector) => {
    const main = document.querySelector('[data-testid="stMain"]');
    const el = document.querySelector(selector);
    if (!main || !el) return null;
    const box = el.getBoundingClientRect();
    const top = box.top - main.getBoundingClientRect().top + main.scrollTop;
    return {top: top, height: box.height};
}"""
OPEN_PANEL = "[data-testid='stTabs'] [role='tabpanel']:not([hidden])"


class Console:
    """Every console message of a page; Vega logs its warnings as 'WARN …'."""

    def __init__(self, page) -> None:
        self.messages: list[tuple[str, str]] = []
        page.on("console", lambda m: self.messages.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.messages.append(("error", str(e))))

    def problems(self) -> list[str]:
        return [
            f"{kind}: {text[:300]}"
            for kind, text in self.messages
            if kind == "error" or "WARN" in text or "vega" in text.lower()
        ]


def _geometry(page, selector: str) -> dict[str, float]:
    found = page.evaluate(GEOMETRY_JS, selector)
    assert found is not None, f"{selector} is not on the page"
    return found


def _open_tab(page) -> str:
    return page.locator("[data-testid='stTabs'] [role='tab'][aria-selected='true']").inner_text()


def _check_part(page, base_url: str, path: str, lang: str, part: str, label: str) -> None:
    open_any(page, f"{base_url}/{path}?lang={lang}&part={part}", also="#sources")
    page.locator("#sources").wait_for()
    assert _open_tab(page).strip() == label  # the link opened that part
    if part == "timeline":
        page.locator("[data-testid='stVegaLiteChart'] svg").first.wait_for()
        page.wait_for_timeout(800)  # Vega logs while it draws
    panel = _geometry(page, OPEN_PANEL)
    assert panel["height"] <= PANEL_BUDGET, f"{path} {part}: {panel['height']} px"
    sources = _geometry(page, "#sources")
    assert sources["top"] <= PART_START_BUDGET, f"{path} {part}: sources at {sources['top']} px"
    tabs = _geometry(page, "[data-testid='stTabs']")
    assert tabs["top"] <= 2 * SCREEN  # every part is one tap away, near the top


@pytest.mark.parametrize("lang", LANGS)
def test_every_process_part_fits_a_phone_and_opens_from_its_link(live_server, browser, lang):
    t = translator(lang)
    with new_page(browser, PHONE) as page:
        console = Console(page)
        for part in PROCESS_PARTS:
            _check_part(page, live_server.url, "process", lang, part, t(f"process.part.{part}"))
        assert console.problems() == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_recommendations_part_fits_a_phone(live_server, browser, lang):
    t = translator(lang)
    with new_page(browser, PHONE) as page:
        console = Console(page)
        for part in RECS_PARTS:
            label = t(f"recommendations.part.{part}")
            _check_part(page, live_server.url, "recommendations", lang, part, label)
        assert console.problems() == []


def _stage_heading(page) -> str:
    return page.locator(".ic-stage h3").first.inner_text().strip()


@pytest.mark.parametrize("lang", LANGS)
def test_a_stage_link_opens_that_stage_and_one_tap_opens_any_other(live_server, browser, lang):
    stages = default_stages()

    def title(number: int) -> str:
        return unescape(stages[number - 1].title.as_dict()[lang])

    with new_page(browser, PHONE) as page:
        console = Console(page)
        open_any(page, live_server.page_url("process", lang=lang, stage="3"))
        assert _stage_heading(page) == title(3)
        assert _geometry(page, ".ic-stage")["top"] <= 2 * SCREEN  # its card, on the 2nd screen
        page.locator("[data-testid='stButtonGroup'] button", has_text="6").click()
        settle(page)
        assert _stage_heading(page) == title(6)
        assert "stage=6" in page.url
        page.locator(".st-key-process_next button").click()
        settle(page)
        assert _stage_heading(page) == title(7)
        assert console.problems() == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_recommendation_link_opens_it_and_one_tap_opens_any_other(live_server, browser, lang):
    recs = default_recommendations()

    def heading() -> str:
        return page.locator(".ic-rec-head h4").first.inner_text()

    with new_page(browser, PHONE) as page:
        console = Console(page)
        open_any(page, live_server.page_url("recommendations", lang=lang, rec="4"))
        assert page.locator(".ic-rec-head").count() == 1  # one at a time
        assert unescape(recs[3].title.as_dict()[lang]) in heading()
        assert _geometry(page, ".ic-rec-head")["top"] <= 3 * SCREEN
        page.locator(".st-key-recs_pick [data-testid=stRadioOption]").nth(5).click()  # 6th title
        settle(page)
        assert unescape(recs[5].title.as_dict()[lang]) in heading()
        assert "rec=6" in page.url
        page.locator(".st-key-recs_prev button").click()
        settle(page)
        assert unescape(recs[4].title.as_dict()[lang]) in heading()
        assert console.problems() == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_tap_on_a_timeline_symbol_writes_its_event_below_the_chart(live_server, browser, lang):
    t = translator(lang)
    with new_page(browser, PHONE) as page:
        console = Console(page)
        open_any(page, live_server.page_url("process", lang=lang))
        page.get_by_role("tab", name=t("process.part.timeline")).click()  # one tap opens it
        settle(page)
        page.wait_for_url("**part=timeline**")  # ... and gives it a link
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.locator("svg").first.wait_for()
        # the legend is above the chart's rows, and every year has its tick (2020 included)
        legend = chart.locator("g.role-legend").first.bounding_box()
        rows = chart.locator("g.mark-symbol.role-mark path").first.bounding_box()
        assert legend is not None and rows is not None and legend["y"] < rows["y"]
        ticks = chart.locator("g.role-axis-label text").all_text_contents()
        assert {"2020", "2021", "2022", "2023"} <= set(ticks)
        assert page.get_by_text(t("process.timeline.none_selected")).is_visible()
        page.locator(".ic-picked").wait_for(state="detached")
        symbol = chart.locator("g.mark-symbol.role-mark path").first
        symbol.scroll_into_view_if_needed()
        box = symbol.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        settle(page)
        picked = page.locator(".ic-picked")
        picked.wait_for()
        assert t("process.timeline.selected") in picked.text_content()
        assert picked.locator("h4").inner_text().strip()  # the event's title
        assert console.problems() == []


# Whole-page heights on a 390x844 phone, as opened from a link (px; about 4.4 screens at most
# but the map's, whose city table and sources are its text alternative and citations).
PAGE_BUDGETS = {
    "": 3_400,  # home: the call to act, the three ways in, the key figures
    "map": 7_600,
    "process": 5_600,  # the stages tab open, with its sources
    "recommendations": 4_400,
    "survey": 2_400,
    "results": 1_600,
    "privacy": 4_300,
}


@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_stays_within_its_height_budget(live_server, browser, lang):
    """The pages measured 7,956 px (map), 11,549 (recommendations) and 13,065 (process) before
    issue 26; each now has a budget, so a page that grows back is caught."""
    heights: dict[str, int] = {}
    with new_page(browser, PHONE) as page:
        for path in PAGE_BUDGETS:
            open_any(page, live_server.page_url(path, lang=lang))
            page.wait_for_timeout(500)  # late content: the map, a chart
            heights[path] = page.evaluate(
                "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
            )
    over = {path or "home": h for path, h in heights.items() if h > PAGE_BUDGETS[path]}
    assert over == {}, heights
