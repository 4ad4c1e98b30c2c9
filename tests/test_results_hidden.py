"""Issue 23: results the presenter hides stay hidden on every public route, on both backends.

`/live/<survey>/summary.json?mode=results` and the live stream of the results page send no
figure but the number of answers while the view's results are hidden: all sessions follow the
state of all sessions, one session its own. Revealing shows them; hiding again hides them.
"""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette

from inclucities import runtime
from inclucities.live.hub import LiveHub
from inclucities.results.summary import summarise
from inclucities.store import Store
from inclucities.web import live as live_routes
from inclucities.web.routes import routes
from scripts.support.survey_helpers import SURVEYS, resident_answers
from tests.asgi_client import Client
from tests.async_utils import run_coroutine


@pytest.fixture
def client_on(any_store, monkeypatch):
    """The app's routes over the parametrised backend (DuckDB, PostgreSQL)."""
    runtime.reset()
    monkeypatch.setattr(runtime.current(), "store", lambda: any_store)
    monkeypatch.setattr(live_routes, "KEEPALIVE_SECONDS", 0.05)
    monkeypatch.setattr(live_routes, "STREAM_LIFETIME", (0.3, 0.3))  # streams end by themselves
    yield Client(Starlette(routes=routes(session_count=lambda: 1))), any_store
    runtime.reset()


def _fill(store: Store, n: int, session_id: str | None = None, prefix: str = "r") -> None:
    for i in range(n):
        store.submit(f"{prefix}{i}", "resident", 1, "fr", resident_answers(), session_id=session_id)


def _json(client: Client, session: str = "all", mode: str = "results") -> dict:
    url = f"/live/resident/summary.json?lang=en&mode={mode}&session={session}"
    response = client.get(url)
    assert response.status_code == 200
    return response.json()


def _streamed(client: Client, session: str = "all") -> dict:
    text = client.get(f"/live/resident/events?lang=en&mode=results&session={session}").text
    for block in text.split("\n\n"):
        if "event: summary" in block:
            data = next(line for line in block.splitlines() if line.startswith("data: "))
            return json.loads(data.removeprefix("data: "))
    raise AssertionError("no summary event")


def _is_hidden(payload: dict) -> bool:
    return (
        not payload["revealed"]
        and payload["sections"] == []
        and payload["headline"]["status"] == "Results are hidden until the presenter reveals them."
    )


def test_summary_json_and_the_stream_follow_hide_and_reveal(client_on):
    client, store = client_on
    _fill(store, 6)
    assert _is_hidden(_json(client))  # hidden until the presenter reveals
    assert _is_hidden(_streamed(client))
    assert _json(client)["total"] == 6  # the number of answers is always public
    store.set_results_revealed("resident", True, actor="presenter")
    shown = _json(client)
    assert shown["revealed"] and shown["sections"]
    assert _streamed(client)["sections"]
    store.set_results_revealed("resident", False, actor="presenter")
    assert _is_hidden(_json(client)) and _is_hidden(_streamed(client))
    assert _is_hidden(_json(client, mode="presenter"))


def test_each_session_follows_its_own_state(client_on):
    client, store = client_on
    morning = store.create_session("resident", "Morning", actor="t")
    evening = store.create_session("resident", "Evening", actor="t")
    _fill(store, 6, morning.id, "m")
    _fill(store, 6, evening.id, "e")
    store.set_results_revealed("resident", True, actor="presenter", session_id=morning.id)
    assert _json(client, morning.id)["sections"] and _streamed(client, morning.id)["sections"]
    assert _is_hidden(_json(client, evening.id)) and _is_hidden(_streamed(client, evening.id))
    assert _is_hidden(_json(client))  # all sessions keep their own state
    store.set_results_revealed("resident", True, actor="presenter")
    assert _json(client)["sections"]
    assert _is_hidden(_json(client, evening.id))
    store.set_results_revealed("resident", False, actor="presenter", session_id=morning.id)
    assert _is_hidden(_json(client, morning.id))


def test_the_live_push_hides_the_results_page_at_once(any_store):
    _fill(any_store, 6)
    any_store.set_results_revealed("resident", True, actor="presenter")
    registry = runtime.survey_registry
    hub = LiveHub(lambda: any_store, registry, lambda: 5, poll_seconds=0.01, min_interval=0)

    async def scenario() -> tuple[dict, dict]:
        sub = await hub.subscribe("resident", "en", "results")
        assert sub.pending is not None
        first = json.loads(sub.pending.split(b"data: ", 1)[1])
        any_store.set_results_revealed("resident", False, actor="presenter")
        await hub._refresh_if_changed(hub.topics["resident"])  # a control change: at once
        assert sub.pending is not None
        pushed = json.loads(sub.pending.split(b"data: ", 1)[1])
        hub.close_all()
        return first, pushed

    first, pushed = run_coroutine(scenario())
    assert first["revealed"] and first["sections"]
    assert _is_hidden(pushed)


def test_the_summary_itself_is_the_same_for_public_and_presenter(any_store):
    """The reveal state is applied to the payload only: the summary every route reads holds
    the same suppressed figures whatever the state (exports made by the admin read it)."""
    _fill(any_store, 6)
    before = summarise(any_store, SURVEYS["resident"], 5)
    any_store.set_results_revealed("resident", True, actor="presenter")
    after = summarise(any_store, SURVEYS["resident"], 5)
    assert before.questions == after.questions
