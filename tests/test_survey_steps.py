"""The form's plain logic: steps of a phone's length, places in a ranking, live errors."""

from __future__ import annotations

from inclucities.survey.form import live_errors, missing_items, places_of, ranking, settle_places
from inclucities.survey.models import Survey
from inclucities.survey.steps import (
    STEP_LINES,
    active_steps,
    group_steps,
    neighbour,
    question_lines,
    resume_step,
    step_errors,
    step_of,
)
from inclucities.survey.validation import CONSENT
from scripts.support.survey_helpers import ACCESS_ITEMS, RESIDENT, SURVEYS, resident_answers


def test_every_question_is_in_exactly_one_step_in_survey_order():
    for survey in SURVEYS.values():
        steps = group_steps(survey)
        flat = [qid for step in steps for qid in step]
        assert flat == [q.id for q in survey.questions]


def test_steps_fit_about_two_phone_screens_unless_one_question_is_longer():
    steps = group_steps(RESIDENT)
    assert len(steps) > 1
    for step in steps:
        lines = sum(question_lines(RESIDENT.question(qid)) for qid in step)  # type: ignore[arg-type]
        assert (
            lines <= STEP_LINES
            or len(step) == 1
            or any(
                RESIDENT.question(qid).show_if
                for qid in step  # type: ignore[union-attr]
            )
        ), step


def test_a_conditional_question_stays_with_its_condition():
    steps = group_steps(RESIDENT)
    for question in RESIDENT.questions:
        if question.show_if:
            assert step_of(steps, question.id) == step_of(steps, question.show_if.question)


def test_a_short_poll_stays_on_one_page():
    assert len(group_steps(SURVEYS["academy"])) == 1


def test_a_step_whose_questions_are_all_hidden_is_skipped():
    steps = [("relationship",), ("arrival_support",), ("age_group",)]
    assert active_steps(RESIDENT, steps, {"relationship": "staff"}) == [0, 2]
    assert active_steps(RESIDENT, steps, {"relationship": "newcomer"}) == [0, 1, 2]
    assert neighbour([0, 2], 0, 1) == 2
    assert neighbour([0, 2], 2, -1) == 0
    assert neighbour([0, 2], 2, 1) == 2


def test_step_errors_name_only_that_steps_questions():
    steps = group_steps(RESIDENT)
    first = step_errors(RESIDENT, steps[0], {})
    assert {e.question_id for e in first} == {"welcome"}  # the one required question
    assert step_errors(RESIDENT, steps[0], resident_answers()) == []


def test_a_reconnected_respondent_resumes_where_an_answer_is_missing_else_at_the_end():
    steps = group_steps(RESIDENT)
    answers = resident_answers()
    assert resume_step(RESIDENT, steps, answers) == len(steps) - 1
    del answers["welcome"]
    assert resume_step(RESIDENT, steps, answers) == step_of(steps, "welcome")
    strict = _with_required_access()
    answers = resident_answers(access={"education": "3"})
    assert resume_step(strict, group_steps(strict), answers) == step_of(steps, "access")


def test_the_option_that_takes_a_place_keeps_it():
    before = {"a": 1, "b": 2}
    assert settle_places({"a": 1, "b": 1}, before) == {"a": None, "b": 1}
    assert settle_places({"a": 2, "b": 2, "c": None}, before) == {"a": 2, "b": None, "c": None}
    assert settle_places({"a": 1, "c": 3}, before) == {"a": 1, "c": 3}


def test_ranking_follows_places_not_clicks_and_closes_gaps():
    order = ["x", "y", "z", "w"]
    assert ranking({"z": 1, "x": 3, "y": None}, order) == ["z", "x"]
    assert places_of(["z", "x"]) == {"z": 1, "x": 2}


def test_missing_grid_lines_are_named():
    access = RESIDENT.question("access")
    assert access is not None
    given = {"education": "3", "work": "4", "health": "1"}
    assert missing_items(access, given) == ["housing", "language-courses"]
    assert missing_items(access, None) == [i.id for i in access.items]


def test_an_error_goes_away_once_its_question_is_answered():
    flagged = {"welcome", "access", CONSENT}
    strict = _with_required_access()
    answers = resident_answers(welcome=None, access={"education": "3"})
    assert {e.question_id for e in live_errors(strict, answers, flagged, False)} == flagged
    answers["welcome"] = "4"
    assert {e.question_id for e in live_errors(strict, answers, flagged, True)} == {"access"}
    answers["access"] = dict.fromkeys(ACCESS_ITEMS, "3")
    assert live_errors(strict, answers, flagged, True) == []


def _with_required_access() -> Survey:
    """The resident survey with its grid made required (the shipped one requires one question
    only), to check what a respondent sees when a line of a required grid is missing."""
    questions = [
        q.model_copy(update={"required": True}) if q.id == "access" else q
        for q in RESIDENT.questions
    ]
    return RESIDENT.model_copy(update={"questions": questions})
