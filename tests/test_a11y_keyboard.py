"""The resident survey completed with the keyboard alone: Tab, Space, arrows, typing, Enter.

No mouse click anywhere. Focus only ever moves forward with Tab, so reaching each question in
turn within a few presses also proves the focus order follows the order of the questions.
After Next, focus moves to the new step's heading, so the next question is a few presses away.
Every listen button is a stop on the way, reachable and named.
"""

from __future__ import annotations

import pytest

from tests.browser_utils import PHONE
from tests.e2e_utils import (
    RESIDENT_ACCESS,
    exceptions_on,
    new_page,
    open_page,
    qkey,
    settle,
    skey,
    survey_ready,
    tab_to,
    wait_thank_you,
    write_artifact,
)

pytestmark = pytest.mark.browser

MAX_TABS_BETWEEN = 14  # presses from one answer to the next; more means focus wandered
STEP_HEADING = "h2.survey-step-title"


def _space(page) -> None:
    page.keyboard.press("Space")
    settle(page)


def _checked(page, selector: str) -> int:
    return page.evaluate("(s) => document.querySelectorAll(s + ' input:checked').length", selector)


def _checked_index(page, selector: str) -> int:
    """Position of the chosen radio in its group (-1 when none is chosen)."""
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s + ' input[type=radio]')].findIndex(i => i.checked)",
        selector,
    )


def _focused_on_step_heading(page) -> bool:
    return page.evaluate(
        "(s) => { const a = document.activeElement; return !!(a && a.matches(s)); }",
        STEP_HEADING,
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_resident_survey_with_the_keyboard_alone(live_server, browser, lang):
    s = "resident"
    trail: list[str] = []
    presses: dict[str, int] = {}
    headings: list[bool] = []
    with new_page(browser, PHONE) as page:
        open_page(page, live_server.page_url("survey", lang=lang), ready=survey_ready(s))

        def reach(selector: str, name: str, limit: int = MAX_TABS_BETWEEN) -> None:
            presses[name] = tab_to(page, selector, max_presses=limit, trail=trail)

        def next_step() -> None:
            reach(f"{skey(s, 'next')} button", "next", limit=40)
            page.keyboard.press("Enter")
            settle(page)
            page.wait_for_function(
                "(s) => { const a = document.activeElement; return !!(a && a.matches(s)); }",
                arg=STEP_HEADING,
            )
            headings.append(_focused_on_step_heading(page))

        # from the top of the page: skip past the header and the menu
        reach(f"{qkey(s, 'welcome')} input", "welcome", limit=60)
        _space(page)
        for question in ("belonging", "information"):
            reach(f"{qkey(s, question)} input", question)
            page.keyboard.press("ArrowRight")  # moves and selects: a different answer
            settle(page)
            assert _checked(page, qkey(s, question)) == 1
        # agree (4 or 5) that one knows where to find information: the follow-up appears
        for _ in range(7):
            if _checked_index(page, qkey(s, "information")) in (3, 4):
                break
            page.keyboard.press("ArrowRight")
            settle(page)
        assert _checked_index(page, qkey(s, "information")) in (3, 4)
        reach(f"{qkey(s, 'info_sources', 'associations')} input", "info_sources", limit=20)
        _space(page)
        assert _checked(page, qkey(s, "info_sources", "associations")) == 1
        # a listen button is a named stop of its own
        reach(f"{qkey(s, 'info_sources', 'associations')} .survey-listen", "listen")
        name = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        assert name and len(name) > 10, name
        next_step()
        for item in RESIDENT_ACCESS:
            reach(f"{qkey(s, 'access', item)} input", f"access.{item}")
            _space(page)
            assert _checked(page, qkey(s, "access", item)) == 1
        next_step()
        for question in ("voice", "contact"):
            reach(f"{qkey(s, question)} input", question)
            _space(page)
            assert _checked(page, qkey(s, question)) == 1
        for place, option in enumerate(("participation", "support-networks")):
            reach(f"{qkey(s, 'recommendations', option)} [role=radio]", option, limit=40)
            chosen = page.locator(f"{qkey(s, 'recommendations', option)} [role=radio]")
            for _ in range(place):  # the places are one stop; arrows move along them
                page.keyboard.press("ArrowRight")
            settle(page)
            focused = chosen.nth(place).evaluate("b => b === document.activeElement")
            if not focused:  # the arrows follow the reading direction
                for _ in range(2 * place):
                    page.keyboard.press("ArrowLeft")
                settle(page)
            if chosen.nth(place).get_attribute("aria-checked") != "true":
                _space(page)
            assert chosen.nth(place).get_attribute("aria-checked") == "true"
        next_step()
        reach(f"{qkey(s, 'idea')} textarea", "idea")
        page.keyboard.type("Keyboard only: more evening language courses")
        next_step()
        reach(f"{skey(s, 'consent')} input", "consent", limit=40)  # past the optional questions
        _space(page)
        assert _checked(page, skey(s, "consent")) == 1
        reach(f"{skey(s, 'submit')} button", "submit")
        page.keyboard.press("Enter")
        settle(page)
        wait_thank_you(page, s)
        assert not exceptions_on(page)
        # the thank-you actions are reachable by keyboard too
        reach(f"{skey(s, 'new')} a", "new_response", limit=40)
    assert all(headings), "focus did not move to the new step's heading"
    write_artifact(f"a11y_keyboard_{lang}", {"tab_presses": presses, "focus_trail": trail})
