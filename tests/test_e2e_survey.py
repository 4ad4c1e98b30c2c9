"""The survey in a real browser (issue 21): the phone's form on the light page and mounted in the
Streamlit survey page, in French, English and Arabic, at phone and desktop width; a language
switch midway, a reload and an offline send lose nothing; errors are brought into view."""

from __future__ import annotations

import re

import pytest

from inclucities.i18n import translator
from scripts.support.a11y_utils import blocking, describe, run_axe
from scripts.support.browser_utils import DESKTOP, PHONE
from scripts.support.e2e_utils import (
    field_errors,
    fill_academy,
    fill_resident,
    fill_text,
    form,
    go_to,
    in_view,
    new_page,
    open_page,
    pick_places,
    pick_radio,
    pick_ticks,
    press_back,
    press_next,
    qkey,
    skey,
    submit,
    survey_ready,
    tick_consent,
    wait_thank_you,
    write_artifact,
)
from scripts.support.survey_helpers import RESIDENT

pytestmark = pytest.mark.browser

LOCALES = {"fr": "fr-FR", "en": "en-GB", "ar": "ar", "uk": "uk-UA"}
NARROW = {"width": 360, "height": 740}
S = "resident"
RECEIPT = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")


def form_url(server, host: str, lang: str, survey: str = S, **query: str) -> str:
    """The light page (what QR codes open) or the Streamlit survey page."""
    if host == "light":
        return server.page_url(f"answer/{survey}", lang=lang, **query)
    return server.page_url("survey", lang=lang, survey=survey, **query)


def open_form(page, server, host: str, lang: str, survey: str = S, **query: str) -> None:
    open_page(page, form_url(server, host, lang, survey, **query), ready=survey_ready(survey))


def _overflow(page) -> int:
    """Pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


@pytest.mark.parametrize("host", ["light", "mounted"])
@pytest.mark.parametrize(
    ("lang", "size"),
    [
        ("fr", "phone"),
        ("fr", "desktop"),
        ("en", "phone"),
        ("en", "desktop"),
        ("ar", "phone"),
        ("ar", "desktop"),
    ],
)
def test_resident_survey_answered_and_sent(live_server, browser, host, lang, size):
    viewport = PHONE if size == "phone" else DESKTOP
    t = translator(lang)
    with new_page(browser, viewport, LOCALES[lang]) as page:
        open_form(page, live_server, host, lang)
        root = page.locator(form(S))
        assert root.get_attribute("lang") == lang
        assert root.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        if size == "phone":  # the first question shows on the first phone screen
            first = f"{qkey(S, 'welcome')} .icf-choice"
            assert in_view(page, first), "the first answer is below the first phone screen"
        fill_resident(page, lang, idea=f"Idée e2e {lang} {host} {size}: des cours le soir")
        assert _overflow(page) <= 1, f"the form is {_overflow(page)} px wider than the screen"
        submit(page, S)
        wait_thank_you(page, S)
        thanks = page.locator(f"{skey(S, 'thanks')} .icf-thanks-title").inner_text()
        assert thanks.strip() == t.text(RESIDENT.thank_you)
        receipt = page.locator(f"{skey(S, 'thanks')} .icf-receipt-code").inner_text()
        assert RECEIPT.match(receipt.strip()), receipt
        counted = page.locator(f"{skey(S, 'thanks')} .icf-count").inner_text()
        assert any(t("survey.count_so_far", count=n) == counted for n in range(1, 500)), counted
        link = page.locator(f"{skey(S, 'thanks')} a.icf-results")
        assert f"lang={lang}" in (link.get_attribute("href") or "")
        assert _overflow(page) <= 1


@pytest.mark.parametrize("host", ["light", "mounted"])
def test_a_language_switch_midway_keeps_every_answer(live_server, browser, host):
    """Started in French, moved to Arabic on step 2: every answer is still there (radios
    included), Next goes on without a false error, and switching back changes nothing."""
    with new_page(browser, PHONE, "fr-FR") as page:
        open_form(page, live_server, host, "fr")
        for question, index in (("welcome", 3), ("belonging", 4), ("information", 4)):
            pick_radio(page, qkey(S, question), index)
        pick_ticks(page, S, "info_sources", ["friends-family"])
        press_next(page, S)
        pick_radio(page, qkey(S, "access", "work"), 2)
        if host == "light":
            page.locator(".icf-languages summary").click()
            page.locator(".icf-languages a[hreflang='ar']").click()
        else:
            page.locator(".st-key-frame_lang_picker button").click()
            page.locator("[data-testid=stPopoverBody] a", has_text="العربية").click()
        page.wait_for_selector(f"{form(S)}[lang='ar'][data-ready]")
        assert page.locator(f"{qkey(S, 'access', 'work')} input:checked").count() == 1
        press_back(page, S)
        assert page.locator(f"{qkey(S, 'welcome')} input:checked").get_attribute("value") == "4"
        assert page.locator(f"{qkey(S, 'belonging')} input:checked").get_attribute("value") == "5"
        assert page.locator(f"{qkey(S, 'info_sources', 'friends-family')} input").is_checked()
        press_next(page, S)
        press_next(page, S)  # the grid is optional: no "choose one of the options" here
        assert field_errors(page, S) == []
        assert not page.locator(f"{form(S)} .icf-error:not([hidden])").count()


def test_a_reload_keeps_the_answers_and_the_step(live_server, browser):
    with new_page(browser, PHONE, "uk-UA") as page:
        open_form(page, live_server, "light", "uk")
        for question in ("welcome", "belonging", "information"):
            pick_radio(page, qkey(S, question), 1)
        press_next(page, S)
        pick_radio(page, qkey(S, "access", "health"), 0)
        page.reload()
        page.wait_for_selector(survey_ready(S))
        assert page.locator(f"{qkey(S, 'access', 'health')} input:checked").count() == 1
        restored = page.locator(f"{form(S)} .icf-restored").inner_text().strip()
        assert restored == translator("uk")("survey.form.restored")


def test_an_offline_send_completes_when_the_connection_is_back(live_server, browser):
    """Send pressed with the Wi-Fi gone: the answers stay, the phone says it will send them,
    and they arrive, once, as soon as the connection is back."""
    word = "hors-ligne-e2e"
    with new_page(browser, PHONE, "fr-FR") as page:
        open_form(page, live_server, "light", "fr", survey="academy")
        fill_academy(page, word)
        page.context.set_offline(True)
        submit(page, "academy")
        problem = page.locator(skey("academy", "problem"))
        problem.wait_for(state="visible")
        assert problem.inner_text() == translator("fr")("survey.offline_send")
        assert page.locator(f"{skey('academy', 'thanks')}:not([hidden])").count() == 0
        page.context.set_offline(False)
        wait_thank_you(page, "academy")
        receipt = page.locator(f"{skey('academy', 'thanks')} .icf-receipt-code").inner_text()
    from inclucities.receipt import normalise

    assert normalise(receipt) == receipt.strip()
    write_artifact("e2e_offline_send", {"sent_after_reconnect": True})


def test_a_reply_cut_off_mid_way_is_sent_again_and_shows_the_stored_answers_receipt(
    live_server, browser
):
    """The server commits the answer and stops while writing its reply: the phone got a 200 it
    cannot read. That is no acknowledgement: the phone sends again and the resend's reply (the
    same submission, already stored, so not stored again) brings the thank-you and its receipt."""
    replies: list[dict] = []

    def cut_first_reply(route) -> None:
        reply = route.fetch()  # the server stores the answer (or finds it stored) and replies
        replies.append(reply.json())
        if len(replies) == 1:
            route.fulfill(status=200, content_type="application/json", body=reply.text()[:40])
        else:
            route.fulfill(response=reply)

    with new_page(browser, PHONE, "fr-FR") as page:
        open_form(page, live_server, "light", "fr", survey="academy")
        page.route("**/api/answers*", cut_first_reply)
        fill_academy(page, "coupure-e2e")
        submit(page, "academy")
        wait_thank_you(page, "academy")
        receipt = page.locator(f"{skey('academy', 'thanks')} .icf-receipt-code").inner_text()
    assert [r["status"] for r in replies] == ["stored", "duplicate"], replies
    assert receipt.strip() == replies[0]["receipt"] == replies[1]["receipt"]
    assert RECEIPT.match(receipt.strip())


def test_a_failed_step_brings_the_first_error_into_view_and_it_goes_once_answered(
    live_server, browser
):
    with new_page(browser, NARROW, "fr-FR") as page:
        open_form(page, live_server, "light", "fr")
        pick_radio(page, qkey(S, "information"), 2)  # the required first question left empty
        press_next(page, S)
        error = f"{qkey(S, 'welcome')} .icf-error"
        page.wait_for_selector(f"{error}:not([hidden])")
        assert in_view(page, error)
        assert page.locator(error).inner_text() == translator("fr")("survey.error.required")
        assert set(field_errors(page, S)) == {"welcome"}
        pick_radio(page, qkey(S, "welcome"), 3)  # answered: its error goes at once
        assert field_errors(page, S) == []


def test_a_missing_consent_is_shown_and_nothing_is_lost(live_server, browser):
    idea = "Garder mes réponses après une erreur"
    with new_page(browser, NARROW, "fr-FR") as page:
        open_form(page, live_server, "mounted", "fr")
        fill_resident(page, "fr", idea=idea, consent=False)
        submit(page, S)
        error = f"{skey(S, 'consent')} .icf-error"
        page.wait_for_selector(f"{error}:not([hidden])")
        assert page.locator(skey(S, "problem")).is_visible()
        assert not page.locator(f"{skey(S, 'thanks')}:not([hidden])").count()
        press_back(page, S)
        assert page.locator(f"{qkey(S, 'idea')} textarea").input_value() == idea
        tick_consent(page, S)
        submit(page, S)
        wait_thank_you(page, S)


def test_a_place_given_twice_moves_and_is_announced(live_server, browser):
    t = translator("ar")
    with new_page(browser, PHONE, "ar") as page:
        open_form(page, live_server, "light", "ar")
        fill_resident(page, "ar", consent=False, skip=("recommendations", "relationship"))
        go_to(page, S, qkey(S, "recommendations"))
        pick_places(page, S, "recommendations", ["participation", "migrant-women"])
        pick_places(page, S, "recommendations", ["support-networks"])  # takes the 1st place
        select = f"{qkey(S, 'recommendations')} select[data-option='{{}}']"
        assert page.locator(select.format("support-networks")).input_value() == "1"
        assert page.locator(select.format("migrant-women")).input_value() == "2"
        assert page.locator(select.format("participation")).input_value() == ""
        notice = page.locator(f"{qkey(S, 'recommendations')} .icf-rank-notice")
        label = page.locator(
            f"{qkey(S, 'recommendations')} label[for='icf-recommendations-participation']"
            " .icf-choice-label"
        ).inner_text()
        assert notice.inner_text() == t("survey.form.place_taken", option=label)
        assert notice.get_attribute("role") == "status"


def test_up_to_three_then_the_others_wait_and_nowhere_stands_alone(live_server, browser):
    t = translator("en")
    with new_page(browser, PHONE, "en-GB") as page:
        open_form(page, live_server, "light", "en")
        pick_radio(page, qkey(S, "information"), 4)
        pick_ticks(page, S, "info_sources", ["city-website", "city-office", "associations"])
        boxes = f"{qkey(S, 'info_sources')} input"
        disabled = page.eval_on_selector_all(
            boxes, "els => els.filter(e => e.disabled).map(e => e.value)"
        )
        assert set(disabled) == {"friends-family", "social-media", "other", "nowhere"}
        limit = page.locator(f"{qkey(S, 'info_sources')} .icf-limit").inner_text()
        assert limit == t("survey.limit_reached", count=3)
        for option in ("city-website", "city-office", "associations"):
            page.locator(f"{qkey(S, 'info_sources')} input[value='{option}']").uncheck()
        pick_ticks(page, S, "info_sources", ["nowhere"])
        disabled = page.eval_on_selector_all(
            boxes, "els => els.filter(e => e.disabled).map(e => e.value)"
        )
        assert "nowhere" not in disabled and len(disabled) == 6


def test_text_longer_than_allowed_cannot_be_typed(live_server, browser):
    with new_page(browser, PHONE, "en-GB") as page:
        open_form(page, live_server, "light", "en", survey="academy")
        go_to(page, "academy", qkey("academy", "one_word"))
        fill_text(page, qkey("academy", "one_word"), "x" * 120)
        value = page.locator(f"{qkey('academy', 'one_word')} input").input_value()
        assert len(value) == 40


@pytest.mark.parametrize("host", ["light", "mounted"])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_serious_or_critical_axe_rule_on_any_step_or_the_thank_you(
    live_server, browser, host, lang
):
    """axe-core (WCAG 2.1 A and AA) on every step of the form as it shows, with its errors
    showing once, and on the thank-you."""
    found: dict[str, list[dict]] = {}
    with new_page(browser, PHONE, LOCALES[lang]) as page:
        open_form(page, live_server, host, lang, survey="academy")
        press_next_or_send = skey("academy", "submit")
        page.locator(press_next_or_send).click()  # nothing answered: every error shows
        page.wait_for_selector(f"{form('academy')} .icf-error:not([hidden])")
        found["errors"] = run_axe(page)
        fill_academy(page, f"axe {lang}")
        found["filled"] = run_axe(page)
        submit(page, "academy")
        wait_thank_you(page, "academy")
        found["thanks"] = run_axe(page)
    problems = {stage: blocking(v) for stage, v in found.items() if blocking(v)}
    assert not problems, {stage: describe(v) for stage, v in problems.items()}


def test_every_target_is_big_enough_and_every_outline_visible(live_server, browser):
    """Answer rows, buttons, boxes and selects are at least 44 px high; control outlines and
    the focus ring have at least 3:1 contrast against white."""
    with new_page(browser, PHONE, "en-GB") as page:
        open_form(page, live_server, "light", "en")
        pick_radio(page, qkey(S, "information"), 4)
        sizes = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                '.icf-step:not([hidden]) .icf-choice, .icf-nav button:not([hidden]),'
                + ' .icf-listen, .icf-languages summary'))
              .filter(e => e.offsetParent !== null)
              .map(e => ({cls: e.className, h: e.getBoundingClientRect().height,
                          w: e.getBoundingClientRect().width}))"""
        )
        small = [s for s in sizes if s["h"] < 44 or s["w"] < 44]
        assert sizes and not small, small
        border = page.eval_on_selector(
            f"{qkey(S, 'welcome')} .icf-choice", "e => getComputedStyle(e).borderTopColor"
        )
        assert contrast(border, "rgb(255, 255, 255)") >= 3, border
        page.locator(f"{qkey(S, 'welcome')} input").first.focus()
        page.keyboard.press("ArrowDown")  # the keyboard moves the choice: focus is visible
        outline = page.evaluate(
            "() => { const e = document.activeElement.closest('.icf-choice');"
            " const s = getComputedStyle(e); return [s.outlineColor, s.outlineWidth,"
            " s.outlineStyle]; }"
        )
        assert outline[2] != "none" and contrast(outline[0], "rgb(255, 255, 255)") >= 3, outline


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_one_listen_button_per_question_and_a_short_tab_path(live_server, browser):
    """The keyboard crosses step 2 (the access grid: five lines of six answers) in a handful of
    presses: one listen button for the question, one stop per group of radio buttons."""
    with new_page(browser, PHONE, "en-GB") as page:
        open_form(page, live_server, "light", "en")
        for question in ("welcome", "belonging", "information"):
            pick_radio(page, qkey(S, question), 1)
        press_next(page, S)
        listen = page.locator(f"{form(S)} .icf-step:not([hidden]) .icf-listen")
        questions = page.locator(f"{form(S)} .icf-step:not([hidden]) .icf-q:not([hidden])")
        assert listen.count() == questions.count()
        page.locator(f"{form(S)} .icf-step:not([hidden]) .icf-step-title").focus()
        presses = 0
        while presses < 60:
            page.keyboard.press("Tab")
            presses += 1
            if page.evaluate("() => document.activeElement.matches('.icf-next, .icf-back')"):
                break
        write_artifact("e2e_tab_presses_step2", {"presses": presses})
        assert presses <= 12, presses
