"""A Streamlit session that speaks the browser's own websocket protocol (`/_stcore/stream`).

It sends exactly what the frontend (streamlit/static, `App.sendRerunBackMsg`) sends:
`BackMsg.rerun_script` with the query string, the page (by name on the first run, then by its
script hash), the state of every widget on screen, the fragment id of the widget that changed,
the hashes of the messages it has cached and the browser's context. It keeps the element tree
the frontend keeps (by delta path, stale nodes dropped after each run), the frontend's message
cache (`ref_hash` messages) and its `run_every` timers (`auto_rerun`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

from scripts.load.http import fetch_all, split_url
from scripts.load.protocol_tree import Node, PageTree

FINISHED = ForwardMsg.ScriptFinishedStatus
TERMINAL = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
DEFAULT_TIMEOUT = 120.0


class SessionError(RuntimeError):
    """The session could not do what was asked (closed socket, timeout, missing message)."""


def now() -> float:
    """Monotonic seconds (the clock every figure of the harness uses)."""
    return time.perf_counter()


@dataclass
class RunOutcome:
    """What one request to the server produced, once the session was idle again."""

    sent: float
    done: float
    statuses: list[int] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """Time from sending the request to the session being idle again."""
        return self.done - self.sent


@dataclass
class _Waiter:
    after_index: int
    future: asyncio.Future[float]


class StreamlitSession(PageTree):
    """One browser tab's session with the app, over the app's own websocket protocol."""

    def __init__(
        self,
        base_url: str,
        path: str,
        query: str = "",
        *,
        locale: str = "en-GB",
        assets: list[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.path = path.strip("/")
        self.query = query
        self.locale = locale
        self.assets = assets
        self.timeout = timeout
        self.ws: ClientConnection | None = None
        self.nodes: dict[tuple[int, ...], Node] = {}
        self.widget_states: dict[str, WidgetState] = {}
        self.page_script_hash = ""
        self.session_id = ""
        self.running = False
        self.exceptions: list[str] = []
        self.bytes_received = 0
        self.messages_received = 0
        self.auto_reruns_sent = 0  # run_every requests sent
        self.runs_finished = 0  # runs the server finished (full or fragment)
        self.run_listeners: list[Callable[[StreamlitSession], None]] = []
        self.delta_listeners: list[Callable[[StreamlitSession, Node], None]] = []
        self._cache: dict[str, list[Any]] = {}  # hash -> [raw bytes, run count, fragment id]
        self._run_count = 0
        self._max_cache_age = 2
        self._index = 0  # messages received so far
        self._last_terminal = -1  # index of the last terminal script_finished
        self._waiters: list[_Waiter] = []
        self._statuses: list[int] = []
        self._reader: asyncio.Task[None] | None = None
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._generation = 0  # bumped at the start of every run, full or fragment
        self.closed = asyncio.Event()

    # -- connecting -------------------------------------------------------------------------

    @property
    def page_url(self) -> str:
        """The address a visitor opens (the QR link, for respondents)."""
        return f"{self.base_url}/{self.path}" + (f"?{self.query}" if self.query else "")

    async def open(self) -> RunOutcome:
        """Load the page as a browser does (HTML, assets, health and host-config, websocket),
        then request the first run; returns once the page has finished drawing."""
        host, port, target = split_url(self.page_url)
        started = now()
        cookies: dict[str, str] = {}

        def keep_cookies(_: str, response: Any) -> None:
            for name, value in response.headers.items():
                if name == "set-cookie":
                    pair = value.split(";", 1)[0]
                    if "=" in pair:
                        k, v = pair.split("=", 1)
                        cookies[k.strip()] = v.strip()

        await fetch_all(host, port, [target], keep_cookies)
        if self.assets:
            await fetch_all(host, port, self.assets)
        prefix = f"/{self.path}" if self.path else ""
        probes = [f"{prefix}/_stcore/health", f"{prefix}/_stcore/host-config"]
        if prefix:
            probes += ["/_stcore/health", "/_stcore/host-config"]
        await fetch_all(host, port, probes)
        xsrf = cookies.get("_streamlit_xsrf", "PLACEHOLDER_AUTH_TOKEN")
        ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        headers = {"Origin": self.base_url}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.ws = await connect(
            ws_url,
            subprotocols=["streamlit", xsrf],  # type: ignore[list-item]
            additional_headers=headers,
            max_size=None,
            compression=None,
            open_timeout=self.timeout,
            ping_interval=None,
        )
        self._reader = asyncio.create_task(self._read(), name=f"reader {self.path}")
        outcome = await self.rerun(first=True)
        outcome.sent = started
        return outcome

    async def close(self) -> None:
        """Close the websocket and stop the run_every timers."""
        for task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        for waiter in self._waiters:
            if not waiter.future.done():
                waiter.future.set_exception(SessionError("session closed"))
        self._waiters.clear()

    # -- sending ----------------------------------------------------------------------------

    def _context(self) -> dict[str, Any]:
        return {
            "timezone": "UTC",
            "timezone_offset": 0,
            "locale": self.locale,
            "url": f"{self.base_url}/{self.path}",
            "is_embedded": False,
            "color_scheme": "light",
        }

    def _client_state(self, fragment_id: str = "", auto: bool = False, first: bool = False):
        state = ClientState(
            query_string=self.query,
            page_script_hash="" if first else self.page_script_hash,
            page_name=self.path if first else "",
            fragment_id=fragment_id,
            is_auto_rerun=auto,
            cached_message_hashes=list(self._cache),
        )
        state.widget_states.widgets.extend(self.widget_states.values())
        state.context_info.CopyFrom(state.context_info.__class__(**self._context()))
        return state

    async def _send(self, state: ClientState) -> None:
        if self.ws is None:
            raise SessionError("not connected")
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        await self.ws.send(message.SerializeToString())

    def expect_idle(self) -> _Waiter:
        """Start waiting for the session to be idle again after a run that starts from now."""
        waiter = _Waiter(self._index, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        self._statuses = []
        return waiter

    async def wait_idle(self, waiter: _Waiter, sent: float) -> RunOutcome:
        """Wait for what `expect_idle` set up; raises SessionError after the timeout."""
        try:
            done = await asyncio.wait_for(waiter.future, self.timeout)
        except TimeoutError:
            raise SessionError(f"no answer within {self.timeout:.0f} s ({self.path})") from None
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
        return RunOutcome(sent, done, list(self._statuses))

    async def rerun(
        self, fragment_id: str = "", *, first: bool = False, auto: bool = False
    ) -> RunOutcome:
        """Send a rerun request with the current widget states; wait until the session is idle."""
        waiter = self.expect_idle()
        sent = now()
        await self._send(self._client_state(fragment_id, auto=auto, first=first))
        self._drop_triggers()
        return await self.wait_idle(waiter, sent)

    def feed(self, raw: bytes) -> None:
        """Handle one message a real browser received (a passive copy of its page)."""
        self.bytes_received += len(raw)
        self.messages_received += 1
        message = ForwardMsg()
        message.ParseFromString(raw)
        self._handle(message, raw, now())

    def _drop_triggers(self) -> None:
        """Trigger values (buttons) are sent once, then forgotten, as the frontend does."""
        for widget_id, state in list(self.widget_states.items()):
            kind = state.WhichOneof("value")
            if kind in ("trigger_value", "string_trigger_value", "json_trigger_value"):
                del self.widget_states[widget_id]

    async def change(self, node: Node, state: WidgetState) -> RunOutcome:
        """A visitor's change to one widget: store its new state and send the rerun it
        triggers, with the widget's fragment id (a widget in a fragment reruns only it)."""
        state.id = node.widget_id
        self.widget_states[node.widget_id] = state
        return await self.rerun(fragment_id=node.fragment_id)

    # -- receiving --------------------------------------------------------------------------

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                if isinstance(raw, str):
                    continue
                self.bytes_received += len(raw)
                self.messages_received += 1
                message = ForwardMsg()
                message.ParseFromString(raw)
                self._handle(message, raw, now())
        except Exception as exc:  # closed by the server, or a broken message
            self.exceptions.append(f"connection: {type(exc).__name__}: {exc}")
        finally:
            self.closed.set()
            for waiter in self._waiters:
                if not waiter.future.done():
                    waiter.future.set_exception(SessionError("connection closed"))

    def _handle(self, message: ForwardMsg, raw: bytes, arrived: float) -> None:
        self._index += 1
        kind = message.WhichOneof("type")
        if message.metadata.cacheable and message.hash and message.hash not in self._cache:
            self._cache[message.hash] = [raw, self._run_count, message.delta.fragment_id]
        if kind == "ref_hash":
            cached = self._cache.get(message.ref_hash)
            if cached is None:
                self.exceptions.append(f"cache miss for {message.ref_hash}")
                return
            cached[1] = self._run_count
            original = ForwardMsg()
            original.ParseFromString(cached[0])
            original.metadata.CopyFrom(message.metadata)
            message, kind = original, original.WhichOneof("type")
        if kind == "new_session":
            new = message.new_session
            self._generation += 1
            self.session_id = new.initialize.session_id or self.session_id
            self._max_cache_age = new.config.max_cached_message_age or self._max_cache_age
            if new.page_script_hash:
                self.page_script_hash = new.page_script_hash
        elif kind == "navigation":
            if message.navigation.page_script_hash:
                self.page_script_hash = message.navigation.page_script_hash
        elif kind == "page_not_found":
            self.exceptions.append(f"page not found: {message.page_not_found.page_name}")
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "delta":
            self._apply_delta(message, arrived)
        elif kind == "script_finished":
            self._finished(message, arrived)
        elif kind == "session_status_changed":
            self.running = message.session_status_changed.script_is_running
            if self.running:
                self._generation += 1
            else:
                for waiter in list(self._waiters):
                    if self._last_terminal > waiter.after_index and not waiter.future.done():
                        waiter.future.set_result(arrived)
        elif kind == "auto_rerun":
            self._start_timer(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                task = self._timers.pop(fragment_id, None)
                if task is not None:
                    task.cancel()

    def _apply_delta(self, message: ForwardMsg, arrived: float) -> None:
        delta = message.delta
        path = tuple(message.metadata.delta_path)
        run_id = self._generation
        which = delta.WhichOneof("type")
        if which == "new_element":
            element = delta.new_element
            kind = element.WhichOneof("type") or "empty"
            node = Node(path, kind, getattr(element, kind), run_id, delta.fragment_id, arrived)
            if kind == "exception":
                self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            self.nodes[path] = node
            if node.widget_id:
                self._register_widget(node)
            for listener in self.delta_listeners:
                listener(self, node)
        elif which == "add_block":
            block = delta.add_block
            kind = "block:" + (block.WhichOneof("type") or "vertical")
            self.nodes[path] = Node(path, kind, block, run_id, delta.fragment_id, arrived)

    def _finished(self, message: ForwardMsg, arrived: float) -> None:
        status = message.script_finished
        self._statuses.append(status)
        if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
            return
        self._last_terminal = self._index
        self.runs_finished += 1
        if status in TERMINAL:
            fragments = list(message.metadata.run.fragment_ids)
            self._clear_stale(self._generation, fragments)
            self._age_cache(fragments)
        for listener in self.run_listeners:
            listener(self)

    def _age_cache(self, fragments: list[str]) -> None:
        self._run_count += 1
        for key, (_, count, fragment_id) in list(self._cache.items()):
            if fragments and (not fragment_id or fragment_id not in fragments):
                continue
            if self._run_count - count > self._max_cache_age:
                del self._cache[key]

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        if not fragment_id or interval <= 0:
            return
        current = self._timers.get(fragment_id)
        if current is not None and getattr(current, "interval", None) == interval:
            return
        if current is not None:
            current.cancel()

        async def tick() -> None:
            while True:
                await asyncio.sleep(interval)
                try:
                    await self._send(self._client_state(fragment_id, auto=True))
                    self.auto_reruns_sent += 1
                except Exception:
                    return

        task = asyncio.create_task(tick(), name=f"run_every {fragment_id}")
        task.interval = interval  # type: ignore[attr-defined]
        self._timers[fragment_id] = task
