"""In a real browser, in French, English and Arabic: no value from a link, a form or an answer
becomes a link, an image or a heading (issue 28).

Every page is opened with hostile values in its query (addresses, e-mail addresses, Markdown,
HTML, bidirectional controls); the survey and process pages, which repeat a value, once per
value. Ideas and session names that are such values are shown on the results, wall, presenter
and admin pages. Nowhere does an `<a>`, `<img>` or heading take its target or its text from them
(Streamlit's Markdown links a bare address by itself, even one whose punctuation is escaped).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import Error as PlaywrightError

from components.navigation import PAGES
from inclucities.store import SurveyStore
from inclucities.survey.loader import load_survey_definitions
from scripts.support.browser_utils import DESKTOP, TEST_ADMIN_PASSWORD, running_server
from scripts.support.e2e_utils import exceptions_on, key, new_page, open_page, settle
from scripts.support.survey_helpers import resident_answers
from tests.conftest import _require_chromium
from tests.test_hostile_urls import PARAMS, PAYLOADS

pytestmark = pytest.mark.browser

LANGS = ("fr", "en", "ar")
EXAMPLE = "[evilx](https://evil.example/login)"  # the link of the issue, as a visitor opens it
ADDRESSES = ("https://evil.example/x", "www.evil.example", "mailto:x@evil.example")
ADDRESSES += ("evil@evil.example",)
COMBINED = " ".join(PAYLOADS)
HOSTILE = re.compile(
    r"evil\.example|attacker\.example|//e\.co\b|javascript:|alert\(1\)|injected heading", re.I
)
INVISIBLE = re.compile("[\u2060\u2068\u2069]")  # word joiners and isolates: not seen, not read
NAMES = (
    ("[Session expired: log in](https://evil.example/login) www.evil.example", "evil@evil.example"),
    ("# Injected heading https://evil.example/x", "\u202egnp.exe <img src=x onerror=alert(1)>"),
)
WORD = "evil@evil.example www.evil.example"  # a short answer (40 characters at most)
IDEA = "https://evil.example/x www.evil.example mailto:x@evil.example evil@evil.example"
WAIT = 120_000

# Every link, image and heading of a document: its tag, its target and its text.
MARKS_JS = """() => Array.from(document.querySelectorAll(
    'a, area, img, image, h1, h2, h3, h4, h5, h6, [role=heading], [role=link]'))
  .map(e => [e.tagName.toLowerCase(),
             e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('xlink:href') || '',
             (e.textContent || '') + ' ' + (e.getAttribute('alt') || '')])"""


def planted(page) -> list[tuple[str, str, str]]:
    """Links, images and headings, in the page and its frames, whose target (before its query:
    a link to the app's own page may carry a value as a parameter) or text names a value."""
    found = []
    for frame in page.frames:
        try:
            marks = frame.evaluate(MARKS_JS)
        except PlaywrightError:  # a frame gone meanwhile holds nothing
            continue
        for tag, target, text in marks:
            where = re.split(r"[?#]", target, maxsplit=1)[0]
            if HOSTILE.search(where) or HOSTILE.search(text):
                found.append((tag, target, " ".join(text.split())))
    return found


def seen(page) -> str:
    """The page's text as a reader sees it (invisible joiners and isolates left out)."""
    return INVISIBLE.sub("", page.locator("body").inner_text())


def query(**values: str) -> str:
    return urlencode(values, quote_via=quote)


def assert_clean(page, where: str) -> None:
    assert planted(page) == [], where
    assert not exceptions_on(page), where


def seed(db_path) -> list[str]:
    """Two resident sessions named with hostile values; approved and pending ideas that are
    hostile values (pending in both surveys). Returns the session ids."""
    surveys = load_survey_definitions().surveys
    store = SurveyStore(db_path, surveys.values())
    ids = []
    for n, (name, place) in enumerate(NAMES):
        session = store.create_session(
            "resident", name, actor="test", place=place, day=dt.date(2025, 5, 1)
        )
        ids.append(session.id)
        store.submit(
            f"s{n}", "resident", 1, "fr", resident_answers(idea=IDEA), session_id=session.id
        )
    store.submit("pending", "resident", 1, "ar", resident_answers(idea=COMBINED[:500]))
    readiness = {item.id: "4" for item in surveys["academy"].question("readiness").items}
    word = {"first_recommendation": "participation", "readiness": readiness, "one_word": WORD}
    store.submit("word", "academy", 1, "fr", word)  # pending: on whichever survey admin opens
    approved = [i.id for i in store.ideas("resident") if i.text == IDEA]
    store.set_ideas_status(approved, "approved", actor="mod")
    store.close()
    return ids


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    _require_chromium()
    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    sessions = seed(db)
    with running_server(db) as server:
        server.sessions = sessions
        yield server


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_with_hostile_values_in_its_link(hostile_server, browser, lang):
    values = dict.fromkeys(PARAMS, COMBINED) | {"lang": lang}
    with new_page(browser, DESKTOP) as page:
        for spec in PAGES:
            path = "" if spec.default else spec.url_path
            open_page(page, f"{hostile_server.url}/{path}?{query(**values)}")
            assert_clean(page, spec.url_path)
        for path in ("j", f"j/{quote(COMBINED[:40], safe='')}", "answer/resident", "sign-in"):
            page.goto(f"{hostile_server.url}/{path}?{query(**values)}")
            page.wait_for_load_state("load")
            page.wait_for_timeout(500)  # the form's script has filled the page in
            assert_clean(page, path)


@pytest.mark.parametrize("lang", LANGS)
def test_each_value_a_page_repeats_shows_as_text(hostile_server, browser, lang):
    with new_page(browser, DESKTOP) as page:
        for payload in PAYLOADS:
            open_page(page, f"{hostile_server.url}/survey?{query(survey=payload, lang=lang)}")
            page.wait_for_selector("[data-testid='stAlert']")
            assert_clean(page, f"survey={payload!r}")
            open_page(page, f"{hostile_server.url}/process?{query(stage=payload, lang=lang)}")
            assert_clean(page, f"stage={payload!r}")
        for address in ADDRESSES:
            open_page(page, f"{hostile_server.url}/survey?{query(survey=address, lang=lang)}")
            assert address in seen(page)  # shown as written, not as a link


def test_the_issue_link_shows_a_short_text_and_no_link(hostile_server, browser):
    with new_page(browser, DESKTOP) as page:
        open_page(page, f"{hostile_server.url}/survey?survey={EXAMPLE}&lang=en")
        alert = page.locator("[data-testid='stAlert']").first
        alert.wait_for()
        text = INVISIBLE.sub("", alert.inner_text())
        assert "[evilx](https://evil.ex\u2026" in text
        assert "login" not in text  # cut: an unknown value is not repeated whole
        assert alert.locator("a").count() == 0
        assert_clean(page, "the issue's link")


@pytest.mark.parametrize("lang", LANGS)
def test_ideas_and_session_names_show_as_text_where_they_are_shown(hostile_server, browser, lang):
    first = hostile_server.sessions[0]
    base = hostile_server.url
    with new_page(browser, DESKTOP) as page:
        results = query(survey="resident", session=first, lang=lang)
        open_page(page, f"{base}/results?{results}", ".live--results[data-live-ready]")
        assert_clean(page, "results")

        wall = query(view="projector", survey="resident", survey_lang=lang, screen="wall")
        open_page(page, f"{base}/presenter?{wall}&lang={lang}", ".live--wall[data-live-ready]")
        page.wait_for_selector(".live--wall .live-idea")
        assert "evil@evil.example" in seen(page)  # the idea, as written
        assert_clean(page, "wall")

        live = query(survey="resident", survey_lang=lang, screen="live", session=first)
        open_page(page, f"{base}/presenter?{live}&lang={lang}", key("presenter_stage"))
        assert "evil@evil.example" in seen(page)  # the session's place
        assert_clean(page, "presenter")

        compare = query(survey="resident", survey_lang=lang, screen="compare")
        open_page(page, f"{base}/presenter?{compare}&lang={lang}", ".compare-key")
        labels = INVISIBLE.sub("", " ".join(page.locator(".compare-key-name").all_inner_texts()))
        assert "https://evil.example/x" in labels
        assert_clean(page, "compare")

    with new_page(browser, DESKTOP) as page:
        page.goto(f"{base}/sign-in?{query(next='admin', lang=lang)}")
        page.locator("#icf-signin-password").fill(TEST_ADMIN_PASSWORD)
        page.locator("button[type=submit]").click()
        page.wait_for_selector(key("admin_section"))
        settle(page)
        page.locator(f"{key('admin_section')} button").nth(1).click()  # moderation
        settle(page)
        page.wait_for_selector("[class*='st-key-admin_mod_idea_']", timeout=WAIT)
        assert "www.evil.example" in seen(page)
        assert_clean(page, "admin")
