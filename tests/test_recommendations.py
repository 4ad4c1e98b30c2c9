"""Recommendations content, tags, filters, exports, the actor matrix and the ranking table."""

from __future__ import annotations

import csv
import io
import math
import shutil

import pytest

from inclucities.content import DATA_DIR, ContentError, default_content
from inclucities.i18n import translator
from inclucities.process_charts import (
    actor_matrix_display_table,
    actor_matrix_table,
    build_actor_matrix_chart,
    build_ranking_chart,
)
from inclucities.recommendations import (
    ACTORS,
    LEVELS,
    RECOMMENDATION_IDS,
    default_policy,
    default_recommendations,
    export_rows,
    filter_recommendations,
    load_recommendations,
    ranking_table,
    to_csv,
    to_markdown,
)

CONTENT = default_content()


def _label(tag: str) -> str:
    return tag


def _city(city_id: str) -> str:
    return CONTENT.cities[city_id].name.en


def test_seven_recommendations_with_the_shared_ids_from_seed_000():
    recs = default_recommendations()
    assert tuple(r.id for r in recs) == RECOMMENDATION_IDS
    assert [r.number for r in recs] == list(range(1, 8))
    for rec in recs:
        assert "CEMR-LESSONS" in rec.sources
        assert rec.explanation.en and rec.explanation.fr and rec.evidence
        assert all(e.sources for e in rec.evidence)


def test_tags_are_valid():
    for rec in default_recommendations():
        assert set(rec.themes) <= set(CONTENT.themes)
        assert set(rec.actors) <= set(ACTORS)
        assert set(rec.levels) <= set(LEVELS)
        assert all(e.city in CONTENT.cities for e in rec.evidence if e.city)


def test_the_issue_examples_are_in_the_evidence():
    recs = {r.id: r for r in default_recommendations()}
    women = " ".join(e.text.en for e in recs["migrant-women"].evidence)
    assert "Maison des Femmes" in women and "Schaerbeek" in women
    networks = " ".join(e.text.en for e in recs["support-networks"].evidence)
    assert "Stage 3" in networks and "Refugee Solidarity Network" in networks
    participation = " ".join(e.text.en for e in recs["participation"].evidence)
    assert "Table for Coexistence" in participation and "CAMIM" in participation


@pytest.mark.parametrize(
    ("themes", "actors", "levels", "expected"),
    [
        ((), (), (), list(RECOMMENDATION_IDS)),
        (("gender",), (), (), ["train-ecosystem", "migrant-women", "multilevel-governance"]),
        ((), ("eu",), (), ["multilevel-governance"]),
        ((), (), ("national",), ["train-ecosystem", "multilevel-governance", "support-networks"]),
        (("gender", "labour"), ("national-government",), (), ["multilevel-governance"]),
        (("gender",), ("eu",), ("regional",), ["multilevel-governance"]),
        (("language",), (), ("european",), ["multilevel-governance"]),
        (("gender",), (), ("european",), ["multilevel-governance"]),
        (("city-for-all",), ("national-government",), ("local",), ["multilevel-governance"]),
    ],
)  # fmt: skip
def test_filters_or_within_a_facet_and_across_facets(themes, actors, levels, expected):
    got = filter_recommendations(default_recommendations(), themes, actors, levels)
    assert [r.id for r in got] == expected


def test_a_filter_with_no_match_returns_nothing():
    assert filter_recommendations(default_recommendations(), [], ["migrants"], ["european"]) == []


def test_csv_export_round_trips_with_translated_headers():
    recs = filter_recommendations(default_recommendations(), themes=["gender"])
    rows = export_rows(recs, translator("fr"), _label, _city)
    data = to_csv(rows, {"number": "Numéro", "title": "Recommandation", "sources": "Sources"})
    text = data.decode("utf-8-sig")  # with a BOM, so that Excel reads the accents
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["Numéro", "Recommandation", "Sources"]
    assert [row[1] for row in parsed[1:]] == [r.title.fr for r in recs]
    # each row carries its full citations (title, publisher, link), not internal keys
    assert all("[1] CEMR (CCRE). Leçons clés" in row[2] for row in parsed[1:])
    assert all("https://ccre-cemr.org/" in row[2] and "CEMR-LESSONS" not in row[2]
               for row in parsed[1:])  # fmt: skip


def test_markdown_export_has_a_section_per_recommendation_with_evidence_and_sources():
    recs = default_recommendations()[:2]
    headings = {k: k.title() for k in ("document", "evidence", "themes", "actors", "levels",
                                       "sources")}  # fmt: skip
    text = to_markdown(recs, translator("en"), _label, _city, headings)
    assert text.startswith("# Document\n")
    assert text.count("\n## ") == 3  # two recommendations, then the sources
    assert "## 1. Take a whole-of-community approach" in text
    assert "Mechelen: In Mechelen" in text and "[3, 4]" in text  # evidence numbered
    sources = text.split("\n## Sources\n", 1)[1]
    assert "- [1] CEMR (CCRE). Leçons clés" in sources  # the list carries every number used
    assert "- [3] CEMR (CCRE). [Buddy projects" in sources
    assert "BUDDY" not in text and "CEMR-LESSONS" not in text


def test_actor_matrix_chart_and_table():
    t = translator("en")
    table = actor_matrix_table(default_recommendations(), t)
    assert len(table) == 7 * len(ACTORS)
    spec = build_actor_matrix_chart(table, t).to_dict()
    assert spec["mark"]["type"] == "point"
    assert spec["encoding"]["size"]["condition"]["test"] == "datum.tagged"  # size, not only colour
    assert spec["autosize"]["type"] == "fit-x"  # no "fit-y" for Vega to drop with a warning
    wide = actor_matrix_display_table(table)
    assert wide["recommendation"].iloc[0].startswith("1. ")
    assert wide.loc[5, "EU"] == "✓ named"


def test_ranking_table_hides_small_groups_and_the_chart_builds():
    t = translator("fr")
    recs = default_recommendations()
    shares = {"whole-community": 0.42, "migrant-women": None}
    table = ranking_table(shares, recs, t)
    row = table.set_index("order")
    assert row.loc[5, "display"] == "moins de 5" and math.isnan(row.loc[5, "value"])
    assert row.loc[1, "display"].startswith("42")
    spec = build_ranking_chart(table, t).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text"]


def test_policy_context_items():
    items = {p.id: p for p in default_policy()}
    assert list(items) == ["pact", "action-plan", "urban-agenda", "local-voices"]
    assert items["pact"].when.en == "September 2020"
    assert len(items["urban-agenda"].points.en) == 3
    assert "small and medium-sized" in items["local-voices"].summary.en


def test_an_unknown_theme_tag_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("i18n"))
    path = data / "recommendations.yaml"
    path.write_text(path.read_text().replace("themes: [gender]", "themes: [housing]", 1))
    with pytest.raises(ContentError, match=r"record 'migrant-women', field 'themes'"):
        load_recommendations(data)


def test_the_live_ranking_reads_as_empty_before_anyone_answered(isolated_database):
    from components.store_access import get_store
    from tests.apptest_utils import page_text, run_app

    get_store().set_results_revealed("resident", True, actor="test")  # shown, yet empty
    at = run_app("pages/recommendations.py", "fr")
    assert not at.exception, at.exception
    assert "Moins de 5 personnes" in page_text(at) or "moins de 5 personnes" in page_text(at)
    # no chart of empty bars, and so no table of "fewer than 5" beside it
    labels = [e.label for e in at.expander]
    assert translator("fr")("recommendations.ranking.table") not in labels
    assert translator("fr")("recommendations.ranking.title") in page_text(at)
