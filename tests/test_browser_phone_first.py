"""In a real browser at 390 x 844 (issue 26): home's call to act and every page's own title
are on the first phone screen, in French and in Arabic; the compact language control switches
the language (URL and direction) from the keyboard; the console stays free of errors."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from scripts.support.browser_utils import DESKTOP, PHONE, wait_for_app

pytestmark = pytest.mark.browser

PAGES = ("map", "process", "recommendations", "survey", "results", "privacy")


@contextmanager
def phone_page(browser):
    """A phone-sized page and the console errors it logs."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, errors
    finally:
        context.close()


def _bottom(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_home_shows_its_title_and_its_call_to_act_on_the_first_screen(live_server, browser, lang):
    with phone_page(browser) as (page, errors):
        page.goto(live_server.page_url("", lang=lang))
        wait_for_app(page)
        cta = page.locator(".st-key-home_cta a").first
        cta.wait_for()
        assert page.locator("h1").count() == 1
        assert _bottom(page, "h1") <= PHONE["height"]
        assert _bottom(page, ".st-key-home_cta a") <= PHONE["height"], "call to act below the fold"
        assert cta.get_attribute("href").split("?")[0].endswith("survey")
        # the lead is a paragraph, not a heading
        assert page.locator(".st-key-home_lead p").first.inner_text().strip()
        assert page.locator(".st-key-home_lead :is(h1, h2, h3, h4, h5, h6)").count() == 0
        # the teaser is a picture with its text alternative
        assert page.locator(".home-teaser img").get_attribute("alt")
        assert errors == []


def test_home_cards_in_a_row_have_one_height(live_server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(live_server.page_url("", lang="fr"))
        wait_for_app(page)
        page.locator(".st-key-home_more").wait_for()
        cards = page.locator("[class*='st-key-home_way_'], [class*='st-key-home_card_']")
        rows: dict[int, list[float]] = {}
        for i in range(cards.count()):
            box = cards.nth(i).bounding_box()
            rows.setdefault(round(box["y"]), []).append(box["height"])
        # 3 ways in, then the 4 other public pages in one row (staff pages are not listed)
        assert sorted(len(r) for r in rows.values()) == [3, 4]
        for heights in rows.values():
            assert max(heights) - min(heights) <= 1, heights
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_page_shows_its_own_title_on_the_first_screen(live_server, browser, lang):
    with phone_page(browser) as (page, errors):
        for path in PAGES:
            page.goto(live_server.page_url(path, lang=lang))
            wait_for_app(page)
            page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
            assert _bottom(page, "h1") <= PHONE["height"], f"{path}: title below the fold"
            assert _bottom(page, ".st-key-frame_lang_picker button") <= _bottom(page, "h1")
        assert errors == []


def test_the_language_control_switches_to_arabic_from_the_keyboard(live_server, browser):
    with phone_page(browser) as (page, errors):
        page.goto(live_server.page_url("privacy", lang="fr"))
        wait_for_app(page)
        control = page.locator(".st-key-frame_lang_picker button")
        assert control.locator("p").inner_text().strip() == "Français"
        page.wait_for_function(
            "() => document.querySelector('.st-key-frame_lang_picker button')"
            ".getAttribute('aria-label') === 'Langue : Français'"
        )
        control.focus()
        page.keyboard.press("Enter")
        arabic = page.locator("[data-testid=stPopoverBody] a[hreflang=ar]")
        arabic.wait_for()
        assert page.locator("[data-testid=stPopoverBody] a[hreflang]").count() == 9
        assert (
            page.locator("[data-testid=stPopoverBody] a[aria-current=true]").get_attribute(
                "hreflang"
            )
            == "fr"
        )
        arabic.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/privacy?lang=ar", timeout=30_000)
        page.wait_for_function("() => document.documentElement.dir === 'rtl'")
        page.wait_for_function(
            "() => document.querySelector('.st-key-frame_lang_picker button p')"
            ".innerText.trim() === 'العربية'"
        )
        assert _bottom(page, "h1") <= PHONE["height"]
        assert errors == []
