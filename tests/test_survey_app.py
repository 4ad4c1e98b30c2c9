"""AppTest: fill and submit the resident survey in French and Arabic, step by step; the results
count goes up; a storage fault keeps every answer and shows no traceback."""

from __future__ import annotations

import re

import pytest

from tests.apptest_utils import page_text, run_app

PREFIX = "survey_resident_"
GRID_ITEMS = ("education", "housing", "work", "language-courses", "health")


def press(at, name: str):
    """Press a form button. A button reruns only the survey's fragments, and AppTest then
    holds just those; a full run afterwards shows the whole page again."""
    at.button(key=f"{PREFIX}{name}").click().run()
    return at.run()


def places(at, option: str):
    key = f"{PREFIX}q_recommendations__{option}"
    return next(w for w in at.get("button_group") if w.key == key)


def step(at) -> int:
    return at.session_state[f"{PREFIX}step"]


def fill_required(at) -> None:
    """Every required question, pressing Next after each step."""
    for qid, value in (("welcome", "4"), ("belonging", "5"), ("information", "5")):
        at.radio(key=f"{PREFIX}q_{qid}").set_value(value)
    at.run()  # knowing where to find information shows where from
    at.checkbox(key=f"{PREFIX}q_info_sources__associations").check()
    press(at, "next")
    for item in GRID_ITEMS:
        at.radio(key=f"{PREFIX}q_access__{item}").set_value("4")
    press(at, "next")
    at.radio(key=f"{PREFIX}q_voice").set_value("3")
    at.radio(key=f"{PREFIX}q_contact").set_value("sometimes")
    places(at, "migrant-women").set_value(1)
    at.run()
    places(at, "participation").set_value(2)
    at.run()
    press(at, "next")


def results_total(lang: str) -> str:
    """The number the results page publishes (its figures are pushed to the browser, so the
    count is read where the live screen reads it: the store behind the page)."""
    at = run_app("pages/results.py", lang=lang, query={"survey": "resident"})
    assert not at.exception
    from inclucities import services

    return str(services.get_store().count("resident"))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_fill_and_submit_resident_survey(lang):
    at = run_app("pages/survey.py", lang=lang, query={"survey": "resident"})
    assert not at.exception
    assert results_total(lang) == "0"
    # Next with a required question left empty: errors in the respondent's language, answers kept
    at.radio(key=f"{PREFIX}q_belonging").set_value("5")
    press(at, "next")
    assert not at.exception
    expected = {"fr": "Veuillez répondre à cette question.", "ar": "يُرجى الإجابة عن هذا السؤال."}
    assert expected[lang] in [e.value for e in at.error]
    assert step(at) == 0
    assert at.radio(key=f"{PREFIX}q_belonging").value == "5"
    fill_required(at)
    assert step(at) == 3
    at.text_area(key=f"{PREFIX}q_idea").input("Un café des langues")
    assert "Jusqu'à 500 caractères" in page_text(at) if lang == "fr" else "500" in page_text(at)
    at.radio(key=f"{PREFIX}q_relationship").set_value("newcomer").run()
    at.radio(key=f"{PREFIX}q_arrival_support").set_value("partly")  # the condition showed it
    at.radio(key=f"{PREFIX}q_city").set_value("jelgava")
    press(at, "next")
    press(at, "submit")  # no consent yet
    assert not at.exception
    assert at.error, "no error without consent"
    at.checkbox(key=f"{PREFIX}consent").check()
    press(at, "submit")
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    thanks = {"fr": "Merci ! Vos réponses ont bien été reçues", "ar": "شكرًا لك! وصلت إجاباتك"}
    assert thanks[lang] in at.success[0].value
    receipt = {"fr": "Votre code de reçu", "ar": "رمز الإيصال الخاص بك"}
    assert receipt[lang] in page_text(at)
    assert re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page_text(at))
    one = {"fr": "une seule personne a répondu", "ar": "أجاب شخص واحد"}
    assert one[lang] in page_text(at)
    assert results_total(lang) == "1"


def test_answers_are_kept_going_back_and_to_another_page():
    at = run_app("pages/survey.py", lang="en", query={"survey": "resident"})
    for qid in ("welcome", "belonging", "information"):
        at.radio(key=f"{PREFIX}q_{qid}").set_value("4" if qid == "information" else "2")
    at.run()
    at.checkbox(key=f"{PREFIX}q_info_sources__other").check()
    press(at, "next")
    at.radio(key=f"{PREFIX}q_access__work").set_value("5")
    at.run()
    press(at, "back")
    assert step(at) == 0
    assert at.radio(key=f"{PREFIX}q_welcome").value == "2"
    at.switch_page("pages/privacy.py").run()
    at.switch_page("pages/survey.py").run()
    assert not at.exception
    assert at.radio(key=f"{PREFIX}q_belonging").value == "2"
    assert at.checkbox(key=f"{PREFIX}q_info_sources__other").value is True
    assert at.radio(key=f"{PREFIX}q_access__work").value == "5"


def test_a_ranking_place_moves_to_the_option_that_takes_it():
    at = run_app("pages/survey.py", lang="en", query={"survey": "resident"})
    at.session_state[f"{PREFIX}step"] = 2
    at.run()
    places(at, "participation").set_value(1)
    at.run()
    places(at, "migrant-women").set_value(1)
    at.run()
    assert places(at, "migrant-women").value == 1
    assert places(at, "participation").value is None
    assert at.session_state[f"{PREFIX}answers"]["recommendations"] == ["migrant-women"]


def test_up_to_three_boxes_then_the_others_wait():
    at = run_app("pages/survey.py", lang="fr", query={"survey": "resident"})
    at.radio(key=f"{PREFIX}q_information").set_value("5").run()
    for option in ("city-website", "city-office", "associations"):
        at.checkbox(key=f"{PREFIX}q_info_sources__{option}").check()
        at.run()
    assert at.checkbox(key=f"{PREFIX}q_info_sources__social-media").disabled
    assert "Maximum atteint" in page_text(at)


def test_an_option_chosen_alone_sets_the_others_aside():
    at = run_app("pages/survey.py", lang="fr", query={"survey": "resident"})
    at.radio(key=f"{PREFIX}q_information").set_value("4").run()
    at.checkbox(key=f"{PREFIX}q_info_sources__nowhere").check().run()
    assert at.checkbox(key=f"{PREFIX}q_info_sources__associations").disabled
    at.checkbox(key=f"{PREFIX}q_info_sources__nowhere").uncheck().run()
    at.checkbox(key=f"{PREFIX}q_info_sources__associations").check().run()
    assert at.checkbox(key=f"{PREFIX}q_info_sources__nowhere").disabled
    assert not at.checkbox(key=f"{PREFIX}q_info_sources__friends-family").disabled


def test_an_agreement_statement_offers_i_dont_know_and_the_consent_follows_the_setting(
    monkeypatch,
):
    monkeypatch.setenv("INCLUCITIES_MIN_CELL_SIZE", "7")
    at = run_app("pages/survey.py", lang="en", query={"survey": "resident"})
    welcome = at.radio(key=f"{PREFIX}q_welcome")
    assert welcome.options[-1] == "I don't know"
    welcome.set_value("dk")
    press(at, "next")
    assert step(at) == 1
    at.session_state[f"{PREFIX}step"] = 4
    at.run()
    assert "fewer than 7 people is never shown" in page_text(at)


def test_a_storage_fault_keeps_the_answers_and_says_so(monkeypatch):
    from inclucities.store import SurveyStore

    def broken(*args, **kwargs):
        raise RuntimeError("could not commit after repeated write conflicts")

    monkeypatch.setattr(SurveyStore, "submit", broken)
    at = run_app("pages/survey.py", lang="uk", query={"survey": "academy"})
    at.radio(key="survey_academy_q_first_recommendation").set_value(
        at.radio(key="survey_academy_q_first_recommendation").options[0]
    )
    for radio in at.radio:
        if radio.key.startswith("survey_academy_q_readiness__"):
            radio.set_value("4")
    at.text_input(key="survey_academy_q_one_word").input("довіра")
    at.checkbox(key="survey_academy_consent").check()
    at.button(key="survey_academy_submit").click().run()
    at.run()
    assert not at.exception
    assert "Зараз не вдалося зберегти ваші відповіді" in page_text(at)
    assert at.text_input(key="survey_academy_q_one_word").value == "довіра"
    assert not at.success


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


def test_a_required_grid_names_the_line_still_missing(monkeypatch):
    """The shipped survey requires one question; a city may require its grid too. Then the
    error names the line that is missing, in the respondent's language."""
    from inclucities import services
    from inclucities.i18n import translator

    resident = services.survey_registry().surveys["resident"]
    questions = [
        q.model_copy(update={"required": True}) if q.id == "access" else q
        for q in resident.questions
    ]
    strict = resident.model_copy(update={"questions": questions})
    monkeypatch.setitem(services.survey_registry().surveys, "resident", strict)
    at = run_app("pages/survey.py", lang="uk", query={"survey": "resident"})
    at.radio(key=f"{PREFIX}q_welcome").set_value("3")
    press(at, "next")
    assert step(at) == 1
    for item in GRID_ITEMS:
        if item != "housing":
            at.radio(key=f"{PREFIX}q_access__{item}").set_value("4")
    press(at, "next")
    assert not at.exception
    assert step(at) == 1
    access = strict.question("access")
    assert access is not None
    housing = translator("uk").text(next(i.label for i in access.items if i.id == "housing"))
    assert any(housing in e.value for e in at.error), [e.value for e in at.error]
    at.radio(key=f"{PREFIX}q_access__housing").set_value("2")
    press(at, "next")
    assert step(at) == 2
