"""Issue 12, read aloud, in headless Chromium: every question and option has a listen button.

Headless Chromium has no voices, so the listen button plays the server's espeak-ng clip; the
clip and the manifest's record of its text are checked on disk. A stub voice stands in for a
phone's own voice. With neither a voice nor espeak-ng, the button says so.
"""

from __future__ import annotations

import json
import os

import pytest

from inclucities.i18n import translator
from inclucities.speech import clip_key, espeak_path
from tests.browser_utils import PHONE, running_server
from tests.e2e_utils import (
    catalog_text,
    new_page,
    open_page,
    qkey,
    settle,
    skey,
    survey_ready,
    tab_to,
)
from tests.survey_helpers import RESIDENT

pytestmark = pytest.mark.browser

S = "resident"
LOCALES = {"ar": "ar", "uk": "uk-UA"}
QUESTION = f"{skey(S, 'block_welcome')} .survey-q .survey-listen"
PLAYED = "(b) => b.getAttribute('data-played')"
FAKE_VOICE = """(lang) => {
  window.__spoken = [];
  const voice = {lang: lang, name: 'Stub voice', default: true, localService: true, voiceURI: 's'};
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
    getVoices: () => [voice], cancel: () => {}, addEventListener: () => {},
    speak: (u) => { window.__spoken.push({text: u.text, lang: u.lang});
                    setTimeout(() => u.onend && u.onend(), 50); }}});
}"""


def _need_espeak() -> None:
    if espeak_path():
        return
    message = "espeak-ng is not installed (apt-get install espeak-ng); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def audio_server(tmp_path_factory):
    """The app with its own (empty) clip folder: clips are made on first use."""
    from tests.conftest import _require_chromium

    _require_chromium()
    _need_espeak()
    folder = tmp_path_factory.mktemp("audio")
    db_path = tmp_path_factory.mktemp("listen") / "listen.duckdb"
    with running_server(db_path, {"INCLUCITIES_AUDIO_DIR": str(folder)}) as server:
        server.audio_dir = folder  # type: ignore[attr-defined]
        yield server


def _question_text(lang: str) -> str:
    return translator(lang).text(RESIDENT.questions[0].text)


@pytest.mark.parametrize("lang", ["ar", "uk"])
def test_listen_plays_the_servers_clip_when_the_phone_has_no_voice(audio_server, browser, lang):
    text = _question_text(lang)
    key = clip_key(lang, text)
    with new_page(browser, PHONE, LOCALES[lang]) as page:
        open_page(page, audio_server.page_url("survey", lang=lang), ready=survey_ready(S))
        button = page.locator(QUESTION)
        assert text in (button.get_attribute("aria-label") or "")
        assert page.evaluate("() => window.speechSynthesis.getVoices().length") == 0
        with page.expect_response(lambda r: f"/speech/{key}.wav" in r.url) as answer:
            button.click()
        response = answer.value
        assert response.status in (200, 206)  # the audio element may ask for a range
        assert response.headers["content-type"] == "audio/wav"
        assert len(response.body()) > 0
        page.wait_for_function(f"() => ({PLAYED})(document.querySelector('{QUESTION}'))=='clip'")
        # an option's button plays that option's own clip
        option = translator(lang)("survey.scale.5")
        with page.expect_response(lambda r: clip_key(lang, option) in r.url) as second:
            page.locator(f"{qkey(S, 'welcome')} .survey-listen-added").nth(4).click()
        assert second.value.status in (200, 206)
    manifest = json.loads((audio_server.audio_dir / "manifest.json").read_text("utf-8"))
    assert manifest[key]["text"] == text
    assert manifest[key]["lang"] == lang
    assert (audio_server.audio_dir / f"{key}.wav").stat().st_size == manifest[key]["bytes"] > 0


def test_listen_uses_the_phones_own_voice_when_it_has_one(audio_server, browser):
    text = _question_text("uk")
    clips: list[str] = []
    with new_page(browser, PHONE, "uk-UA") as page:
        page.add_init_script(f"({FAKE_VOICE})('uk-UA')")
        page.on("request", lambda r: clips.append(r.url) if "/speech/" in r.url else None)
        open_page(page, audio_server.page_url("survey", lang="uk"), ready=survey_ready(S))
        page.locator(QUESTION).click()
        page.wait_for_function("() => window.__spoken.length > 0")
        spoken = page.evaluate("() => window.__spoken")
    assert spoken == [{"text": text, "lang": "uk-UA"}]
    assert clips == [], "the server's clip was fetched although the phone has a voice"


def test_listen_buttons_are_reached_and_pressed_with_the_keyboard(audio_server, browser):
    with new_page(browser, PHONE, "ar") as page:
        open_page(page, audio_server.page_url("survey", lang="ar"), ready=survey_ready(S))
        tab_to(page, QUESTION, max_presses=60)
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => ({PLAYED})(document.querySelector('{QUESTION}')) === 'clip'")
        page.keyboard.press("Tab")  # then the question's answers, then each answer's button
        page.keyboard.press("Tab")
        name = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        assert name == translator("ar")("survey.listen", text=translator("ar")("survey.scale.1"))


def test_without_a_voice_or_a_clip_the_button_says_so(browser, tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    env = {"INCLUCITIES_AUDIO_DIR": str(tmp_path / "empty"), "PATH": str(tmp_path)}  # no espeak
    with (
        running_server(tmp_path / "none.duckdb", env) as server,
        new_page(browser, PHONE, "ar") as page,
    ):
        open_page(page, server.page_url("survey", lang="ar"), ready=survey_ready(S))
        page.locator(QUESTION).click()
        page.wait_for_selector(f"{QUESTION}[aria-disabled='true']")
        settle(page)
        note = page.locator(f"{skey(S, 'block_welcome')} .survey-listen-note").inner_text()
    assert note == catalog_text("ar", "survey.listen_unavailable")
