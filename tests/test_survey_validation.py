"""Server-side validation: required answers, options, maxima, lengths, conditions, unknown ids."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclucities.store import SurveyStore
from inclucities.survey.validation import CONSENT, InvalidSubmission, clean_text, validate_answers
from scripts.support.survey_helpers import ACCESS_ITEMS, RESIDENT, SURVEYS, resident_answers

valid_answers = resident_answers


def codes(result) -> dict[str, str]:
    return {e.question_id: e.code for e in result.errors}


def test_valid_answers_pass_and_are_cleaned():
    answers = valid_answers() | {"idea": "  More\x00 benches\u202e in parks \x07 "}
    result = validate_answers(RESIDENT, answers, consent=True)
    assert result.ok, result.errors
    assert result.answers["idea"] == "More benches in parks"


def test_required_answers_are_enforced():
    answers = valid_answers()
    del answers["welcome"]
    answers["voice"] = "  "  # optional: a blank answer is simply not stored
    result = validate_answers(RESIDENT, answers)
    assert codes(result) == {"welcome": "required"}


def test_grid_needs_every_item_when_required():
    access = RESIDENT.question("access")
    assert access is not None
    required = RESIDENT.model_copy(
        update={
            "questions": [
                q.model_copy(update={"required": True}) if q.id == "access" else q
                for q in RESIDENT.questions
            ]
        }
    )
    answers = valid_answers()
    answers["access"] = {"education": "3"}
    assert codes(validate_answers(required, answers)) == {"access": "required_items"}
    answers["access"] = dict.fromkeys(ACCESS_ITEMS, "na")  # "does not apply" answers an item
    assert validate_answers(required, answers).ok
    # the shipped grid is optional: a partial answer keeps only the items answered
    answers["access"] = {"education": "3"}
    assert validate_answers(RESIDENT, answers).answers["access"] == {"education": "3"}


def test_unknown_options_too_many_and_too_long():
    answers = valid_answers() | {
        "contact": "daily",
        "recommendations": ["participation", "migrant-women", "train-ecosystem", "whole-community"],
        "idea": "x" * 501,
        "welcome": "6",
    }
    result = validate_answers(RESIDENT, answers)
    assert codes(result) == {
        "contact": "unknown_option",
        "recommendations": "too_many",
        "idea": "too_long",
        "welcome": "unknown_option",
    }
    too_many = next(e for e in result.errors if e.code == "too_many")
    assert too_many.params == {"count": 3}
    assert result.answers == {}


def test_unknown_question_ids_are_refused():
    result = validate_answers(RESIDENT, valid_answers() | {"email": "a@b.c"})
    assert codes(result) == {"email": "unknown_question"}


def test_wrong_shapes_are_invalid():
    answers = valid_answers() | {"contact": ["often"], "recommendations": "participation"}
    assert codes(validate_answers(RESIDENT, answers)) == {
        "contact": "invalid",
        "recommendations": "invalid",
    }


def test_condition_hides_and_drops_answers():
    answers = valid_answers() | {"relationship": "long-term", "arrival_support": "yes"}
    result = validate_answers(RESIDENT, answers)
    assert result.ok and "arrival_support" not in result.answers
    answers["relationship"] = "newcomer"
    assert validate_answers(RESIDENT, answers).answers["arrival_support"] == "yes"


def test_consent_is_checked_when_asked():
    assert codes(validate_answers(RESIDENT, valid_answers(), consent=False)) == {CONSENT: "consent"}


def test_clean_text_keeps_letters_of_every_script():
    assert clean_text("مدينة\u200c للجميع\x1b[31m") == "مدينة\u200c للجميع[31m"
    assert clean_text("a\r\nb", multiline=True) == "a\nb"
    assert clean_text("a\nb") == "a b"


# -- property: invalid input is never stored, valid input always is ----------------------

OPTION_POOL = [
    "1",
    "3",
    "5",
    "6",
    "often",
    "never",
    "daily",
    "participation",
    "migrant-women",
    "nope",
    "newcomer",
    "long-term",
    "brussels",
    "other",
    "",
]
values = st.one_of(
    st.none(),
    st.sampled_from(OPTION_POOL),
    st.text(max_size=600),
    st.lists(st.sampled_from(OPTION_POOL), max_size=5),
    st.dictionaries(
        st.sampled_from(["education", "housing", "work", "language-courses", "health", "x"]),
        st.sampled_from(OPTION_POOL),
        max_size=6,
    ),
    st.integers(),
)
question_ids = st.sampled_from([q.id for q in RESIDENT.questions] + ["unknown", "email"])
payloads = st.one_of(
    st.dictionaries(question_ids, values, max_size=16),
    # mostly-valid payloads with one field mutated, so both outcomes are common
    st.builds(lambda key, value: valid_answers() | {key: value}, question_ids, values),
    st.just(valid_answers()),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=payloads)
def test_invalid_input_is_never_stored_and_valid_input_always_is(isolated_database, payload):
    store = _shared_store(isolated_database)
    before = store.count("resident")
    expected_ok = validate_answers(RESIDENT, payload).ok
    submission_id = f"h-{before}-{id(payload)}-{len(str(payload))}"
    try:
        result = store.submit(submission_id, "resident", 1, "fr", payload)
    except InvalidSubmission:
        assert not expected_ok
        assert store.count("resident") == before
        assert not store.has_submission(submission_id)
    else:
        assert expected_ok and result.value == "stored"
        assert store.count("resident") == before + 1


_STORES: dict[str, SurveyStore] = {}


def _shared_store(path) -> SurveyStore:
    key = str(path)
    if key not in _STORES:
        _STORES[key] = SurveyStore(path, SURVEYS.values())
    return _STORES[key]


def test_runs_of_blank_lines_in_an_idea_collapse_to_one_paragraph_break():
    from inclucities.survey.validation import validate_answers
    from scripts.support.survey_helpers import RESIDENT, resident_answers

    idea = "Plus de bancs" + "\n" * 494 + "et d'ombre\n\n\n  \n\nmerci"
    result = validate_answers(RESIDENT, resident_answers(idea=idea))
    assert result.ok
    assert result.answers["idea"] == "Plus de bancs\n\net d'ombre\n\nmerci"
