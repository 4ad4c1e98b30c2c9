"""Server-side validation of answers against a survey definition; errors are keys, not text."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from inclucities.survey.models import LIST_TYPES, Question, Survey
from inclucities.text import collapse_blank_lines

CONSENT = "_consent"  # pseudo question id for the consent checkbox

Answer = str | list[str] | dict[str, str]


@dataclass(frozen=True)
class FieldError:
    """One problem with one question; `code` maps to the catalog key `survey.error.<code>`."""

    question_id: str
    code: str
    params: dict[str, int | str] = field(default_factory=dict)

    @property
    def message_key(self) -> str:
        return f"survey.error.{self.code}"


@dataclass(frozen=True)
class ValidationResult:
    """Cleaned answers ready to store, or the errors that prevent storing them."""

    answers: dict[str, Answer]
    errors: list[FieldError]

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_for(self, question_id: str) -> list[FieldError]:
        return [e for e in self.errors if e.question_id == question_id]


class InvalidSubmission(ValueError):
    """Answers that fail validation; nothing was stored."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.question_id}: {e.code}" for e in errors))
        self.errors = errors


def clean_text(value: str, multiline: bool = False) -> str:
    """Drop control and format characters (keeping line breaks if asked), normalise, trim."""
    kept = []
    for ch in unicodedata.normalize("NFC", value):
        if ch in "\n\r" and multiline:
            kept.append("\n" if ch == "\n" else "")
        elif ch in "\t\n\r":
            kept.append(" ")
        elif unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"} or (
            unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d"
        ):
            continue
        else:
            kept.append(ch)
    return "".join(kept).strip()


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def is_visible(question: Question, answers: Mapping[str, object]) -> bool:
    """Whether a question's condition holds for the answers given so far."""
    cond = question.show_if
    if cond is None:
        return True
    given = answers.get(cond.question)
    if isinstance(given, str):
        return given in cond.equals
    if isinstance(given, (list, tuple)):
        return any(v in cond.equals for v in given)
    return False


def visible_questions(survey: Survey, answers: Mapping[str, object]) -> list[Question]:
    """Questions to show, in order, given the answers so far."""
    return [q for q in survey.questions if is_visible(q, answers)]


def _check(question: Question, value: object) -> tuple[Answer | None, FieldError | None]:
    qid = question.id
    if question.type in {"single", "city"}:
        if not isinstance(value, str):
            return None, FieldError(qid, "invalid")
        if value not in question.option_ids:
            return None, FieldError(qid, "unknown_option")
        return value, None
    if question.type in LIST_TYPES:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return None, FieldError(qid, "invalid")
        chosen = list(dict.fromkeys(value))  # keep order (priorities), drop repeats
        if any(v not in question.option_ids for v in chosen):
            return None, FieldError(qid, "unknown_option")
        if len(chosen) > 1 and question.exclusive_ids & set(chosen):
            return None, FieldError(qid, "exclusive")
        if question.max_selections is not None and len(chosen) > question.max_selections:
            return None, FieldError(qid, "too_many", {"count": question.max_selections})
        return chosen, None
    if question.type == "agreement":
        if question.items:
            if not isinstance(value, Mapping):
                return None, FieldError(qid, "invalid")
            item_ids = {i.id for i in question.items}
            allowed = question.option_ids  # the 1-5 scale and the no-answer code, if any
            picked = {k: v for k, v in value.items() if not _is_empty(v)}
            if any(k not in item_ids for k in picked):
                return None, FieldError(qid, "invalid")
            if any(not isinstance(v, str) or v not in allowed for v in picked.values()):
                return None, FieldError(qid, "unknown_option")
            if question.required and len(picked) < len(item_ids):
                return None, FieldError(qid, "required_items")
            ordered = {i.id: picked[i.id] for i in question.items if i.id in picked}
            return (ordered or None), None
        if not isinstance(value, str):
            return None, FieldError(qid, "invalid")
        if value not in question.option_ids:
            return None, FieldError(qid, "unknown_option")
        return value, None
    # text
    if not isinstance(value, str):
        return None, FieldError(qid, "invalid")
    multiline = (question.max_length or 0) > 100
    text = clean_text(value, multiline=multiline)
    if multiline:
        text = collapse_blank_lines(text)  # 500 empty lines must not make an 18,000 px card
    if question.max_length is not None and len(text) > question.max_length:
        return None, FieldError(qid, "too_long", {"count": question.max_length})
    return (text or None), None


def validate_answers(
    survey: Survey, raw: Mapping[str, object], consent: bool | None = None
) -> ValidationResult:
    """Check raw answers (from a form or any client) against the definition and clean them.

    Unknown question ids are refused; answers to questions hidden by their condition are
    dropped; `consent=False` adds a consent error (None skips the check, e.g. in the store).
    """
    errors: list[FieldError] = []
    if not isinstance(raw, Mapping):
        return ValidationResult({}, [FieldError("", "invalid")])
    known = {q.id for q in survey.questions}
    for key in raw:
        if key not in known:
            errors.append(FieldError(str(key), "unknown_question"))
    cleaned: dict[str, Answer] = {}
    for question in survey.questions:
        if not is_visible(question, cleaned):
            continue
        value = raw.get(question.id)
        if _is_empty(value):
            if question.required:
                errors.append(FieldError(question.id, "required"))
            continue
        answer, error = _check(question, value)
        if error is not None:
            errors.append(error)
        elif answer is not None:
            cleaned[question.id] = answer
        elif question.required:
            errors.append(FieldError(question.id, "required"))
    if consent is False:
        errors.append(FieldError(CONSENT, "consent"))
    return ValidationResult(cleaned if not errors else {}, errors)
