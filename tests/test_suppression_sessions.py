"""Issue 23: no combination of views lets a hidden small cell be worked out.

A visitor can read the results of all sessions, of each session, every breakdown and comparison
in them, and add or subtract any of these figures (a share with a shown base is a count). The
test generates people (their session or none, language, group, gender, two agreement answers),
computes every published view, and for each session and for the answers outside any session
takes each cell the small-cell rule hides for that group whose true count is between 1 and k-1.

Left aside, as the documented rule allows them: numbers of answers (sizes: the rule shows how
many people answered, or says fewer than k), and cells told by a distribution shown for a group
in which everyone gave the same answer.

Such a cell is safe when another set of answers, with exactly the same published figures in
every view (hidden or shown alike), gives it another count: then nothing published, however
combined, can compute it. The other answer sets are searched among the changes of one answer of
one person (or of their group and one statement together) and the exchanges of one answer
between two people; a cell for which none is found fails the test.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from inclucities.export import shareable_frame
from inclucities.i18n import LANGUAGES
from inclucities.results.model import SurveySummary
from inclucities.results.summary import across_sessions, summarise, summarise_counts
from inclucities.results.suppression import published_figures
from inclucities.store import LANG_COLUMN, CountRow
from inclucities.survey.models import AGREE_LEVELS
from scripts.support.survey_helpers import RESIDENT, resident_answers

SURVEY = RESIDENT.model_copy(
    update={
        "questions": [
            q
            for q in RESIDENT.questions
            if q.id in ("welcome", "belonging", "relationship", "gender")
        ]
    }
)
SESSIONS = ("A", "B")
GROUPS = ("newcomer", "long-term")
OTHERS = "(others)"  # people outside the compared groups: never a published group
VALUES: dict[str, tuple[str | None, ...]] = {
    "lang": tuple(LANGUAGES),
    "relationship": (*SURVEY.question("relationship").option_ids, None),  # type: ignore[union-attr]
    "gender": (*SURVEY.question("gender").option_ids, None),  # type: ignore[union-attr]
    "welcome": ("1", "2", "3", "4", "5", "dk"),
    "belonging": ("1", "2", "4", "5", "dk", None),
}
STATEMENTS = ("welcome", "belonging")
PROFILE = ("relationship", "gender")


class Person(NamedTuple):
    part: str | None  # a session, or None: answered outside any session
    lang: str
    relationship: str | None
    gender: str | None
    welcome: str | None
    belonging: str | None


def rows_of(people: Sequence[Person]) -> list[CountRow]:
    """The count rows the store would give for these people."""
    counts: Counter[tuple[str, str | None, str | None]] = Counter()
    for p in people:
        counts[(LANG_COLUMN, p.lang, None)] += 1
        for column in (*STATEMENTS, *PROFILE):
            value = getattr(p, column)
            if value is not None:
                counts[(column, value, p.relationship)] += 1
    return [CountRow(col, value, grp, n) for (col, value, grp), n in counts.items()]


def _in(people: Sequence[Person], part: str | None) -> list[Person]:
    return [p for p in people if p.part == part]


def shown(summary: SurveySummary) -> frozenset[tuple[str, int | None, float | None]]:
    """Every figure a view shows, with its count and share (the number of answers included)."""
    figures = {("total", summary.total, None)}
    cells = [("lang", c) for c in summary.by_language]
    for q in summary.questions:
        cells += [(f"{q.key}:answered", q.answered)]
        cells += [(f"{q.key}:option", c) for c in q.options]
        cells += [(f"{q.key}:no_answer", q.no_answer)] if q.no_answer else []
    cells += [("group", c) for c in summary.comparison_groups]
    for name, cell in cells:
        if not cell.suppressed:
            share = None if cell.share is None else round(cell.share, 9)
            figures.add((f"{name}:{cell.key}", cell.count, share))
    for comparison in summary.comparisons:
        for g in comparison.groups:
            if not g.answered.suppressed:
                share = None if g.agree_share is None else round(g.agree_share, 9)
                figures.add((f"cmp:{comparison.key}:{g.group}", g.answered.count, share))
    return frozenset(figures)


def published(
    people: Sequence[Person], k: int
) -> tuple[frozenset[tuple[str, int | None, float | None]], ...]:
    """What every public view shows: all sessions, then each session."""
    session_rows = [rows_of(_in(people, s)) for s in SESSIONS]
    total = across_sessions(rows_of(people), session_rows, SURVEY, k)
    return (shown(total), *(shown(summarise_counts(rows, SURVEY, k)) for rows in session_rows))


def true_counts(people: Sequence[Person]) -> dict[str, int]:
    """Every cell of one group of people, counted from the people themselves."""
    counts: Counter[str] = Counter()
    for p in people:
        counts[f"lang:{p.lang}"] += 1
        for column in PROFILE:
            value = getattr(p, column)
            if value is not None:
                counts[f"{column}:answered"] += 1
                counts[f"{column}:option:{value}"] += 1
        group = p.relationship if p.relationship in GROUPS else OTHERS
        for column in STATEMENTS:
            value = getattr(p, column)
            if value == "dk":
                counts[f"{column}:no_answer"] += 1
            elif value is not None:
                counts[f"{column}:answered"] += 1
                counts[f"{column}:option:{value}"] += 1
                counts[f"cmp:{column}:{group}:n"] += 1
                counts[f"cmp:{column}:{group}:agree"] += value in AGREE_LEVELS
    return dict(counts)


def hidden_by_the_rule(people: Sequence[Person], k: int) -> set[str]:
    """The cells the single-view rule hides when these people are shown alone."""
    summary = summarise_counts(rows_of(people), SURVEY, k)
    hidden = {f"lang:{c.key}" for c in summary.by_language if c.suppressed}
    for q in summary.questions:
        if q.answered.suppressed:
            hidden.add(f"{q.key}:answered")
        hidden |= {f"{q.key}:option:{c.key}" for c in q.options if c.suppressed}
        if q.no_answer is not None and q.no_answer.suppressed:
            hidden.add(f"{q.key}:no_answer")
    for comparison in summary.comparisons:
        for g in comparison.groups:
            if g.answered.suppressed:
                hidden |= {f"cmp:{comparison.key}:{g.group}:{x}" for x in ("n", "agree")}
        hidden |= {f"cmp:{comparison.key}:{OTHERS}:{x}" for x in ("n", "agree")}
    return hidden


def singled_out(people: Sequence[Person]) -> list[tuple[str, list[Person]]]:
    """The groups whose cells are checked: each session, and the answers outside any session.

    A union of them is a sum of their cells: when none of these can be computed, none of the
    sums can be narrowed to one value beyond what the views of the parts themselves publish.
    """
    groups = []
    for part in (*SESSIONS, None):
        members = [p for p in people if p.part == part]
        if members:
            groups.append((str(part), members))
    return groups


def unanimous(people: Sequence[Person], k: int) -> set[str]:
    """Cells that hold every answer to their question in a distribution the rule shows for
    these people (a one-way distribution: every subgroup's answer is then known, which the
    documented rule accepts), and the agree counts of statements everyone agreed with."""
    summary = summarise_counts(rows_of(people), SURVEY, k)
    counts = true_counts(people)
    cells = {f"lang:{c.key}" for c in summary.by_language if c.count == summary.total}
    for q in summary.questions:
        if q.no_answer is not None and q.no_answer.count == summary.total:
            cells.add(f"{q.key}:no_answer")  # everyone answered "I don't know"
        if q.answered.suppressed:
            continue
        cells |= {f"{q.key}:option:{c.key}" for c in q.options if c.count == q.answered.count}
        agree = sum(counts.get(f"{q.key}:option:{level}", 0) for level in AGREE_LEVELS)
        if q.type == "agreement" and agree == q.answered.count:
            cells |= {f"cmp:{q.key}:{g}:agree" for g in (*GROUPS, OTHERS)}
    return cells


def the_rest(people: Sequence[Person], k: int) -> list[Person]:
    """The answers outside any session, with those of the sessions that publish nothing but
    their number of answers: all sessions minus the others is their sum, a group of its own."""
    quiet = {
        s
        for s in SESSIONS
        if not published_figures(summarise_counts(rows_of(_in(people, s)), SURVEY, k))
    }
    return [p for p in people if p.part is None or p.part in quiet]


def small_hidden_cells(people: Sequence[Person], k: int) -> dict[tuple[str, str], int]:
    """(group, cell) -> count, for every hidden cell whose count is between 1 and k-1 and
    not told by a unanimous distribution of a group that contains it."""
    cells = {}
    for name, members in singled_out(people):
        counts = true_counts(members)
        rest = the_rest(people, k)
        wider = rest if members[0] in rest else []
        told = unanimous(members, k) | unanimous(wider, k) | unanimous(people, k)
        for cell in hidden_by_the_rule(members, k):
            if cell.endswith((":answered", ":n")):
                continue  # a number of answers: a size, not what anyone answered
            if cell in told:
                continue
            if OTHERS in cell and counts.get(cell.replace(":agree", ":n"), 0) >= k:
                continue  # as many as a group the rule shows: outside the shown groups, k or more
            if 1 <= counts.get(cell, 0) < k:
                cells[(name, cell)] = counts[cell]
    return cells


def alternatives(people: list[Person]) -> Iterator[list[Person]]:
    """Other answer sets: one answer of one person changed (or their group with one
    statement), or one answer exchanged between two people (every part keeps its size)."""
    for i, person in enumerate(people):
        for column, values in VALUES.items():
            for value in values:
                if value != getattr(person, column):
                    changed = list(people)
                    changed[i] = person._replace(**{column: value})
                    yield changed
        for statement in STATEMENTS:  # in or out of a group with another answer
            for group, value in itertools.product(VALUES["relationship"], VALUES[statement]):
                changed = list(people)
                changed[i] = person._replace(relationship=group, **{statement: value})
                yield changed
    for i, j in itertools.combinations(range(len(people)), 2):
        a, b = people[i], people[j]
        for column in VALUES:
            if getattr(a, column) != getattr(b, column):
                changed = list(people)
                changed[i] = a._replace(**{column: getattr(b, column)})
                changed[j] = b._replace(**{column: getattr(a, column)})
                yield changed


def determined_cells(people: list[Person], k: int) -> dict[tuple[str, str], int]:
    """The hidden small cells no alternative with the same published figures changes."""
    left = small_hidden_cells(people, k)
    target = published(people, k)
    for other in alternatives(people):
        if not left:
            break
        if published(other, k) != target:
            continue
        groups = dict(singled_out(other))
        for group, cell in list(left):
            if true_counts(groups.get(group, [])).get(cell, 0) != left[(group, cell)]:
                del left[(group, cell)]
    return left


people_strategy = st.lists(
    st.builds(
        Person,
        st.sampled_from([*SESSIONS, None]),
        *(st.sampled_from(VALUES[c]) for c in ("lang", "relationship", "gender")),
        st.sampled_from(VALUES["welcome"]),
        st.sampled_from(VALUES["belonging"]),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=20, deadline=None)
@given(people=people_strategy, k=st.sampled_from([3, 4]))
def test_no_combination_of_views_computes_a_hidden_small_cell(people, k):
    assert determined_cells(people, k) == {}


def _person(part: str | None, relationship: str, gender: str, welcome: str) -> Person:
    return Person(part, "fr", relationship, gender, welcome, welcome)


def red_team_set_up() -> list[Person]:
    """Session A: ten people; session B: six, one of them the only newcomer woman."""
    a = [
        _person("A", "newcomer" if i < 5 else "long-term", "woman" if i % 2 else "man", "4")
        for i in range(10)
    ]
    b = [_person("B", "long-term", "man" if i < 3 else "woman", "2") for i in range(5)]
    return a + b + [_person("B", "newcomer", "woman", "5")]


def test_all_sessions_minus_a_session_no_longer_gives_the_other_sessions_hidden_cells():
    people = red_team_set_up()
    k = 5
    total, a, _ = published(people, k)
    shown_total = {name: count for name, count, _ in total}
    shown_a = {name: count for name, count, _ in a}
    # newcomers: five in A (shown there), six in all: their difference would be her
    assert shown_a.get("group:newcomer") == 5
    assert "group:newcomer" not in shown_total
    assert not any(name.startswith("cmp:") and name.endswith(":newcomer") for name in shown_total)
    assert determined_cells(people, k) == {}


def test_the_shareable_exports_of_all_sessions_and_of_one_do_not_subtract_to_her(any_store):
    """The red team's set-up through the store (both backends) and the shareable exports."""
    store = any_store
    a = store.create_session("resident", "A", actor="t")
    b = store.create_session("resident", "B", actor="t")
    for i in range(10):
        group = "newcomer" if i < 5 else "long-term"
        answers = resident_answers(relationship=group, gender="man", welcome="4")
        store.submit(f"a{i}", "resident", 1, "fr", answers, session_id=a.id)
    for i in range(5):
        answers = resident_answers(relationship="long-term", gender="man", welcome="2")
        store.submit(f"b{i}", "resident", 1, "fr", answers, session_id=b.id)
    her = resident_answers(relationship="newcomer", gender="woman", welcome="5")
    store.submit("her", "resident", 1, "fr", her, session_id=b.id)

    def export(session_id: str | None) -> pd.DataFrame:
        summary = summarise(store, RESIDENT, 5, session_id=session_id)
        return shareable_frame(summary, RESIDENT)

    def shown(frame: pd.DataFrame, section: str, code: str) -> pd.DataFrame:
        rows = frame[(frame.section == section) & (frame.code == code)]
        return rows[~rows.suppressed]

    every, only_a = export(None), export(a.id)
    assert len(shown(only_a, "group", "newcomer")) == 1  # five newcomers in A: shown there
    assert shown(every, "group", "newcomer").empty  # six in all: their difference is her
    assert shown(every, "agree_by_group", "newcomer").empty
    assert not shown(only_a, "agree_by_group", "newcomer").empty
    # what all sessions show of the profile is what every part shows
    assert shown(every, "option", "woman").empty
