"""The resident survey completed with the keyboard alone: Tab, Space, arrows, typing, Enter.

No mouse click anywhere. Focus only ever moves forward with Tab, so reaching each question in
turn within a few presses also proves the focus order follows the order of the questions.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser_utils import PHONE
from tests.e2e_utils import (
    RESIDENT_ACCESS,
    exceptions_on,
    new_page,
    open_page,
    option_label,
    qkey,
    settle,
    skey,
    survey_ready,
    tab_to,
    wait_thank_you,
    write_artifact,
)

pytestmark = pytest.mark.browser

MAX_TABS_BETWEEN = 12  # presses from one question to the next; more means focus wandered


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


def _choose_by_typing(page, selector: str, text: str) -> None:
    """In a focused multiselect: type to filter, arrow to the match, Enter, Escape."""
    before = page.locator(f"{selector} [data-tag]").count()
    match = page.locator("[role='listbox'] [role='option']").filter(has_text=text[:12]).first
    # On a loaded machine keys typed while Streamlit reruns after the previous choice can be
    # lost: select whatever the filter box holds and type again until the list shows the match.
    for _attempt in range(3):
        settle(page)
        page.keyboard.press("Control+A")
        page.keyboard.type(text[:12])
        try:
            match.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    match.wait_for(timeout=10_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    tags = page.locator(f"{selector} [data-tag]")
    try:
        expect(tags).to_have_count(before + 1, timeout=15_000)
    except AssertionError as exc:
        raise AssertionError(f"{selector}: typing {text!r} did not add a choice") from exc
    settle(page)
    page.keyboard.press("Escape")
    settle(page)
    assert tags.count() == before + 1, f"{selector}: typing {text!r} did not add a choice"
    assert text in tags.nth(before).inner_text()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_resident_survey_with_the_keyboard_alone(live_server, browser, lang):
    s = "resident"
    trail: list[str] = []
    presses: dict[str, int] = {}
    with new_page(browser, PHONE) as page:
        open_page(page, live_server.page_url("survey", lang=lang), ready=survey_ready(s))

        def reach(selector: str, name: str, limit: int = MAX_TABS_BETWEEN) -> None:
            presses[name] = tab_to(page, selector, max_presses=limit, trail=trail)

        # from the top of the page: skip past the header and the menu
        reach(qkey(s, "welcome"), "welcome", limit=60)
        _space(page)
        for question in ("belonging", "information"):
            reach(qkey(s, question), question)
            page.keyboard.press("ArrowRight")  # moves and selects: a different answer
            settle(page)
            assert _checked(page, qkey(s, question)) == 1
        # agree (4 or 5) that one knows where to find information: the follow-up appears
        for _ in range(6):
            if _checked_index(page, qkey(s, "information")) in (3, 4):
                break
            page.keyboard.press("ArrowRight")
            settle(page)
        assert _checked_index(page, qkey(s, "information")) in (3, 4)
        reach(qkey(s, "info_sources"), "info_sources")
        _choose_by_typing(
            page, qkey(s, "info_sources"), option_label(s, "info_sources", "associations", lang)
        )
        for item in RESIDENT_ACCESS:
            reach(qkey(s, "access", item), f"access.{item}")
            _space(page)
            assert _checked(page, qkey(s, "access", item)) == 1
        for question in ("voice", "contact"):
            reach(qkey(s, question), question)
            _space(page)
            assert _checked(page, qkey(s, question)) == 1
        reach(qkey(s, "recommendations"), "recommendations")
        for option in ("participation", "support-networks"):
            _choose_by_typing(
                page, qkey(s, "recommendations"), option_label(s, "recommendations", option, lang)
            )
        reach(qkey(s, "idea"), "idea")
        page.keyboard.type("Keyboard only: more evening language courses")
        reach(skey(s, "consent"), "consent", limit=40)  # past the optional questions
        _space(page)
        assert _checked(page, skey(s, "consent")) == 1
        reach(skey(s, "submit"), "submit")
        page.keyboard.press("Enter")
        settle(page)
        wait_thank_you(page, s)
        assert not exceptions_on(page)
        # the thank-you actions are reachable by keyboard too
        reach(skey(s, "new"), "new_response", limit=40)
    write_artifact(f"a11y_keyboard_{lang}", {"tab_presses": presses, "focus_trail": trail})
