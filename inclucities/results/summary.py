"""The one SQL summary layer: every number on every screen comes from `summarise`, suppressed.

The small-cell rule (documented on the privacy page), with k = `min_cell`:

- Until the group shown has k answers, only its number of answers is published.
- From k answers on, an opinion question shows its full distribution: a count of 1 inside a
  one-way distribution of k or more people identifies nobody. A question answered by fewer than
  k people shows nothing but that fact.
- Profile questions (language, city, age, gender, relationship to the city) and every breakdown
  by group hide each cell below k, with complementary suppression: no hidden cell can be
  recovered by subtracting the shown cells from a total shown on the same screen or in the
  shareable export (which reads this same summary).

Across sessions (issue 23). A visitor can read all sessions together and each session alone,
and subtract one view from another. Each session is summarised under the rule above on its own
answers. All sessions together are split into disjoint parts: every session that publishes any
figure, and the rest (answers outside any session, and the sessions that publish only their
number of answers). The rest is summarised under the same rule, though never shown alone. A
figure of all sessions (a cell, a number of answers, a group's result in a comparison) is then
published only where every part publishes it, so it is the sum of figures already public, and
which figures it shows depends on the parts alone. Whatever a visitor computes from the views
is thus what the parts' own views say, each under the single-view rule: a hidden cell of one
session stays as hidden as it is in that session's view. With no session, the only part is the
whole survey, and the rule is the single-view rule unchanged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from inclucities.i18n import LANGUAGES
from inclucities.idea_wall import RankedIdea, wall_ideas
from inclucities.results.model import (
    ApprovedIdea,
    Cell,
    Comparison,
    GroupResult,
    QuestionSummary,
    SurveySummary,
    WordCloud,
)
from inclucities.results.suppression import (
    distribution,
    protect_residual,
    published_figures,
    restrict,
    suppress,
    threshold_cell,
)
from inclucities.store import CountRow, Store
from inclucities.survey.models import (
    AGREE_LEVELS,
    AGREEMENT_LEVELS,
    LIST_TYPES,
    Question,
    Survey,
)
from inclucities.wordcloud import SHORT_TEXT_MAX
from inclucities.wordcloud import build as build_cloud

DEFAULT_MIN_CELL = 5
CLOUD_ANSWERS = 20_000  # newest approved answers a word cloud reads (bounds the summary's work)
TOP_IDEAS = 8  # ideas on the wall, pinned first then by support (fits 1920 x 1080)
WALL_READ = 4  # read this many times more: variants merge and one-word answers leave


def cloud_questions(survey: Survey) -> list[Question]:
    """One-word and short-text questions: their approved answers make a word cloud."""
    return [
        q
        for q in survey.questions
        if q.type == "text" and q.max_length is not None and q.max_length <= SHORT_TEXT_MAX
    ]


def word_clouds(store: Store, survey: Survey, session_id: str | None = None) -> list[WordCloud]:
    """A word cloud per short-text question, from approved answers only."""
    questions = cloud_questions(survey)
    if not questions:
        return []
    by_question: dict[str, list[tuple[str, str]]] = {q.id: [] for q in questions}
    approved = store.ideas(
        survey.id, status="approved", session_id=session_id, limit=CLOUD_ANSWERS, newest_first=True
    )
    for idea in approved:
        if idea.question_id in by_question:
            by_question[idea.question_id].append((idea.text, idea.lang))
    return [
        WordCloud(q.id, len(by_question[q.id]), tuple(build_cloud(by_question[q.id])))
        for q in questions
    ]


def is_profile(survey: Survey, question: Question) -> bool:
    """Whether a question describes the respondent (a breakdown by group), not an opinion:
    marked `profile: true` in its definition, the city question, or the comparison question."""
    return (
        question.type == "city"
        or question.profile
        or (survey.compare is not None and question.id == survey.compare.question)
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
    Without it, the figures of all sessions follow the cross-session rule (`across_sessions`).
    """
    rows = store.answer_counts(survey.id, session_id)
    if session_id is None:
        sessions = [store.answer_counts(survey.id, s.id) for s in store.sessions(survey.id)]
        figures = across_sessions(rows, sessions, survey, min_cell)
    else:
        figures = summarise_counts(rows, survey, min_cell)
    approved = store.ideas(
        survey.id, status="approved", session_id=session_id, newest_first=True, limit=200
    )
    return replace(
        figures,
        idea_count=store.idea_count(survey.id, session_id),
        approved_ideas=tuple(ApprovedIdea(idea.text, idea.lang) for idea in approved),
        top_ideas=wall_ideas(
            (
                RankedIdea(idea.id, idea.text, idea.lang, idea.supports, idea.pinned)
                for idea in store.top_ideas(survey.id, session_id, limit=TOP_IDEAS * WALL_READ)
            ),
            TOP_IDEAS,
        ),
        word_clouds=tuple(word_clouds(store, survey, session_id)),
    )


def summarise_counts(rows: Iterable[CountRow], survey: Survey, min_cell: int) -> SurveySummary:
    """The single-view rule on one group's count rows (no ideas: `summarise` adds them)."""
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

    # profile cells, kept to decide on questions shown only to one group (show_if)
    profile_cells: dict[str, dict[str, Cell]] = {}
    questions: list[QuestionSummary] = []
    priorities: dict[str, tuple[Cell, ...]] = {}
    for q in survey.questions:
        if q.type == "text":
            continue
        profile = is_profile(survey, q)
        hidden_group = _asked_a_hidden_group(q, profile_cells)
        for column, item in q.columns[:1] if q.type in LIST_TYPES else q.columns:
            if q.type in LIST_TYPES:
                counts: dict[str, int] = defaultdict(int)
                for slot, _ in q.columns:
                    for option, n in totals(slot).items():
                        counts[option] += n
                answered = sum(totals(q.columns[0][0]).values())  # rank 1 is filled first
            else:
                counts = totals(column)
                scale = list(AGREEMENT_LEVELS) if q.type == "agreement" else q.option_ids
                answered = sum(counts.get(k, 0) for k in scale)
            no_answer = None
            if q.type == "agreement" and q.no_answer is not None:
                # "I don't know" is counted apart, shown once the statement has k answers in all
                n_dk = totals(column).get(q.no_answer.id, 0)
                shown = not hidden_group and answered + n_dk >= min_cell
                no_answer = Cell(q.no_answer.id, n_dk if shown else None, not shown)
            if hidden_group:
                answered = 0  # its number of answers would tell the size of a hidden group
            scale = list(AGREEMENT_LEVELS) if q.type == "agreement" else q.option_ids
            shown_answered = answered
            if profile:
                cells = suppress(counts, scale, min_cell)
                profile_cells[q.id] = {c.key: c for c in cells}
                if _all_hidden_at_k_minus_one(cells, counts, min_cell):
                    shown_answered = 0  # its number of answers would tell every cell
            else:
                cells = distribution(counts, scale, answered, min_cell)
            questions.append(
                QuestionSummary(
                    q.id,
                    item,
                    q.type,
                    threshold_cell("answered", shown_answered, min_cell),
                    cells,
                    no_answer,
                    profile,
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
        group_cells = profile_cells.get(survey.compare.question, {})
        comparison_groups = tuple(group_cells.get(g, Cell(g, None, True)) for g in groups)
        for q in survey.questions:
            if q.type != "agreement":
                continue
            for column, item in q.columns:
                results: list[GroupResult] = []
                for g in groups:
                    n = sum(by_col[column][v].get(g, 0) for v in AGREEMENT_LEVELS)
                    agree = sum(by_col[column][v].get(g, 0) for v in AGREE_LEVELS)
                    group_hidden = group_cells.get(g, Cell(g, None, True)).suppressed
                    cell = Cell(g, None, True) if group_hidden else threshold_cell(g, n, min_cell)
                    results.append(GroupResult(g, cell, None if cell.suppressed else agree / n))
                margin = sum(totals(column).get(v, 0) for v in AGREEMENT_LEVELS)
                comparisons.append(
                    Comparison(q.id, item, protect_residual(results, margin, min_cell))
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
        idea_count=0,
    )


def _minus(total: Iterable[CountRow], parts: Iterable[Iterable[CountRow]]) -> list[CountRow]:
    """The count rows of the answers in `total` but in none of `parts` (zero rows dropped)."""
    left: Counter[tuple[str, str | None, str | None]] = Counter()
    for col, value, grp, n in total:
        left[(col, value, grp)] += int(n)
    for part in parts:
        for col, value, grp, n in part:
            left[(col, value, grp)] -= int(n)
    return [CountRow(col, value, grp, n) for (col, value, grp), n in left.items() if n > 0]


def parts(
    rows: Sequence[CountRow],
    sessions: Sequence[Sequence[CountRow]],
    survey: Survey,
    min_cell: int,
) -> list[SurveySummary]:
    """The disjoint groups the total is made of, each summarised under the single-view rule:
    every session that publishes any figure, then the rest (answers outside any session, and
    the sessions that publish nothing but their number of answers), unless it is empty."""
    shown: list[SurveySummary] = []
    shown_rows: list[Sequence[CountRow]] = []
    for session_rows in sessions:
        summary = summarise_counts(session_rows, survey, min_cell)
        if published_figures(summary):
            shown.append(summary)
            shown_rows.append(session_rows)
    rest = _minus(rows, shown_rows)
    if rest:
        shown.append(summarise_counts(rest, survey, min_cell))
    return shown


def across_sessions(
    rows: Sequence[CountRow],
    sessions: Sequence[Sequence[CountRow]],
    survey: Survey,
    min_cell: int,
) -> SurveySummary:
    """All sessions together: a figure is published only where every part publishes it.

    The parts (see `parts`) are disjoint groups of people, each published under the
    single-view rule (the rest is never shown alone). A figure of the total is then the sum of
    figures already published for every part, so the total tells nothing they do not, and
    adding or subtracting views can only recombine what each part publishes on its own.
    Which figures the total shows depends on the parts only (the total's own small cells
    are not consulted), so even the pattern of hidden cells tells nothing more.
    """
    groups = parts(rows, sessions, survey, min_cell)
    if not groups:
        return summarise_counts(rows, survey, min_cell)
    allowed = frozenset.intersection(*(published_figures(g) for g in groups))
    every_count = summarise_counts(rows, survey, 1)  # zeros aside, nothing hidden
    return replace(restrict(every_count, allowed), min_cell=min_cell)


def _all_hidden_at_k_minus_one(
    cells: Sequence[Cell], counts: Mapping[str, int], min_cell: int
) -> bool:
    """Every cell hidden, each holding k-1: their published sum would tell them all."""
    return all(c.suppressed for c in cells) and all(
        counts.get(c.key, 0) == min_cell - 1 for c in cells
    )


def _asked_a_hidden_group(
    question: Question, profile_cells: Mapping[str, Mapping[str, Cell]]
) -> bool:
    """A question shown only to some answers of a profile question (show_if) is a breakdown by
    that group: it is published only while those groups' own cells are published."""
    condition = question.show_if
    if condition is None or condition.question not in profile_cells:
        return False
    cells = profile_cells[condition.question]
    return any(cells[o].suppressed for o in condition.equals if o in cells)


def recommendation_ranking(summary: SurveySummary) -> tuple[Cell, ...]:
    """The options of the summary's (first) priorities question, most chosen first."""
    return next(iter(summary.priorities.values()), ())
