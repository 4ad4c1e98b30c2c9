"""Presenter screen: literal ideas on the wall, hidden results stay hidden, QR matches the link."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

import pytest
import segno

from components.presenter_view import build_slides, wall_html
from inclucities.i18n import translator
from tests.apptest_utils import page_text, run_app

NASTY = "<script>alert(1)</script> **bold** [x](http://e)"


@dataclass(frozen=True)
class FakeIdea:
    text: str
    lang: str
    id: int = 1
    status: str = "approved"
    created_at: datetime = datetime(2024, 5, 1)


def test_wall_html_escapes_html_and_markdown():
    html = wall_html([FakeIdea(NASTY, "fr"), FakeIdea("مرحبا", "ar")], translator("en"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](http://e)" in html
    assert "<a " not in html and "<strong>" not in html
    assert "Français" in html and "العربية" in html  # each idea's language is shown
    assert "dir='rtl'" in html


def test_slides_are_the_seven_stages_then_the_seven_recommendations():
    slides = build_slides(translator("fr"))
    assert [s.kind for s in slides] == ["stage"] * 7 + ["recommendation"] * 7
    assert [s.number for s in slides] == list(range(1, 8)) * 2
    assert slides[0].title == "Évaluation des besoins et jumelage"


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
    link = "https://live.example.org/survey?survey=academy&amp;lang=uk"
    blocks = [h.proto.body for h in at.get("html")]
    join = next(b for b in blocks if "presenter-link" in b)
    assert link in join
    # the QR drawn on screen is the QR of exactly that link
    src = join.split("src='", 1)[1].split("'", 1)[0]
    svg = base64.b64decode(src.removeprefix("data:image/svg+xml;base64,")).decode("utf-8")
    expected = segno.make(link.replace("&amp;", "&"), error="m", micro=False)
    path = expected.svg_inline(scale=10, border=4).split(' d="', 1)[1].split('"', 1)[0]
    assert f'd="{path}"' in svg


def test_hidden_results_stay_hidden(monkeypatch):
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

    assert not shows_results()
    assert any(m.value == "8" for m in at.metric)  # the count is not a result: it stays visible
    assert "Results are hidden" in "\n".join(h.proto.body for h in at.get("html"))
    # a new answer and a refresh do not reveal anything
    _submit(99)
    at.run()
    assert not shows_results()
    assert any(m.value == "9" for m in at.metric)
    # switching screens and back keeps them hidden
    at.sidebar.radio(key="presenter_mode").set_value("wall").run()
    at.sidebar.radio(key="presenter_mode").set_value("live").run()
    assert not shows_results()
    # only the presenter's explicit reveal shows them
    at.button(key="presenter_reveal").click().run()
    assert not at.exception, at.exception
    assert shows_results()


def test_wall_shows_only_approved_ideas_as_literal_text():
    assert submit_idea("w-1", NASTY, lang="fr").value == "stored"
    submit_idea("w-2", "pending idea")
    submit_idea("w-3", "hidden idea")
    store = _store()
    ideas = {i.text: i for i in store.ideas("resident")}
    store.set_idea_status(ideas[NASTY].id, "approved", actor="test")
    store.set_idea_status(ideas["hidden idea"].id, "hidden", actor="test")
    at = _choose(_presenter(), "resident", mode="wall")
    wall = "\n".join(h.proto.body for h in at.get("html") if "presenter-wall" in h.proto.body)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](http://e)" in wall
    assert "<script>" not in wall
    assert "pending idea" not in wall and "hidden idea" not in wall
    assert "Français" in wall
    # nothing of the idea reached a Markdown element, where it could be interpreted
    assert all("alert(1)" not in str(m.value) for m in at.markdown)


def test_slides_go_forward_and_back():
    at = _choose(_presenter("fr"), mode="slides")
    assert at.title[0].value == "Évaluation des besoins et jumelage"
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
