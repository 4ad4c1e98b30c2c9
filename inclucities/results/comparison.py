"""Two sessions side by side (before/after a training day, Brussels against Jelgava).

Each side is the one suppressed `SurveySummary` of its session, so the small-group rule holds
per session: a session with fewer than k answers shows only its number of answers, and a
statement answered by fewer than k people in a session shows only that fact. A difference is
given only where both sides publish their distribution.
"""

from __future__ import annotations

from dataclasses import dataclass

from inclucities.results.model import Cell, QuestionSummary, SurveySummary
from inclucities.results.summary import DEFAULT_MIN_CELL, summarise
from inclucities.store import LiveSession, Store
from inclucities.survey.models import AGREE_LEVELS, AGREEMENT_LEVELS, Survey


@dataclass(frozen=True)
class Side:
    """One session of the comparison: its id, its number of answers and its summary."""

    session_id: str
    total: int
    ready: bool  # at least k answers: its distributions may be shown


@dataclass(frozen=True)
class LevelDifference:
    """One level of the agreement scale in both sessions; `difference` is b minus a, as a
    share (None unless both are published)."""

    level: str
    a: Cell
    b: Cell
    difference: float | None


@dataclass(frozen=True)
class StatementComparison:
    """One agreement statement (or grid item) in both sessions."""

    question_id: str
    item_id: str | None
    a: QuestionSummary
    b: QuestionSummary
    levels: tuple[LevelDifference, ...]
    agree_a: float | None  # share answering 4 or 5; None when not published
    agree_b: float | None
    agree_difference: float | None  # b minus a

    @property
    def key(self) -> str:
        return self.question_id if self.item_id is None else f"{self.question_id}.{self.item_id}"

    @property
    def shown_a(self) -> bool:
        return not self.a.answered.suppressed

    @property
    def shown_b(self) -> bool:
        return not self.b.answered.suppressed


@dataclass(frozen=True)
class SessionComparison:
    a: Side
    b: Side
    min_cell: int
    statements: tuple[StatementComparison, ...]

    @property
    def comparable(self) -> bool:
        """Whether any statement has a difference to show."""
        return any(s.agree_difference is not None for s in self.statements)


def agree_share(summary: QuestionSummary) -> float | None:
    """The share answering 4 or 5 of a published distribution, else None."""
    if summary.answered.suppressed:
        return None
    cells = {c.key: c for c in summary.options}
    if any(cells[lvl].suppressed for lvl in AGREE_LEVELS if lvl in cells):
        return None
    return sum(cells[lvl].share or 0.0 for lvl in AGREE_LEVELS if lvl in cells)


def _level_differences(a: QuestionSummary, b: QuestionSummary) -> tuple[LevelDifference, ...]:
    cells_a = {c.key: c for c in a.options}
    cells_b = {c.key: c for c in b.options}
    levels = []
    for level in AGREEMENT_LEVELS:
        ca = cells_a.get(level, Cell(level, None, True))
        cb = cells_b.get(level, Cell(level, None, True))
        both = not (ca.suppressed or cb.suppressed) and None not in (ca.share, cb.share)
        difference = (cb.share or 0.0) - (ca.share or 0.0) if both else None
        levels.append(LevelDifference(level, ca, cb, difference))
    return tuple(levels)


def compare_summaries(
    a_id: str, a: SurveySummary, b_id: str, b: SurveySummary
) -> SessionComparison:
    """Agreement statements of two session summaries, side by side with their differences."""
    if a.min_cell != b.min_cell or a.survey_id != b.survey_id:
        raise ValueError("both sides must summarise the same survey with the same k")
    by_key_b = {q.key: q for q in b.agreement}
    statements = []
    for qa in a.agreement:
        qb = by_key_b.get(qa.key)
        if qb is None:
            continue
        share_a, share_b = agree_share(qa), agree_share(qb)
        difference = share_b - share_a if share_a is not None and share_b is not None else None
        statements.append(
            StatementComparison(
                qa.question_id,
                qa.item_id,
                qa,
                qb,
                _level_differences(qa, qb),
                share_a,
                share_b,
                difference,
            )
        )
    return SessionComparison(
        Side(a_id, a.total, a.ready), Side(b_id, b.total, b.ready), a.min_cell, tuple(statements)
    )


def compare_sessions(
    store: Store,
    survey: Survey,
    a: LiveSession,
    b: LiveSession,
    min_cell: int = DEFAULT_MIN_CELL,
) -> SessionComparison:
    """Summarise both sessions (each with the small-cell rule on its own) and compare them."""
    for session in (a, b):
        if session.survey_id != survey.id:
            raise ValueError(f"session {session.id} is not a session of survey {survey.id}")
    return compare_summaries(
        a.id,
        summarise(store, survey, min_cell=min_cell, session_id=a.id),
        b.id,
        summarise(store, survey, min_cell=min_cell, session_id=b.id),
    )
