"""The resident survey as a researcher would sign it (issue 13, part 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from inclucities.i18n import LANGUAGES
from inclucities.results.summary import summarise
from inclucities.survey.loader import DEFINITIONS_DIR, DefinitionError, load_survey_file
from inclucities.survey.models import AGREEMENT_LEVELS, DONT_KNOW, NOT_APPLICABLE
from inclucities.survey.validation import validate_answers, visible_questions
from scripts.support.survey_helpers import ACCESS_ITEMS, RESIDENT, SURVEYS, resident_answers

ACADEMY = SURVEYS["academy"]


def codes(result) -> dict[str, str]:
    return {e.question_id: e.code for e in result.errors}


# -- "don't know" / "does not apply" ------------------------------------------------------------


def test_every_agreement_statement_offers_an_answer_outside_the_scale():
    for survey in (RESIDENT, ACADEMY):
        for question in survey.questions:
            if question.type != "agreement":
                continue
            assert question.no_answer is not None, f"{survey.id}.{question.id}"
            assert question.no_answer.id not in AGREEMENT_LEVELS
            assert set(question.no_answer.label) == set(LANGUAGES)
            assert question.option_ids == [*AGREEMENT_LEVELS, question.no_answer.id]


def test_access_to_services_says_does_not_apply_and_feelings_say_dont_know():
    access = RESIDENT.question("access")
    welcome = RESIDENT.question("welcome")
    assert access is not None and access.no_answer is not None
    assert welcome is not None and welcome.no_answer is not None
    assert access.no_answer.id == NOT_APPLICABLE
    assert access.no_answer.label["en"] == "Does not apply to me"
    assert welcome.no_answer.id == DONT_KNOW


def test_dont_know_is_accepted_and_stored_as_its_own_code():
    answers = resident_answers(
        welcome="dk", access=dict.fromkeys(ACCESS_ITEMS, "3") | {"housing": "na"}
    )
    result = validate_answers(RESIDENT, answers)
    assert result.ok, result.errors
    assert result.answers["welcome"] == "dk"
    assert result.answers["access"]["housing"] == "na"
    wrong = validate_answers(RESIDENT, resident_answers(welcome="na"))  # not this question's code
    assert codes(wrong) == {"welcome": "unknown_option"}


def test_summary_keeps_dont_know_out_of_the_agreement_shares(store):
    for k in range(6):
        store.submit(f"a{k}", "resident", 2, "en", resident_answers(welcome="5"))
    for k in range(5):
        store.submit(f"b{k}", "resident", 2, "en", resident_answers(welcome="dk"))
    summary = summarise(store, RESIDENT, min_cell=5)
    welcome = summary.question("welcome")
    assert [c.key for c in welcome.options] == list(AGREEMENT_LEVELS)  # no "dk" bar
    assert welcome.answered.count == 6  # the base of the shares: 1-5 answers only
    five = next(c for c in welcome.options if c.key == "5")
    assert five.share == 1.0
    assert welcome.no_answer is not None and welcome.no_answer.count == 5
    compared = next(c for c in summary.comparisons if c.question_id == "welcome")
    assert compared.groups  # comparisons, too, count only the 1-5 scale


# -- required only where the analysis needs it ---------------------------------------------------


def test_only_the_headline_question_is_required_and_the_ranking_never_is():
    required = [q.id for q in RESIDENT.questions if q.required]
    assert required == ["welcome"]
    ranking = RESIDENT.question("recommendations")
    assert ranking is not None and not ranking.required
    result = validate_answers(RESIDENT, {"welcome": "4"}, consent=True)
    assert result.ok and result.answers == {"welcome": "4"}


# -- plain-language recommendations --------------------------------------------------------------


@pytest.mark.parametrize("survey_id", ["resident", "academy"])
def test_each_recommendation_has_a_plain_label_and_a_one_line_explanation(survey_id):
    survey = SURVEYS[survey_id]
    question = survey.question(
        "recommendations" if survey_id == "resident" else "first_recommendation"
    )
    assert question is not None
    jargon = re.compile(r"multilevel|governance|ecosystem|whole-of-community", re.IGNORECASE)
    for option in question.options:
        assert option.hint is not None and set(option.hint) == set(LANGUAGES), option.id
        assert not jargon.search(option.label["en"]), option.label["en"]
        assert len(option.hint["en"]) <= 130 and "." in option.hint["en"]  # one line


# -- the information-sources follow-up -----------------------------------------------------------


SHOWN_FOR = [("5", True), ("4", True), ("3", False), ("1", False), ("dk", False), (None, False)]


@pytest.mark.parametrize(("answer", "shown"), SHOWN_FOR)
def test_info_sources_is_asked_only_of_those_who_know_where_to_look(answer, shown):
    answers = {} if answer is None else {"information": answer}
    ids = [q.id for q in visible_questions(RESIDENT, answers)]
    assert ("info_sources" in ids) is shown
    submitted = resident_answers(information=answer or "", info_sources=["friends-family"])
    result = validate_answers(RESIDENT, submitted)
    assert result.ok and ("info_sources" in result.answers) is shown


def test_nowhere_is_an_option_and_stands_alone():
    question = RESIDENT.question("info_sources")
    assert question is not None and "nowhere" in question.option_ids
    alone = validate_answers(RESIDENT, resident_answers(information="5", info_sources=["nowhere"]))
    assert alone.ok and alone.answers["info_sources"] == ["nowhere"]
    mixed = resident_answers(information="5", info_sources=["nowhere", "social-media"])
    assert codes(validate_answers(RESIDENT, mixed)) == {"info_sources": "exclusive"}


# -- wording -------------------------------------------------------------------------------------


def test_no_double_barrelled_questions():
    city = RESIDENT.city_question
    assert city is not None and city.text["en"] == "Which city do you live in?"
    for question in RESIDENT.questions:
        text = question.text["en"]
        assert " live or work" not in text and "meet and talk" not in text, question.id


# -- the age floor -------------------------------------------------------------------------------


def test_the_survey_says_who_may_answer_in_every_language():
    assert RESIDENT.min_age == 16
    for lang in LANGUAGES:
        assert "16" in RESIDENT.introduction[lang], lang


def test_the_youngest_age_band_is_bounded_by_the_floor():
    age = RESIDENT.question("age_group")
    assert age is not None
    assert age.option_ids[0] == "16-24"
    for lang in LANGUAGES:
        assert age.options[0].label[lang].startswith("16–24"), lang
    assert RESIDENT.question("age") is None  # the unbounded v1 band lives on under its old id


def test_a_minimum_age_the_introduction_does_not_state_is_refused(tmp_path: Path):
    raw = yaml.safe_load((DEFINITIONS_DIR / "resident.yaml").read_text(encoding="utf-8"))
    raw["introduction"]["uk"] = "Розкажіть нам, наскільки вас тут добре приймають."
    path = tmp_path / "resident.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"minimum age 16 .*not in: uk"):
        load_survey_file(path)


# -- versions and consent ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["resident", "academy"])
def test_each_change_is_recorded_in_the_version_and_its_changelog(name):
    text = (DEFINITIONS_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    survey = SURVEYS[name]
    assert survey.version == 2
    assert re.search(r"^#\s+v2\s", text, re.MULTILINE), "the changelog comment names v2"


@pytest.mark.parametrize("name", ["resident", "academy"])
@pytest.mark.parametrize("k", [3, 5, 10])
def test_consent_follows_the_small_group_setting(name, k):
    survey = SURVEYS[name]
    for lang in LANGUAGES:
        raw = survey.consent[lang]
        assert "{k}" in raw and not re.search(r"\b5\b", raw), (name, lang)
        shown = survey.consent_text(lang, k)
        assert str(k) in shown and "{k}" not in shown
    assert "anonym" not in survey.consent["en"].lower()  # de-identified, not anonymous
