"""Group a survey's questions into short steps for a phone, and move between them.

A step holds about two phone screens of questions. Weights count the lines a question takes
on a 360 px screen, where every option sits on its own line. A question shown only for some
answers (`show_if`) stays in the step of the question it depends on, so it appears (or goes)
right under it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from inclucities.survey.models import LIST_TYPES, Question, Survey
from inclucities.survey.validation import FieldError, is_visible, validate_answers

STEP_LINES = 30  # lines of a step before a new one starts (about two phone screens)
LONG_TEXT = 100  # text questions longer than this get a multi-line box


def scale_size(question: Question) -> int:
    """How many answer choices an agreement statement offers (the scale, plus any extra)."""
    return len(question.option_ids)


def question_lines(question: Question) -> int:
    """Lines a question takes on a phone: its text, then one line per choice."""
    if question.type == "agreement":
        per_line = 1 + scale_size(question)
        return 1 + per_line * max(1, len(question.items)) if question.items else per_line
    if question.type == "priorities":
        return 1 + 2 * len(question.options)  # each option, then its row of places
    if question.type == "text":
        return 1 + (4 if (question.max_length or 0) > LONG_TEXT else 2)
    return 1 + len(question.options)


SHORT_SURVEY = 1.5  # a survey up to this many steps' worth of lines stays on one page


def group_steps(survey: Survey, budget: int = STEP_LINES) -> list[tuple[str, ...]]:
    """Question ids per step, in survey order; a conditional question joins its condition's.

    A short survey (a quick poll) stays on one page: no Next to press."""
    if sum(question_lines(q) for q in survey.questions) <= budget * SHORT_SURVEY:
        return [tuple(q.id for q in survey.questions)]
    steps: list[list[str]] = []
    lines = 0
    for question in survey.questions:
        follows = (
            question.show_if is not None
            and bool(steps)
            and (question.show_if.question in steps[-1])
        )
        weight = question_lines(question)
        if steps and (follows or lines + weight <= budget):
            steps[-1].append(question.id)
            lines += weight
        else:
            steps.append([question.id])
            lines = weight
    return [tuple(step) for step in steps]


def step_questions(survey: Survey, step: Sequence[str]) -> list[Question]:
    return [q for q in survey.questions if q.id in step]


def shown_questions(
    survey: Survey, step: Sequence[str], answers: Mapping[str, object]
) -> list[Question]:
    """The step's questions whose condition holds for the answers so far."""
    return [q for q in step_questions(survey, step) if is_visible(q, answers)]


def active_steps(
    survey: Survey, steps: Sequence[Sequence[str]], answers: Mapping[str, object]
) -> list[int]:
    """Indexes of the steps that show at least one question for these answers."""
    return [i for i, step in enumerate(steps) if shown_questions(survey, step, answers)]


def neighbour(active: Sequence[int], current: int, direction: int) -> int:
    """The next (direction 1) or previous (-1) active step; `current` at either end."""
    later = [i for i in active if (i - current) * direction > 0]
    if not later:
        return current
    return min(later) if direction > 0 else max(later)


def step_of(steps: Sequence[Sequence[str]], question_id: str) -> int | None:
    return next((i for i, step in enumerate(steps) if question_id in step), None)


def errors_in(errors: Sequence[FieldError], step: Sequence[str]) -> list[FieldError]:
    return [e for e in errors if e.question_id in step]


def step_errors(
    survey: Survey, step: Sequence[str], answers: Mapping[str, object]
) -> list[FieldError]:
    """What keeps a step from being complete (required answers missing, limits broken)."""
    return errors_in(validate_answers(survey, answers).errors, step)


def resume_step(
    survey: Survey, steps: Sequence[Sequence[str]], answers: Mapping[str, object]
) -> int:
    """Where someone whose answers came back (a reconnect) carries on: the first step that
    still needs an answer, else the last step (where they send)."""
    active = active_steps(survey, steps, answers) or [0]
    errors = validate_answers(survey, answers).errors
    for index in active:
        if errors_in(errors, steps[index]):
            return index
    return active[-1]


def answered(question: Question, value: object) -> bool:
    """Whether a widget value counts as an answer (for choosing where to resume)."""
    if question.type in LIST_TYPES or question.items:
        return bool(value)
    return value not in (None, "")
