"""Optional machine translation for moderators (issue 24) through a self-hosted LibreTranslate:
a tiny fake server on 127.0.0.1 answers as LibreTranslate's POST /translate does."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from inclucities import machine_translation
from inclucities.machine_translation import LibreTranslate, TranslationError
from scripts.support.survey_helpers import RESIDENT, resident_answers
from tests.apptest_utils import run_app, sign_in_as

ARABIC_IDEA = "مكتبة مفتوحة في المساء"


class FakeLibreTranslate(ThreadingHTTPServer):
    """Answers {"translatedText": "[target] q"}; `mode` makes it slow or failing."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, object]] = []
        self.mode = "ok"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeLibreTranslate

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, **body})
        if self.server.mode == "slow":
            time.sleep(1.5)
        if self.server.mode == "error" or self.path != "/translate":
            self._reply(500, {"error": "model not loaded"})
            return
        if self.server.mode == "garbage":
            self._reply(200, {"nothing": "here"})
            return
        self._reply(200, {"translatedText": f"[{body['target']}] {body['q']}"})

    def _reply(self, status: int, payload: dict[str, str]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[FakeLibreTranslate]:
    fake = FakeLibreTranslate()
    thread = threading.Thread(target=fake.serve_forever, daemon=True)
    thread.start()
    machine_translation.clear_cache()
    yield fake
    fake.shutdown()
    fake.server_close()
    machine_translation.clear_cache()


def test_a_translation_is_asked_as_libretranslate_expects_and_cached(server):
    service = LibreTranslate(server.url, api_key="k-123")
    assert service.translate(ARABIC_IDEA, "ar", "fr") == f"[fr] {ARABIC_IDEA}"
    assert server.requests == [
        {
            "path": "/translate",
            "q": ARABIC_IDEA,
            "source": "ar",
            "target": "fr",
            "format": "text",
            "api_key": "k-123",
        }
    ]
    assert service.translate(ARABIC_IDEA, "ar", "fr") == f"[fr] {ARABIC_IDEA}"
    assert len(server.requests) == 1  # the second time from the cache
    assert service.translate("déjà", "fr", "fr") == "déjà"  # nothing to translate
    assert len(server.requests) == 1


def test_without_a_key_none_is_sent(server):
    LibreTranslate(server.url + "/").translate("hola", "es", "en")
    assert "api_key" not in server.requests[0] and server.requests[0]["path"] == "/translate"


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_a_failing_server_is_a_failure_and_is_not_cached(server, mode):
    server.mode = mode
    service = LibreTranslate(server.url)
    with pytest.raises(TranslationError) as failed:
        service.translate("hola", "es", "en")
    assert failed.value.reason == "failed"
    server.mode = "ok"
    assert service.translate("hola", "es", "en") == "[en] hola"  # a later try succeeds


def test_a_slow_server_is_a_timeout(server):
    server.mode = "slow"
    with pytest.raises(TranslationError) as failed:
        LibreTranslate(server.url, timeout=0.3).translate("hola", "es", "en")
    assert failed.value.reason == "timeout"


def test_an_unreachable_server_is_a_failure():
    probe = FakeLibreTranslate()
    url = probe.url
    probe.server_close()  # nothing listens there any more
    with pytest.raises(TranslationError) as failed:
        LibreTranslate(url, timeout=2).translate("hola", "es", "en")
    assert failed.value.reason == "failed"


def test_off_unless_configured():
    assert machine_translation.translator_from(None, "key") is None
    assert machine_translation.translator_from("http://127.0.0.1:5000", "") == LibreTranslate(
        "http://127.0.0.1:5000"
    )


# -- in the moderation queue ---------------------------------------------------------------------


def _queue(monkeypatch, server: FakeLibreTranslate, lang: str):
    from components.store_access import get_store

    sign_in_as(monkeypatch, "admin")
    monkeypatch.setenv("INCLUCITIES_LIBRETRANSLATE_URL", server.url)
    store = get_store()
    store.submit("a", RESIDENT.id, RESIDENT.version, "ar", resident_answers(idea=ARABIC_IDEA))
    store.submit("f", RESIDENT.id, RESIDENT.version, lang, resident_answers(idea="Mon idée"))
    ideas = {i.text: i.id for i in store.ideas(RESIDENT.id)}
    at = run_app("pages/admin.py", lang)
    at.selectbox(key="admin_survey").set_value("resident").run()
    at.segmented_control(key="admin_section").set_value("moderation").run()
    assert not at.exception, at.exception
    return at, ideas


def _translations(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if "moderation-translation" in h.proto.body]


@pytest.mark.parametrize(
    ("lang", "label"),
    [("en", "Machine translation."), ("fr", "Traduction automatique.")],
)
def test_the_moderator_translates_an_idea_and_sees_it_under_the_original(
    monkeypatch, server, lang, label
):
    at, ideas = _queue(monkeypatch, server, lang)
    keys = {b.key for b in at.button}
    assert f"translate_{ideas[ARABIC_IDEA]}" in keys
    assert f"translate_{ideas['Mon idée']}" not in keys  # already in the admin's language
    at.button(key=f"translate_{ideas[ARABIC_IDEA]}").click().run()
    assert not at.exception, at.exception
    (shown,) = _translations(at)
    assert f"[{lang}] {ARABIC_IDEA}" in shown and label in shown
    # the original stays, as typed, above the translation
    originals = [h.proto.body for h in at.get("html") if "moderation-idea-text" in h.proto.body]
    assert any(
        f'dir="auto" data-testid="moderation-idea-text">{ARABIC_IDEA}<' in o for o in originals
    )
    assert server.requests[-1]["source"] == "ar" and server.requests[-1]["target"] == lang


def test_a_failing_server_says_so_in_the_admins_language_and_offers_a_retry(monkeypatch, server):
    server.mode = "error"
    at, ideas = _queue(monkeypatch, server, "fr")
    at.button(key=f"translate_{ideas[ARABIC_IDEA]}").click().run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Le service de traduction n'a pas pu traduire cette idée" in warnings
    assert "Traceback" not in warnings and not _translations(at)
    server.mode = "ok"
    at.button(key=f"translate_{ideas[ARABIC_IDEA]}").click().run()
    assert "[fr] " + ARABIC_IDEA in _translations(at)[0]
