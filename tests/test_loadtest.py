"""The load harness, short (issue 21): 20 phones and 5 live screens against the real server, the
same phones against the bare Starlette floor, and one phone in Chromium through the real page.

It asserts what must hold on any machine: every phone got an acknowledgement, nothing
acknowledged was lost or stored twice (phones that sent twice included), every screen opened and
showed every new answer, the Chromium phone got its thank-you. The timings it measures are
printed (and written to tests/.artifacts/loadtest_short.txt), never asserted: slow or shared
machines change them. The full run is `python -m scripts.loadtest`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random

import pytest

from scripts.load.report import render
from scripts.load.report_figures import load_reach, open_screens, probe_reach
from scripts.load.run import run_all
from scripts.load.run_config import Config
from scripts.support.browser_utils import ROOT, chromium_path
from scripts.support.e2e_utils import ARTIFACTS
from tests.async_utils import run_coroutine


def _require_chromium() -> None:
    if chromium_path():
        return
    message = "Debian chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
    pytest.skip(message)


def short_config() -> Config:
    """20 phones within 5 s (two of them sending twice), 5 screens (one through the results
    page), the floor, one phone in Chromium; no bare Streamlit page."""
    return Config(
        phones=20,
        join_window=5.0,
        think=(0.2, 1.0),
        resend_share=0.1,
        screens=5,
        page_screens=1,
        idle_window=2.0,
        probes=1,
        probe_timeout=60.0,
        calibration=5,
        browser_phones=1,
        bare=False,
        load_timeout=300.0,
    )


@pytest.mark.slow
@pytest.mark.browser
def test_short_load_loses_nothing_and_every_screen_sees_every_new_answer():
    _require_chromium()
    lines: list[str] = []

    def log(line: str) -> None:
        lines.append(line)
        print(line, flush=True)  # progress, with pytest -s

    config = short_config()
    config.log = log
    results = run_coroutine(run_all(config))
    report = "\n".join([*lines, render(results, config)])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "loadtest_short.txt").write_text(report, encoding="utf-8")
    print(report)

    app, floor = results.app, results.floor
    assert floor is not None
    for f in (app, floor):
        everyone = [*f.warm, *f.phones, *f.probes, *f.browser_phones]
        failed = [f"{p.entry}: {p.error}" for p in everyone if not p.acknowledged]
        assert not failed, f"{f.name}: phones without an acknowledgement: {failed}\n{report}"
        assert len(f.phones) == config.phones
        assert f.calibration.failed == 0, report
        rec = f.reconciliation
        assert rec.acknowledged >= config.phones, report
        assert not rec.lost, f"{f.name}: acknowledged but not stored: {rec.lost}\n{report}"
        assert not rec.doubled, f"{f.name}: stored twice: {rec.doubled}\n{report}"
        assert not rec.missing_ids, f"{f.name}: not under the phone's id: {rec.missing_ids}"
        assert not rec.unacknowledged_stored, f"{f.name}: stored without an acknowledgement"
        assert rec.ids_checked >= rec.acknowledged - len(f.browser_phones), report
        twice = [p for p in f.phones if p.resend]
        assert {p.resend for p in twice} == {"lost", "again"}, report
        for p in twice:  # the second send of the same submission is a duplicate, never a row
            second = p.status if p.resend == "lost" else p.resend_status
            assert second.endswith("duplicate"), f"{f.name}: {p.resend}: {second}"
        assert not any(p.rate_limited for p in f.phones), f"{f.name}: 429s\n{report}"
    assert any(p.files == 2 for p in app.phones), "phones did not load the page's two files"
    assert any(p.session for p in app.phones) or config.session_share == 0
    assert open_screens(app) == config.screens, f"not every screen opened\n{report}"
    during = load_reach(app)
    assert during.answers > 0 and during.misses == 0, f"screens missed answers\n{report}"
    probes = probe_reach(app)
    assert probes.answers == config.probes and probes.misses == 0, report
    (browser,) = app.browser_phones
    assert browser.acknowledged and browser.receipt, browser.error


# -- the harness's own parts, without a server --------------------------------------------------


def _floor_script():
    spec = importlib.util.spec_from_file_location(
        "loadtest_floor", ROOT / "scripts/loadtest_floor.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _app_page(lang: str, root: str = "../") -> str:
    from inclucities.form.render import render_form, render_page
    from inclucities.runtime import survey_registry

    survey = survey_registry().surveys["resident"]
    body = render_form(survey, lang, min_cell_size=5, root=root)
    return render_page(body, lang=lang, title="t", root=root, language_href=None)


def test_a_phone_reads_the_light_form_and_sends_what_the_app_accepts():
    """Answers drawn from the page the app serves pass the app's own validation, conditions
    and exclusive options included, for every language and many respondents."""
    from inclucities.runtime import survey_registry
    from inclucities.survey.validation import validate_answers
    from scripts.load.formpage import draw_answers, payload, read_form
    from scripts.load.survey import LANGS

    survey = survey_registry().surveys["resident"]
    conditional = exclusive = 0
    for lang in LANGS:
        page = read_form(_app_page(lang))
        assert page.config["survey"] == "resident" and page.config["lang"] == lang
        assert page.config["urls"]["answers"] == f"../api/answers?lang={lang}"
        assert sorted(f.rsplit(".", 1)[-1] for f in page.files) == ["css", "js"]
        assert all(f.startswith("../assets/survey-form.") for f in page.files)
        assert [q.id for q in page.questions] == [q.id for q in survey.questions]
        for seed in range(40):
            answers = draw_answers(page, "LTrunx0001", random.Random(f"{lang}{seed}"))
            result = validate_answers(survey, answers, consent=True)
            assert result.ok, (lang, seed, answers, result.errors)
            assert answers["idea"].startswith("LTrunx0001")
            conditional += "info_sources" in answers
            exclusive += answers.get("info_sources") == ["nowhere"]
        body = payload(page, answers, "s" * 43)
        assert body["version"] == survey.version and body["consent"] is True
    assert conditional and exclusive, "the draw never opened the condition or its exclusive option"


def test_the_floor_serves_the_same_questions_and_stores_under_the_harness_id():
    from scripts.load.floor import floor_submission_id
    from scripts.load.formpage import draw_answers, read_form

    floor = _floor_script()
    app = read_form(_app_page("fr"))
    page = read_form(floor.render_page("fr"))
    assert page.files == [] and page.config["urls"] == {"answers": "answers?lang=fr"}
    assert [(q.id, q.kind, q.lines) for q in page.questions] == [
        (q.id, q.kind, q.lines) for q in app.questions
    ]
    assert {q.id: set(q.choices) for q in page.questions} == {
        q.id: set(q.choices) for q in app.questions
    }
    assert draw_answers(page, "LTx", random.Random(3)) == draw_answers(app, "LTx", random.Random(3))
    secret = "a" * 43
    assert floor.submission_id(secret) == floor_submission_id(secret)


def test_phones_that_send_twice_are_chosen_half_and_half():
    from scripts.load.phones import choose_resends

    chosen = choose_resends(300, 0.1, random.Random(1))
    assert len(chosen) == 30
    assert sorted(chosen.values()).count("lost") == 15
    assert len(choose_resends(20, 0.1, random.Random(2))) == 2
    assert not choose_resends(5, 0.0, random.Random(3))


def test_reach_times_each_acknowledged_count_to_each_screen():
    from scripts.load.reach import reach
    from scripts.load.viewer import ViewerResult

    quick = ViewerResult("results", "en", open_seconds=0.1, counts=[(10.0, 3), (10.5, 5)])
    slow = ViewerResult("results", "fr", open_seconds=0.1, counts=[(9.0, 4), (12.0, 6)])
    closed = ViewerResult("results", "el", error="no summary")
    found = reach([quick, slow, closed], [(10.2, 4), (11.0, 6)])
    assert found.screens == 2 and found.answers == 2
    assert sorted(round(d, 2) for d in found.delays) == [0.0, 0.3, 1.0]  # 4 was on `slow` before
    assert found.misses == 1  # `quick` never showed 6


def test_a_screen_reads_counts_ids_and_retry_from_its_stream():
    from streamlit.proto.BidiComponent_pb2 import BidiComponent

    from scripts.load.protocol_tree import Node
    from scripts.load.viewer import EventParser, count_in, event_count, parse_count, stream_urls

    data = {"url": "live/resident/events?lang=fr&mode=results", "texts": {"x": "Chargement…"}}
    node = Node((0, 3), "bidi_component", BidiComponent(json=json.dumps(data)), 1, "", 0.0)
    page = "http://127.0.0.1:8501/results?survey=resident&lang=fr"
    assert stream_urls(node, page) == [
        "http://127.0.0.1:8501/live/resident/events?lang=fr&mode=results"
    ]
    script = BidiComponent(js_content="// Mounted by components/results/live.py with st.components")
    assert stream_urls(Node((0, 4), "bidi_component", script, 1, "", 0.0), page) == []
    parser = EventParser()
    first = parser.feed(b'retry: 3113\n\nevent: specs\nid: s1\ndata: {"id": 1}\n\nevent: summ')
    assert first == [("specs", '{"id": 1}')] and parser.retry == 3.113
    events = parser.feed(b'ary\nid: s1/7\ndata: {"total": 37, "sections": [{"count": 3}]}\n\n')
    assert events == [("summary", '{"total": 37, "sections": [{"count": 3}]}')]
    assert parser.last_id == "s1/7"
    assert event_count(*events[0]) == 37 and event_count("specs", '{"total": 2}') is None
    assert event_count("summary", '{"headline": {"count": 4}}') == 4
    assert count_in(json.loads(events[0][1])) == 37
    assert parse_count("١٢٣") == 123 and parse_count("1\u202f234") == 1234


def test_reconciliation_counts_lost_doubled_and_unacknowledged(tmp_path):
    from scripts.load.reconcile import reconcile_jsonl
    from scripts.load.respondent import token_pattern

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
    assert result.ids_checked == 2 and result.missing_ids == ["z"]


def test_reconciliation_reads_a_duckdb_file_and_a_postgresql_database_alike(
    tmp_path, postgres_server
):
    import duckdb
    import psycopg

    from scripts.load.reconcile import reconcile_duckdb, reconcile_postgres
    from scripts.load.respondent import token_pattern

    acknowledged = {"LTrunx0001", "LTrunx0002", "LTrunx0003"}
    ids = {"a", "z"}
    schema = "CREATE TABLE responses_resident (submission_id VARCHAR, idea VARCHAR, score INTEGER)"
    ideas = "CREATE TABLE ideas (submission_id VARCHAR, text VARCHAR)"  # the larger table
    idea_rows = [*RECONCILE_ROWS, ("a", "LTrunx0001"), ("b", "LTrunx0002")]
    path = tmp_path / "r.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(schema)
        con.execute(ideas)
        con.executemany("INSERT INTO responses_resident VALUES (?, ?, 1)", RECONCILE_ROWS)
        con.executemany("INSERT INTO ideas VALUES (?, ?)", idea_rows)
    pattern = token_pattern("run")
    _check_reconciled(reconcile_duckdb(path, pattern, acknowledged, ids, "resident"))
    database = postgres_server.create_database()
    url = postgres_server.url(database)
    with psycopg.connect(url) as con:
        con.execute(schema.replace("VARCHAR", "TEXT"))
        con.execute(ideas.replace("VARCHAR", "TEXT"))
        con.cursor().executemany(
            "INSERT INTO responses_resident VALUES (%s, %s, 1)", RECONCILE_ROWS
        )
        con.cursor().executemany("INSERT INTO ideas VALUES (%s, %s)", idea_rows)
    try:
        _check_reconciled(reconcile_postgres(url, pattern, acknowledged, ids, "resident"))
    finally:
        postgres_server.drop_database(database)


def test_replicas_run_behind_the_deploy_caddyfile_with_only_port_and_upstreams_changed():
    from scripts.load.deployment import CADDYFILE, caddy_config

    deployed = CADDYFILE.read_text(encoding="utf-8")
    measured = caddy_config(8123, ["127.0.0.1:9001", "127.0.0.1:9002"])
    assert "http://127.0.0.1:8123 {" in measured
    assert "reverse_proxy 127.0.0.1:9001 127.0.0.1:9002 {" in measured
    assert "lb_policy cookie inclucities_replica" in measured
    assert "flush_interval -1" in measured
    unchanged = [line for line in deployed.splitlines() if "reverse_proxy" not in line]
    unchanged.remove(":80 {")
    assert all(line in measured.splitlines() for line in unchanged)


# -- the bare Streamlit page's respondents (the old driver, kept for the comparison) --------------


def test_the_driver_matches_widget_keys_to_questions_items_options_and_ranks():
    from scripts.load.survey import load_questions, match_key

    questions = load_questions()
    grid = match_key("survey_resident_q_access__language-courses", questions)
    assert grid and grid.question.id == "access" and grid.item == "language-courses"
    box = match_key("survey_resident_q_info_sources__city-website", questions)
    assert box and box.question.id == "info_sources" and box.option == "city-website"
    rank = match_key("survey_resident_q_recommendations__rank_2", questions)
    assert rank and rank.question.id == "recommendations" and rank.rank == 2
    assert match_key("frame_lang_picker", questions) is None


def test_the_bare_page_draws_every_question_and_its_conditions_from_the_definition():
    spec = importlib.util.spec_from_file_location(
        "loadtest_bare", ROOT / "scripts/loadtest_bare.py"
    )
    assert spec and spec.loader
    bare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bare)  # imported, it draws nothing
    widgets = bare.manifest_from_definition()
    by_key = {w["key"]: w for w in widgets}
    info = by_key["survey_resident_q_info_sources"]
    assert info["after"][0] == "survey_resident_q_information"
    assert info["after_any"] == ["Agree", "Strongly agree"]
    assert by_key["survey_resident_q_welcome"]["options"][-1] == "I don't know"
    assert any(w.get("role") == "send" for w in widgets)


def test_the_driver_ranks_with_one_place_picker_per_option():
    from streamlit.proto.ButtonGroup_pb2 import ButtonGroup

    from scripts.load.protocol_tree import Node
    from scripts.load.respondent import planned_states
    from scripts.load.survey import load_questions, make_plan

    questions = load_questions()
    plan = make_plan(questions, "en", "LTrunx0001", random.Random(3))
    chosen = plan.answers["recommendations"]
    places = ButtonGroup(id="$$ID-0-survey_resident_q_recommendations__" + chosen[1])
    for label in ("1st", "2nd", "3rd"):
        places.options.add(content=label)
    node = Node((0, 1), "button_group", places, 1, "", 0.0)
    (state,) = planned_states(node, plan, questions) or [None]
    assert list(state.string_array_value.data) == ["2nd"]
