"""AppTest: fill and submit the resident survey in French and Arabic; results count goes up."""

from __future__ import annotations

import pytest

from tests.apptest_utils import page_text, run_app

PREFIX = "survey_resident_"
GRID_ITEMS = ("education", "housing", "work", "language-courses", "health")


def fill_required(at) -> None:
    for qid, value in (("welcome", "4"), ("belonging", "5"), ("information", "2"), ("voice", "3")):
        at.radio(key=f"{PREFIX}q_{qid}").set_value(value)
    for item in GRID_ITEMS:
        at.radio(key=f"{PREFIX}q_access__{item}").set_value("4")
    at.radio(key=f"{PREFIX}q_contact").set_value("sometimes")
    at.multiselect(key=f"{PREFIX}q_recommendations").set_value(["migrant-women", "participation"])


def results_total(lang: str) -> str:
    at = run_app("pages/results.py", lang=lang, query={"survey": "resident"})
    assert not at.exception
    return at.metric[0].value


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_fill_and_submit_resident_survey(lang):
    at = run_app("pages/survey.py", lang=lang, query={"survey": "resident"})
    assert not at.exception
    assert results_total(lang) == "0"
    # sending without the one required answer shows errors in the respondent's language and
    # keeps what was typed
    at.radio(key=f"{PREFIX}q_belonging").set_value("5")
    at.text_area(key=f"{PREFIX}q_idea").input("Un café des langues")
    at.button(key=f"{PREFIX}submit").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    expected = {"fr": "Veuillez répondre à cette question.", "ar": "يُرجى الإجابة عن هذا السؤال."}
    assert expected[lang] in errors
    assert at.radio(key=f"{PREFIX}q_belonging").value == "5"
    assert at.text_area(key=f"{PREFIX}q_idea").value == "Un café des langues"
    fill_required(at)
    at.radio(key=f"{PREFIX}q_relationship").set_value("newcomer").run()
    at.radio(key=f"{PREFIX}q_arrival_support").set_value("partly")  # the condition showed it
    at.selectbox(key=f"{PREFIX}q_city").set_value("jelgava")
    at.checkbox(key=f"{PREFIX}consent").check()
    at.button(key=f"{PREFIX}submit").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    thanks = {"fr": "Merci ! Vos réponses ont bien été reçues", "ar": "شكرًا لك! وصلت إجاباتك"}
    assert thanks[lang] in at.success[0].value
    assert results_total(lang) == "1"


def test_survey_and_language_come_from_the_url():
    at = run_app("pages/survey.py", lang="uk", query={"survey": "academy"})
    assert not at.exception
    assert at.title[0].value == "Опитування наживо на навчальній академії"
    assert at.radio(key="survey_academy_q_first_recommendation") is not None


def test_unknown_survey_offers_a_choice():
    at = run_app("pages/survey.py", lang="nl", query={"survey": "nope"})
    assert not at.exception
    assert "nope" in page_text(at)
    assert at.radio(key="survey_choice") is not None
