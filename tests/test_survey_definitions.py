"""Survey definitions: the shipped ones are complete in nine languages; every error is precise."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from inclucities.content import default_content
from inclucities.i18n import LANGUAGES
from inclucities.recommendations import RECOMMENDATION_IDS
from inclucities.survey.loader import (
    DEFINITIONS_DIR,
    DefinitionError,
    load_survey_definitions,
    load_survey_file,
)

# The survey's options must be the ids the explorer and the content files use.
THEME_IDS = list(default_content().themes)


def _texts(node: object, path: str = ""):
    """Every multilingual mapping in a raw definition, with where it is."""
    if isinstance(node, dict):
        if node and set(node) <= set(LANGUAGES) and all(isinstance(v, str) for v in node.values()):
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}[{index}]")


def test_shipped_definitions_load_without_errors():
    registry = load_survey_definitions()
    assert registry.errors == {}
    assert set(registry.surveys) == {"resident", "academy"}


@pytest.mark.parametrize("path", sorted(DEFINITIONS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_text_and_option_exists_in_every_language(path: Path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = []
    for where, text in _texts(raw):
        for lang in LANGUAGES:
            if not str(text.get(lang, "")).strip():
                missing.append(f"{path.name}: {where}: {lang}")
    assert missing == []
    survey = load_survey_file(path)
    for field in ("title", "introduction", "consent", "thank_you"):
        assert set(getattr(survey, field)) == set(LANGUAGES)
    for question in survey.questions:
        assert set(question.text) == set(LANGUAGES), question.id
        for option in [*question.options, *question.items]:
            assert set(option.label) == set(LANGUAGES), f"{question.id}.{option.id}"
            assert all(option.label[lang].strip() for lang in LANGUAGES)


def test_resident_survey_covers_the_brief():
    survey = load_survey_definitions().surveys["resident"]
    types = {q.type for q in survey.questions}
    assert types == {"single", "multi", "agreement", "priorities", "city", "text"}
    recommendations = survey.question("recommendations")
    assert recommendations is not None and recommendations.type == "priorities"
    assert [o.id for o in recommendations.options] == list(RECOMMENDATION_IDS)
    assert recommendations.max_selections == 3
    relationship = survey.question("relationship")
    assert relationship is not None
    assert {"long-term", "newcomer", "staff", "association", "other"} == set(
        relationship.option_ids
    )
    gender = survey.question("gender")
    assert gender is not None and "prefer-not" in gender.option_ids
    assert survey.compare is not None and survey.compare.groups == ["newcomer", "long-term"]
    assert any(q.show_if is not None for q in survey.questions)
    assert survey.minutes <= 5
    # no question asks for identifying data
    for question in survey.questions:
        assert not {"name", "email", "e_mail", "phone", "address"} & {question.id}


def test_academy_poll_has_three_questions():
    survey = load_survey_definitions().surveys["academy"]
    assert len(survey.questions) == 3
    first = survey.question("first_recommendation")
    assert first is not None and first.option_ids == list(RECOMMENDATION_IDS)
    readiness = survey.question("readiness")
    assert readiness is not None and [i.id for i in readiness.items] == THEME_IDS


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def _valid(survey_id: str = "demo") -> dict:
    every = dict.fromkeys(LANGUAGES, "x")
    return {
        "id": survey_id,
        "version": 1,
        "minutes": 2,
        "title": every,
        "introduction": every,
        "consent": every,
        "thank_you": every,
        "questions": [
            {
                "id": "colour",
                "type": "single",
                "required": True,
                "text": every,
                "options": [{"id": "red", "label": every}, {"id": "blue", "label": every}],
            },
            {"id": "why", "type": "text", "max_length": 50, "text": every},
        ],
    }


def _break(change) -> dict:
    data = _valid()
    change(data)
    return data


BROKEN = {
    "missing_language": (
        lambda d: d["questions"][0]["text"].pop("lv"),
        ["demo.yaml", "question 'colour'", "field 'text'", "lv"],
    ),
    "missing_option_language": (
        lambda d: d["questions"][0]["options"][1]["label"].pop("ar"),
        ["question 'colour'", "field 'options.1.label'", "ar"],
    ),
    "unknown_type": (
        lambda d: d["questions"][0].update(type="slider"),
        ["question 'colour'", "field 'type'"],
    ),
    "duplicate_question": (
        lambda d: d["questions"][1].update(
            id="colour", type="single", options=d["questions"][0]["options"], max_length=None
        ),
        ["duplicate question id", "colour"],
    ),
    "one_option": (
        lambda d: d["questions"][0]["options"].pop(),
        ["question 'colour'", "field 'options'"],
    ),
    "multi_without_maximum": (
        lambda d: d["questions"][0].update(type="multi"),
        ["question 'colour'", "max_selections"],
    ),
    "maximum_above_options": (
        lambda d: d["questions"][0].update(type="multi", max_selections=5),
        ["question 'colour'", "max_selections"],
    ),
    "text_without_length": (
        lambda d: d["questions"][1].pop("max_length"),
        ["question 'why'", "max_length"],
    ),
    "city_without_other": (
        lambda d: d["questions"][0].update(type="city"),
        ["question 'colour'", "other"],
    ),
    "condition_on_later_question": (
        lambda d: d["questions"][0].update(show_if={"question": "why", "equals": ["a"]}),
        ["question 'colour'", "show_if.question"],
    ),
    "condition_unknown_option": (
        lambda d: d["questions"][1].update(show_if={"question": "colour", "equals": ["green"]}),
        ["question 'why'", "show_if.equals", "green"],
    ),
    "bad_question_id": (
        lambda d: d["questions"][0].update(id="Bad Id"),
        ["question 'Bad Id'", "field 'id'"],
    ),
    "unknown_field": (
        lambda d: d["questions"][0].update(colour="red"),
        ["question 'colour'", "field 'colour'"],
    ),
    "no_version": (lambda d: d.pop("version"), ["demo.yaml", "field 'version'"]),
    "compare_unknown_group": (
        lambda d: d.update(compare={"question": "colour", "groups": ["red", "green"]}),
        ["compare.groups", "green"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_definition_error_names_file_question_and_field(tmp_path, case):
    change, expected = BROKEN[case]
    path = _write(tmp_path, "demo", _break(change))
    with pytest.raises(DefinitionError) as info:
        load_survey_file(path)
    message = str(info.value)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_yaml_syntax_error_and_id_mismatch(tmp_path):
    with pytest.raises(DefinitionError, match=r"bad\.yaml: cannot be read as YAML"):
        load_survey_file(_write(tmp_path, "bad", "id: [unclosed"))
    with pytest.raises(DefinitionError, match="must match the file name"):
        load_survey_file(_write(tmp_path, "other", _valid("demo")))


def test_broken_file_disables_only_that_survey(tmp_path):
    _write(tmp_path, "good", _valid("good"))
    _write(tmp_path, "demo", _break(lambda d: d["questions"][0]["text"].pop("el")))
    registry = load_survey_definitions(tmp_path)
    assert set(registry.surveys) == {"good"}
    assert set(registry.errors) == {"demo"}
    assert "question 'colour'" in registry.errors["demo"]
