"""The resident survey in a real browser on a phone (issue 10): French, Arabic and Ukrainian;
every option in full, no framework text in English, errors brought into view, answers kept."""

from __future__ import annotations

import pytest

from inclucities.i18n import translator
from tests.browser_utils import PHONE
from tests.e2e_utils import (
    blocking,
    describe,
    exceptions_on,
    field_errors,
    fill_resident,
    fill_text,
    go_to,
    in_view,
    new_page,
    open_page,
    option_label,
    pick_places,
    pick_radio,
    pick_ticks,
    press_back,
    press_next,
    qkey,
    run_axe_settled,
    settle,
    skey,
    submit,
    survey_ready,
    tick_consent,
    wait_thank_you,
    write_artifact,
)

pytestmark = pytest.mark.browser

LOCALES = {"fr": "fr-FR", "ar": "ar", "uk": "uk-UA"}
NARROW = {"width": 360, "height": 740}
S = "resident"
ERROR = "[data-testid='stAlertContentError']"
# Text Streamlit's own widgets add in English whatever the page's language.
FRAMEWORK_ENGLISH = [
    "Select all",
    "You can only select",
    "Choose an option",
    "Choose options",
    "No results",
    "Press Enter",
    "Clear all",
]


def _overflow(page) -> int:
    """Pixels the page is wider than the phone screen (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


@pytest.mark.parametrize("lang", ["fr", "ar", "uk"])
def test_resident_survey_completed_on_a_phone(live_server, browser, lang):
    with new_page(browser, PHONE, LOCALES[lang]) as page:
        open_page(page, live_server.page_url("survey", lang=lang), ready=survey_ready(S))
        page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
        container = ".st-key-survey_rtl" if lang == "ar" else ".st-key-survey_ltr"
        assert page.locator(container).count() == 1, f"{container} missing for {lang}"
        if lang == "ar":
            assert page.evaluate("() => document.documentElement.dir") == "rtl"
        fill_resident(page, lang, idea=f"Idée e2e {lang}: des cours de langue le soir")
        assert _overflow(page) <= 1, f"the form is {_overflow(page)} px wider than a phone"
        submit(page, S)
        wait_thank_you(page, S)
        assert page.locator("[data-testid='stAlertContentSuccess']").count() == 1
        assert not exceptions_on(page)
        assert _overflow(page) <= 1
        # the respondent sees that the answer is in: how many have answered, counting them
        counted = " ".join(page.locator("[data-testid='stMain'] strong").all_inner_texts())
        t = translator(lang)
        assert any(t("survey.count_so_far", count=n) in counted for n in range(1, 500)), counted
        # the thank-you view links to the results in the same language
        link = page.locator("[data-testid='stPageLink-NavLink'][href*='results']").first
        assert f"lang={lang}" in (link.get_attribute("href") or "")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_english_framework_text_and_every_ranking_option_in_full(live_server, browser, lang):
    """No "Select all" or other English widget text on any step; at 360 px every option of the
    recommendations question shows its whole text (no ellipsis, nothing clipped or off screen)."""
    seen: list[str] = []
    with new_page(browser, NARROW, LOCALES[lang]) as page:
        open_page(page, live_server.page_url("survey", lang=lang), ready=survey_ready(S))
        seen.append(_main_text(page))
        fill_resident(page, lang, consent=False, skip=("relationship",))
        for _ in range(5):  # back to the first step, then forward again through every step
            if page.locator(f"{skey(S, 'back')} button").count():
                press_back(page, S)
                seen.append(_main_text(page))
        go_to(page, S, qkey(S, "recommendations", "participation"))
        options = page.evaluate(
            """(prefix) => Array.from(document.querySelectorAll('[class*="st-key-' + prefix + '"]'))
              .filter(b => b.matches('[data-testid="stElementContainer"]'))
              .map(b => { const p = b.querySelector('[data-testid="stWidgetLabel"] p');
                const r = p.getBoundingClientRect(); const cs = getComputedStyle(p);
                return {text: p.textContent, left: r.left, right: r.right,
                  clipped: p.scrollWidth > p.clientWidth + 1 || p.scrollHeight > p.clientHeight + 1,
                  ellipsis: cs.textOverflow === 'ellipsis' && cs.overflow !== 'visible',
                  width: window.innerWidth}; })""",
            f"survey_{S}_q_recommendations__",
        )
        go_to(page, S, skey(S, "consent"))
        seen.append(_main_text(page))
    from tests.survey_helpers import RESIDENT

    question = RESIDENT.question("recommendations")
    assert question is not None
    expected = [option_label(S, "recommendations", o.id, lang) for o in question.options]
    assert [o["text"] for o in options] == expected
    for option in options:
        assert not option["clipped"] and not option["ellipsis"], option
        assert option["left"] >= 0 and option["right"] <= option["width"], option
    english = [w for w in FRAMEWORK_ENGLISH for text in seen if w in text]
    assert not english, f"English framework text on the {lang} survey: {english}"


def test_a_failed_step_brings_the_first_error_into_view_and_errors_go_once_answered(
    live_server, browser
):
    with new_page(browser, NARROW, "fr-FR") as page:
        open_page(page, live_server.page_url("survey", lang="fr"), ready=survey_ready(S))
        pick_radio(page, qkey(S, "information"), 2)  # the required first question left empty
        page.locator(f"{skey(S, 'next')} button").scroll_into_view_if_needed()
        press_next(page, S)
        page.wait_for_selector(ERROR)
        page.wait_for_function(
            "(s) => { const a = document.activeElement; return a && a.closest(s); }",
            arg=f"{skey(S, 'block_welcome')}",
        )
        assert in_view(page, f"{skey(S, 'block_welcome')} {ERROR}")
        assert set(field_errors(page, S)) == {"welcome"}
        pick_radio(page, qkey(S, "welcome"), 3)  # answered: its error goes at once
        assert field_errors(page, S) == []
        violations, _ = run_axe_settled(page)
        assert not blocking(violations), describe(blocking(violations))


def test_back_and_forward_keep_every_answer(live_server, browser):
    with new_page(browser, PHONE, "uk-UA") as page:
        open_page(page, live_server.page_url("survey", lang="uk"), ready=survey_ready(S))
        for question in ("welcome", "belonging"):
            pick_radio(page, qkey(S, question), 1)
        pick_radio(page, qkey(S, "information"), 4)  # shows where the information comes from
        pick_ticks(page, S, "info_sources", ["friends-family"])
        press_next(page, S)
        for item in ("education", "work", "language-courses", "health"):  # not housing
            pick_radio(page, qkey(S, "access", item), 3)
        press_back(page, S)  # answers are kept going back...
        checked = page.evaluate(
            "(s) => document.querySelectorAll(s + ' input:checked').length", qkey(S, "welcome")
        )
        assert checked == 1
        assert page.locator(f"{qkey(S, 'info_sources', 'friends-family')} input").is_checked()
        press_next(page, S)  # ...and forward
        assert page.locator(f"{qkey(S, 'access', 'work')} input:checked").count() == 1
        assert page.locator(f"{qkey(S, 'access', 'housing')} input:checked").count() == 0


def test_a_failed_send_brings_the_problem_into_view_and_keeps_answers(live_server, browser):
    idea = "Garder mes réponses après une erreur"
    with new_page(browser, NARROW, "fr-FR") as page:
        open_page(page, live_server.page_url("survey", lang="fr"), ready=survey_ready(S))
        fill_resident(page, "fr", idea=idea, consent=False)
        page.evaluate("() => window.scrollTo(0, 0)")
        submit(page, S)
        consent_error = f"{skey(S, 'consent_box')} {ERROR}"
        page.wait_for_selector(consent_error)
        page.wait_for_function(
            "(s) => { const e = document.querySelector(s); if (!e) return false;"
            " const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
            arg=consent_error,
        )
        assert not page.locator(f"{skey(S, 'new')} a").count()  # nothing was stored
        press_back(page, S)  # every answer is still there
        assert page.locator(f"{qkey(S, 'idea')} textarea").input_value() == idea
        tick_consent(page, S)
        submit(page, S)
        wait_thank_you(page, S)
        assert not exceptions_on(page)
    write_artifact("e2e_validation", {"consent_error_in_view": True, "corrected": True})


def test_ranking_places_are_explicit_and_can_change(live_server, browser):
    with new_page(browser, PHONE, "ar") as page:
        open_page(page, live_server.page_url("survey", lang="ar"), ready=survey_ready(S))
        fill_resident(page, "ar", consent=False, skip=("recommendations", "relationship"))
        go_to(page, S, qkey(S, "recommendations", "participation"))
        pick_places(page, S, "recommendations", ["participation", "migrant-women"])
        # give the 1st place to another option: it moves there and leaves participation free
        pick_places(page, S, "recommendations", ["support-networks"])
        checked = page.evaluate(
            """(prefix) => Object.fromEntries(Array.from(document.querySelectorAll(
                 '[class*="st-key-' + prefix + '"] [role=radiogroup]')).map(g => [
                 Array.from(g.closest('[class*="st-key-' + prefix + '"]').classList)
                   .find(c => c.startsWith('st-key-' + prefix)).slice(('st-key-' + prefix).length),
                 Array.from(g.querySelectorAll('[role=radio]'))
                   .findIndex(b => b.getAttribute('aria-checked') === 'true')]))""",
            f"survey_{S}_q_recommendations__",
        )
        assert checked["support-networks"] == 0
        assert checked["migrant-women"] == 1
        assert checked["participation"] == -1
        settle(page)


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
