"""Load survey definition files; a broken file disables that survey only, with a precise message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from inclucities.survey.models import Survey

# not resolve(): a project copy with a linked package must read its own definitions
DEFINITIONS_DIR = Path(__file__).absolute().parents[2] / "surveys" / "definitions"


class DefinitionError(ValueError):
    """A survey definition is malformed; the message names the file, the question and the field."""


@dataclass
class SurveyRegistry:
    """Valid surveys by id, and an error message for each file that could not be loaded."""

    surveys: dict[str, Survey] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # survey id (or file stem) -> message

    def get(self, survey_id: str) -> Survey | None:
        return self.surveys.get(survey_id)


def _where(raw: object, loc: tuple[int | str, ...]) -> str:
    """'question 'welcome', field 'text.lv'' from a pydantic error location."""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "questions" and isinstance(parts[1], int):
        qid = "?"
        questions = raw.get("questions") if isinstance(raw, dict) else None
        if isinstance(questions, list) and parts[1] < len(questions):
            entry = questions[parts[1]]
            if isinstance(entry, dict):
                qid = str(entry.get("id", f"#{parts[1] + 1}"))
        rest = ".".join(str(p) for p in parts[2:]) or "(question)"
        return f"question '{qid}', field '{rest}'"
    return f"field '{'.'.join(str(p) for p in parts) or '(survey)'}'"


def format_validation_error(path: Path, raw: object, exc: ValidationError) -> str:
    """One line per problem, each naming the file, the question and the field."""
    lines = []
    for err in exc.errors():
        msg = str(err["msg"]).removeprefix("Value error, ")
        lines.append(f"{path.name}: {_where(raw, tuple(err['loc']))}: {msg}")
    return "\n".join(lines)


def load_survey_file(path: Path) -> Survey:
    """Parse and validate one definition file, raising DefinitionError with a precise message."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"{path.name}: cannot be read as YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path.name}: expected a mapping with id, version and questions")
    try:
        survey = Survey.model_validate(raw)
    except ValidationError as exc:
        raise DefinitionError(format_validation_error(path, raw, exc)) from exc
    if survey.id != path.stem:
        raise DefinitionError(f"{path.name}: field 'id': '{survey.id}' must match the file name")
    return survey


def load_survey_definitions(directory: Path = DEFINITIONS_DIR) -> SurveyRegistry:
    """Every `*.yaml` in `directory`; valid ones are served, broken ones are listed in `errors`."""
    registry = SurveyRegistry()
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            survey = load_survey_file(path)
        except DefinitionError as exc:
            registry.errors[path.stem] = str(exc)
            continue
        registry.surveys[survey.id] = survey
    return registry
