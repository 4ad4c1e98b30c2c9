"""A screen that keeps the live results or the presenter page open.

`Viewer` opens the Streamlit page as a browser does and keeps its `run_every` timers. When the
page mounts a component whose arguments (or an HTML block) name an event stream of the app's own
routes, it opens that stream too, as the component in the browser would, and reads the counts
it pushes. `StreamScreen` is a screen whose page is already open: only its event stream
(`/live/<survey>/events`), read as `EventSource` reads it (reconnecting after the `retry:` the
server gave, with `Last-Event-ID`). A screen records every count it receives (a metric drawn by
Streamlit or the `total` of a pushed event), with its arrival time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from streamlit.proto.WidgetStates_pb2 import WidgetState

from scripts.load.http import Connection, split_url
from scripts.load.protocol import SessionError, StreamlitSession, now
from scripts.load.protocol_tree import Node
from scripts.load.survey import survey_titles

REVEAL_KEY = re.compile(r"reveal", re.I)
STREAM_HINT = re.compile(r"(stream|events|sse|live|subscribe|push)", re.I)
URL_IN_TEXT = re.compile(r"""(?:https?://[^\s"'<>]+|/[A-Za-z0-9_\-./]+(?:\?[^\s"'<>]*)?)""")
COUNT_KEYS = ("total", "count", "responses", "n", "answers", "submissions")
TOTAL = re.compile(r'"total":\s*(\d+)')  # a summary's count, read without parsing it all
DEFAULT_RETRY = 3.0  # EventSource's reconnection delay when the server names none
STATIC_PATH = re.compile(
    r"\.(js|css|png|svg|woff2?|ico|map|json|html|py)(\?|$)|^/(static|_stcore)/"
)


def survey_choice(session: StreamlitSession, titles: set[str]) -> tuple[Node, WidgetState] | None:
    """A survey picker (anywhere on the page, sidebar included) not yet on the resident survey,
    and the state that picks it, as a presenter does before the session starts."""
    for node in session.widgets(None):
        if node.kind not in ("selectbox", "radio", "button_group"):
            continue
        options = (
            [o.content for o in node.proto.options]
            if node.kind == "button_group"
            else list(node.proto.options)
        )
        wanted = next((o for o in options if o in titles), None)
        if wanted is None:
            continue
        current = session.state_of(node)
        if node.kind == "button_group":
            if current is not None and list(current.string_array_value.data) == [wanted]:
                return None
            state = WidgetState()
            state.string_array_value.data.append(wanted)
            return node, state
        if current is not None and current.string_value == wanted:
            return None
        return node, WidgetState(string_value=wanted)
    return None


def parse_count(text: str) -> int | None:
    """The integer a metric shows, in any script's digits ('1 234', '١٢', '37')."""
    digits = "".join(
        str(unicodedata.digit(ch)) for ch in text if unicodedata.digit(ch, None) is not None
    )
    return int(digits) if digits else None


def count_in(payload: Any) -> int | None:
    """A response count in a pushed JSON payload: a top-level or nested `total`/`count`..."""
    if isinstance(payload, dict):
        for key in COUNT_KEYS:
            value = payload.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        for value in payload.values():
            found = count_in(value)
            if found is not None:
                return found
    return None


def _strings(value: Any) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def stream_urls(node: Node, page_url: str) -> list[str]:
    """Addresses of event streams a component or HTML block on the page would open: URLs in
    its data (absolute, or relative to the page, as `EventSource` resolves them) or markup."""
    data: list[str] = []
    markup: list[str] = []
    if node.kind == "component_instance":
        data.append(node.proto.json_args)
        markup.append(node.proto.url)
    elif node.kind == "bidi_component":
        data.append(node.proto.json)
        markup += [node.proto.html_content, node.proto.js_content]
    elif node.kind == "html":
        markup.append(node.proto.body)
    elif node.kind == "iframe":
        markup.append(node.proto.src)
    candidates: list[str] = []
    for text in data:
        try:
            candidates += _strings(json.loads(text)) if text else []
        except ValueError:
            markup.append(text)
    for text in markup:
        candidates += URL_IN_TEXT.findall(text or "")
    found = []
    for candidate in candidates:
        if any(ch.isspace() for ch in candidate) or not STREAM_HINT.search(candidate):
            continue
        if STATIC_PATH.search(candidate) or "/" not in candidate.split("?")[0]:
            continue
        url = urljoin(page_url, candidate)
        if url.startswith("/".join(page_url.split("/", 3)[:3])) and url not in found:
            found.append(url)
    return found


class EventParser:
    """Splits a text/event-stream into (event name, data) pairs as chunks arrive, and keeps
    the last event id and reconnection delay the server gave, as `EventSource` does."""

    def __init__(self) -> None:
        self.buffer = ""
        self.last_id = ""
        self.retry: float | None = None  # seconds

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        """The complete events in what has arrived so far."""
        self.buffer += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        events = []
        while "\n\n" in self.buffer:
            block, self.buffer = self.buffer.split("\n\n", 1)
            lines = block.split("\n")
            data = "\n".join(line[5:].lstrip() for line in lines if line.startswith("data:"))
            name = next((line[6:].strip() for line in lines if line.startswith("event:")), "")
            for line in lines:
                if line.startswith("id:"):
                    self.last_id = line[3:].strip()
                elif line.startswith("retry:") and line[6:].strip().isdigit():
                    self.retry = int(line[6:].strip()) / 1000
            if data:
                events.append((name or "message", data))
        return events


def event_count(name: str, data: str) -> int | None:
    """The number of answers a pushed event carries (a summary's top-level `total`)."""
    if name in ("specs", "ping", "status", "error"):
        return None
    found = TOTAL.search(data)
    if found is not None:
        return int(found.group(1))
    try:
        return count_in(json.loads(data))
    except ValueError:
        return None


async def follow_stream(url: str, result: ViewerResult, first: asyncio.Event | None = None) -> None:
    """Read a server-sent event stream as `EventSource` does, for ever (cancel to stop):
    each count with its arrival time into `result`; reconnect when the stream ends."""
    host, port, target = split_url(url)
    parser = EventParser()

    def on_data(chunk: bytes) -> None:
        arrived = now()
        for name, data in parser.feed(chunk):
            result.stream_events += 1
            value = event_count(name, data)
            if value is not None:
                result.counts.append((arrived, value))
                if first is not None:
                    first.set()

    while True:
        headers = [("Accept", "text/event-stream"), ("Cache-Control", "no-cache")]
        if parser.last_id:
            headers.append(("Last-Event-ID", parser.last_id))
        connection = Connection(host, port)
        with contextlib.suppress(OSError, ConnectionError):
            await connection.stream(target, on_data, headers=headers)
        result.reconnects += 1
        parser.buffer = ""
        await asyncio.sleep(parser.retry or DEFAULT_RETRY)


@dataclass
class ViewerResult:
    """What one screen received."""

    page: str
    lang: str
    kind: str = "protocol"
    open_seconds: float | None = None
    error: str | None = None
    counts: list[tuple[float, int]] = field(default_factory=list)
    streams: list[str] = field(default_factory=list)
    stream_events: int = 0
    reconnects: int = 0  # times its stream ended and was opened again

    def first_at_least(self, value: int, since: float = 0.0) -> float | None:
        """When this screen first had a count of at least `value` (after `since`)."""
        for arrived, count in self.counts:
            if count >= value and arrived >= since:
                return arrived
        return None

    def latest(self) -> int | None:
        """The last count received."""
        return self.counts[-1][1] if self.counts else None


class Viewer:
    """A live results or presenter screen over the protocol (and its event stream, if any)."""

    def __init__(
        self,
        base_url: str,
        page: str,
        lang: str,
        *,
        assets: list[str] | None = None,
        reveal: bool = True,
        timeout: float = 120.0,
    ) -> None:
        query = f"survey=resident&lang={lang}" if page == "results" else f"lang={lang}"
        self.session = StreamlitSession(base_url, page, query, assets=assets, timeout=timeout)
        self.result = ViewerResult(page, lang)
        self.reveal = reveal
        self._streams: dict[str, asyncio.Task[None]] = {}
        self.session.delta_listeners.append(self._on_delta)
        self.session.run_listeners.append(self._drop_unmounted)

    def _on_delta(self, session: StreamlitSession, node: Node) -> None:
        if node.kind == "metric" and node.path[:1] == (0,):
            value = parse_count(node.proto.body)
            if value is not None:
                self.result.counts.append((node.arrived, value))
        for url in stream_urls(node, session.page_url):
            if url not in self._streams:
                self.result.streams.append(url)
                self._streams[url] = asyncio.create_task(self._follow(url))

    def _drop_unmounted(self, session: StreamlitSession) -> None:
        """Close the streams of components a run removed (the presenter switched survey), as
        the browser does when it unmounts them."""
        mounted = {
            url for node in session.ordered(None) for url in stream_urls(node, session.page_url)
        }
        for url in [u for u in self._streams if u not in mounted]:
            self._streams.pop(url).cancel()

    async def _follow(self, url: str) -> None:
        """Read a server-sent event stream as EventSource does, reconnecting when it ends."""
        await follow_stream(url, self.result)

    async def open(self) -> ViewerResult:
        """Open the page (and reveal the results on a presenter screen); never raises."""
        try:
            outcome = await self.session.open()
            self.result.open_seconds = outcome.seconds
            choice = survey_choice(self.session, survey_titles())
            if choice is not None:
                await self.session.change(*choice)
            if self.reveal and self.result.page == "presenter":
                for node in self.session.widgets():
                    if node.kind == "button" and REVEAL_KEY.search(node.key):
                        await self.session.change(node, WidgetState(trigger_value=True))
                        break
        except (SessionError, OSError, TimeoutError) as exc:
            self.result.error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # one screen's failure must not stop the run
            self.result.error = f"harness: {type(exc).__name__}: {exc}"
        if self.session.exceptions and self.result.error is None:
            self.result.error = "; ".join(self.session.exceptions[:3])
        return self.result

    async def close(self) -> None:
        """Close the stream readers and the session."""
        for task in self._streams.values():
            task.cancel()
        await self.session.close()


class StreamScreen:
    """A live screen whose page is open: its event stream only, as the page's `EventSource`
    keeps it (`GET /live/<survey>/events?lang=&mode=results|presenter`)."""

    def __init__(
        self, base_url: str, survey: str, mode: str, lang: str, *, timeout: float = 60.0
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/live/{survey}/events?lang={lang}&mode={mode}"
        self.result = ViewerResult(mode, lang, kind="stream", streams=[self.url])
        self.timeout = timeout
        self._task: asyncio.Task[None] | None = None

    async def open(self) -> ViewerResult:
        """Open the stream and wait for its first summary; never raises."""
        first = asyncio.Event()
        start = now()
        self._task = asyncio.create_task(follow_stream(self.url, self.result, first))
        try:
            await asyncio.wait_for(first.wait(), self.timeout)
            self.result.open_seconds = now() - start
        except TimeoutError:
            self.result.error = f"no summary within {self.timeout:.0f} s"
        return self.result

    async def close(self) -> None:
        """Stop reading (the server sees the connection close)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
