"""The one SQL summary layer: every number on every screen comes from `summarise`, suppressed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from inclucities.i18n import LANGUAGES
from inclucities.store import Store
from inclucities.survey.models import AGREE_LEVELS, AGREEMENT_LEVELS, LIST_TYPES, Survey

DEFAULT_MIN_CELL = 5


@dataclass(frozen=True)
class Cell:
    """One number of a breakdown; when `suppressed`, `count` and `share` are None."""

    key: str
    count: int | None
    suppressed: bool
    share: float | None = None  # of the breakdown's base (respondents who answered)


@dataclass(frozen=True)
class QuestionSummary:
    """Option counts of one question (or one item of an agreement grid)."""

    question_id: str
    item_id: str | None
    type: str
    answered: Cell  # respondents who answered; options of multi/priorities can sum to more
    options: tuple[Cell, ...]
    # agreement only: answers outside the 1-5 scale ("don't know" / "does not apply"), counted
    # apart; `answered` and the option shares then cover the 1-5 answers only
    no_answer: Cell | None = None

    @property
    def key(self) -> str:
        return self.question_id if self.item_id is None else f"{self.question_id}.{self.item_id}"


@dataclass(frozen=True)
class GroupResult:
    """One comparison group's answers to one agreement statement."""

    group: str
    answered: Cell
    agree_share: float | None  # share answering 4 or 5; None when the group is suppressed


@dataclass(frozen=True)
class Comparison:
    question_id: str
    item_id: str | None
    groups: tuple[GroupResult, ...]

    @property
    def key(self) -> str:
        return self.question_id if self.item_id is None else f"{self.question_id}.{self.item_id}"


@dataclass(frozen=True)
class ApprovedIdea:
    text: str
    lang: str


@dataclass(frozen=True)
class SurveySummary:
    """Everything the results, presenter and recommendations pages show for one survey."""

    survey_id: str
    min_cell: int
    generated_at: datetime
    total: int
    by_language: tuple[Cell, ...]
    by_city: tuple[Cell, ...]
    questions: tuple[QuestionSummary, ...]
    priorities: dict[str, tuple[Cell, ...]]  # question id -> options ranked, suppressed last
    comparison_question: str | None
    comparison_groups: tuple[Cell, ...]
    comparisons: tuple[Comparison, ...]
    idea_count: int
    approved_ideas: tuple[ApprovedIdea, ...] = field(default_factory=tuple)

    def question(self, question_id: str, item_id: str | None = None) -> QuestionSummary:
        for q in self.questions:
            if q.question_id == question_id and q.item_id == item_id:
                return q
        raise KeyError(question_id if item_id is None else f"{question_id}.{item_id}")

    @property
    def agreement(self) -> tuple[QuestionSummary, ...]:
        return tuple(q for q in self.questions if q.type == "agreement")


def suppress(
    counts: Mapping[str, int], keys: Iterable[str], min_cell: int, additive: bool = True
) -> tuple[Cell, ...]:
    """Cells for `keys`; any count below `min_cell` (zero included) is hidden.

    When the cells add up to a published base (`additive`), a single hidden non-zero cell
    could be recovered by subtraction, so the next smallest cell is hidden too.
    """
    keys = list(keys)
    values = {k: int(counts.get(k, 0)) for k in keys}
    hidden = {k for k in keys if values[k] < min_cell}
    if additive:
        nonzero_hidden = [k for k in hidden if values[k] > 0]
        if len(nonzero_hidden) == 1 and len(hidden) == 1 and len(keys) > 1:
            visible = sorted((k for k in keys if k not in hidden), key=lambda k: (values[k], k))
            hidden.add(visible[0])
    base = sum(values.values())
    return tuple(
        Cell(k, None, True)
        if k in hidden
        else Cell(k, values[k], False, (values[k] / base) if base else None)
        for k in keys
    )


def _cell(key: str, count: int, min_cell: int) -> Cell:
    return Cell(key, None, True) if count < min_cell else Cell(key, count, False)


def _shares(cells: tuple[Cell, ...], base: int) -> tuple[Cell, ...]:
    """Recompute shares against a base that is not the cells' sum (multi-choice)."""
    return tuple(
        c if c.suppressed else Cell(c.key, c.count, False, (c.count or 0) / base if base else None)
        for c in cells
    )


def summarise(
    store: Store,
    survey: Survey,
    min_cell: int = DEFAULT_MIN_CELL,
    session_id: str | None = None,
) -> SurveySummary:
    """Totals, breakdowns, option counts, priorities and group comparison, with suppression.

    The counts come from `store.answer_counts` (one row per column, value and comparison group;
    language rows under the column '#lang'); `session_id` limits everything to one session.
    """
    rows = store.answer_counts(survey.id, session_id)
    by_col: dict[str, dict[str | None, dict[str | None, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for col, value, grp, n in rows:
        by_col[col][value][grp] += int(n)

    def totals(column: str) -> dict[str, int]:
        return {v: sum(g.values()) for v, g in by_col[column].items() if v is not None}

    lang_counts = totals("#lang")
    total = sum(lang_counts.values())
    languages = list(LANGUAGES) + sorted(set(lang_counts) - set(LANGUAGES))
    by_language = suppress(lang_counts, languages, min_cell)

    city_q = survey.city_question
    by_city: tuple[Cell, ...] = ()
    if city_q is not None:
        by_city = suppress(totals(city_q.id), city_q.option_ids, min_cell)

    questions: list[QuestionSummary] = []
    priorities: dict[str, tuple[Cell, ...]] = {}
    for q in survey.questions:
        if q.type == "text":
            continue
        for column, item in q.columns[:1] if q.type in LIST_TYPES else q.columns:
            if q.type in LIST_TYPES:
                counts: dict[str, int] = defaultdict(int)
                for slot, _ in q.columns:
                    for option, n in totals(slot).items():
                        counts[option] += n
                answered = sum(totals(q.columns[0][0]).values())  # rank 1 is filled first
                cells = _shares(suppress(counts, q.option_ids, min_cell, additive=False), answered)
            else:
                counts = totals(column)
                scale = list(AGREEMENT_LEVELS) if q.type == "agreement" else q.option_ids
                answered = sum(counts.get(k, 0) for k in scale)
                cells = suppress(counts, scale, min_cell)
            no_answer = None
            if q.type == "agreement" and q.no_answer is not None:
                no_answer = _cell(q.no_answer.id, totals(column).get(q.no_answer.id, 0), min_cell)
            questions.append(
                QuestionSummary(
                    q.id, item, q.type, _cell("answered", answered, min_cell), cells, no_answer
                )
            )
            if q.type == "priorities":
                priorities[q.id] = tuple(
                    sorted(cells, key=lambda c: (c.suppressed, -(c.count or 0), c.key))
                )

    comparison_groups: tuple[Cell, ...] = ()
    comparisons: list[Comparison] = []
    if survey.compare is not None:
        groups = survey.compare.groups
        group_counts = totals(survey.compare.question)
        comparison_groups = tuple(_cell(g, group_counts.get(g, 0), min_cell) for g in groups)
        for q in survey.questions:
            if q.type != "agreement":
                continue
            for column, item in q.columns:
                results: list[GroupResult] = []
                for g in groups:
                    n = sum(by_col[column][v].get(g, 0) for v in AGREEMENT_LEVELS)
                    agree = sum(by_col[column][v].get(g, 0) for v in AGREE_LEVELS)
                    cell = _cell(g, n, min_cell)
                    results.append(GroupResult(g, cell, None if cell.suppressed else agree / n))
                comparisons.append(Comparison(q.id, item, tuple(results)))

    idea_count = store.idea_count(survey.id, session_id)
    approved = store.ideas(
        survey.id, status="approved", session_id=session_id, newest_first=True, limit=200
    )
    return SurveySummary(
        survey_id=survey.id,
        min_cell=min_cell,
        generated_at=datetime.now(),
        total=total,
        by_language=by_language,
        by_city=by_city,
        questions=tuple(questions),
        priorities=priorities,
        comparison_question=survey.compare.question if survey.compare else None,
        comparison_groups=comparison_groups,
        comparisons=tuple(comparisons),
        idea_count=idea_count,
        approved_ideas=tuple(ApprovedIdea(idea.text, idea.lang) for idea in approved),
    )


def recommendation_ranking(summary: SurveySummary) -> tuple[Cell, ...]:
    """The options of the summary's (first) priorities question, most chosen first."""
    return next(iter(summary.priorities.values()), ())
