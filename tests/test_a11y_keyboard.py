"""The resident survey completed with the keyboard alone: Tab, Space, arrows, typing, Enter.

No mouse click anywhere, on both hosts of the form (the light page and the form mounted in the
Streamlit survey page). The controls are native: Tab stops once per radio group (arrows move
inside it), once per checkbox, select, text box, listen button and button. Focus only ever
moves forward with Tab, so reaching each question in turn within a few presses also proves the
focus order follows the order of the questions. Every stop reached shows a focus ring (an
outline of 2 px or more, on the control or on its answer row) and is in the window. After Next,
focus moves to the new step's heading, so the step's first listen button is the next stop.
"""

from __future__ import annotations

import pytest

from inclucities.i18n import translator
from scripts.support.a11y_utils import tab_to
from scripts.support.browser_utils import PHONE
from scripts.support.e2e_utils import (
    RESIDENT_ACCESS,
    exceptions_on,
    form,
    new_page,
    open_page,
    qkey,
    settle_form,
    skey,
    survey_ready,
    wait_thank_you,
    write_artifact,
)

pytestmark = pytest.mark.browser

S = "resident"
MAX_TABS_BETWEEN = 14  # presses from one answer to the next; more means focus wandered
STEP_HEADING = f"{form(S)} h2.icf-step-title"

# How the focused control shows it has focus: its own outline, or (a radio or checkbox, whose
# box is drawn by its answer row) the row's.
FOCUS_RING_JS = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const box = a.closest('.icf-choice') || a;
  const s = getComputedStyle(box);
  const r = box.getBoundingClientRect();
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
          inView: r.height > 0 && r.bottom > 0 && r.top < window.innerHeight};
}"""


def _press(page, name: str) -> None:
    page.keyboard.press(name)
    settle_form(page)


def _checked(page, selector: str) -> int:
    return page.evaluate("(s) => document.querySelectorAll(s + ' input:checked').length", selector)


def _checked_index(page, selector: str) -> int:
    """Position of the chosen radio in its group (-1 when none is chosen)."""
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s + ' input[type=radio]')].findIndex(i => i.checked)",
        selector,
    )


def _url(server, host: str, lang: str) -> str:
    if host == "light":
        return server.page_url(f"answer/{S}", lang=lang)
    return server.page_url("survey", lang=lang)  # the resident survey is the default


@pytest.mark.parametrize("host", ["mounted", "light"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_resident_survey_with_the_keyboard_alone(live_server, browser, lang, host):
    t = translator(lang)
    trail: list[str] = []
    presses: dict[str, int] = {}
    headings: list[bool] = []
    unseen: list[tuple[str, dict | None]] = []  # stops without a visible focus ring
    with new_page(browser, PHONE) as page:
        open_page(page, _url(live_server, host, lang), ready=survey_ready(S))

        def reach(selector: str, name: str, limit: int = MAX_TABS_BETWEEN) -> None:
            presses[name] = tab_to(page, selector, max_presses=limit, trail=trail)
            ring = page.evaluate(FOCUS_RING_JS)
            if not ring or ring["style"] == "none" or ring["width"] < 2 or not ring["inView"]:
                unseen.append((name, ring))

        def next_step() -> None:
            reach(skey(S, "next"), "next", limit=40)
            _press(page, "Enter")
            page.wait_for_function(
                "(s) => { const a = document.activeElement; return !!(a && a.matches(s)); }",
                arg=STEP_HEADING,
            )
            headings.append(True)

        def step_with(selector: str) -> None:
            """Press Next (by keyboard) until `selector` is in the step shown."""
            for _ in range(6):
                if page.locator(selector).first.is_visible():
                    return
                next_step()
            raise AssertionError(f"{selector} never showed")

        # from the top of the page: past the header (and, mounted, the app's menu)
        reach(f"{qkey(S, 'welcome')} input", "welcome", limit=60)
        _press(page, "Space")
        assert _checked(page, qkey(S, "welcome")) == 1
        for question in ("belonging", "information"):
            reach(f"{qkey(S, question)} .icf-listen", f"{question}.listen")  # its own stop
            reach(f"{qkey(S, question)} input", question, limit=1)  # then the group: one stop
            _press(page, "ArrowDown")  # moves and selects, whatever the reading direction
            assert _checked(page, qkey(S, question)) == 1
        # agree (4 or 5) that one knows where to find information: the follow-up appears
        for _ in range(7):
            if _checked_index(page, qkey(S, "information")) in (3, 4):
                break
            _press(page, "ArrowDown")
        assert _checked_index(page, qkey(S, "information")) in (3, 4)
        reach(f"{qkey(S, 'info_sources', 'associations')} input", "info_sources", limit=20)
        _press(page, "Space")
        assert _checked(page, qkey(S, "info_sources", "associations")) == 1

        next_step()  # the access grid: the first stop after the heading is its listen button
        reach(f"{qkey(S, 'access')} .icf-listen", "access.listen", limit=1)
        name = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        assert name == t("survey.form.listen_question"), name
        for item in RESIDENT_ACCESS:  # one stop per line
            reach(f"{qkey(S, 'access', item)} input", f"access.{item}", limit=1)
            _press(page, "Space")
            assert _checked(page, qkey(S, "access", item)) == 1

        step_with(qkey(S, "voice"))
        for question in ("voice", "contact"):
            reach(f"{qkey(S, question)} input", question)
            _press(page, "Space")
            assert _checked(page, qkey(S, question)) == 1
        for place, option in enumerate(("participation", "support-networks"), start=1):
            select = f"{qkey(S, 'recommendations')} select[data-option='{option}']"
            reach(select, option)
            for _ in range(place):  # a closed select: the arrows change its value
                _press(page, "ArrowDown")
            assert page.locator(select).input_value() == str(place)

        step_with(qkey(S, "idea"))
        reach(f"{qkey(S, 'idea')} textarea", "idea")
        page.keyboard.type("Keyboard only: more evening language courses")
        settle_form(page)
        assert page.locator(f"{qkey(S, 'idea')} textarea").input_value().startswith("Keyboard")

        step_with(skey(S, "consent"))
        reach(f"{skey(S, 'consent')} input", "consent", limit=40)  # past the optional questions
        _press(page, "Space")
        assert _checked(page, skey(S, "consent")) == 1
        reach(skey(S, "submit"), "submit")
        _press(page, "Enter")
        wait_thank_you(page, S)
        assert not exceptions_on(page)
        # the thank-you takes focus (its heading); its actions are reachable by keyboard too
        assert page.evaluate("() => document.activeElement.matches('.icf-thanks-title')")
        reach(skey(S, "new"), "new_response", limit=40)
    assert headings, "Next was never pressed"
    assert not unseen, f"stops without a visible focus ring: {unseen}"
    name = f"a11y_keyboard_{lang}" + ("" if host == "mounted" else "_light")
    write_artifact(name, {"host": host, "tab_presses": presses, "focus_trail": trail})
