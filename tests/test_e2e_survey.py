"""The resident survey in a real browser on a 390 px phone: French, Arabic and Ukrainian;
a validation error shown and corrected without losing any answer."""

from __future__ import annotations

import pytest

from tests.browser_utils import PHONE
from tests.e2e_utils import (
    exceptions_on,
    field_errors,
    fill_resident,
    fill_text,
    new_page,
    open_page,
    pick_radio,
    qkey,
    skey,
    submit,
    survey_ready,
    tick_consent,
    wait_thank_you,
    write_artifact,
)

pytestmark = pytest.mark.browser

LOCALES = {"fr": "fr-FR", "ar": "ar", "uk": "uk-UA"}


def _overflow(page) -> int:
    """Pixels the page is wider than the phone screen (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


@pytest.mark.parametrize("lang", ["fr", "ar", "uk"])
def test_resident_survey_completed_on_a_phone(live_server, browser, lang):
    with new_page(browser, PHONE, LOCALES[lang]) as page:
        open_page(page, live_server.page_url("survey", lang=lang), ready=survey_ready("resident"))
        assert page.evaluate("() => document.documentElement.lang") == lang
        container = ".st-key-survey_rtl" if lang == "ar" else ".st-key-survey_ltr"
        assert page.locator(container).count() == 1, f"{container} missing for {lang}"
        if lang == "ar":
            assert page.evaluate("() => document.documentElement.dir") == "rtl"
        fill_resident(page, lang, idea=f"Idée e2e {lang}: des cours de langue le soir")
        assert _overflow(page) <= 1, f"the form is {_overflow(page)} px wider than a phone"
        submit(page, "resident")
        wait_thank_you(page, "resident")
        assert page.locator("[data-testid='stAlertContentSuccess']").count() == 1
        assert not exceptions_on(page)
        assert _overflow(page) <= 1
        # the thank-you view links to the results in the same language
        link = page.locator("[data-testid='stPageLink-NavLink'][href*='results']").first
        assert f"lang={lang}" in (link.get_attribute("href") or "")


def test_validation_error_is_shown_and_corrected_without_losing_answers(live_server, browser):
    s = "resident"
    idea = "Garder mes réponses après une erreur"
    with new_page(browser, PHONE, "fr-FR") as page:
        open_page(page, live_server.page_url("survey", lang="fr"), ready=survey_ready(s))
        # everything except the one required question and consent
        fill_resident(page, "fr", idea=idea, consent=False, skip=("welcome",))
        submit(page, s)
        page.wait_for_selector("[data-testid='stAlertContentError']")
        errors = set(field_errors(page, s))
        assert {"welcome"} <= errors, errors
        consent_error = page.locator(
            f"{skey(s, 'consent_box')} [data-testid='stAlertContentError']"
        )
        assert consent_error.count() == 1
        assert not page.locator(f"{skey(s, 'new')} button").count()  # nothing was stored
        # nothing typed or chosen is lost
        checked = page.evaluate(
            "(s) => document.querySelectorAll(s + ' input[type=radio]:checked').length",
            qkey(s, "belonging"),
        )
        assert checked == 1
        assert page.locator(f"{qkey(s, 'idea')} textarea").input_value() == idea
        tags = page.locator(f"{qkey(s, 'info_sources')} [data-tag]")
        assert tags.count() == 2
        # correct the two problems and send again
        pick_radio(page, qkey(s, "welcome"), 0)
        tick_consent(page, s)
        submit(page, s)
        wait_thank_you(page, s)
        assert not exceptions_on(page)
    write_artifact("e2e_validation", {"errors_shown": sorted(errors), "corrected": True})


def test_text_longer_than_allowed_cannot_be_sent(live_server, browser):
    """The one-word field takes 40 characters at most: the browser stops at the limit."""
    with new_page(browser, PHONE, "en-GB") as page:
        open_page(
            page,
            live_server.page_url("survey", lang="en", survey="academy"),
            ready=survey_ready("academy"),
        )
        fill_text(page, qkey("academy", "one_word"), "x" * 120)
        value = page.locator(f"{qkey('academy', 'one_word')} input").input_value()
        assert len(value) <= 40
