"""Moderation that protects respondents, in a real browser, in French and English (issue 24): a
phone number in a pending idea is highlighted and labelled in words, and the idea cannot be
approved before the moderator confirms; Arabic ideas read right to left (computed direction) in
moderation, on the results page and on the wall; a public idea carries no language badge where
its language's group is too small to be published."""

from __future__ import annotations

import pytest

from inclucities.store import SurveyStore
from inclucities.survey.loader import load_survey_definitions
from scripts.support.browser_utils import DESKTOP, TEST_ADMIN_PASSWORD, running_server
from scripts.support.e2e_utils import exceptions_on, key, new_page, open_page, settle, sign_in
from tests.conftest import _require_chromium

pytestmark = pytest.mark.browser

PHONE_IDEA = "tel 0470 12 34 56"  # the academy's short answer: 40 characters at most
PENDING_ARABIC = "مكتبة مفتوحة في الحي"
APPROVED_ARABIC = "مكتبة مفتوحة في المساء"
GREEK = "Περισσότερα μαθήματα γλώσσας"  # from the only Greek speaker
FRENCH = "Des cours du soir"
LABELS = {"fr": "Numéro de téléphone possible", "en": "Possible phone number"}
MODERATION = 1  # status, moderation, export, data, audit

DIRECTION_JS = "(node) => getComputedStyle(node).direction"


def _answer(word: str) -> dict:
    readiness = load_survey_definitions().surveys["academy"].question("readiness")
    assert readiness is not None
    return {
        "first_recommendation": "participation",
        "readiness": {item.id: "4" for item in readiness.items},
        "one_word": word,
    }


def seed(db_path) -> None:
    """Academy (the survey the admin opens first): five French speakers, one Greek, one Arabic
    (their ideas approved); two pending ideas, one with a phone number, one in Arabic."""
    store = SurveyStore(db_path, load_survey_definitions().surveys.values())
    for n in range(5):
        store.submit(f"f{n}", "academy", 1, "fr", _answer(f"{FRENCH} {n}" if n else FRENCH))
    store.submit("g", "academy", 1, "el", _answer(GREEK))
    store.submit("a", "academy", 1, "ar", _answer(APPROVED_ARABIC))
    approved = [i.id for i in store.ideas("academy")]
    store.set_ideas_status(approved, "approved", actor="mod")
    store.submit("p", "academy", 1, "fr", _answer(PHONE_IDEA))
    store.submit("q", "academy", 1, "ar", _answer(PENDING_ARABIC))
    store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_chromium()
    db = tmp_path_factory.mktemp("moderation") / "moderation.duckdb"
    seed(db)
    with running_server(db) as running:
        yield running


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_phone_number_is_highlighted_and_arabic_reads_right_to_left_in_moderation(
    server, browser, lang
):
    with new_page(browser, DESKTOP) as page:
        sign_in(page, server.url, TEST_ADMIN_PASSWORD, "admin", lang, key("admin_survey"))
        page.locator(f"{key('admin_section')} button").nth(MODERATION).click()
        settle(page)
        mark = page.locator("mark.ic-pii[data-pii='phone']")
        mark.wait_for()
        assert mark.inner_text() == "0470 12 34 56"
        background = mark.evaluate("(m) => getComputedStyle(m).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # highlighted...
        label = page.locator(".ic-pii-label").first
        assert label.inner_text().strip().endswith(LABELS[lang])  # ...and said in words
        assert label.is_visible()
        card = page.locator("[class*='st-key-admin_mod_idea_']", has=mark)
        approve = card.locator("[class*='st-key-approve_'] button")
        assert approve.is_disabled()
        card.locator("[class*='st-key-admin_mod_checked_'] label").click()  # "I checked"
        settle(page)
        assert approve.is_enabled()

        arabic = page.locator(".ic-mod-idea-text", has_text=PENDING_ARABIC)
        assert arabic.evaluate(DIRECTION_JS) == "rtl"
        box, text = arabic.bounding_box(), _text_box(arabic)
        assert box is not None and abs((box["x"] + box["width"]) - text["right"]) < 2  # right
        phone = page.locator(".ic-mod-idea-text", has=mark)
        assert phone.evaluate(DIRECTION_JS) == "ltr"
        assert not exceptions_on(page)


def _text_box(locator) -> dict:
    """Where the text itself sits (not its block): a range around the element's contents."""
    return locator.evaluate(
        """(node) => { const r = document.createRange(); r.selectNodeContents(node);
           const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"""
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_public_ideas_read_in_their_direction_with_a_badge_only_for_published_languages(
    server, browser, lang
):
    with new_page(browser, DESKTOP) as page:
        open_page(
            page,
            f"{server.url}/results?survey=academy&lang={lang}",
            ".live--results[data-live-ready] .live-idea",
        )
        arabic = page.locator(".live-idea", has_text=APPROVED_ARABIC)
        assert arabic.evaluate(DIRECTION_JS) == "rtl"
        # one Arabic and one Greek speaker: no badge on their ideas, nor a lang telling it
        assert arabic.locator(".live-idea-lang").count() == 0
        greek = page.locator(".live-idea", has_text=GREEK)
        assert greek.locator(".live-idea-lang").count() == 0
        assert greek.get_attribute("lang") == ""
        assert "Ελληνικά" not in page.locator(".live-ideas").inner_text()
        french = page.locator(".live-idea", has_text=f"{FRENCH} 1")
        assert french.locator(".live-idea-lang").inner_text() == "Français"  # five: published
        assert french.evaluate(DIRECTION_JS) == "ltr"

        wall = f"view=projector&survey=academy&survey_lang={lang}&screen=wall&lang={lang}"
        open_page(page, f"{server.url}/presenter?{wall}", ".live--wall[data-live-ready]")
        card = page.locator(".live--wall .live-idea-text", has_text=APPROVED_ARABIC)
        card.wait_for()
        assert card.evaluate(DIRECTION_JS) == "rtl"
        assert not exceptions_on(page)
