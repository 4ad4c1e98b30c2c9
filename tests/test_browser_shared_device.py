"""A shared device in a real browser (issue 23), on the light form at phone size, in French and
Arabic (right to left):

- the thank-you's "New respondent" clears the device: a new respondent cookie, no draft or
  receipt kept, an empty form, and Back never shows the previous person's receipt;
- a tablet in kiosk mode (`?kiosk=1`) hides the receipt code (shown on an explicit tap only),
  counts down to the next person, announcing it at the start only (a short pause), and clears
  itself;
- two tabs of one browser: the second tab's other answers are not stored, and it says so, in
  the respondent's language, offering "New respondent", which keeps its answers to send and
  clears the first tab's thank-you.
"""

from __future__ import annotations

import uuid

import pytest

from inclucities.i18n import translator
from inclucities.respondent import COOKIE_NAME
from scripts.support.a11y_utils import blocking, describe, run_axe
from scripts.support.browser_utils import PHONE
from scripts.support.e2e_utils import (
    fill_academy,
    fill_text,
    go_to,
    new_page,
    qkey,
    receipt_shown,
    skey,
    survey_ready,
    thank_you_shown,
    tick_consent,
    wait_thank_you,
)

pytestmark = pytest.mark.browser

S = "academy"
SEND = skey(S, "submit")
THANKS = skey(S, "thanks")
LANGS = ["fr", "ar"]
STORED_JS = """() => Object.keys(localStorage).filter((k) => k.startsWith('icf:'))
    .map((k) => localStorage.getItem(k)).join('\\n')"""


def _word() -> str:
    return f"w{uuid.uuid4().hex[:10]}"


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(survey_ready(S))


def _send(page) -> None:
    go_to(page, S, SEND)
    page.locator(SEND).click()


def _respondent(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE_NAME)


def _empty_form(page, receipt: str) -> None:
    """An empty form, and the previous person's receipt nowhere: page, text or storage."""
    page.wait_for_selector(survey_ready(S))
    assert not thank_you_shown(page, S)
    assert page.locator(f"{qkey(S, 'one_word')} input").input_value() == ""
    assert receipt not in page.content()
    assert receipt not in page.evaluate(STORED_JS)
    assert page.locator(f"{THANKS} .icf-receipt-code").inner_text() == ""


@pytest.mark.parametrize("lang", LANGS)
def test_new_respondent_clears_the_device_and_back_does_not_bring_the_receipt(
    browser, live_server, lang
):
    t = translator(lang)
    with new_page(browser, PHONE, lang) as page:
        page.goto(live_server.page_url("j", lang=lang))  # where the tablet came from
        _open(page, live_server.page_url(f"answer/{S}", lang=lang))
        fill_academy(page, _word())
        _send(page)
        wait_thank_you(page, S)
        receipt = receipt_shown(page, S)
        assert receipt in page.evaluate(STORED_JS)  # kept on the device for a reload, until now
        before = _respondent(page)
        button = page.locator(skey(S, "new"))
        assert button.is_visible() and button.inner_text() == t("survey.form.new_respondent")
        assert page.locator(f"{THANKS} .icf-kiosk").is_hidden()  # not a kiosk: no countdown
        violations = blocking(run_axe(page))
        assert not violations, describe(violations)
        with page.expect_navigation():
            button.click()
        _empty_form(page, receipt)
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        assert _respondent(page) != before  # the server gave the next person a new cookie
        page.go_back()  # the thank-you's history entry was replaced: the page before it
        page.wait_for_load_state("load")
        assert "/j" in page.url and receipt not in page.content()
        page.go_forward()
        _empty_form(page, receipt)


@pytest.mark.parametrize("lang", LANGS)
def test_a_kiosk_hides_the_receipt_counts_down_and_clears_itself(browser, live_server, lang):
    t = translator(lang)
    url = live_server.page_url(f"answer/{S}", lang=lang, kiosk="1", kiosk_seconds="3")
    with new_page(browser, PHONE, lang) as page:
        _open(page, url)
        other = page.locator(".icf-languages a[hreflang=en]").get_attribute("href")
        assert "kiosk=1" in other and "kiosk_seconds=3" in other  # kept in another language
        fill_academy(page, _word())
        _send(page)
        page.wait_for_selector(f"{THANKS}:not([hidden]) .icf-kiosk:not([hidden])")
        violations = blocking(run_axe(page))
        assert not violations, describe(violations)
        # the code is not on the screen, and why is said instead
        assert page.locator(f"{THANKS} .icf-receipt-code").inner_text() == ""
        assert page.locator(f"{THANKS} .icf-receipt-shown").is_hidden()
        assert page.locator(f"{THANKS} .icf-kiosk-receipt").inner_text() == t(
            "survey.form.kiosk_receipt"
        )
        countdown = page.locator(f"{THANKS} .icf-kiosk-count").inner_text()
        assert countdown in {t("survey.form.kiosk_countdown", seconds=n) for n in (3, 2, 1)}, (
            countdown
        )
        page.wait_for_function(
            "(s) => document.querySelector(s).textContent.length > 0",
            arg=f"{THANKS} .icf-kiosk-live",
        )
        live = page.locator(f"{THANKS} .icf-kiosk-live")
        assert live.get_attribute("aria-live") == "polite"
        assert live.inner_text() == t("survey.form.kiosk_countdown", seconds=3)  # said once
        assert page.locator(f"{THANKS} .icf-kiosk-now").inner_text() == t("survey.form.kiosk_now")
        # by keyboard: "Stay a bit longer" starts the pause again
        page.locator(f"{THANKS} .icf-kiosk-stay").focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(1500)
        assert thank_you_shown(page, S)
        # then the tablet clears itself for the next person, still a kiosk
        with page.expect_navigation(timeout=10_000):
            # the code only on an explicit tap
            page.locator(f"{THANKS} .icf-show-code").click()
            receipt = receipt_shown(page, S)
            assert receipt
            assert page.evaluate("document.activeElement.matches('.icf-receipt-code')")
        _empty_form(page, receipt)
        assert "kiosk=1" in page.url


def test_a_second_tab_is_told_its_other_answers_were_not_stored(browser, live_server):
    lang = "fr"
    t = translator(lang)
    url = live_server.page_url(f"answer/{S}", lang=lang)
    first_word, second_word = _word(), _word()
    with new_page(browser, PHONE, lang) as first:
        _open(first, url)
        fill_academy(first, first_word)
        second = first.context.new_page()  # same browser: it takes up the same draft
        _open(second, url)
        go_to(second, S, qkey(S, "one_word"))
        assert second.locator(f"{qkey(S, 'one_word')} input").input_value() == first_word
        fill_text(second, qkey(S, "one_word"), second_word)
        tick_consent(second, S)
        _send(first)
        wait_thank_you(first, S)
        receipt = receipt_shown(first, S)
        _send(second)
        problem = second.locator(skey(S, "problem"))
        problem.wait_for(state="visible")
        assert problem.inner_text() == t("survey.form.device_answered")
        assert problem.get_attribute("role") == "alert"
        assert not thank_you_shown(second, S)  # never acknowledged as if it were stored
        assert receipt not in second.content()
        offer = second.locator(f"{skey(S, 'problem')} + .icf-device-answered .icf-again-keep")
        assert offer.inner_text() == t("survey.form.new_respondent")
        assert second.evaluate("document.activeElement.matches('.icf-again-keep')")
        violations = blocking(run_axe(second))
        assert not violations, describe(violations)
        assert thank_you_shown(first, S)  # the first tab still shows its own thank-you
        with second.expect_navigation():
            offer.click()
        second.wait_for_selector(survey_ready(S))
        go_to(second, S, qkey(S, "one_word"))
        assert second.locator(f"{qkey(S, 'one_word')} input").input_value() == second_word
        # the first tab no longer shows the previous person's receipt
        first.wait_for_function(
            "(s) => document.querySelector(s).hidden", arg=f".icf[data-survey='{S}'] .icf-thanks"
        )
        assert receipt not in first.content()
        tick_consent(second, S)
        _send(second)
        wait_thank_you(second, S)
        assert receipt_shown(second, S) != receipt
        assert second.locator(f"{THANKS} .icf-thanks-title").inner_text() != t(
            "survey.already_received"
        )


def test_new_respondent_without_a_connection_still_clears_the_screen(browser, live_server):
    url = live_server.page_url(f"answer/{S}", lang="ar", kiosk="1", kiosk_seconds="120")
    with new_page(browser, PHONE, "ar") as page:
        _open(page, url)
        fill_academy(page, _word())
        _send(page)
        page.wait_for_selector(f"{THANKS}:not([hidden]) .icf-kiosk:not([hidden])")
        page.locator(f"{THANKS} .icf-show-code").click()
        receipt = receipt_shown(page, S)
        page.context.set_offline(True)  # the venue's Wi-Fi is gone
        page.locator(f"{THANKS} .icf-kiosk-now").click()
        page.wait_for_timeout(500)
        assert page.url == url  # no browser error page: the form, empty, on the same page
        _empty_form(page, receipt)
        page.context.set_offline(False)
