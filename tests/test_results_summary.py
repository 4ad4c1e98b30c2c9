"""The SQL summary layer: counts, multi-choice by option, comparison, suppression, charts."""

from __future__ import annotations

from inclucities.results.charts import (
    RESULTS_STYLE,
    agreement_spec,
    agreement_values,
    count_spec,
    count_values,
)
from inclucities.results.summary import recommendation_ranking, summarise
from inclucities.results.suppression import suppress
from inclucities.store.synthetic import insert_synthetic
from scripts.support.survey_helpers import RESIDENT, resident_answers

answers = resident_answers


def fill(store, n, prefix, lang="fr", **changes):
    for k in range(n):
        store.submit(f"{prefix}{k}", "resident", 1, lang, answers(**changes))


def test_suppress_hides_small_cells_and_protects_subtraction():
    cells = {c.key: c for c in suppress({"a": 10, "b": 7, "c": 2}, ["a", "b", "c"], 5)}
    assert cells["c"].suppressed and cells["c"].count is None
    assert cells["b"].suppressed  # else c = total - a - b
    assert cells["a"].count == 10
    zero = {c.key: c for c in suppress({"a": 10, "b": 7}, ["a", "b", "c"], 5)}
    assert zero["c"].suppressed and not zero["b"].suppressed  # a hidden zero reveals nobody


def test_summary_counts_languages_cities_and_options(store):
    fill(store, 6, "fr", "fr", city="mechelen", relationship="newcomer", welcome="5")
    fill(
        store,
        5,
        "ar",
        "ar",
        city="jelgava",
        relationship="long-term",
        welcome="2",
        recommendations=["participation"],
    )
    fill(store, 2, "uk", "uk", city="capaci", relationship="long-term", welcome="2")
    s = summarise(store, RESIDENT, min_cell=5)
    assert s.total == 13
    langs = {c.key: c for c in s.by_language}
    assert langs["fr"].count == 6 and langs["ar"].count == 5
    assert langs["uk"].suppressed and langs["uk"].count is None
    cities = {c.key: c for c in s.by_city}
    assert cities["mechelen"].count == 6 and cities["capaci"].suppressed
    welcome = {c.key: c for c in s.question("welcome").options}
    assert welcome["5"].count == 6 and welcome["2"].count == 7
    # multi-choice counts options, not combinations: 'participation' is in every answer
    ranking = s.priorities["recommendations"]
    assert ranking[0].key == "participation" and ranking[0].count == 13
    assert {c.key: c.count for c in ranking}["migrant-women"] == 8
    assert s.question("recommendations").answered.count == 13
    assert s.question("access", "housing").options[2].count == 13


def test_newcomers_compared_with_long_term_residents(store):
    fill(store, 5, "n", relationship="newcomer", welcome="5")
    fill(store, 6, "l", relationship="long-term", welcome="1")
    s = summarise(store, RESIDENT)
    groups = {c.key: c for c in s.comparison_groups}
    assert groups["newcomer"].count == 5 and groups["long-term"].count == 6
    welcome = next(c for c in s.comparisons if c.question_id == "welcome")
    shares = {g.group: g.agree_share for g in welcome.groups}
    assert shares == {"newcomer": 1.0, "long-term": 0.0}


def test_a_comparison_never_leaves_a_few_people_to_subtraction(store):
    # issue 10: 3 staff members beside the two groups; the full welcome distribution minus
    # both groups would give the staff members' answers, so the smaller group is hidden too
    fill(store, 5, "n", relationship="newcomer", welcome="5")
    fill(store, 6, "l", relationship="long-term", welcome="1")
    fill(store, 3, "s", relationship="staff", welcome="4")
    s = summarise(store, RESIDENT)
    welcome = next(c for c in s.comparisons if c.question_id == "welcome")
    shares = {g.group: g.agree_share for g in welcome.groups}
    assert shares == {"newcomer": None, "long-term": 0.0}
    margin = s.question("welcome").answered.count
    shown = sum(g.answered.count or 0 for g in welcome.groups if not g.answered.suppressed)
    assert margin is not None and margin - shown >= 5


def test_small_groups_are_never_exposed(store):
    fill(store, 3, "n", "fr", relationship="newcomer")
    fill(store, 2, "l", "ar", relationship="long-term")
    s = summarise(store, RESIDENT, min_cell=5)
    assert all(g.suppressed and g.count is None for g in s.comparison_groups)
    assert all(g.agree_share is None for c in s.comparisons for g in c.groups)
    assert all(c.suppressed for c in s.by_language)
    strict = summarise(store, RESIDENT, min_cell=6)
    assert all(o.suppressed and o.count is None for q in strict.questions for o in q.options)
    assert all(q.answered.suppressed for q in strict.questions)
    assert s.total == 5  # the overall count is not a breakdown
    lower = summarise(store, RESIDENT, min_cell=2)
    assert {c.key: c.count for c in lower.comparison_groups} == {"newcomer": 3, "long-term": 2}


def test_deleted_submissions_are_excluded_and_ideas_counted(store):
    fill(store, 6, "a", idea="Une maison des langues")
    store.soft_delete("resident", ["a0"], actor="t", reason="test")
    s = summarise(store, RESIDENT)
    assert s.total == 5 and s.idea_count == 5 and s.approved_ideas == ()
    idea = store.ideas("resident")[0]
    store.set_idea_status(idea.id, "approved", actor="mod")
    assert [i.text for i in summarise(store, RESIDENT).approved_ideas] == ["Une maison des langues"]


def test_recommendation_ranking_for_other_pages(store):
    fill(store, 5, "a", recommendations=["support-networks"])
    fill(store, 7, "b", recommendations=["migrant-women", "support-networks"])
    ranking = recommendation_ranking(summarise(store, RESIDENT, min_cell=5))
    assert [(c.key, c.count) for c in ranking[:2]] == [
        ("support-networks", 12),
        ("migrant-women", 7),
    ]
    # issue 10: with 12 answers the opinion distribution is shown in full, zeros included
    assert all(not c.suppressed and c.count == 0 for c in ranking[2:])


def test_summary_of_synthetic_bulk_matches_count(store):
    insert_synthetic(store, RESIDENT, 2000)
    s = summarise(store, RESIDENT)
    assert s.total == store.count("resident") == 2000
    assert sum(c.count or 0 for c in s.by_language) == 2000
    assert s.question("welcome").answered.count == 2000


def test_charts_draw_every_published_cell_and_nothing_else(store):
    fill(store, 6, "a", welcome="5")
    fill(store, 2, "b", welcome="1")
    s = summarise(store, RESIDENT)
    style = RESULTS_STYLE
    values = agreement_values(
        [("Welcome", s.question("welcome"))], lambda lvl: f"L{lvl}", str, style
    )
    # 8 answers: the full distribution, the 2 people who disagree strongly included
    assert [v["level"] for v in values] == ["1", "5"]
    assert [round(v["share"], 3) for v in values] == [0.25, 0.75]
    assert values[0]["start"] == -0.25 and values[-1]["end"] == 0.75
    spec = agreement_spec(["Welcome"], [f"L{n}" for n in "12345"], "share", style, rtl=True)
    bars = spec["layer"][1]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["scale"]["reverse"] is True
    assert bars["encoding"]["x2"]["field"] == "end"
    counts = count_values(s.priorities["recommendations"], str.upper, style)
    assert [(v["option"], v["count"]) for v in counts[:2]] == [
        ("migrant-women", 8),
        ("participation", 8),
    ]
    count = count_spec([c.key.upper() for c in s.priorities["recommendations"]], "n", style)
    assert count["layer"][0]["mark"]["type"] == "bar"
    assert count["layer"][0]["encoding"]["y"]["sort"] == {
        "field": "rank",
        "op": "min",
        "order": "ascending",
    }


def test_nothing_is_drawn_before_k_answers(store):
    fill(store, 3, "a", welcome="5")
    s = summarise(store, RESIDENT)
    assert not s.ready and s.total == 3
    assert agreement_values([("W", s.question("welcome"))], str, str, RESULTS_STYLE) == []
    assert count_values(s.priorities["recommendations"], str, RESULTS_STYLE) == []
