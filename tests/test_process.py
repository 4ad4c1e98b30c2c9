"""Process content (stages, events, toolkits, outputs), stage parsing and the timeline chart."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from inclucities.content import DATA_DIR, ContentError, default_content
from inclucities.i18n import translator
from inclucities.process import (
    EVENT_KINDS,
    default_events,
    default_outputs,
    default_stages,
    default_toolkits,
    events_for_pair,
    load_events,
    load_stages,
    parse_stage,
    source_keys,
    split_outputs,
)
from inclucities.process_charts import (
    build_timeline_chart,
    event_date_label,
    timeline_display_table,
    timeline_table,
)

REGISTER = default_content().sources


def test_seven_stages_in_order_each_complete_and_sourced():
    stages = default_stages()
    assert [s.number for s in stages] == [1, 2, 3, 4, 5, 6, 7]
    for stage in stages:
        for field in (stage.title, stage.what, stage.who, stage.output, stage.period):
            assert field.en.strip() and field.fr.strip()
        assert stage.icon.startswith(":material/")
        assert set(stage.sources) <= set(REGISTER)


def test_every_event_has_a_date_or_month_a_valid_kind_and_a_source():
    events = default_events()
    assert len(events) >= 20
    for event in events:
        assert isinstance(event.start, date)
        assert event.kind in EVENT_KINDS
        assert event.sources and set(event.sources) <= set(REGISTER)
        if event.precision == "month":
            assert event.start.day == 1
    assert [e.start for e in events] == sorted(e.start for e in events)


def test_the_issue_events_are_all_there():
    by_id = {e.id: e for e in default_events()}
    assert by_id["kick-off"].start == date(2020, 6, 17)
    assert by_id["online-training"].precision == "month"
    for pair in (1, 2, 3, 4):
        kinds = {e.kind for e in events_for_pair(by_id.values(), pair) if not e.is_for_all}
        assert {"study-visit-1", "study-visit-2", "transfer-workshop"} <= kinds
        # No source dates or describes the third-round visit to Capaci (pair 2): not shown.
        assert ("study-visit-3" in kinds) == (pair != 2)
        assert "academy" in kinds
    places = {by_id[k].place.en for k in ("academy-madrid", "academy-brussels", "academy-mechelen")}
    assert places == {"Madrid (ES)", "Brussels (BE)", "Mechelen (BE)"}
    assert by_id["final-conference"].start == date(2023, 3, 28)


def test_uncertain_dates_are_marked_with_a_note():
    by_id = {e.id: e for e in default_events()}
    sunday = by_id["transfer-pair2"]
    assert sunday.uncertain and sunday.approximate and "Sunday" in sunday.note.en
    assert by_id["round2-pair1"].uncertain  # year inferred
    assert by_id["round1-pair2"].precision == "month" and by_id["round1-pair2"].note


def test_event_date_labels_in_both_languages():
    by_id = {e.id: e for e in default_events()}
    en, fr = translator("en"), translator("fr")
    assert event_date_label(by_id["kick-off"], en) == "June 17, 2020"
    assert event_date_label(by_id["kick-off"], fr) == "17 juin 2020"
    assert event_date_label(by_id["online-training"], fr) == "décembre 2020 (mois seulement)"
    assert "–" in event_date_label(by_id["academy-brussels"], en)


def test_toolkits_show_only_sourced_key_factors():
    kits = {k.id: k for k in default_toolkits()}
    example = kits["education-example"]
    assert example.kind == "example" and len(example.key_factors) == 2
    assert [k.theme for k in kits.values() if k.kind == "toolkit"] == [
        "gender", "city-for-all", "labour", "language",
    ]  # fmt: skip
    assert len(kits["labour"].key_factors) == 4
    assert all(f.sources == ["P3"] for f in kits["labour"].key_factors)
    assert not kits["gender"].key_factors and not kits["language"].key_factors


def test_outputs_objectives_and_results():
    grouped = split_outputs(default_outputs())
    ids = [o.id for o in grouped["output"]]
    assert ids == ["action-plans", "one-stop-shops", "infographic", "methodological-guide",
                   "toolkits", "videos"]  # fmt: skip
    assert len(grouped["objective"]) == 3 and len(grouped["result"]) == 3
    shops = grouped["output"][1]
    assert len(shops.highlights) == 4 and all(h.sources for h in shops.highlights)


def test_source_keys_collects_nested_sources_once():
    keys = source_keys(default_outputs())
    assert "SCH-OSS" in keys and "FUEN-OSS" in keys
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, (1, False)), ("", (1, False)), ("3", (3, False)), ("7", (7, False)),
     ("99", (1, True)), ("0", (1, True)), ("-2", (1, True)), ("abc", (1, True))],
)  # fmt: skip
def test_parse_stage(value, expected):
    assert parse_stage(value) == expected


def test_timeline_table_filters_by_pair_and_keeps_all_partner_events():
    t = translator("en")
    events = default_events()
    full = timeline_table(events, t)
    assert set(full["track"]) == {"All partners", "Pair 1", "Pair 2", "Pair 3", "Pair 4"}
    pair3 = timeline_table(events, t, pair=3)
    assert set(pair3["track"]) == {"All partners", "Pair 3"}
    assert "Training academy in Madrid" in set(pair3["event"])
    brussels = full[full["event"] == "Training academies in Brussels"]
    assert sorted(brussels["track"]) == ["Pair 1", "Pair 4"]  # one event, two pairs


def test_timeline_chart_spec_encodes_type_by_colour_and_shape_and_marks_approximate_dates():
    t = translator("fr")
    table = timeline_table(default_events(), t)
    spec = build_timeline_chart(table, t).to_dict()
    layers = spec["layer"]
    marks = [layer["mark"]["type"] for layer in layers]
    assert marks == ["bar", "point", "text", "rule"]  # the rule: the axis's invisible extent
    points = layers[1]["encoding"]
    assert points["shape"]["field"] == points["color"]["field"] == "group"
    assert points["fill"]["condition"]["test"] == "datum.approximate"
    assert {tip["field"] for tip in points["tooltip"]} >= {"event", "date", "precision", "sources"}
    assert spec["title"]["text"] == "IncluCities, mois après mois"
    data = next(iter(spec["datasets"].values()))
    assert any(row["approximate"] for row in data)


def test_timeline_table_alternative_has_translated_headings():
    t = translator("fr")
    shown = timeline_display_table(timeline_table(default_events(), t), t)
    assert list(shown.columns)[:3] == ["Date", "Ligne", "Événement"]


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("i18n"))
    return target


def test_an_unknown_source_key_names_file_record_and_field(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "events.yaml"
    path.write_text(path.read_text().replace("sources: [PLAT, PROJ]", "sources: [NOPE]", 1))
    with pytest.raises(ContentError, match=r"events\.yaml: record 'kick-off', field 'sources'"):
        load_events(data)


def test_a_month_event_must_start_on_the_first(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "events.yaml"
    path.write_text(path.read_text().replace("start: 2020-10-01", "start: 2020-10-05", 1))
    with pytest.raises(ContentError, match="benchmarks"):
        load_events(data)


def test_a_missing_stage_is_refused(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "stages.yaml"
    path.write_text(path.read_text().replace("- number: 7", "- number: 8", 1))
    with pytest.raises(ContentError, match=r"stages\.yaml"):
        load_stages(data)
