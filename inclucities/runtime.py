"""The process's shared state, with one owner: opened by the app's lifespan, closed by it.

Pages, routes and live streams reach it through `current()`. Everything that lives across
requests and changes while the app runs (the stores, the live hub, rate limits, the sign-in
queue, one-time links, download tokens, snapshots, the audio library) is a field of the
`Runtime`. Module-level caches elsewhere hold only what a pure function derives from its key
and the files shipped with the app (`functools.cache`, `inclucities.memo.Memo`).

Outside a server (AppTest, scripts) the first `current()` opens one; `reset()` closes it.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from inclucities.auth import FailureLog, MemoryFailureLog
from inclucities.export.downloads import DownloadRegistry
from inclucities.form.limits import Limits
from inclucities.live.hub import LiveHub
from inclucities.settings import get_settings
from inclucities.signin_checks import CheckQueue, UsedLinks
from inclucities.snapshot import SnapshotCache
from inclucities.speech import AudioLibrary
from inclucities.store import Store, StoreUnavailable, open_store
from inclucities.survey.loader import SurveyRegistry, load_survey_definitions

LOG = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
T = TypeVar("T")


@cache
def survey_registry() -> SurveyRegistry:
    """Survey definitions, loaded and validated once per process (files shipped with the app)."""
    return load_survey_definitions()


def store_key() -> str:
    """Which database the settings name (the PostgreSQL URL, else the DuckDB file)."""
    settings = get_settings()
    url = settings.database_url
    return url.get_secret_value() if url is not None else str(settings.db_path)


async def _to_thread(func: Callable[..., T], /, *args: Any) -> T:
    return await run_in_threadpool(func, *args)


class Runtime:
    """What one process shares between pages, routes and streams, and closes when it stops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stores: dict[str, Store] = {}
        self._hub: LiveHub | None = None
        self._audio: dict[str, AudioLibrary] = {}
        self.stopping = threading.Event()  # the server was told to stop: streams end now
        self.answer_limits = Limits.default()
        self.support_limits = Limits.for_supports()
        self.withdrawal_limits = Limits.for_withdrawals()
        self.memory_failures = MemoryFailureLog()
        self.signin_checks = CheckQueue(log=self.failure_log)
        self.used_signin_links = UsedLinks()
        self.downloads = DownloadRegistry()
        self.snapshots = SnapshotCache()
        self.speech_lock = threading.Lock()  # one synthesis at a time

    def store(self) -> Store:
        """The store for the configured database (PostgreSQL when `database_url` is set, else
        the DuckDB file), opened once.

        Raises StoreUnavailable with a reason; a failure is not remembered, so the next call
        retries.
        """
        settings = get_settings()
        key = store_key()
        with self._lock:
            found = self._stores.get(key)
            if found is None:
                url = settings.database_url
                found = open_store(
                    url.get_secret_value() if url is not None else None,
                    settings.db_path,
                    survey_registry().surveys.values(),
                )
                self._stores[key] = found
        return found

    def failure_log(self) -> FailureLog:
        """Failed sign-ins: the store's log (shared by replicas), else this process's."""
        try:
            found = self.store()
        except StoreUnavailable:
            return self.memory_failures
        return found if isinstance(found, FailureLog) else self.memory_failures

    def hub(self) -> LiveHub:
        """The live hub: one watcher of the store, whatever the number of screens."""
        with self._lock:
            if self._hub is None:
                self._hub = LiveHub(
                    self.store,
                    survey_registry,
                    lambda: get_settings().min_cell_size,
                    to_thread=_to_thread,
                    stopping=self.stopping.is_set,
                )
            return self._hub

    def audio_library(self, folder: Path) -> AudioLibrary:
        with self._lock:
            return self._audio.setdefault(str(folder), AudioLibrary(folder))

    def close(self) -> None:
        """End the live streams and close every store: DuckDB writes its last checkpoint, and
        a rewrite still due after withdrawals runs now rather than at next start."""
        self.stopping.set()
        with self._lock:
            live, self._hub = self._hub, None
            opened = list(self._stores.values())
            self._stores.clear()
        if live is not None:
            live.close_all()
        for each in opened:
            try:
                each.close()
            except Exception:  # one store failing to close must not keep the others open
                LOG.exception("closing the store at %s failed", each.location)


_current: Runtime | None = None
_current_lock = threading.Lock()


def current() -> Runtime:
    """This process's runtime (opened on first use outside a server)."""
    global _current
    with _current_lock:
        if _current is None:
            _current = Runtime()
        return _current


def get_store() -> Store:
    """The configured store of this process's runtime (see `Runtime.store`)."""
    return current().store()


def reset() -> None:
    """Close this process's runtime and forget it: the next `current()` opens a fresh one."""
    global _current
    with _current_lock:
        closing, _current = _current, None
    if closing is not None:
        closing.close()


def _watch_stop_signals(stopping: threading.Event) -> Callable[[], None]:
    """Set `stopping` on SIGINT or SIGTERM, then hand the signal to the server's own handler;
    returns what puts the server's handlers back.

    uvicorn waits for every open response before the lifespan's shutdown runs, and a live
    stream never ends by itself: the streams must hear of the stop from the signal.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals reach the main thread only (and so does uvicorn's)
    before: dict[int, Any] = {}

    def on_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()
        handler = before.get(signum)
        if callable(handler):
            handler(signum, frame)
        elif handler in (None, signal.SIG_DFL):
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)

    for signum in STOP_SIGNALS:
        before[signum] = signal.signal(signum, on_stop)

    def restore() -> None:
        for signum, handler in before.items():
            if signal.getsignal(signum) is on_stop:
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)

    return restore


@asynccontextmanager
async def serving() -> AsyncIterator[Runtime]:
    """The runtime of a server, from its start to its end (the app's lifespan)."""
    reset()
    shared = current()
    restore = _watch_stop_signals(shared.stopping)
    try:
        yield shared
    finally:
        restore()
        await run_in_threadpool(reset)
