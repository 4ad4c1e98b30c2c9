"""The ideas wall in a real browser (issue 14, parts 3 and 4), on a 1920 x 1080 projector.

After a few answers (approved one-word answers in French, Arabic and Ukrainian, a few
supports, one pinned idea) the wall shows the word cloud, with its table, and the top ideas,
pinned first; a phone then answers and supports an idea on its thank-you step, and the wall's
support count moves without a reload. Screenshots of the wall in French and Arabic go to
tests/.artifacts/screens/ (wall-fr.png, wall-ar.png).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from inclucities.store import SurveyStore
from inclucities.survey.loader import load_survey_definitions
from scripts.support.a11y_utils import blocking, describe, run_axe_settled
from scripts.support.browser_utils import PHONE, PROJECTOR, running_server
from scripts.support.e2e_utils import (
    ARTIFACTS,
    catalog_text,
    exceptions_on,
    fill_academy,
    new_page,
    open_page,
    receipt_shown,
    skey,
    submit,
    survey_ready,
    wait_thank_you,
)
from scripts.support.survey_helpers import resident_answers
from tests.conftest import _require_chromium

pytestmark = pytest.mark.browser

WALL = ".st-key-presenter_stage .live--wall[data-live-ready]"
SCREENS = ARTIFACTS / "screens"
WAIT = 120_000
LONG_IDEA = "Des cours de langue gratuits le soir,\n\n\n\navec une garderie pour les enfants. " * 4
ANSWERS = [
    ("Solidarité", "fr"),
    ("solidarite", "fr"),
    ("Solidarités", "fr"),
    ("Confiance", "fr"),
    ("confiance", "fr"),
    ("Écoute", "fr"),
    ("التَّضامُن", "ar"),
    ("تضامن", "ar"),
    ("الإدماج", "ar"),
    ("Довіра", "uk"),
    ("довіра", "uk"),
    ("Єдність", "uk"),
    ("Partage des savoirs", "fr"),  # a sentence: the only answer here that becomes a card
]


def seed_wall(db_path) -> dict[str, int]:
    surveys = load_survey_definitions().surveys
    academy = surveys["academy"]
    store = SurveyStore(db_path, surveys.values())
    readiness = {item.id: "4" for item in academy.question("readiness").items}
    for n, (word, lang) in enumerate(ANSWERS):
        store.submit(
            f"w{n}",
            "academy",
            academy.version,
            lang,
            {"first_recommendation": "participation", "readiness": readiness, "one_word": word},
        )
    ideas = {i.text: i.id for i in store.ideas("academy")}
    store.set_ideas_status(list(ideas.values()), "approved", actor="mod")
    for phone in ("w0", "w1", "w2"):  # supporters are stored answers
        store.support_idea(ideas["Confiance"], phone)
    store.support_idea(ideas["تضامن"], "w0")
    store.set_idea_pinned(ideas["Єдність"], True, actor="mod")
    # a long idea with runs of blank lines, on the resident survey's wall
    store.submit("long", "resident", 1, "fr", resident_answers(idea=LONG_IDEA))
    store.submit("short", "resident", 1, "ar", resident_answers(idea="مكتبة مفتوحة للجميع"))
    store.submit("bancs-1", "resident", 1, "fr", resident_answers(idea="Plus de bancs"))
    store.submit("bancs-2", "resident", 1, "fr", resident_answers(idea="plus de bancs !"))
    store.set_ideas_status([i.id for i in store.ideas("resident")], "approved", actor="mod")
    for phone, bench in (("long", "Plus de bancs"), ("short", "plus de bancs !")):
        store.support_idea(next(i.id for i in store.ideas("resident") if i.text == bench), phone)
    store.close()
    return ideas


@pytest.fixture(scope="module")
def wall_server(tmp_path_factory):
    _require_chromium()
    db = tmp_path_factory.mktemp("wall") / "wall.duckdb"
    ideas = seed_wall(db)
    with running_server(db) as server:
        server.ideas = ideas
        yield server


def _wall_url(server, lang: str, survey: str = "academy") -> str:
    return server.page_url(
        "presenter", lang=lang, view="projector", survey=survey, survey_lang=lang, screen="wall"
    )


def _shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"))


WORDS_JS = """() => Array.from(document.querySelectorAll('.live--wall .live-word'))
  .map(w => [w.querySelector('[aria-hidden]').textContent,
             parseFloat(getComputedStyle(w).fontSize)])"""


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_wall_shows_the_word_cloud_and_the_top_ideas(wall_server, browser, lang):
    with new_page(browser, PROJECTOR) as page:
        open_page(page, _wall_url(wall_server, lang), WALL)
        page.wait_for_selector(".live--wall .live-cloud .live-word")
        words = dict(page.evaluate(WORDS_JS))
        assert words["solidarité"] == max(words.values())  # three answers, the biggest
        assert {"confiance", "écoute", "تضامن", "الإدماج", "довіра", "єдність"} <= set(words)
        assert words["écoute"] < words["confiance"] < words["solidarité"]
        assert min(words.values()) >= 24  # read from the back of the room
        table = page.locator(".live--wall .live-cloud-section table")
        assert table.count() == 1  # the words and their counts, as a table
        # one-word answers live in the cloud only: no card repeats them
        cards = page.locator(".live--wall .live-wall--top .live-idea-text")
        assert cards.all_text_contents() == ["Partage des savoirs"]
        # no language name or code on the wall
        assert page.locator(".live--wall .live-idea-lang").count() == 0
        assert page.locator(".live--wall [data-testid='live-cloud']").get_attribute("aria-label")
        assert not exceptions_on(page)
        _shot(page, f"wall-{lang}")
        violations, _ = run_axe_settled(page)
        assert not blocking(violations), describe(blocking(violations))


def test_a_long_idea_is_clamped_on_the_wall_with_its_whole_text_in_the_page(wall_server, browser):
    with new_page(browser, PROJECTOR) as page:
        open_page(page, _wall_url(wall_server, "fr", "resident"), WALL)
        page.wait_for_selector(".live--wall .live-wall--top .live-idea")
        assert page.locator(".live--wall .live-cloud").count() == 0  # no short-text question
        text = page.locator(".live--wall .live-idea-text", has_text="garderie")
        # its turn to be shown whole comes and goes (live.js): measured between turns
        page.wait_for_selector(".live--wall .live-idea--focus")
        page.evaluate(
            "() => document.querySelectorAll('.live-idea--focus')"
            ".forEach(e => e.classList.remove('live-idea--focus'))"
        )
        size = float(text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        line = float(text.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)") or 0)
        box = text.bounding_box()
        assert box is not None and box["height"] <= 4 * (line or 1.4 * size) + 2  # four lines
        content = text.text_content() or ""
        assert content.count("garderie") == 4  # the whole idea, for screen readers
        assert "\n\n\n" not in content
        assert page.locator(".live--wall .live-idea-lang").count() == 0
        _shot(page, "wall-resident-fr")


def test_variants_of_an_idea_are_one_card_and_long_ones_take_turns_whole(wall_server, browser):
    with new_page(browser, PROJECTOR) as page:
        open_page(page, _wall_url(wall_server, "fr", "resident"), WALL)
        page.wait_for_selector(".live--wall .live-wall--top .live-idea")
        texts = page.locator(".live--wall .live-wall--top .live-idea-text").all_text_contents()
        keys = [" ".join(t.casefold().split()) for t in texts]
        assert len(keys) == len(set(keys)), texts  # "Plus de bancs" and "plus de bancs !" merged
        merged = page.locator(".live--wall .live-idea", has_text="bancs")
        assert merged.count() == 1 and merged.get_attribute("data-supports") == "2"
        # the long idea's turn: shown whole, across the wall
        focus = page.locator(".live--wall .live-idea--focus")
        focus.wait_for(timeout=WAIT)
        text = focus.locator(".live-idea-text")
        assert text.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
        _shot(page, "wall-resident-focus-fr")


def test_the_results_page_shows_the_word_cloud_with_its_table(wall_server, browser):
    with new_page(browser) as page:
        open_page(
            page,
            wall_server.page_url("results", survey="academy", lang="uk"),
            ".live--results[data-live-ready]",
        )
        page.wait_for_selector(".live--results .live-cloud .live-word")
        words = page.locator(".live--results .live-cloud .live-word [aria-hidden]")
        assert "довіра" in words.all_text_contents()
        rows = page.locator(".live--results .live-cloud-section table tbody tr")
        assert rows.count() == page.locator(".live--results .live-cloud .live-word").count()
        assert rows.nth(0).locator("th").text_content() == "solidarité"
        assert rows.nth(0).locator("td").text_content() == "3"
        assert not exceptions_on(page)
        _shot(page, "results-cloud-uk")


def _record_ideas_request(request, asked: list[str]) -> None:
    if request.method == "POST" and "/api/ideas" in request.url:
        asked.append(request.url)


IDEA_BUTTONS = f"{skey('academy', 'thanks')} .icf-ideas-list .icf-support"


def test_a_phone_supports_an_idea_and_the_wall_follows_without_reload(wall_server, browser):
    """The thank-you lists the approved ideas (they come with the answers' acknowledgement);
    the phone's submission secret is the supporter: one response supports up to three ideas,
    then the other buttons are off. The wall's count moves without a reload."""
    target = wall_server.ideas["Partage des savoirs"]
    others = [wall_server.ideas["Solidarité"], wall_server.ideas["الإدماج"]]
    with new_page(browser, PROJECTOR) as wall:
        open_page(wall, _wall_url(wall_server, "fr"), WALL)
        card = f".live--wall .live-idea[data-idea='{target}']"
        assert wall.locator(card).get_attribute("data-supports") == "0"
        wall.evaluate("() => { window.__sameDocument = true; }")
        with new_page(browser, PHONE) as phone:
            asked: list[str] = []
            phone.on("request", lambda r: _record_ideas_request(r, asked))
            open_page(
                phone,
                wall_server.page_url("survey", survey="academy", lang="fr"),
                ready=survey_ready("academy"),
            )
            fill_academy(phone, word="Partage")
            assert not asked, "ideas were asked for before the answers were sent"
            submit(phone, "academy")
            wait_thank_you(phone, "academy")
            button = f"{IDEA_BUTTONS}[data-idea='{target}']"
            phone.wait_for_selector(button)
            assert not asked, "the acknowledgement carried the ideas, yet they were asked for"
            listed = phone.locator(IDEA_BUTTONS).count()
            assert listed >= 4, f"only {listed} ideas to support"
            phone.locator(button).click()
            phone.wait_for_selector(f"{button}[aria-pressed='true']")
            assert [urlsplit(url).path for url in asked] == ["/api/ideas/support"], asked
            # supported: the same button now takes the support back
            assert (
                phone.locator(button)
                .inner_text()
                .endswith(catalog_text("fr", "survey.ideas.take_back"))
            )
            for idea in others:  # two more: three in all, the limit of one response
                phone.locator(f"{IDEA_BUTTONS}[data-idea='{idea}']").click()
                phone.wait_for_selector(f"{IDEA_BUTTONS}[data-idea='{idea}'][aria-pressed='true']")
            assert phone.locator(f"{IDEA_BUTTONS}[aria-pressed='true']").count() == 3
            left = phone.locator(f"{IDEA_BUTTONS}[aria-pressed='false']")
            assert left.count() >= 1 and all(
                left.nth(i).is_disabled() for i in range(left.count())
            ), "a fourth idea can still be supported"
            assert not exceptions_on(phone)
            phone.locator(f"{skey('academy', 'thanks')} .icf-ideas").scroll_into_view_if_needed()
            _shot(phone, "thank-you-supports-fr")
        wall.wait_for_selector(f"{card}[data-supports='1']", timeout=WAIT)
        assert wall.evaluate("() => window.__sameDocument === true"), "the wall reloaded"


PRIVACY_CODE = ".st-key-privacy_code input"


def _focused_idea(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.idea")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_support_is_taken_back_and_a_withdrawn_answer_takes_its_support_away(
    wall_server, browser, lang
):
    """Issue 24 on the phone's own form (the light page): the support button is a toggle a
    keyboard works (focus stays on it, aria-pressed follows), the wall follows each change
    without a reload, and deleting the answers by receipt code takes the support away."""
    target = wall_server.ideas["Partage des savoirs"]
    support_text = catalog_text(lang, "survey.ideas.support")
    take_back_text = catalog_text(lang, "survey.ideas.take_back")
    with new_page(browser, PROJECTOR) as wall:
        open_page(wall, _wall_url(wall_server, lang), WALL)
        card = f".live--wall .live-idea[data-idea='{target}']"
        before = int(wall.locator(card).get_attribute("data-supports") or "0")
        wall.evaluate("() => { window.__sameDocument = true; }")

        def wall_shows(count: int) -> None:
            wall.wait_for_selector(f"{card}[data-supports='{count}']", timeout=WAIT)

        with new_page(browser, PHONE) as phone:
            open_page(
                phone,
                wall_server.page_url("answer/academy", lang=lang),
                ready=survey_ready("academy"),
            )
            fill_academy(phone, word=f"Toggle {lang}")
            submit(phone, "academy")
            wait_thank_you(phone, "academy")
            code = receipt_shown(phone, "academy")
            button = phone.locator(f"{IDEA_BUTTONS}[data-idea='{target}']")
            note = phone.locator(f"{skey('academy', 'thanks')} .icf-ideas-note")
            assert button.get_attribute("aria-pressed") == "false"
            assert button.inner_text() == support_text
            # the keyboard: Enter supports, focus stays on the same idea's button
            button.focus()
            phone.keyboard.press("Enter")
            phone.wait_for_selector(f"{IDEA_BUTTONS}[data-idea='{target}'][aria-pressed='true']")
            assert button.inner_text().endswith(take_back_text)
            assert _focused_idea(phone) == str(target)
            assert note.inner_text() == catalog_text(lang, "survey.ideas.supported")
            wall_shows(before + 1)
            violations, _ = run_axe_settled(phone)
            assert not blocking(violations), describe(blocking(violations))
            # Space takes it back
            phone.keyboard.press("Space")
            phone.wait_for_selector(f"{IDEA_BUTTONS}[data-idea='{target}'][aria-pressed='false']")
            assert button.inner_text() == support_text
            assert _focused_idea(phone) == str(target)
            assert note.inner_text() == catalog_text(lang, "survey.ideas.taken_back")
            wall_shows(before)
            # a tap supports again: counted once
            button.click()
            phone.wait_for_selector(f"{IDEA_BUTTONS}[data-idea='{target}'][aria-pressed='true']")
            wall_shows(before + 1)
            assert not exceptions_on(phone)
            phone.locator(f"{skey('academy', 'thanks')} .icf-ideas").scroll_into_view_if_needed()
            _shot(phone, f"thank-you-take-back-{lang}")
            # the respondent deletes their answers with the receipt code (privacy page)
            open_page(phone, wall_server.page_url("privacy", lang=lang), PRIVACY_CODE)
            phone.locator(PRIVACY_CODE).fill(code)
            phone.get_by_role("button", name=catalog_text(lang, "privacy.withdraw.button")).click()
            phone.get_by_text(catalog_text(lang, "privacy.withdraw.done")).wait_for()
        wall_shows(before)
        assert wall.evaluate("() => window.__sameDocument === true"), "the wall reloaded"
