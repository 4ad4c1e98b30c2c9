"""Helpers for the end-to-end, accessibility and fault-drill tests (issue 6).

Everything here addresses widgets by their Streamlit keys (`st-key-<key>` classes) and
data-testids, never by translated text, so the same steps work in all nine languages.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scripts.support.browser_utils import DESKTOP, ROOT, wait_for_app

ARTIFACTS = ROOT / "tests" / ".artifacts"
LANGS = ["en", "fr", "nl", "es", "it", "el", "lv", "ar", "uk"]
WAIT = 60_000  # ms: the CI machine has two shared cores


# -- artifacts (figures for docs/quality.md) ----------------------------------------------------


def write_artifact(name: str, data: Any) -> Path:
    """Store figures of a run in tests/.artifacts/<name>.json (gitignored) for the report."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    payload = {"written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "data": data}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), "utf-8")
    return path


# -- browser contexts and waiting ---------------------------------------------------------------


@contextmanager
def new_page(browser, viewport: dict | None = None, locale: str = "en-GB") -> Iterator[Any]:
    """A fresh browser context (its own Streamlit session) and one page in it."""
    context = browser.new_context(viewport=viewport or DESKTOP, locale=locale)
    context.set_default_timeout(WAIT)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


SETTLED_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')"""


def settle(page, timeout: float = WAIT) -> None:
    """Wait for the rerun a widget interaction started to finish (status widget gone)."""
    page.wait_for_timeout(150)
    page.wait_for_function(SETTLED_JS, timeout=timeout)
    page.wait_for_timeout(100)
    page.wait_for_function(SETTLED_JS, timeout=timeout)


def open_page(page, url: str, ready: str | None = None, timeout: float = WAIT) -> None:
    """Go to a URL and wait until the page (and `ready`, a selector, if given) is rendered."""
    page.goto(url, timeout=timeout)
    wait_for_app(page, timeout=timeout)
    if ready:
        page.wait_for_selector(ready, timeout=timeout)
    settle(page, timeout)


def open_any(page, url: str, timeout: float = WAIT, also: str = "") -> None:
    """Go to a URL and wait for a heading or an exception box (or `also`), whichever shows."""
    page.goto(url, timeout=timeout)
    extra = f", {also}" if also else ""
    page.wait_for_selector(f"h1, [data-testid='stException']{extra}", timeout=timeout)
    settle(page, timeout)
    page.wait_for_timeout(500)
    settle(page, timeout)


SIGN_IN_FIELD = "#icf-signin-password"


def sign_in(
    page,
    base: str,
    password: str,
    next_page: str = "admin",
    lang: str = "en",
    ready: str | None = None,
) -> None:
    """Sign in on the sign-in page (as a person does), then wait for the page it leads to."""
    page.goto(f"{base}/sign-in?next={next_page}%3Flang%3D{lang}&lang={lang}", timeout=WAIT)
    page.locator(SIGN_IN_FIELD).fill(password)
    page.locator("form button[type=submit]").click()
    wait_for_app(page, timeout=WAIT)
    if ready:
        page.wait_for_selector(ready, timeout=WAIT)
    settle(page, WAIT)


def key(name: str) -> str:
    """CSS selector of a keyed widget or container."""
    return f".st-key-{name}"


def pick_st_radio(page, selector: str, index: int) -> None:
    """Choose the index-th option of a Streamlit radio widget (an st.radio, by its key's
    selector) and wait for the rerun it starts (the presenter's modes, not the survey form)."""
    page.locator(f"{selector} [data-testid='stRadioOption']").nth(index).click()
    page.wait_for_function(
        "([s, i]) => { const r = document.querySelectorAll(s + ' input[type=radio]');"
        " return r.length > i && r[i].checked; }",
        arg=[selector, index],
    )
    settle(page)


def exceptions_on(page) -> list[str]:
    """Texts of Streamlit exception boxes shown on the page (a crash in a page script)."""
    return page.locator("[data-testid='stException']").all_inner_texts()


# -- the survey form ----------------------------------------------------------------------------
#
# The form is the phone's form (inclucities/form), on the light page (/j/<code>, /answer/<id>)
# and mounted in the Streamlit survey page alike: native controls named by question id, every
# step on the page and only the current one shown. The helpers below press Next until the
# question they need is in view, so they do not depend on how questions are grouped. Selectors
# name questions, lines and options by their ids, never by translated text.


def form(survey: str) -> str:
    """CSS selector of a survey's form (either host)."""
    return f".icf[data-survey='{survey}']"


def skey(survey: str, name: str) -> str:
    """A part of the form: 'next', 'back', 'submit', 'consent', 'thanks', 'new', 'problem'."""
    parts = {
        "next": ".icf-next",
        "back": ".icf-back",
        "submit": ".icf-send",
        "consent": ".icf-consent",
        "nav": ".icf-nav",
        "thanks": ".icf-thanks",
        "new": ".icf-again",
        "problem": ".icf-problem",
        "status": ".icf-status",
    }
    return f"{form(survey)} {parts[name]}"


def qkey(survey: str, question: str, item: str | None = None) -> str:
    """A question's block; with `item`, one line of a grid or one option of a multiple choice
    or ranking (the row holding its control)."""
    block = f"{form(survey)} #icf-q-{question}"
    if item is None:
        return block
    from inclucities.survey.loader import load_survey_definitions

    definition = load_survey_definitions().surveys[survey].question(question)
    assert definition is not None, question
    if definition.items:
        return f"{block} .icf-line[data-line='{item}']"
    if definition.type == "priorities":
        return f"{block} .icf-rank:has(select[data-option='{item}'])"
    return f"{block} .icf-choice:has(input[value='{item}'])"


def survey_ready(survey: str) -> str:
    """What shows once the form is drawn and its script runs: its Next or Send button."""
    return f"{form(survey)}[data-ready] .icf-nav button:not([hidden])"


SHOWN_STEP_JS = """(s) => {
  const f = document.querySelector(s);
  if (!f) return '';
  const step = f.querySelector('.icf-step:not([hidden])');
  const errors = f.querySelectorAll('.icf-error:not([hidden])').length;
  return (step ? step.dataset.step : '') + '|' + errors;
}"""


def settle_form(page) -> None:
    """The form answers in the page itself: give its script a moment (no server round trip)."""
    page.wait_for_timeout(50)


def _press_and_wait(page, survey: str, button: str) -> None:
    """Press Back or Next and wait until another step shows (or the errors change)."""
    before = page.evaluate(SHOWN_STEP_JS, form(survey))
    page.locator(skey(survey, button)).click()
    page.wait_for_function(f"(s) => ({SHOWN_STEP_JS})(s) !== {before!r}", arg=form(survey))
    settle_form(page)


def press_next(page, survey: str) -> None:
    _press_and_wait(page, survey, "next")


def press_back(page, survey: str) -> None:
    _press_and_wait(page, survey, "back")


def go_to(page, survey: str, selector: str, max_steps: int = 10) -> None:
    """Press Next until `selector` is in the step shown (a required question left empty stops
    the form from moving on, so answer the earlier questions first)."""
    for _ in range(max_steps):
        if page.locator(selector).first.is_visible():
            return
        if not page.locator(skey(survey, "next")).is_visible():
            break
        press_next(page, survey)
    page.locator(selector).first.wait_for(state="visible", timeout=5_000)


def pick_radio(page, selector: str, index: int) -> None:
    """Choose the index-th answer of a question (or of a grid line)."""
    choice = page.locator(f"{selector} .icf-choice").nth(index)
    choice.click()
    choice.locator("input").wait_for(state="attached")
    page.wait_for_function(
        "([s, i]) => { const r = document.querySelectorAll(s + ' .icf-choice input');"
        " return r.length > i && r[i].checked; }",
        arg=[selector, index],
    )
    settle_form(page)


def fill_text(page, selector: str, text: str) -> None:
    """Type into a text box."""
    page.locator(f"{selector} input[type=text], {selector} textarea").first.fill(text)
    settle_form(page)


def option_label(survey: str, question: str, option: str, lang: str) -> str:
    """The text a visitor sees for an option, from the survey definition."""
    from inclucities.i18n import translator
    from inclucities.survey.loader import load_survey_definitions

    definition = load_survey_definitions().surveys[survey].question(question)
    assert definition is not None, question
    label = next(o.label for o in definition.options if o.id == option)
    return translator(lang).text(label)


def pick_ticks(page, survey: str, question: str, options: list[str]) -> None:
    """Tick the boxes of a multiple-choice question, by option id."""
    for option in options:
        box = page.locator(f"{qkey(survey, question)} input[value='{option}']")
        box.check()
    settle_form(page)


def pick_places(page, survey: str, question: str, ranking: list[str]) -> None:
    """Give options of a ranking question their places: ranking[0] gets the 1st place..."""
    for place, option in enumerate(ranking, start=1):
        select = page.locator(f"{qkey(survey, question)} select[data-option='{option}']")
        select.select_option(str(place))
    settle_form(page)


def tick_consent(page, survey: str) -> None:
    go_to(page, survey, skey(survey, "consent"))
    box = page.locator(f"{skey(survey, 'consent')} input[type=checkbox]")
    if not box.is_checked():
        box.check()
    settle_form(page)


def submit(page, survey: str) -> None:
    go_to(page, survey, skey(survey, "submit"))
    page.locator(skey(survey, "submit")).click()
    settle_form(page)


def thank_you_shown(page, survey: str) -> bool:
    return page.locator(f"{skey(survey, 'thanks')}:not([hidden])").count() > 0


def wait_thank_you(page, survey: str, timeout: float = WAIT) -> None:
    """The thank-you: its message, the receipt code and the 'new response' button."""
    page.wait_for_selector(
        f"{skey(survey, 'thanks')}:not([hidden]) .icf-receipt-code", timeout=timeout
    )
    page.wait_for_function(
        "(s) => { const c = document.querySelector(s); return c && c.textContent.length > 0; }",
        arg=f"{skey(survey, 'thanks')} .icf-receipt-code",
        timeout=timeout,
    )


def answer_again(page, survey: str) -> None:
    """'Start a new response' on the thank-you: a blank form for a new respondent."""
    page.locator(skey(survey, "new")).click()
    page.wait_for_selector(f"{skey(survey, 'thanks')}[hidden]", state="attached")
    page.wait_for_selector(survey_ready(survey))
    settle_form(page)


def receipt_shown(page, survey: str) -> str:
    return page.locator(f"{skey(survey, 'thanks')} .icf-receipt-code").inner_text()


def field_errors(page, survey: str) -> list[str]:
    """Question ids whose block shows an inline error."""
    return page.evaluate(
        """(s) => Array.from(document.querySelectorAll(s + ' .icf-q.icf-invalid'))
            .map(q => q.dataset.q)""",
        form(survey),
    )


def in_view(page, selector: str) -> bool:
    """Whether the first element matching `selector` is inside the visible window."""
    return page.evaluate(
        """(s) => { const e = document.querySelector(s); if (!e) return false;
            const r = e.getBoundingClientRect();
            return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight; }""",
        selector,
    )


ACADEMY_READINESS = ["gender", "city-for-all", "labour", "language"]


def fill_academy(page, word: str, choice: int = 0, consent: bool = True) -> None:
    """Answer the three-question academy poll (one choice, agreement grid, one word)."""
    go_to(page, "academy", qkey("academy", "first_recommendation"))
    pick_radio(page, qkey("academy", "first_recommendation"), choice)
    for i, item in enumerate(ACADEMY_READINESS):
        go_to(page, "academy", qkey("academy", "readiness", item))
        pick_radio(page, qkey("academy", "readiness", item), (i + choice) % 5)
    go_to(page, "academy", qkey("academy", "one_word"))
    fill_text(page, qkey("academy", "one_word"), word)
    if consent:
        tick_consent(page, "academy")


RESIDENT_SINGLE_AGREEMENT = ["welcome", "belonging", "information", "voice"]
RESIDENT_ACCESS = ["education", "housing", "work", "language-courses", "health"]
RESIDENT_RANKING = ["participation", "migrant-women"]


def fill_resident(
    page, lang: str, idea: str | None = None, consent: bool = True, skip: tuple[str, ...] = ()
) -> None:
    """Answer the resident survey: every required question (minus `skip`) and a few optional,
    moving through the steps as a respondent does (a skipped required question keeps the form
    on its step, so skip only questions of the last steps, or expect to stay)."""
    s = "resident"

    def at(selector: str) -> None:
        go_to(page, s, selector)

    for i, question in enumerate(RESIDENT_SINGLE_AGREEMENT[:3]):
        if question not in skip:
            at(qkey(s, question))
            # "information": strongly agree, so that the information-sources follow-up shows
            pick_radio(page, qkey(s, question), 4 if question == "information" else (i + 3) % 5)
    if "info_sources" not in skip:
        at(qkey(s, "info_sources"))
        pick_ticks(page, s, "info_sources", ["city-website", "associations"])
    if "access" not in skip:
        for i, item in enumerate(RESIDENT_ACCESS):
            at(qkey(s, "access", item))
            pick_radio(page, qkey(s, "access", item), i % 5)
    if "voice" not in skip:
        at(qkey(s, "voice"))
        pick_radio(page, qkey(s, "voice"), 1)
    if "contact" not in skip:
        at(qkey(s, "contact"))
        pick_radio(page, qkey(s, "contact"), 1)
    if "recommendations" not in skip:
        at(qkey(s, "recommendations"))
        pick_places(page, s, "recommendations", RESIDENT_RANKING)
    if idea is not None and "idea" not in skip:
        at(qkey(s, "idea"))
        fill_text(page, qkey(s, "idea"), idea)
    if "relationship" not in skip:
        at(qkey(s, "relationship"))
        pick_radio(page, qkey(s, "relationship"), 1)  # newcomer: shows arrival_support
        page.locator(qkey(s, "arrival_support")).wait_for(state="visible")
        pick_radio(page, qkey(s, "arrival_support"), 0)
    if consent:
        tick_consent(page, s)


# -- servers for the fault drills -----------------------------------------------------------------


def start_server_in(root: Path, db_path: Path, extra_env: dict[str, str] | None = None):
    """Like browser_utils.start_server, from another project tree (a copy with a broken file)."""
    from scripts.support.browser_utils import start_server

    return start_server(db_path, extra_env, root=root)


def copy_project(dest: Path) -> Path:
    """A runnable copy of the app: `surveys/` copied (to be broken), the rest linked."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "app.py", dest / "app.py")
    shutil.copytree(
        ROOT / "surveys", dest / "surveys", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("components", "inclucities", "pages", "data", "static", ".streamlit"):
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name, target_is_directory=True)
    return dest


def catalog_text(lang: str, key_name: str) -> str:
    """A message as the catalog has it (data/i18n/<lang>.po, English in messages.pot)."""
    from inclucities.i18n import translator

    return translator(lang)(key_name)
