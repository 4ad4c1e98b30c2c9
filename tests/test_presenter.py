"""Presenter screen: the join QR matches the link shown, results stay hidden until revealed
(a state shared through the store), live figures are pushed to a browser component, slides.

What the live component draws from the pushed summary (ideas as literal text, nothing before
the reveal) is tested on the payload (tests/test_live_payload.py) and in the browser
(tests/test_browser_presenter.py)."""

from __future__ import annotations

import base64
import json

import pytest
import segno

from components.presenter.view import build_slides
from inclucities.i18n import translator
from inclucities.share import join_code_for
from tests.apptest_utils import page_text, run_app, sign_in_as

NASTY = "<script>x()</script> **b** [x](e)"


@pytest.fixture(autouse=True)
def presenter_signed_in(monkeypatch) -> str:
    """Every screen test here runs as a signed-in presenter, unless it signs out."""
    return sign_in_as(monkeypatch, "presenter")


def signed_out(monkeypatch) -> None:
    from components import access

    monkeypatch.setattr(access, "request_cookie", lambda: None)


def live_screens(at) -> list[dict]:
    """The data each live component was mounted with (its stream URL, view, language)."""
    return [json.loads(el.proto.json) for el in at.get("bidi_component")]


def test_slides_are_the_seven_stages_then_the_seven_recommendations():
    slides = build_slides(translator("fr"))
    assert [s.kind for s in slides] == ["stage"] * 7 + ["recommendation"] * 7
    assert [s.number for s in slides] == list(range(1, 8)) * 2
    assert slides[0].title == "Évaluation des besoins et mise en correspondance des 8 villes"


# -- the real page under AppTest ----------------------------------------------------------------


def _store():
    from components.store_access import get_store

    return get_store()


def _academy():
    from inclucities.survey.loader import load_survey_definitions

    return load_survey_definitions().surveys["academy"]


def valid_answers(survey, text: str) -> dict:
    """A valid answer to every required question, and `text` in every free-text question."""
    answers: dict = {}
    for q in survey.questions:
        if q.type == "text":
            answers[q.id] = text
        elif not q.required:
            continue
        elif q.type == "agreement":
            answers[q.id] = {i.id: "4" for i in q.items} if q.items else "4"
        elif q.type in ("multi", "priorities"):
            answers[q.id] = [q.option_ids[0]]
        else:
            answers[q.id] = q.option_ids[0]
    return answers


def submit_idea(submission_id: str, text: str, lang: str = "en", survey_id: str = "resident"):
    from inclucities.survey.loader import load_survey_definitions

    survey = load_survey_definitions().surveys[survey_id]
    return _store().submit(
        submission_id, survey.id, survey.version, lang, valid_answers(survey, text)
    )


def _submit(n: int, word: str = "housing", choice: str = "participation", lang: str = "en"):
    survey = _academy()
    return _store().submit(
        f"p-{n}",
        survey.id,
        survey.version,
        lang,
        {
            "first_recommendation": choice,
            "readiness": {item.id: "5" for item in survey.question("readiness").items},
            "one_word": word,
        },
    )


def _presenter(lang: str = "en"):
    at = run_app("pages/presenter.py", lang)
    assert not at.exception, at.exception
    return at


def _choose(at, survey_id: str = "academy", mode: str | None = None):
    at.sidebar.selectbox(key="presenter_survey").set_value(survey_id).run()
    if mode is not None:
        at.sidebar.radio(key="presenter_mode").set_value(mode).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_presenter_page_shows_the_join_link_and_its_qr(lang, monkeypatch):
    monkeypatch.setenv("INCLUCITIES_PUBLIC_URL", "https://live.example.org/")
    at = _choose(_presenter(lang))
    at.sidebar.selectbox(key="presenter_lang").set_value("uk").run()
    code = join_code_for("academy", "uk")
    link = f"https://live.example.org/j/{code}"
    blocks = [h.proto.body for h in at.get("html")]
    join = next(b for b in blocks if "presenter-link" in b)
    assert link in join  # in the QR's alt text
    assert f">{code}</span>" in join  # the short code, shown large
    # the QR drawn on screen is the QR of exactly that link
    src = join.split('src="', 1)[1].split('"', 1)[0]
    svg = base64.b64decode(src.removeprefix("data:image/svg+xml;base64,")).decode("utf-8")
    expected = segno.make(link, error="m", micro=False)
    path = expected.svg_inline(scale=10, border=4).split(' d="', 1)[1].split('"', 1)[0]
    assert f'd="{path}"' in svg
    # the survey on screen is Ukrainian: the stage follows it, the interface does not
    assert live_screens(at)[0]["lang"] == "uk"


def test_hidden_results_stay_hidden_until_revealed_for_every_screen():
    for n in range(8):
        _submit(n, choice="participation")
    at = _choose(_presenter())
    assert at.sidebar.toggle(key="presenter_hide_results").value is True  # hidden by default
    survey = _academy()
    option_labels = [o.label["en"] for o in survey.question("first_recommendation").options]

    def shows_results() -> bool:
        text = page_text(at)
        return (
            len(at.get("arrow_vega_lite_chart")) > 0
            or len(at.get("vega_lite_chart")) > 0
            or len(at.dataframe) > 0
            or len(at.table) > 0
            or any(label in text for label in option_labels)
        )

    assert not shows_results()  # the figures reach the screen only through the live stream
    (stage,) = live_screens(at)
    assert stage["view"] == "stage" and stage["revealed"] is False
    assert stage["url"] == "live/academy/events?lang=en&mode=presenter"
    # switching screens and back keeps them hidden
    at.sidebar.radio(key="presenter_mode").set_value("wall").run()
    at.sidebar.radio(key="presenter_mode").set_value("live").run()
    assert not shows_results() and live_screens(at)[0]["revealed"] is False
    # only the presenter's explicit reveal shows them, and it is stored for every screen
    at.button(key="presenter_reveal").click().run()
    assert not at.exception, at.exception
    assert _store().results_revealed("academy") is True
    assert live_screens(at)[0]["revealed"] is True
    assert at.sidebar.toggle(key="presenter_hide_results").value is False
    # another device (a second session) sees the same state and can hide them again
    other = _choose(_presenter())
    assert other.sidebar.toggle(key="presenter_hide_results").value is False
    other.sidebar.toggle(key="presenter_hide_results").set_value(True).run()
    assert _store().results_revealed("academy") is False
    shown = [e for e in _store().audit_log("academy") if e.action in {"reveal", "hide"}]
    assert tuple(e.action for e in shown) == ("reveal", "hide")
    # the audit log names the credential that acted
    assert {e.actor for e in shown} == {"presenter passphrase"}


def test_wall_is_drawn_from_the_stream_never_from_script_markup():
    assert submit_idea("w-1", NASTY, lang="fr", survey_id="academy").value == "stored"
    at = _choose(_presenter(), "academy", mode="wall")
    (wall,) = live_screens(at)
    assert wall["view"] == "wall" and wall["url"].startswith("live/academy/events?")
    assert all("x()" not in str(m.value) for m in at.markdown)
    assert all("x()" not in h.proto.body for h in at.get("html"))
    # latecomers still find the join code beside the wall
    assert any("presenter-code" in h.proto.body for h in at.get("html"))


PROJECTOR_QUERY = {"view": "projector", "survey": "academy", "survey_lang": "fr", "screen": "live"}


def controls_on(at) -> list[object]:
    """Every widget on the page that could change something (links to sign in are not)."""
    kinds = ("selectbox", "toggle", "radio", "button", "checkbox", "text_input", "date_input")
    return [w for kind in kinds for w in getattr(at, kind)] + list(at.get("form"))


@pytest.mark.parametrize("signed_in", [False, True])
def test_projector_view_is_the_stage_its_link_names_and_nothing_to_change(monkeypatch, signed_in):
    if not signed_in:
        signed_out(monkeypatch)
    at = run_app("pages/presenter.py", "en", query=PROJECTOR_QUERY)
    assert not at.exception, at.exception
    # no pickers, toggles or buttons on the big screen; a signed-in presenter has one key
    keys = [w for w in controls_on(at) if getattr(w, "key", None) == "presenter_key_toggle"]
    assert len(keys) == (1 if signed_in else 0)
    assert [w for w in controls_on(at) if w not in keys] == []
    assert not at.expander and not at.sidebar.selectbox
    (stage,) = live_screens(at)
    assert stage["lang"] == "fr" and stage["revealed"] is False
    assert stage["url"].startswith("live/academy/events?")


def test_enter_on_the_projector_reveals_and_hides_for_a_signed_in_presenter():
    at = run_app("pages/presenter.py", "en", query=PROJECTOR_QUERY)
    key = at.button(key="presenter_key_toggle")
    assert key.proto.shortcut.casefold() == "enter"
    key.click().run()
    assert _store().results_revealed("academy") is True
    assert live_screens(at)[0]["revealed"] is True
    at.button(key="presenter_key_toggle").click().run()
    assert _store().results_revealed("academy") is False


def test_a_visitor_who_is_not_signed_in_cannot_change_any_screen(monkeypatch):
    for n in range(8):
        _submit(n)
    signed_out(monkeypatch)
    for screen in ("live", "wall", "compare"):
        at = run_app("pages/presenter.py", "en", query={"survey": "academy", "screen": screen})
        assert not at.exception, at.exception
        assert controls_on(at) == [], screen
        assert "Only a signed-in presenter can reveal" in page_text(at)
        links = [b.proto.url for b in at.get("link_button")]
        assert any(url.startswith("sign-in?next=presenter") for url in links)
    assert _store().results_revealed("academy") is False
    assert live_screens(at) == [] or all(s["revealed"] is False for s in live_screens(at))


def test_the_admin_password_runs_the_room_too_and_is_named_in_the_audit(monkeypatch):
    sign_in_as(monkeypatch, "admin")
    at = _choose(_presenter())
    at.button(key="presenter_reveal").click().run()
    assert not at.exception, at.exception
    (entry,) = [e for e in _store().audit_log("academy") if e.action == "reveal"]
    assert entry.actor == "admin password"
    assert "Signed in with the admin password." in page_text(at)


def test_slides_go_forward_and_back():
    at = _choose(_presenter("fr"), mode="slides")
    assert at.title[0].value == "Évaluation des besoins et mise en correspondance des 8 villes"
    assert at.button(key="presenter_prev").disabled
    for _ in range(7):
        at.button(key="presenter_next").click().run()
    assert "Recommandation 1 sur 7" in "\n".join(h.proto.body for h in at.get("html"))
    at.button(key="presenter_prev").click().run()
    assert "Étape 7 sur 7" in "\n".join(h.proto.body for h in at.get("html"))
    for _ in range(20):
        if at.button(key="presenter_next").disabled:
            break
        at.button(key="presenter_next").click().run()
    assert not at.exception
    assert "Recommandation 7 sur 7" in "\n".join(h.proto.body for h in at.get("html"))
