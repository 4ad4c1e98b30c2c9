"""Plain helpers behind the survey form: places in a ranking, missing grid lines, live errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from inclucities.i18n import Translator
from inclucities.survey.models import Question, Survey
from inclucities.survey.validation import FieldError, validate_answers


def scale_label(t: Translator, level: str) -> str:
    """The words of one point of the agreement scale (or of an extra choice next to it)."""
    return t(f"survey.scale.{level}")


def settle_places(
    places: Mapping[str, int | None], before: Mapping[str, int | None]
) -> dict[str, int | None]:
    """One option per place: an option that has just taken a place another option held keeps
    it, and the other option loses its place (it can be given another one)."""
    settled: dict[str, int | None] = dict(places)
    holders: dict[int, list[str]] = {}
    for option, rank in places.items():
        if rank is not None:
            holders.setdefault(rank, []).append(option)
    for rank, options in holders.items():
        if len(options) < 2:
            continue
        newcomers = [o for o in options if before.get(o) != rank]
        keep = newcomers[-1] if newcomers else options[-1]
        for option in options:
            if option != keep:
                settled[option] = None
    return settled


def places_of(ranked: Sequence[str]) -> dict[str, int | None]:
    """Places of a stored ranking (the first option is place 1)."""
    return {option: rank for rank, option in enumerate(ranked, start=1)}


def ranking(places: Mapping[str, int | None], option_order: Sequence[str]) -> list[str]:
    """Options in the order of their places (1 first); gaps close up."""
    placed = [(rank, option_order.index(o), o) for o, rank in places.items() if rank is not None]
    return [option for _, _, option in sorted(placed)]


def missing_items(question: Question, value: object) -> list[str]:
    """Item ids of a grid that have no answer yet (the lines still to answer)."""
    given = value if isinstance(value, Mapping) else {}
    return [item.id for item in question.items if given.get(item.id) in (None, "")]


def live_errors(
    survey: Survey,
    answers: Mapping[str, object],
    flagged: Iterable[str],
    consent: bool | None = None,
) -> list[FieldError]:
    """Errors of the questions flagged at the last check, as the answers stand now: an error
    goes away as soon as its question is answered."""
    wanted = set(flagged)
    current = validate_answers(survey, answers, consent=consent).errors
    return [e for e in current if e.question_id in wanted]
