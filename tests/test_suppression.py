"""Issue 10's rule: results from the first answer, and no hidden cell recoverable by subtraction.

Checked on the summary and on the shareable export (which reads the same summary): in every
group of cells that adds up to a total shown elsewhere, a hidden cell is never the only hidden
one; a comparison never leaves between 1 and k-1 people outside the groups it shows.
"""

from __future__ import annotations

import random
from collections import defaultdict

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inclucities.export import shareable_frame
from inclucities.results.model import Cell, GroupResult
from inclucities.results.summary import summarise
from inclucities.results.suppression import distribution, protect_residual, suppress
from scripts.support.survey_helpers import RESIDENT, resident_answers

K = 5
PROFILE = ("relationship", "city", "age_group", "gender")


def _fill(store, rng: random.Random, n: int, prefix: str) -> None:
    """`n` answers with skewed profiles, so that small and single-person groups occur."""
    for i in range(n):
        answers = resident_answers(
            welcome=rng.choice("1234455"),
            relationship=rng.choice(["long-term"] * 6 + ["newcomer"] * 3 + ["staff", "other"]),
            city=rng.choice(["mechelen"] * 5 + ["jelgava"] * 2 + ["capaci"]),
            age_group=rng.choice(["25-44"] * 5 + ["65-plus"]),
            gender=rng.choice(["woman"] * 4 + ["man"] * 3 + ["another"]),
            recommendations=rng.sample(["participation", "migrant-women", "whole-community"], 2),
        )
        store.submit(f"{prefix}{i}", "resident", 1, rng.choice(["fr", "fr", "nl", "uk"]), answers)


def _single_hidden_cells(frame: pd.DataFrame) -> list[str]:
    """Cell groups with a shown total and exactly one hidden cell (that one is recoverable)."""
    problems = []
    total = frame[frame.section == "total"].iloc[0]
    langs = frame[frame.section == "language"]
    if not total.suppressed and langs.suppressed.sum() == 1:
        problems.append("language")
    for variable, rows in frame[frame.section == "option"].groupby("variable"):
        answered = frame[(frame.section == "answered") & (frame.variable == variable)].iloc[0]
        question = RESIDENT.question(str(variable).split(".")[0])
        additive = question is not None and question.type not in {"multi", "priorities"}
        if additive and not answered.suppressed and rows.suppressed.sum() == 1:
            problems.append(str(variable))
    return problems


def _comparison_residuals(frame: pd.DataFrame) -> list[str]:
    """Statements whose shown groups leave 1 to k-1 people to subtraction from the margin."""
    problems = []
    for variable, rows in frame[frame.section == "agree_by_group"].groupby("variable"):
        answered = frame[(frame.section == "answered") & (frame.variable == variable)].iloc[0]
        shown = rows[~rows.suppressed]
        if answered.suppressed or shown.empty:
            continue
        residual = int(answered["count"]) - int(shown["count"].sum())
        if 0 < residual < K:
            problems.append(f"{variable}: {residual} left")
    return problems


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_no_hidden_cell_can_be_derived_by_subtraction(store, seed):
    rng = random.Random(seed)
    _fill(store, rng, rng.randint(9, 40), f"s{seed}-")
    summary = summarise(store, RESIDENT, K)
    frame = shareable_frame(summary, RESIDENT, lang="en")
    assert summary.ready
    assert _single_hidden_cells(frame) == []
    assert _comparison_residuals(frame) == []
    # the export says exactly what the summary says: no number the screens hide
    for q in summary.questions:
        exported = frame[(frame.section == "option") & (frame.variable == q.key)]
        shown = {row.code: row["count"] for _, row in exported.iterrows() if not row.suppressed}
        assert shown == {c.key: c.count for c in q.options if not c.suppressed}


def test_opinions_full_from_k_answers_profiles_still_protected(store):
    # 6 answers: one person strongly disagrees, one is 65+, one lives in Capaci
    for i in range(6):
        store.submit(
            f"p{i}",
            "resident",
            1,
            "fr",
            resident_answers(
                welcome="1" if i == 0 else "5",
                age_group="65-plus" if i == 0 else "25-44",
                city="capaci" if i == 1 else "mechelen",
            ),
        )
    s = summarise(store, RESIDENT, K)
    welcome = {c.key: c for c in s.question("welcome").options}
    assert welcome["1"].count == 1 and welcome["5"].count == 5  # opinion: in full
    assert welcome["2"].count == 0 and not welcome["2"].suppressed
    age = {c.key: c for c in s.question("age_group").options}
    assert age["65-plus"].suppressed and age["65-plus"].count is None  # profile: hidden
    assert not age["25-44"].suppressed  # 5, and the other hidden cells are zeros
    city = {c.key: c for c in s.question("city").options}
    assert city["capaci"].suppressed and city["mechelen"].count == 5
    assert s.question("age_group").profile and not s.question("welcome").profile


def test_before_k_answers_only_the_count_is_published(store):
    for i in range(3):
        store.submit(f"p{i}", "resident", 1, "fr", resident_answers())
    s = summarise(store, RESIDENT, K)
    assert s.total == 3 and not s.ready
    assert all(c.suppressed for q in s.questions for c in (q.answered, *q.options))
    assert all(c.suppressed for c in s.by_language)
    frame = shareable_frame(s, RESIDENT)
    assert frame["count"].isna().all()  # the shareable export publishes nothing yet


def test_a_question_asked_of_a_hidden_group_is_hidden_with_it(store):
    # arrival_support is asked of newcomers only; 3 newcomers are a hidden group, so how many
    # answered it (and how) would tell their number and their answers
    for i in range(3):
        store.submit(
            f"n{i}",
            "resident",
            1,
            "fr",
            resident_answers(relationship="newcomer", arrival_support="no"),
        )
    for i in range(7):
        store.submit(f"l{i}", "resident", 1, "fr", resident_answers(relationship="long-term"))
    s = summarise(store, RESIDENT, K)
    relationship = {c.key: c for c in s.question("relationship").options}
    assert relationship["newcomer"].suppressed
    arrival = s.question("arrival_support")
    assert arrival.answered.suppressed and all(c.suppressed for c in arrival.options)


# -- the suppression helpers, for any counts ---------------------------------------------------


counts_strategy = st.dictionaries(
    st.sampled_from(list("abcdef")), st.integers(min_value=0, max_value=12), min_size=2
)


@settings(max_examples=300, deadline=None)
@given(counts_strategy)
def test_suppress_never_leaves_a_single_hidden_cell(counts):
    keys = sorted(counts)
    cells = suppress(counts, keys, K)
    hidden = [c for c in cells if c.suppressed]
    assert all(c.count is not None and c.count >= K for c in cells if not c.suppressed)
    assert all(counts[c.key] < K for c in hidden) or len(hidden) >= 2
    if any(counts[c.key] > 0 for c in hidden):
        assert len(hidden) >= 2, cells


@settings(max_examples=300, deadline=None)
@given(counts_strategy)
def test_distribution_is_all_or_nothing(counts):
    keys = sorted(counts)
    answered = sum(counts.values())
    cells = distribution(counts, keys, answered, K)
    if answered < K:
        assert all(c.suppressed and c.count is None for c in cells)
    else:
        assert [c.count for c in cells] == [counts[k] for k in keys]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=15), min_size=2, max_size=4),
    st.integers(min_value=0, max_value=10),
)
def test_protect_residual_leaves_zero_or_at_least_k_outside(sizes, others):
    groups = [
        GroupResult(f"g{i}", Cell(f"g{i}", n, False), 0.5)
        if n >= K
        else GroupResult(f"g{i}", Cell(f"g{i}", None, True), None)
        for i, n in enumerate(sizes)
    ]
    margin = sum(sizes) + others
    protected = protect_residual(groups, margin, K)
    shown = [g for g in protected if not g.answered.suppressed]
    residual = margin - sum(g.answered.count or 0 for g in shown)
    assert not shown or residual == 0 or residual >= K
    assert all(g.agree_share is None for g in protected if g.answered.suppressed)
    by_group = defaultdict(list)
    for before, after in zip(groups, protected, strict=True):
        by_group[before.answered.suppressed].append(after.answered.suppressed)
    assert all(by_group[True])  # a hidden group is never shown again
