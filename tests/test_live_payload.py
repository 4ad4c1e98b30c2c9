"""What live screens receive: the JSON built from the one suppressed summary, and chart specs."""

from __future__ import annotations

import json

import pytest

from inclucities.results.payload import build_payload, chart_set, payload_bytes
from inclucities.results.summary import summarise
from scripts.support.survey_helpers import RESIDENT, SURVEYS, resident_answers

NASTY = "<script>x()</script> **b** [x](e)"  # within the one-word answer's 40 characters


def _fill(store, n: int, prefix: str, lang: str = "fr", **changes) -> None:
    for i in range(n):
        store.submit(f"{prefix}{i}", "resident", 1, lang, resident_answers(**changes))


def _payload(store, lang="en", mode="results", revealed=True, survey=RESIDENT):
    summary = summarise(store, survey, 5)
    return build_payload(survey, summary, lang, mode, version="v1", revealed=revealed, is_open=True)


def _text(payload) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_three_answers_show_the_count_and_when_results_appear(store):
    _fill(store, 3, "a")
    payload = _payload(store)
    assert payload["total"] == 3 and payload["ready"] is False
    assert payload["headline"]["count"] == "3"
    assert payload["headline"]["status"] == (
        "2 more answers are needed before the results appear. Results are shown from 5 "
        "answers, so that nobody can be recognised."
    )
    assert payload["sections"] == []  # no empty axes, no "fewer than 5" tables
    assert "0.000000" not in _text(payload)


def test_from_k_answers_opinions_are_shown_in_full(store):
    _fill(store, 5, "a", welcome="5")
    _fill(store, 1, "b", welcome="1")  # one person: still shown, inside a distribution of 6
    payload = _payload(store)
    agreement = next(s for s in payload["sections"] if s["id"] == "agreement")
    welcome = next(r for r in agreement["table"]["rows"] if r[0].startswith("I feel welcome"))
    assert welcome[1:] == ["6", "1 (17%)", "0 (0%)", "0 (0%)", "0 (0%)", "5 (83%)"]
    drawn = {(v["statement"], v["level"]) for v in agreement["chart"]["values"]}
    assert ("I feel welcome in my city.", "1") in drawn
    assert agreement["chart"]["legend"][0]["label"] == "Strongly disagree"


def test_profile_tables_hide_small_groups_in_every_language(store):
    _fill(store, 6, "f", "fr", city="mechelen", idea="idée")
    _fill(store, 2, "a", "ar", city="mechelen", idea="idée")
    payload = _payload(store, lang="fr")
    languages = next(s for s in payload["sections"] if s["id"] == "profile:lang")
    cells = dict(languages["table"]["rows"])
    assert cells["Français"].startswith("6")
    assert cells["العربية"] == "moins de 5"
    assert "2 (" not in _text(payload["sections"])  # the 2 Arabic answers leak nowhere
    assert payload["ideas"]["count_text"].startswith("8 idées reçues")
    assert payload["ideas"]["items"] == []  # counted, not shown: none approved yet


def test_presenter_payload_shows_nothing_until_revealed(store):
    _fill(store, 8, "a")
    hidden = _payload(store, mode="presenter", revealed=False)
    assert hidden["sections"] == [] and hidden["total"] == 8
    assert hidden["headline"]["status"] == "Results are hidden until the presenter reveals them."
    labels = [o.label["en"] for q in RESIDENT.questions for o in q.options]
    assert not any(label in _text(hidden["sections"]) for label in labels)
    shown = _payload(store, mode="presenter", revealed=True)
    assert shown["sections"] and shown["headline"]["status"] is None
    # the projector draws opinions, never the profile breakdowns
    assert not any(s["id"].startswith("profile:") for s in shown["sections"])


def test_ideas_are_approved_only_and_travel_as_literal_text(store):
    store.submit("i1", "academy", 1, "fr", _academy(NASTY))
    store.submit("i2", "academy", 1, "ar", _academy("pending idea"))
    idea = next(i for i in store.ideas("academy") if i.text == NASTY)
    store.set_idea_status(idea.id, "approved", actor="test")
    payload = _payload(store, mode="presenter", survey=SURVEYS["academy"])
    items = payload["ideas"]["items"]
    assert [i["text"] for i in items] == [NASTY]  # as typed: the browser sets textContent
    assert items[0]["dir"] == "ltr"
    # one French speaker: no badge, no `lang` that would single them out (public_ideas)
    assert items[0]["language"] is None and items[0]["lang"] == ""
    assert "pending idea" not in _text(payload)


def _academy(word: str) -> dict:
    survey = SURVEYS["academy"]
    readiness = survey.question("readiness")
    assert readiness is not None
    return {
        "first_recommendation": "participation",
        "readiness": {item.id: "4" for item in readiness.items},
        "one_word": word,
    }


def test_arabic_payload_is_right_to_left_and_json_is_compact(store):
    _fill(store, 6, "a", "ar")
    payload = _payload(store, lang="ar")
    assert payload["dir"] == "rtl" and payload["lang"] == "ar"
    data = payload_bytes(payload)
    assert b"\n" not in data  # one SSE `data:` line
    assert json.loads(data) == payload


def _sizes(spec: dict) -> list[float]:
    config = spec["config"]
    return [
        config["axis"]["labelFontSize"],
        config["axis"]["titleFontSize"],
        config["text"]["fontSize"],
    ]


@pytest.mark.parametrize("survey_id", ["resident", "academy"])
def test_projector_charts_ask_for_24_px_text_and_no_toolbar(survey_id):
    charts = chart_set(SURVEYS[survey_id], "en", "presenter")
    assert charts.specs
    for name, spec in charts.specs.items():
        assert min(_sizes(spec)) >= 24, name
        assert "usermeta" not in spec and "$schema" not in spec  # no embed actions menu
        assert spec["config"]["aria"] is False  # the figure carries the alt text instead


def test_count_axes_are_whole_numbers_and_agreement_spans_the_data():
    specs = chart_set(RESIDENT, "fr", "results").specs
    count = specs["count:recommendations"]
    axis = count["layer"][0]["encoding"]["x"]["axis"]
    assert axis["format"] == "d" and axis["tickMinStep"] == 1
    agreement = specs["agreement"]["layer"][1]["encoding"]["x"]
    assert "domain" not in agreement["scale"]  # no empty -100 % half
    assert agreement["scale"]["zero"] is True


def test_chart_set_is_built_once_and_named_by_its_content():
    first = chart_set(RESIDENT, "uk", "results")
    assert chart_set(RESIDENT, "uk", "results") is first
    assert chart_set(RESIDENT, "ar", "results").id != first.id
