"""Sign-in checks: passwords one at a time, paced while failures pile up; links used once."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from starlette.concurrency import run_in_threadpool

from inclucities import signin
from inclucities.auth import FailureLog, utc_now
from inclucities.store import StoreUnavailable

FAILURE_SCOPE = "signin"


@dataclass
class CheckQueue:
    """Password checks one at a time, in arrival order; paced while wrong ones pile up.

    Nothing is keyed on an address: a guesser slows every check down (each takes at least
    `pace` seconds while more than `free` failed in the last `window`, counted across
    replicas), and the owner, in the same queue, is checked in turn. More than `max_waiting`
    waiting checks are refused as "busy" for a moment, so a flood cannot hold the server.
    """

    log: Callable[[], FailureLog]
    pace: float = 0.5
    free: int = 20
    window: timedelta = timedelta(minutes=1)
    max_waiting: int = 60
    clock: Callable[[], float] = time.monotonic
    _waiting: int = 0
    _lock: asyncio.Lock | None = None

    def busy_for(self) -> float | None:
        """Seconds to come back after, when the queue is full (None: there is room)."""
        if self._waiting < self.max_waiting:
            return None
        return self._waiting * self.pace

    def _check_and_count(
        self, credentials: signin.Credentials, candidate: str
    ) -> tuple[signin.Role | None, bool]:
        """The role, and whether the server is under attack (too many recent failures)."""
        role = credentials.match(candidate)
        log, now = self.log(), utc_now()
        try:
            if role is None:
                log.record_login_failure(FAILURE_SCOPE, now)
            return role, log.login_failures_since(FAILURE_SCOPE, now - self.window) > self.free
        except StoreUnavailable:  # counting is a precaution: never a reason to refuse
            return role, True

    async def check(self, credentials: signin.Credentials, candidate: str) -> signin.Role | None:
        """The role `candidate` is the password of, after the checks queued before it."""
        if self._lock is None:
            self._lock = asyncio.Lock()  # FIFO; created in the server's event loop
        self._waiting += 1
        try:
            async with self._lock:
                started = self.clock()
                role, attacked = await run_in_threadpool(
                    self._check_and_count, credentials, candidate
                )
                if attacked:
                    await asyncio.sleep(max(0.0, self.pace - (self.clock() - started)))
                return role
        finally:
            self._waiting -= 1


class UsedLinks:
    """The one-time sign-in links already used in this process, until they expire anyway."""

    def __init__(self) -> None:
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def use(self, nonce: str, now: float) -> bool:
        """Mark the link used; False when it had been used before (and is still alive)."""
        with self._lock:
            self._expiry = {used: end for used, end in self._expiry.items() if end >= now}
            if nonce in self._expiry:
                return False
            self._expiry[nonce] = now + signin.LINK_LIFETIME.total_seconds()
            return True

    def clear(self) -> None:
        with self._lock:
            self._expiry.clear()
