"""The app's own routes over HTTP: /healthz writes, /metrics speaks Prometheus, /live streams
server-sent events (the protocol the browsers and the load harness use), /j/<code> joins."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette

from inclucities import runtime
from inclucities.web import live as live_routes
from inclucities.web.routes import routes
from scripts.support.survey_helpers import resident_answers
from tests.asgi_client import Client
from tests.test_store_survey import hold_lock


@pytest.fixture
def client(isolated_database, monkeypatch):
    runtime.reset()  # a fresh hub (and its cached summaries) for each test
    monkeypatch.setattr(live_routes, "KEEPALIVE_SECONDS", 0.05)
    monkeypatch.setattr(live_routes, "STREAM_LIFETIME", (0.4, 0.4))
    yield Client(Starlette(routes=routes(session_count=lambda: 3)))
    runtime.reset()


def _answers(n: int) -> None:
    store = runtime.get_store()
    for i in range(n):
        store.submit(f"r{i}", "resident", 1, "fr", resident_answers())


def test_healthz_proves_the_database_takes_writes(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["writable"] is True and body["heartbeat"]


def test_healthz_says_503_when_the_database_is_held_elsewhere(isolated_database, monkeypatch):
    runtime.reset()
    proc = hold_lock(isolated_database)
    try:
        response = Client(Starlette(routes=routes())).get("/healthz")
    finally:
        proc.kill()
        proc.wait()
    assert response.status_code == 503
    assert response.json()["writable"] is False


def test_metrics_report_sessions_answers_summary_time_and_fan_out(client):
    _answers(6)
    client.get("/live/resident/summary.json?lang=fr")  # one summary computed
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = response.text.splitlines()
    assert "inclucities_sessions 3" in lines
    assert 'inclucities_answers{survey="resident"} 6' in lines
    assert "inclucities_summary_seconds_count 1" in lines
    assert 'inclucities_live_subscribers{mode="results"} 0' in lines
    for name in ("inclucities_live_pushes_total", "inclucities_live_refreshes_total"):
        assert f"# TYPE {name} counter" in lines
    samples = [line for line in lines if line and not line.startswith("#")]
    assert all(len(line.rsplit(" ", 1)) == 2 for line in samples)


def test_summary_json_and_its_errors(client):
    _answers(6)
    response = client.get("/live/resident/summary.json?lang=ar&mode=results")
    assert response.status_code == 200
    payload = response.json()
    assert payload["total"] == 6 and payload["dir"] == "rtl"
    version = runtime.get_store().data_version("resident")
    assert response.headers["x-data-version"].endswith(f"/{version}")
    assert client.get("/live/nope/summary.json").status_code == 404
    assert client.get("/live/resident/summary.json?mode=other").status_code == 400


def _events(text: str) -> list[dict]:
    events = []
    for block in text.split("\n\n"):
        fields: dict = {}
        for line in block.splitlines():
            name, _, value = line.partition(": ")
            fields[name] = value
        if fields:
            events.append(fields)
    return events


def test_event_stream_sends_specs_then_the_summary_then_keeps_alive(client):
    _answers(6)
    response = client.get("/live/resident/events?lang=fr&mode=results")
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    events = _events(response.text)  # the stream ended by itself (short test lifetime)
    assert "retry" in events[0]
    kinds = [e.get("event") for e in events[1:]]
    assert kinds[:2] == ["specs", "summary"]
    assert "ping" in kinds[2:]
    specs = json.loads(events[1]["data"])
    summary = json.loads(events[2]["data"])
    assert summary["total"] == 6 and summary["specs"] == specs["id"]
    assert events[2]["id"] == f"{specs['id']}/{summary['version']}"
    assert set(specs["specs"]) >= {"agreement", "count:recommendations"}


def test_a_reconnecting_screen_is_not_sent_the_specs_again(client):
    _answers(6)
    first = client.get("/live/resident/summary.json?lang=fr").headers["x-data-version"]
    response = client.get("/live/resident/events?lang=fr", headers={"Last-Event-ID": first})
    kinds = [e.get("event") for e in _events(response.text)]
    assert "specs" not in kinds and "summary" in kinds


def test_a_live_screen_can_show_one_session_or_all(client):
    store = runtime.get_store()
    morning = store.create_session("resident", "Morning", actor="t")
    evening = store.create_session("resident", "Evening", actor="t")
    for i in range(6):
        store.submit(f"m{i}", "resident", 1, "fr", resident_answers(), session_id=morning.id)
    for i in range(2):
        store.submit(f"e{i}", "resident", 1, "fr", resident_answers(), session_id=evening.id)
    one = client.get(f"/live/resident/summary.json?lang=fr&session={morning.id}").json()
    other = client.get(f"/live/resident/summary.json?lang=fr&session={evening.id}").json()
    every = client.get("/live/resident/summary.json?lang=fr&session=all").json()
    assert (one["total"], other["total"], every["total"]) == (6, 2, 8)
    assert one["ready"] and not other["ready"]  # the small-cell rule per session shown
    store.close_session(evening.id, actor="t")
    closed = client.get(f"/live/resident/summary.json?lang=fr&session={evening.id}").json()
    assert not closed["open"]
    assert (
        closed["headline"]["closed"]
        == "Cette session est close : les nouvelles réponses ne sont pas enregistrées."
    )
    assert client.get(f"/live/resident/summary.json?session={morning.id}").json()["open"]
    assert client.get("/live/resident/summary.json?session=nope").status_code == 404
    assert client.get(f"/live/academy/summary.json?session={morning.id}").status_code == 404
    events = _events(client.get(f"/live/resident/events?lang=fr&session={morning.id}").text)
    summary = next(json.loads(e["data"]) for e in events if e.get("event") == "summary")
    assert summary["total"] == 6
