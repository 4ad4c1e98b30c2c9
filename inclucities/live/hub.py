"""The live hub: one watcher per process pushes each change of a survey to every open screen.

An idle screen costs the server nothing but an open connection:

- While anyone watches, the hub reads each watched survey's change token
  (`store.data_version`) every `poll_seconds` (a quarter of a second): one query per survey,
  whatever the number of screens.
- When the token changes, the summary is computed once, and the payload for each (language,
  screen kind) being watched is built once and shared, as bytes, by all its subscribers.
- Coalescing: new answers refresh at most once per `min_interval` seconds (a burst of answers
  is one refresh); a change of control state (reveal, moderation, open/close) refreshes at once.
- Spreading: a refresh reaches large audiences in shuffled batches over `spread_seconds`, and
  the browser redraws after a short random delay; reconnection delays are jittered too.
- Each subscriber holds only the latest event (an older one not yet written is replaced).

Store calls and payload building run in worker threads (`to_thread`), never on the event loop.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from inclucities.results.model import SurveySummary
from inclucities.results.payload import ChartSet, build_payload, chart_set, payload_bytes
from inclucities.results.summary import summarise
from inclucities.store import Store, StoreUnavailable
from inclucities.survey.loader import SurveyRegistry

ToThread = Callable[..., Awaitable[Any]]


def sse(event: str, data: bytes, event_id: str | None = None) -> bytes:
    """One server-sent event (the JSON is a single line, so one `data:` field)."""
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {event}\n".encode() + b"data: " + data + b"\n\n"


@dataclass(eq=False)
class Subscriber:
    """One open screen: what it watches and the latest event it has not been sent yet."""

    survey_id: str
    lang: str
    mode: str
    session_id: str | None = None  # one live session, or None for all of the survey's answers
    pending: bytes | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False

    def offer(self, data: bytes) -> None:
        self.pending = data  # latest wins
        self.wake.set()

    def close(self) -> None:
        self.closed = True
        self.wake.set()


@dataclass(frozen=True)
class Built:
    """One payload, built once per data version and shared by its screens."""

    event_id: str  # "<specs id>/<data version>": the SSE id, echoed back as Last-Event-ID
    data: bytes  # the JSON
    event: bytes  # the same as a `summary` server-sent event


UNAVAILABLE_EVENT = sse("status", b'{"type":"status","state":"unavailable"}')


@dataclass(eq=False)
class Topic:
    """One watched survey, or one live session of it: its current summary and payloads."""

    survey_id: str
    session_id: str | None = None
    subscribers: set[Subscriber] = field(default_factory=set)
    version: str | None = None
    summary: SurveySummary | None = None
    revealed: bool = False
    is_open: bool = True
    closed_message: str = "results.closed"  # what the screens say while closed
    unavailable: bool = False
    payloads: dict[tuple[str, str], Built] = field(default_factory=dict)
    last_refresh: float = float("-inf")
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class HubStats:
    """Counters for /metrics."""

    polls: int = 0
    refreshes: int = 0
    summary_seconds_total: float = 0.0
    summary_seconds_last: float = 0.0
    build_seconds_total: float = 0.0
    payloads_built: int = 0
    pushes: int = 0  # events handed to subscribers (one per subscriber and refresh)
    connections_total: int = 0
    payload_bytes_last: int = 0


def topic_key(survey_id: str, session_id: str | None = None) -> str:
    """The hub's key of a watched survey (`survey`) or of one of its sessions (`survey@id`)."""
    return survey_id if session_id is None else f"{survey_id}@{session_id}"


class LiveHub:
    """Process-wide: subscribe screens, watch the store, push summaries."""

    def __init__(
        self,
        store: Callable[[], Store],
        registry: Callable[[], SurveyRegistry],
        min_cell: Callable[[], int],
        *,
        to_thread: ToThread | None = None,
        poll_seconds: float = 0.25,
        min_interval: float = 0.5,
        spread_seconds: float = 0.2,
        batch_size: int = 25,
        stopping: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._registry = registry
        self._min_cell = min_cell
        self._to_thread: ToThread = to_thread or asyncio.to_thread
        self.poll_seconds = poll_seconds
        self.min_interval = min_interval
        self.spread_seconds = spread_seconds
        self.batch_size = batch_size
        self._stopping = stopping
        self._clock = clock
        self.topics: dict[str, Topic] = {}
        self.stats = HubStats()
        self._task: asyncio.Task[None] | None = None
        self._chart_events: dict[tuple[str, str, str], tuple[str, bytes]] = {}

    # -- subscribers ------------------------------------------------------------------------------

    def subscriber_counts(self) -> dict[str, int]:
        """Open screens per kind (results, presenter)."""
        counts: dict[str, int] = {}
        for topic in self.topics.values():
            for sub in topic.subscribers:
                counts[sub.mode] = counts.get(sub.mode, 0) + 1
        return counts

    def _topic(self, survey_id: str, session_id: str | None) -> Topic:
        key = topic_key(survey_id, session_id)
        return self.topics.setdefault(key, Topic(survey_id, session_id))

    async def subscribe(
        self, survey_id: str, lang: str, mode: str, session_id: str | None = None
    ) -> Subscriber:
        """Register a screen; it is offered the current summary at once."""
        topic = self._topic(survey_id, session_id)
        sub = Subscriber(survey_id, lang, mode, session_id)
        topic.subscribers.add(sub)
        self.stats.connections_total += 1
        self._ensure_running()
        try:
            await self._ensure_current(topic)
            current = await self._payload(topic, lang, mode)
        except BaseException:
            self.unsubscribe(sub)
            raise
        if current is not None:
            sub.offer(current.event)
        elif topic.unavailable:
            sub.offer(UNAVAILABLE_EVENT)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        topic = self.topics.get(topic_key(sub.survey_id, sub.session_id))
        if topic is not None:
            topic.subscribers.discard(sub)
            if not topic.subscribers:
                topic.payloads.clear()  # keep the summary: a returning screen gets it at once

    async def chart_event(self, survey_id: str, lang: str, mode: str) -> tuple[str, bytes]:
        """(specs id, `specs` event bytes) for one kind of screen, built once per process."""
        key = (survey_id, lang, mode)
        cached = self._chart_events.get(key)
        if cached is None:
            survey = self._registry().surveys[survey_id]
            charts: ChartSet = await self._to_thread(chart_set, survey, lang, mode)
            cached = (charts.id, sse("specs", payload_bytes(charts.event())))
            self._chart_events[key] = cached
        return cached

    async def current(
        self, survey_id: str, lang: str, mode: str, session_id: str | None = None
    ) -> Built | None:
        """The current payload, read afresh when no screen keeps the hub watching."""
        topic = self._topic(survey_id, session_id)
        if topic.subscribers:
            await self._ensure_current(topic)
        else:
            await self._refresh_if_changed(topic, urgent=True)
        return await self._payload(topic, lang, mode)

    # -- the watcher ------------------------------------------------------------------------------

    def _ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="live-hub")

    async def _run(self) -> None:
        while True:
            if self._stopping():
                self.close_all()
            watched = [t for t in self.topics.values() if t.subscribers]
            if not watched:
                self._task = None  # no await between this check and here: no lost subscriber
                return
            for topic in watched:
                try:
                    await self._refresh_if_changed(topic)
                except Exception:  # a failed refresh must not stop the live screens
                    self._mark_unavailable(topic)
            await asyncio.sleep(self.poll_seconds)

    def close_all(self) -> None:
        """End every stream (the server is stopping): the browsers reconnect by themselves."""
        for topic in self.topics.values():
            for sub in list(topic.subscribers):
                sub.close()
            topic.subscribers.clear()

    async def _ensure_current(self, topic: Topic) -> None:
        if topic.summary is None:
            await self._refresh_if_changed(topic, urgent=True)

    def _token(self, survey_id: str) -> str:
        return self._store().data_version(survey_id)

    def _mark_unavailable(self, topic: Topic) -> None:
        if not topic.unavailable:
            topic.unavailable = True
            for sub in topic.subscribers:
                sub.offer(UNAVAILABLE_EVENT)

    async def _refresh_if_changed(self, topic: Topic, urgent: bool = False) -> None:
        """Recompute when the token moved (at once for control changes or when `urgent`)."""
        async with topic.lock:
            try:
                token = await self._to_thread(self._token, topic.survey_id)
            except StoreUnavailable:
                self._mark_unavailable(topic)
                return
            self.stats.polls += 1
            if token == topic.version and topic.summary is not None and not topic.unavailable:
                return
            control = topic.version is None or _control_part(token) != _control_part(topic.version)
            waited = self._clock() - topic.last_refresh
            if not (urgent or control or waited >= self.min_interval):
                return  # coalesce: the next tick after min_interval takes this change
            await self._recompute(topic, token)
        await self._fan_out(topic)

    def _compute(
        self, survey_id: str, session_id: str | None = None
    ) -> tuple[SurveySummary, bool, bool, float]:
        started = time.perf_counter()
        store = self._store()
        survey = self._registry().surveys[survey_id]
        if session_id is None:
            summary = summarise(store, survey, self._min_cell())
            revealed = store.results_revealed(survey_id)
        else:
            summary = summarise(store, survey, self._min_cell(), session_id=session_id)
            revealed = store.results_revealed(survey_id, session_id)
        is_open = store.is_survey_open(survey_id)
        if is_open and session_id is not None:
            session = store.get_session(session_id)
            is_open = session is not None and session.is_open
        return summary, revealed, is_open, time.perf_counter() - started

    async def _recompute(self, topic: Topic, token: str) -> None:
        try:
            summary, revealed, is_open, seconds = await self._to_thread(
                self._compute, topic.survey_id, topic.session_id
            )
        except StoreUnavailable:
            self._mark_unavailable(topic)
            return
        self.stats.refreshes += 1
        self.stats.summary_seconds_total += seconds
        self.stats.summary_seconds_last = seconds
        topic.version, topic.summary = token, summary
        topic.revealed, topic.is_open, topic.unavailable = revealed, is_open, False
        if not is_open and topic.session_id is not None:
            survey_open = await self._to_thread(self._store().is_survey_open, topic.survey_id)
            topic.closed_message = "results.session_closed" if survey_open else "results.closed"
        topic.last_refresh = self._clock()
        topic.payloads = {}
        wanted = {(s.lang, s.mode) for s in topic.subscribers}
        for lang, mode in sorted(wanted):
            await self._payload(topic, lang, mode)

    def _build(self, topic: Topic, lang: str, mode: str) -> tuple[Built, float]:
        started = time.perf_counter()
        assert topic.summary is not None and topic.version is not None
        survey = self._registry().surveys[topic.survey_id]
        payload = build_payload(
            survey,
            topic.summary,
            lang,
            mode,
            version=topic.version,
            revealed=topic.revealed,
            is_open=topic.is_open,
            closed_message=topic.closed_message,
        )
        data = payload_bytes(payload)
        event_id = f"{payload['specs']}/{topic.version}"
        built = Built(event_id, data, sse("summary", data, event_id))
        return built, time.perf_counter() - started

    async def _payload(self, topic: Topic, lang: str, mode: str) -> Built | None:
        """The current payload of one (language, screen kind), built on first need."""
        if topic.summary is None:
            return None
        built = topic.payloads.get((lang, mode))
        if built is None:
            built, seconds = await self._to_thread(self._build, topic, lang, mode)
            self.stats.payloads_built += 1
            self.stats.build_seconds_total += seconds
            self.stats.payload_bytes_last = len(built.data)
            topic.payloads[(lang, mode)] = built
        return built

    async def _fan_out(self, topic: Topic) -> None:
        """Offer the new payloads to every subscriber, in shuffled batches for big audiences."""
        subscribers = list(topic.subscribers)
        random.shuffle(subscribers)
        batches = [
            subscribers[i : i + self.batch_size]
            for i in range(0, len(subscribers), self.batch_size)
        ]
        pause = self.spread_seconds / len(batches) if len(batches) > 1 else 0.0
        for number, batch in enumerate(batches):
            if number:
                await asyncio.sleep(pause)
            for sub in batch:
                if sub.closed or sub not in topic.subscribers:
                    continue
                built = await self._payload(topic, sub.lang, sub.mode)
                if built is not None:
                    sub.offer(built.event)
                    self.stats.pushes += 1


def _control_part(token: str) -> str:
    """The part of a change token that moves on reveal, moderation, open/close (not answers)."""
    return token.partition(".")[2]
