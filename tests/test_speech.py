"""Issue 12, read aloud: which texts can be heard, the espeak-ng clips, the route serving them."""

from __future__ import annotations

import asyncio
import os

import pytest
from starlette.applications import Starlette

from inclucities.i18n import translator
from inclucities.speech import (
    VOICES,
    AudioLibrary,
    Clip,
    answer_labels,
    clip_key,
    espeak_path,
    question_reading,
    speech_catalog,
    survey_texts,
)
from inclucities.survey.form import scale_label
from inclucities.survey.models import AGREEMENT_LEVELS
from scripts.support.survey_helpers import RESIDENT, SURVEYS
from tests.async_utils import run_coroutine


def _need_espeak() -> None:
    if espeak_path():
        return
    message = "espeak-ng is not installed (apt-get install espeak-ng); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_one_reading_per_question_holds_the_question_its_lines_and_every_answer():
    t = translator("uk")
    texts = survey_texts(RESIDENT, t, 5)
    for question in RESIDENT.questions:
        reading = question_reading(question, t)
        assert reading in texts
        assert reading.startswith(t.text(question.text))
        for label in [t.text(o.label) for o in question.options]:
            assert label in reading
        for label in [t.text(i.label) for i in question.items]:
            assert label in reading
        if question.type == "agreement":
            assert {scale_label(t, level) for level in AGREEMENT_LEVELS} <= set(
                answer_labels(question, t)
            )
    assert RESIDENT.consent_text("uk", 5) in texts
    assert not any("{k}" in text for text in texts)


@pytest.mark.parametrize("lang", ["en", "fr", "ar", "uk"])
def test_the_no_answer_choice_is_read_by_its_words_not_its_catalog_key(lang):
    """The old listen button beside "I don't know" read the key `survey.scale.dk` aloud."""
    t = translator(lang)
    for question in RESIDENT.questions:
        if question.no_answer is None:
            continue
        labels = answer_labels(question, t)
        assert labels[-1] == t.text(question.no_answer.label)
        assert not any(label.startswith("survey.") for label in labels)
        assert "survey.scale" not in question_reading(question, t)


def test_a_clip_is_named_by_its_language_and_text():
    assert clip_key("ar", "نص") == clip_key("ar", "نص")
    assert clip_key("ar", "نص") != clip_key("uk", "нص")
    assert clip_key("fr", "Oui") != clip_key("fr", "Oui.")
    catalog = speech_catalog(SURVEYS.values(), 5)
    assert set(VOICES) == {clip.lang for clip in catalog.values()}
    assert all(key == clip_key(c.lang, c.text) for key, c in catalog.items())


@pytest.mark.parametrize("lang", ["ar", "uk"])
def test_espeak_makes_a_clip_and_the_manifest_records_its_text(tmp_path, lang):
    _need_espeak()
    text = translator(lang).text(RESIDENT.questions[0].text)
    clip = Clip(clip_key(lang, text), lang, text)
    library = AudioLibrary(tmp_path)
    path = library.synthesize(clip)
    data = path.read_bytes()
    assert len(data) > 1000 and data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    assert library.manifest()[clip.key]["text"] == text
    assert library.manifest()[clip.key]["bytes"] == len(data)


def test_build_makes_what_is_missing_and_removes_what_no_text_uses(tmp_path):
    _need_espeak()
    t = translator("lv")
    texts = [t.text(q.text) for q in SURVEYS["academy"].questions]
    catalog = {clip_key("lv", x): Clip(clip_key("lv", x), "lv", x) for x in texts}
    library = AudioLibrary(tmp_path)
    stale = library.synthesize(Clip(clip_key("lv", "vecs"), "lv", "vecs"))
    assert library.build(catalog) == {"made": 3, "kept": 0, "removed": 1, "clips": 3}
    assert not stale.exists()
    assert library.build(catalog)["kept"] == 3
    assert set(library.manifest()) == set(catalog)


def _get(path: str) -> tuple[int, dict[str, str], bytes]:
    from inclucities.web.speech import speech_routes

    app = Starlette(routes=speech_routes())
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    result: dict = {"body": b""}

    requested: list[bool] = []

    async def receive() -> dict:
        if not requested:  # the request once, then nothing until the response is done
            requested.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            result["status"] = message["status"]
            result["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            result["body"] += message.get("body", b"")

    run_coroutine(app(scope, receive, send))
    return result["status"], result["headers"], result["body"]


def test_the_route_serves_survey_texts_only(tmp_path, monkeypatch):
    monkeypatch.setenv("INCLUCITIES_AUDIO_DIR", str(tmp_path))
    assert _get("/speech/../../etc/passwd.wav")[0] == 404
    assert _get("/speech/" + "0" * 24 + ".wav")[0] == 404  # not a survey text
    text = question_reading(RESIDENT.questions[0], translator("ar"))
    key = clip_key("ar", text)
    monkeypatch.setattr("inclucities.web.speech.espeak_path", lambda: None)
    assert _get(f"/speech/{key}.wav")[0] == 404  # no clip and no espeak-ng: nothing to play


def test_the_route_makes_a_missing_clip_on_first_use(tmp_path, monkeypatch):
    _need_espeak()
    monkeypatch.setenv("INCLUCITIES_AUDIO_DIR", str(tmp_path))
    text = question_reading(RESIDENT.questions[0], translator("uk"))
    status, headers, body = _get(f"/speech/{clip_key('uk', text)}.wav")
    assert status == 200 and headers["content-type"] == "audio/wav"
    assert body[:4] == b"RIFF" and len(body) > 1000
    assert "immutable" in headers["cache-control"]
