"""The live hub: one token read per tick, one summary per change, payloads built once and shared,
coalesced bursts, control changes at once, an unavailable database said to every screen."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from inclucities.live import hub as hub_module
from inclucities.live.hub import UNAVAILABLE_EVENT, LiveHub
from inclucities.store import StoreUnavailable
from inclucities.survey.loader import SurveyRegistry
from scripts.support.survey_helpers import SURVEYS, resident_answers
from tests.async_utils import run_coroutine


@dataclass
class CountingStore:
    """The real store, counting the reads live screens cause."""

    store: object
    tokens: int = 0
    fail: bool = False

    def data_version(self, survey_id: str) -> str:
        self.tokens += 1
        if self.fail:
            raise StoreUnavailable("locked", "x.duckdb", "held by another process")  # type: ignore[arg-type]
        return self.store.data_version(survey_id)  # type: ignore[attr-defined]

    def __getattr__(self, name):
        return getattr(self.store, name)


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Counter:
    calls: list[str] = field(default_factory=list)


async def _direct(func, /, *args):
    return func(*args)


@pytest.fixture
def counted(store, monkeypatch):
    counting = CountingStore(store)
    summaries = Counter()
    real = hub_module.summarise

    def summarise(s, survey, min_cell):
        summaries.calls.append(survey.id)
        return real(s, survey, min_cell)

    monkeypatch.setattr(hub_module, "summarise", summarise)
    return counting, summaries


def _hub(counting, clock=None, **kwargs) -> LiveHub:
    registry = SurveyRegistry(surveys=dict(SURVEYS), errors={})
    return LiveHub(
        lambda: counting,  # type: ignore[arg-type, return-value]
        lambda: registry,
        lambda: 5,
        to_thread=_direct,
        clock=clock or Clock(),
        spread_seconds=0.0,
        **kwargs,
    )


def _answer(store, n: int, prefix: str = "a") -> None:
    for i in range(n):
        store.submit(f"{prefix}{i}", "resident", 1, "fr", resident_answers())


def test_fifty_screens_cost_one_read_per_tick_and_share_one_payload(counted):
    counting, summaries = counted
    _answer(counting.store, 6)
    live = _hub(counting)

    async def scenario():
        subs = [await live.subscribe("resident", "fr", "results") for _ in range(50)]
        before = counting.tokens
        for _ in range(5):  # five quiet ticks
            await live._refresh_if_changed(live.topics["resident"])
        return subs, counting.tokens - before

    subs, reads = run_coroutine(scenario())
    assert reads == 5  # one per tick, not one per screen
    assert summaries.calls == ["resident"]  # computed once, for everybody
    assert live.stats.payloads_built == 1
    first = subs[0].pending
    assert first is not None and b"event: summary" in first
    assert all(s.pending is first for s in subs)  # the very same bytes


def test_a_new_answer_is_computed_once_and_pushed_to_every_screen(counted):
    counting, summaries = counted
    _answer(counting.store, 6)
    clock = Clock()
    live = _hub(counting, clock)

    async def scenario():
        fr = [await live.subscribe("resident", "fr", "results") for _ in range(10)]
        ar = [await live.subscribe("resident", "ar", "results") for _ in range(10)]
        for s in fr + ar:
            s.pending = None
        _answer(counting.store, 1, "new")
        clock.now += 5
        await live._refresh_if_changed(live.topics["resident"])
        return fr, ar

    fr, ar = run_coroutine(scenario())
    assert summaries.calls == ["resident", "resident"]
    assert live.stats.payloads_built == 4  # fr and ar, before and after: once per language
    assert all(s.pending is not None and b'"total":7' in s.pending for s in fr + ar)
    assert fr[0].pending != ar[0].pending


def test_a_burst_of_answers_is_coalesced_but_a_reveal_goes_out_at_once(counted):
    counting, summaries = counted
    _answer(counting.store, 6)
    clock = Clock()
    live = _hub(counting, clock, min_interval=1.0)

    async def scenario():
        sub = await live.subscribe("academy", "en", "presenter")
        topic = live.topics["academy"]
        counting.store.submit("b1", "academy", 1, "en", _academy())
        clock.now += 0.2
        await live._refresh_if_changed(topic)  # within min_interval: waits
        waited = len(summaries.calls)
        clock.now += 1.0
        await live._refresh_if_changed(topic)  # the burst goes out as one refresh
        after_interval = len(summaries.calls)
        counting.store.set_results_revealed("academy", True, actor="test")
        clock.now += 0.1
        await live._refresh_if_changed(topic)  # a control change does not wait
        return sub, waited, after_interval

    sub, waited, after_interval = run_coroutine(scenario())
    assert summaries.calls.count("academy") == 3
    assert (waited, after_interval) == (1, 2)
    assert sub.pending is not None and b'"revealed":true' in sub.pending


def _academy() -> dict:
    readiness = SURVEYS["academy"].question("readiness")
    assert readiness is not None
    return {
        "first_recommendation": "participation",
        "readiness": {item.id: "4" for item in readiness.items},
        "one_word": "Trust",
    }


def test_an_unavailable_database_is_said_to_every_screen_and_then_recovers(counted):
    counting, _ = counted
    _answer(counting.store, 6)
    clock = Clock()
    live = _hub(counting, clock)

    async def scenario():
        subs = [await live.subscribe("resident", "en", "results") for _ in range(3)]
        for s in subs:
            s.pending = None
        counting.fail = True
        await live._refresh_if_changed(live.topics["resident"])
        told = [s.pending for s in subs]
        counting.fail = False
        clock.now += 5
        await live._refresh_if_changed(live.topics["resident"])
        return told, [s.pending for s in subs]

    told, recovered = run_coroutine(scenario())
    assert told == [UNAVAILABLE_EVENT] * 3
    assert all(p is not None and b"event: summary" in p for p in recovered)


def test_the_watcher_runs_only_while_someone_watches_and_ends_streams_on_stop(counted):
    counting, _ = counted
    stopping = {"now": False}
    live = _hub(counting, poll_seconds=0.01, stopping=lambda: stopping["now"])

    async def scenario():
        sub = await live.subscribe("resident", "en", "results")
        await asyncio.sleep(0.05)
        running = live._task is not None and not live._task.done()
        stopping["now"] = True
        await asyncio.sleep(0.05)
        return sub, running, live._task

    sub, running, task = run_coroutine(scenario())
    assert running
    assert sub.closed  # the stream ends, so the server can stop
    assert task is None  # nobody left: no more polling
    assert live.subscriber_counts() == {}
