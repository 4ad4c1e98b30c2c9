"""The stepped process and recommendations pages: part, stage and recommendation choices from a
link, previous/next among the shown ones, and a timeline chart that answers a tap."""

from __future__ import annotations

from html import escape

import pytest

from inclucities.i18n import translator
from inclucities.process import (
    PROCESS_PARTS,
    default_events,
    default_stages,
    neighbours,
    parse_choice,
    parse_part,
)
from inclucities.process_charts import PICK, build_timeline_chart, timeline_table
from inclucities.recommendations import RECS_PARTS
from tests.apptest_utils import page_text, run_app


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "stages"), ("", "stages"), ("timeline", "timeline"), (" Outputs ", "outputs"),
     ("nope", "stages"), ("<b>", "stages")],
)  # fmt: skip
def test_parse_part_takes_a_known_id_or_the_first(value, expected):
    assert parse_part(value, PROCESS_PARTS) == expected


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [(None, [1, 2, 3], (1, False)), ("2", [1, 2, 3], (2, False)), (" 3 ", [1, 3], (3, False)),
     ("2", [1, 3], (1, True)), ("x", [4, 6], (4, True)), ("99", [2], (2, True))],
)  # fmt: skip
def test_parse_choice_refuses_what_is_not_shown(value, options, expected):
    assert parse_choice(value, options) == expected


def test_neighbours_step_through_the_shown_options_only():
    assert neighbours([1, 3, 6], 1) == (None, 3)
    assert neighbours([1, 3, 6], 3) == (1, 6)
    assert neighbours([1, 3, 6], 6) == (3, None)
    assert neighbours([4], 4) == (None, None)


def test_the_timeline_answers_a_tap_has_its_legend_on_top_and_every_year():
    t = translator("fr")
    spec = build_timeline_chart(timeline_table(default_events(), t), t).to_dict()
    points = spec["layer"][1]
    (param,) = spec["params"]  # Altair lifts a layer's selection to the top, naming its view
    assert param["name"] == PICK and param["select"]["on"] == "click"  # a tap is a click
    assert param["select"]["fields"] == ["row"]
    legend = points["encoding"]["color"]["legend"]
    assert legend["orient"] == "top" and legend["labelColor"].lower() == "#1a1a2e"
    assert legend["labelFontSize"] >= 13
    # one legend: colour, shape and fill share it (two would log Vega's "disable" conflict)
    assert points["encoding"]["shape"]["legend"] == legend
    axis = points["encoding"]["x"]["axis"]
    assert [v["year"] for v in axis["values"]] == [2020, 2021, 2022, 2023]
    assert all("domain" not in layer["encoding"]["x"].get("scale", {}) for layer in spec["layer"])
    assert spec["autosize"]["type"] == "fit-x" and isinstance(spec["height"], int)


def test_a_part_link_opens_that_tab_and_the_stage_picker_opens_any_stage():
    at = run_app("pages/process.py", "en", {"part": "timeline"})
    assert not at.exception, at.exception
    assert at.session_state["process_part"] == "Timeline"
    assert len(at.tabs) == len(PROCESS_PARTS)
    at = run_app("pages/process.py", "en", {"stage": "2"})
    at.segmented_control(key="process_stage_picker").set_value(5).run()
    assert not at.exception
    assert at.query_params["stage"] in ("5", ["5"])
    title = escape(default_stages()[4].title.en, quote=False)
    assert f"<h3>{title}</h3>" in page_text(at)


def test_one_recommendation_at_a_time_with_previous_and_next():
    at = run_app("pages/recommendations.py", "en", {"rec": "3"})
    assert not at.exception, at.exception
    assert len(at.tabs) == len(RECS_PARTS)
    text = page_text(at)
    assert text.count('class="ic-rec-head"') == 1
    assert '<span class="ic-num">3</span>' in text
    at.button(key="recs_next").click().run()
    assert at.query_params["rec"] in ("4", ["4"])
    assert '<span class="ic-num">4</span>' in page_text(at)
    at.radio(key="recs_pick").set_value(7).run()
    assert '<span class="ic-num">7</span>' in page_text(at)
    assert at.button(key="recs_next").disabled
    at.button(key="recs_prev").click().run()
    assert '<span class="ic-num">6</span>' in page_text(at)


def test_a_recommendation_hidden_by_the_filters_falls_back_politely():
    at = run_app("pages/recommendations.py", "en", {"rec": "2"})
    at.pills(key="recs_filter_actors").set_value(["eu"]).run()  # keeps recommendation 6 only
    assert not at.exception
    assert "“2”" in at.info[0].value
    assert '<span class="ic-num">6</span>' in page_text(at)
    assert at.button(key="recs_prev").disabled and at.button(key="recs_next").disabled
    at = run_app("pages/recommendations.py", "en", {"rec": "abc"})
    assert "“abc”" in at.info[0].value
