"""The load harness, short (issue 9): 20 respondents and 50 live screens against the real server.

It asserts what must hold on any machine: every respondent got the thank-you, nothing
acknowledged was lost or stored twice, every screen opened and showed each new answer. The
timings it measures are printed (and written to tests/.artifacts/loadtest_short.txt), never
asserted: slow or shared machines change them. The full run is `python scripts/loadtest.py`.
"""

from __future__ import annotations

import os

import pytest

from tests.async_utils import run_coroutine
from tests.browser_utils import chromium_path
from tests.e2e_utils import ARTIFACTS
from tests.load.report import open_screens, render
from tests.load.run import Config, run_all

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if chromium_path():
        return
    message = "Debian chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
    pytest.skip(message)


SHORT = Config(
    respondents=20,
    join_window=10.0,
    viewers=50,
    think=(0.1, 0.3),
    idle_window=5.0,
    probes=1,
    probe_timeout=300.0,
    calibration=0,
    browser_respondents=1,
    browser_viewers=1,
    bare=False,
    timeout=300.0,
    viewer_open_timeout=600.0,
    load_timeout=900.0,
)


def test_short_load_loses_nothing_and_every_screen_sees_the_new_answer():
    _require_chromium()
    lines: list[str] = []

    def log(line: str) -> None:
        lines.append(line)
        print(line, flush=True)  # progress, with pytest -s

    SHORT.log = log
    app, _ = run_coroutine(run_all(SHORT))
    report = "\n".join([*lines, render(app, None, SHORT)])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "loadtest_short.txt").write_text(report, encoding="utf-8")
    print(report)

    failed = [f"{r.kind} {r.lang}: {r.error}" for r in app.respondents if not r.acknowledged]
    assert not failed, f"respondents without a thank-you: {failed}\n{report}"
    assert any(r.kind == "browser" for r in app.respondents), "no Chromium respondent ran"
    rec = app.reconciliation
    assert rec.acknowledged >= SHORT.respondents, report
    assert not rec.lost, f"acknowledged but not stored: {rec.lost}\n{report}"
    assert not rec.doubled, f"stored twice: {rec.doubled}\n{report}"
    assert not rec.unacknowledged_stored, f"stored without a thank-you: {rec.unacknowledged_stored}"
    assert open_screens(app) == SHORT.viewers, f"not every screen opened\n{report}"
    assert app.probes and all(p.acknowledged_at is not None for p in app.probes), report
    for probe in app.probes:
        assert probe.missed == 0, (
            f"screens that never showed {probe.expected}: {probe.missed_screens}"
        )
        assert len(probe.delays) == SHORT.viewers


# -- the harness's own parts, without a server --------------------------------------------------


def test_the_driver_matches_widget_keys_to_questions_items_options_and_ranks():
    from tests.load.survey import load_questions, match_key

    questions = load_questions()
    grid = match_key("survey_resident_q_access__language-courses", questions)
    assert grid and grid.question.id == "access" and grid.item == "language-courses"
    box = match_key("survey_resident_q_info_sources__city-website", questions)
    assert box and box.question.id == "info_sources" and box.option == "city-website"
    rank = match_key("survey_resident_q_recommendations__rank_2", questions)
    assert rank and rank.question.id == "recommendations" and rank.rank == 2
    assert match_key("frame_lang_picker", questions) is None


def test_a_screen_finds_a_pushed_stream_and_reads_counts_from_its_events():
    import json

    from streamlit.proto.BidiComponent_pb2 import BidiComponent

    from tests.load.protocol import Node
    from tests.load.viewer import EventParser, count_in, parse_count, stream_urls

    data = {"url": "live/resident/events?lang=fr&mode=results", "texts": {"x": "Chargement…"}}
    node = Node((0, 3), "bidi_component", BidiComponent(json=json.dumps(data)), 1, "", 0.0)
    page = "http://127.0.0.1:8501/results?survey=resident&lang=fr"
    assert stream_urls(node, page) == [
        "http://127.0.0.1:8501/live/resident/events?lang=fr&mode=results"
    ]
    script = BidiComponent(js_content="// Mounted by components/live_view.py with st.components")
    assert stream_urls(Node((0, 4), "bidi_component", script, 1, "", 0.0), page) == []
    parser = EventParser()
    assert parser.feed(b'event: specs\ndata: {"id": 1}\n\nevent: summ') == [("specs", '{"id": 1}')]
    events = parser.feed(b'ary\ndata: {"total": 37, "sections": [{"count": 3}]}\n\n')
    assert events == [("summary", '{"total": 37, "sections": [{"count": 3}]}')]
    assert count_in(json.loads(events[0][1])) == 37
    assert parse_count("١٢٣") == 123 and parse_count("1\u202f234") == 1234


def test_reconciliation_counts_lost_doubled_and_unacknowledged(tmp_path):
    import json

    from tests.load.reconcile import reconcile_jsonl
    from tests.load.respondent import token_pattern

    rows = [
        {"submission_id": "a", "answers": {"idea": "LTrunx0001 more courses"}},
        {"submission_id": "b", "answers": {"idea": "LTrunx0002 more courses"}},
        {"submission_id": "c", "answers": {"idea": "LTrunx0002 more courses"}},
        {"submission_id": "d", "answers": {"idea": "LTrunx0004 more courses"}},
    ]
    path = tmp_path / "bare.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    acknowledged = {"LTrunx0001", "LTrunx0002", "LTrunx0003"}
    result = reconcile_jsonl(path, token_pattern("run"), acknowledged)
    assert result.stored == 4
    assert result.lost == ["LTrunx0003"]
    assert result.doubled == ["LTrunx0002"]
    assert result.unacknowledged_stored == ["LTrunx0004"]


RECONCILE_ROWS = [("a", "LTrunx0001 more courses"), ("b", "LTrunx0002"), ("c", "LTrunx0002")]


def _check_reconciled(result) -> None:
    assert result.stored == 3
    assert result.lost == ["LTrunx0003"]
    assert result.doubled == ["LTrunx0002"]
    assert result.unacknowledged_stored == []


def test_reconciliation_reads_a_duckdb_file_and_a_postgresql_database_alike(
    tmp_path, postgres_server
):
    import duckdb
    import psycopg

    from tests.load.reconcile import reconcile_duckdb, reconcile_postgres
    from tests.load.respondent import token_pattern

    acknowledged = {"LTrunx0001", "LTrunx0002", "LTrunx0003"}
    schema = "CREATE TABLE submissions (submission_id VARCHAR, idea VARCHAR, score INTEGER)"
    path = tmp_path / "r.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(schema)
        con.executemany("INSERT INTO submissions VALUES (?, ?, 1)", RECONCILE_ROWS)
    _check_reconciled(reconcile_duckdb(path, token_pattern("run"), acknowledged))
    database = postgres_server.create_database()
    url = postgres_server.url(database)
    with psycopg.connect(url) as con:
        con.execute(schema.replace("VARCHAR", "TEXT"))
        con.cursor().executemany("INSERT INTO submissions VALUES (%s, %s, 1)", RECONCILE_ROWS)
    try:
        _check_reconciled(reconcile_postgres(url, token_pattern("run"), acknowledged))
    finally:
        postgres_server.drop_database(database)


def test_replicas_run_behind_the_deploy_caddyfile_with_only_port_and_upstreams_changed():
    from tests.load.deployment import CADDYFILE, caddy_config

    deployed = CADDYFILE.read_text(encoding="utf-8")
    measured = caddy_config(8123, ["127.0.0.1:9001", "127.0.0.1:9002"])
    assert "http://127.0.0.1:8123 {" in measured
    assert "reverse_proxy 127.0.0.1:9001 127.0.0.1:9002 {" in measured
    assert "lb_policy cookie inclucities_replica" in measured
    assert "flush_interval -1" in measured
    unchanged = [line for line in deployed.splitlines() if "reverse_proxy" not in line]
    unchanged.remove(":80 {")
    assert all(line in measured.splitlines() for line in unchanged)


def test_the_driver_ranks_with_one_place_picker_per_option():
    import random

    from streamlit.proto.ButtonGroup_pb2 import ButtonGroup

    from tests.load.protocol import Node
    from tests.load.respondent import planned_states
    from tests.load.survey import load_questions, make_plan

    questions = load_questions()
    plan = make_plan(questions, "en", "LTrunx0001", random.Random(3))
    chosen = plan.answers["recommendations"]
    places = ButtonGroup(id="$$ID-0-survey_resident_q_recommendations__" + chosen[1])
    for label in ("1st", "2nd", "3rd"):
        places.options.add(content=label)
    node = Node((0, 1), "button_group", places, 1, "", 0.0)
    (state,) = planned_states(node, plan, questions) or [None]
    assert list(state.string_array_value.data) == ["2nd"]


def test_a_respondent_sees_only_the_current_step_of_a_survey_drawn_whole():
    from streamlit.proto.Block_pb2 import Block
    from streamlit.proto.Radio_pb2 import Radio

    from tests.load.protocol import Node, StreamlitSession
    from tests.load.survey import HIDDEN_KEY

    def block(path, key):
        proto = Block()
        proto.id = f"$$ID-0123abcd-{key}"
        return Node(path, "block:vertical", proto, 1, "", 0.0)

    def radio(path, key):
        return Node(path, "radio", Radio(id=f"$$ID-89abcdef-{key}"), 1, "", 0.0)

    session = StreamlitSession("http://127.0.0.1:1", "survey", "")
    for node in (
        block((0, 1), "survey_resident_step_0__hidden"),
        radio((0, 1, 0), "survey_resident_q_welcome"),
        block((0, 2), "survey_resident_step_1"),
        radio((0, 2, 0), "survey_resident_q_voice"),
    ):
        session.nodes[node.path] = node
    assert [n.key for n in session.widgets()] == [
        "survey_resident_q_welcome",
        "survey_resident_q_voice",
    ]
    assert [n.key for n in session.shown_widgets(HIDDEN_KEY)] == ["survey_resident_q_voice"]
