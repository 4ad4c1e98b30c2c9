"""Issue 12 (and 21), read aloud, in headless Chromium: one listen button per question (the
question, its help and lines, then every answer), one for the introduction, one for the consent.

Headless Chromium has no voices, so a listen button plays the server's espeak-ng clip
(`/speech/<clip>.wav`, made on first use); the clip and the manifest's record of its text are
checked on disk. A stub voice stands in for a phone's own voice. With neither a voice nor
espeak-ng, a note beside the button says so. Both hosts: the light page and the form mounted
in the Streamlit survey page.
"""

from __future__ import annotations

import json
import os

import pytest

from inclucities.i18n import translator
from inclucities.speech import clip_key, espeak_path, question_reading
from scripts.support.a11y_utils import tab_to
from scripts.support.browser_utils import PHONE, running_server
from scripts.support.e2e_utils import (
    catalog_text,
    form,
    new_page,
    open_page,
    qkey,
    skey,
    survey_ready,
)
from scripts.support.survey_helpers import RESIDENT

pytestmark = pytest.mark.browser

S = "resident"
LOCALES = {"ar": "ar", "uk": "uk-UA"}
QUESTION = f"{qkey(S, 'welcome')} .icf-listen"
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


def _url(server, host: str, lang: str) -> str:
    if host == "light":
        return server.page_url(f"answer/{S}", lang=lang)
    return server.page_url("survey", lang=lang, survey=S)


def _reading(lang: str, question: str = "welcome") -> str:
    definition = RESIDENT.question(question)
    assert definition is not None
    return question_reading(definition, translator(lang))


@pytest.mark.parametrize(("host", "lang"), [("mounted", "ar"), ("light", "uk")])
def test_listen_plays_the_servers_clip_when_the_phone_has_no_voice(
    audio_server, browser, host, lang
):
    t = translator(lang)
    text = _reading(lang)
    key = clip_key(lang, text)
    with new_page(browser, PHONE, LOCALES[lang]) as page:
        open_page(page, _url(audio_server, host, lang), ready=survey_ready(S))
        # one button per question, each naming the clip of that question's whole reading
        clips = page.eval_on_selector_all(
            f"{form(S)} .icf-q .icf-listen",
            "els => els.map(b => [b.closest('.icf-q').dataset.q, b.dataset.clip])",
        )
        expected = [[q.id, clip_key(lang, _reading(lang, q.id))] for q in RESIDENT.questions]
        assert sorted(clips) == sorted(expected)
        button = page.locator(QUESTION)
        assert button.get_attribute("aria-label") == t("survey.form.listen_question")
        assert page.evaluate("() => window.speechSynthesis.getVoices().length") == 0
        with page.expect_response(lambda r: f"/speech/{key}.wav" in r.url) as answer:
            button.click()
        response = answer.value
        assert response.status in (200, 206)  # the audio element may ask for a range
        assert response.headers["content-type"] == "audio/wav"
        assert len(response.body()) > 0
        assert page.locator(f"{form(S)} .icf-listen-note").count() == 0  # it played
        # the introduction has its own button and clip
        intro = t.text(RESIDENT.introduction)
        with page.expect_response(lambda r: clip_key(lang, intro) in r.url) as second:
            page.locator(f"{form(S)} .icf-intro .icf-listen").click()
        assert second.value.status in (200, 206)
    manifest = json.loads((audio_server.audio_dir / "manifest.json").read_text("utf-8"))
    assert manifest[key]["text"] == text
    assert manifest[key]["lang"] == lang
    assert (audio_server.audio_dir / f"{key}.wav").stat().st_size == manifest[key]["bytes"] > 0
    assert manifest[clip_key(lang, intro)]["text"] == intro


def test_the_consent_has_its_own_listen_button_and_clip(audio_server, browser):
    """The consent text (with the small-group size filled in) is read by its own button."""
    from inclucities.settings import get_settings

    lang = "uk"
    consent = RESIDENT.consent_text(lang, get_settings().min_cell_size)
    with new_page(browser, PHONE, LOCALES[lang]) as page:
        open_page(page, _url(audio_server, "light", lang), ready=survey_ready(S))
        button = page.locator(f"{skey(S, 'consent')} .icf-listen")
        assert button.get_attribute("data-clip") == clip_key(lang, consent)
        assert button.get_attribute("aria-label") == translator(lang)("survey.form.listen_consent")


def test_listen_uses_the_phones_own_voice_when_it_has_one(audio_server, browser):
    t = translator("uk")
    clips: list[str] = []
    with new_page(browser, PHONE, "uk-UA") as page:
        page.add_init_script(f"({FAKE_VOICE})('uk-UA')")
        page.on("request", lambda r: clips.append(r.url) if "/speech/" in r.url else None)
        open_page(page, _url(audio_server, "light", "uk"), ready=survey_ready(S))
        page.locator(QUESTION).click()
        page.wait_for_function("() => window.__spoken.length > 0")
        spoken = page.evaluate("() => window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "uk", spoken
    said = spoken[0]["text"]
    assert said.startswith(t.text(RESIDENT.question("welcome").text)), said
    for level in range(1, 6):  # then every answer it offers
        assert t(f"survey.scale.{level}") in said, (level, said)
    assert clips == [], "the server's clip was fetched although the phone has a voice"


def test_listen_buttons_are_reached_and_pressed_with_the_keyboard(audio_server, browser):
    """Tab reaches the question's listen button; Enter plays it; the next Tab stop is the
    question's answers (one stop for the group), the one after, the next question's button."""
    key = clip_key("ar", _reading("ar"))
    with new_page(browser, PHONE, "ar") as page:
        open_page(page, _url(audio_server, "light", "ar"), ready=survey_ready(S))
        tab_to(page, QUESTION, max_presses=60)
        with page.expect_response(lambda r: f"/speech/{key}.wav" in r.url) as answer:
            page.keyboard.press("Enter")
        assert answer.value.status in (200, 206)
        assert page.locator(QUESTION).get_attribute("aria-pressed") in ("true", "false")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == "welcome"
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.matches('.icf-listen'),"
            " document.activeElement.closest('.icf-q').dataset.q]"
        )
        assert focused == [True, "belonging"], focused


@pytest.mark.parametrize("host", ["light", "mounted"])
def test_without_a_voice_or_a_clip_the_button_says_so(browser, tmp_path, host):
    from tests.conftest import _require_chromium

    _require_chromium()
    env = {"INCLUCITIES_AUDIO_DIR": str(tmp_path / "empty"), "PATH": str(tmp_path)}  # no espeak
    with (
        running_server(tmp_path / "none.duckdb", env) as server,
        new_page(browser, PHONE, "ar") as page,
    ):
        open_page(page, _url(server, host, "ar"), ready=survey_ready(S))
        with page.expect_response(lambda r: "/speech/" in r.url) as answer:
            page.locator(QUESTION).click()
        assert answer.value.status == 404
        note = page.locator(f"{qkey(S, 'welcome')} .icf-listen-note")
        note.wait_for()
        text = note.inner_text()
        assert page.locator(f"{qkey(S, 'welcome')} .icf-listen.icf-playing").count() == 0
    assert text == catalog_text("ar", "survey.listen_unavailable")
