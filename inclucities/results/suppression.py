"""The small-cell rule on one view: which cells are published, which are hidden, and why.

With k = `min_cell`: until the group shown has k answers only its number of answers is
published; an opinion question answered by k or more shows its full distribution; profile
questions and breakdowns by group hide each cell below k, with complementary suppression.
`inclucities.results.summary` applies the rule, across sessions too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from inclucities.results.model import Cell, GroupResult, QuestionSummary, SurveySummary


def suppress(
    counts: Mapping[str, int], keys: Iterable[str], min_cell: int, additive: bool = True
) -> tuple[Cell, ...]:
    """Cells for `keys`; any count below `min_cell` (zero included) is hidden.

    When the cells add up to a published base (`additive`), a single hidden non-zero cell
    could be recovered by subtraction, and so could hidden cells that all hold k-1 (their sum
    is known, each is below k): then the next smallest cell is hidden too.
    """
    keys = list(keys)
    values = {k: int(counts.get(k, 0)) for k in keys}
    hidden = {k for k in keys if values[k] < min_cell}
    if additive:
        nonzero_hidden = [k for k in hidden if values[k] > 0]
        # the hidden cells' sum is published; with each below k, a sum of (k-1) per hidden
        # cell tells every one of them (as a single hidden cell tells itself)
        at_most = min_cell > 1 and sum(values[k] for k in hidden) == len(hidden) * (min_cell - 1)
        alone = len(nonzero_hidden) == 1 and len(hidden) == 1
        if hidden and (alone or at_most) and len(hidden) < len(keys):
            visible = sorted((k for k in keys if k not in hidden), key=lambda k: (values[k], k))
            hidden.add(visible[0])
    base = sum(values.values())
    return tuple(
        Cell(k, None, True)
        if k in hidden
        else Cell(k, values[k], False, (values[k] / base) if base else None)
        for k in keys
    )


def threshold_cell(key: str, count: int, min_cell: int) -> Cell:
    """One count, hidden when below k (no complementary suppression: a lone figure)."""
    return Cell(key, None, True) if count < min_cell else Cell(key, count, False)


def distribution(
    counts: Mapping[str, int], keys: Iterable[str], answered: int, min_cell: int
) -> tuple[Cell, ...]:
    """An opinion question's cells: all of them (zeros and ones included) once `answered` ≥ k,
    none before. Shares are of the respondents who answered (multi-choice can sum to more)."""
    keys = list(keys)
    if answered < min_cell:
        return tuple(Cell(k, None, True) for k in keys)
    return tuple(
        Cell(k, int(counts.get(k, 0)), False, int(counts.get(k, 0)) / answered) for k in keys
    )


def protect_residual(
    results: Iterable[GroupResult], margin: int, min_cell: int
) -> tuple[GroupResult, ...]:
    """Hide more groups until the people left outside the shown groups are 0 or at least k.

    `margin` is the statement's published number of answers: margin minus the shown groups'
    answers (and agreement, from share times count) would otherwise describe the remaining
    few people exactly.
    """
    groups = list(results)
    while True:
        shown = [g for g in groups if not g.answered.suppressed]
        residual = margin - sum(g.answered.count or 0 for g in shown)
        if not shown or residual == 0 or residual >= min_cell:
            return tuple(groups)
        smallest = min(shown, key=lambda g: (g.answered.count or 0, g.group))
        groups = [
            GroupResult(g.group, Cell(g.group, None, True), None) if g is smallest else g
            for g in groups
        ]


def published_figures(summary: SurveySummary) -> frozenset[str]:
    """The names of every figure a summary publishes (beyond its number of answers)."""
    names = {f"lang:{c.key}" for c in summary.by_language if not c.suppressed}
    names |= {f"city:{c.key}" for c in summary.by_city if not c.suppressed}
    for q in summary.questions:
        cells = [q.answered, *q.options, *([q.no_answer] if q.no_answer else [])]
        names |= {f"q:{q.key}:{_role(q, c)}" for c in cells if not c.suppressed}
    for comparison in summary.comparisons:
        shown = (g.group for g in comparison.groups if not g.answered.suppressed)
        names |= {f"cmp:{comparison.key}:{group}" for group in shown}
    return frozenset(names)


def _role(question: QuestionSummary, cell: Cell) -> str:
    """A cell's name within its question: 'answered', 'no_answer' or 'option:<key>'."""
    if cell is question.answered:
        return "answered"
    if cell is question.no_answer:
        return "no_answer"
    return f"option:{cell.key}"


def _keep(cell: Cell, name: str, allowed: frozenset[str]) -> Cell:
    """The cell as it is when `name` is allowed, else hidden."""
    return cell if cell.suppressed or name in allowed else Cell(cell.key, None, True)


def restrict(summary: SurveySummary, allowed: frozenset[str]) -> SurveySummary:
    """The summary with every figure not named in `allowed` hidden (its total stays)."""
    questions = []
    for q in summary.questions:
        questions.append(
            replace(
                q,
                answered=_keep(q.answered, f"q:{q.key}:answered", allowed),
                options=tuple(_keep(c, f"q:{q.key}:option:{c.key}", allowed) for c in q.options),
                no_answer=None
                if q.no_answer is None
                else _keep(q.no_answer, f"q:{q.key}:no_answer", allowed),
            )
        )
    by_key = {q.question_id: q for q in questions if q.item_id is None}
    compare = by_key.get(summary.comparison_question or "")
    groups = {c.key: c for c in compare.options} if compare else {}
    comparisons = tuple(
        replace(
            comparison,
            groups=tuple(
                g
                if f"cmp:{comparison.key}:{g.group}" in allowed
                else GroupResult(g.group, Cell(g.group, None, True), None)
                for g in comparison.groups
            ),
        )
        for comparison in summary.comparisons
    )
    return replace(
        summary,
        by_language=tuple(_keep(c, f"lang:{c.key}", allowed) for c in summary.by_language),
        by_city=tuple(_keep(c, f"city:{c.key}", allowed) for c in summary.by_city),
        questions=tuple(questions),
        priorities={
            qid: tuple(sorted(by_key[qid].options, key=_rank)) for qid in summary.priorities
        },
        comparison_groups=tuple(groups.get(c.key, c) for c in summary.comparison_groups),
        comparisons=comparisons,
    )


def _rank(cell: Cell) -> tuple[bool, int, str]:
    """Priorities order: shown cells first, most chosen first."""
    return (cell.suppressed, -(cell.count or 0), cell.key)
