"""The gate of audited actions (admin or presenter sessions); where wrong passwords are counted."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

Clock = Callable[[], float]

SESSION_IDLE_SECONDS = 30 * 60
"""An admin session ends after this long without any admin action."""


class NotAuthenticated(PermissionError):
    """An admin action was attempted without a signed-in admin session."""


@runtime_checkable
class FailureLog(Protocol):
    """Where wrong admin passwords are counted; the store keeps it so replicas share it."""

    def record_login_failure(self, scope: str, at: datetime) -> None: ...

    def login_failures_since(self, scope: str, since: datetime) -> int: ...

    def clear_login_failures(self, scope: str) -> None: ...


class MemoryFailureLog:
    """A FailureLog for one process (tests, or a store that does not keep one)."""

    def __init__(self, keep: timedelta = timedelta(hours=1)) -> None:
        self._keep = keep
        self._failures: dict[str, list[datetime]] = {}
        self._lock = threading.Lock()

    def record_login_failure(self, scope: str, at: datetime) -> None:
        with self._lock:
            kept = [t for t in self._failures.get(scope, []) if t > at - self._keep]
            self._failures[scope] = [*kept, at]

    def login_failures_since(self, scope: str, since: datetime) -> int:
        with self._lock:
            return sum(1 for t in self._failures.get(scope, []) if t > since)

    def clear_login_failures(self, scope: str) -> None:
        with self._lock:
            self._failures.pop(scope, None)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class AdminSession:
    """One browser session's admin state; every admin action requires it to be signed in."""

    clock: Clock = time.monotonic
    idle_seconds: float = SESSION_IDLE_SECONDS
    actor: str = "admin"
    key: str = field(default_factory=lambda: secrets.token_hex(16))
    _authenticated_until: float = 0.0

    @property
    def authenticated(self) -> bool:
        return self._authenticated_until > self.clock()

    def require(self) -> str:
        """Raise unless signed in; refresh the idle timer and return the actor name."""
        if not self.authenticated:
            self._authenticated_until = 0.0
            raise NotAuthenticated("sign in on the admin page first")
        self._authenticated_until = self.clock() + self.idle_seconds
        return self.actor

    def grant(self) -> None:
        """Open the gate (a sign-in proven elsewhere, such as the sign-in cookie)."""
        self._authenticated_until = self.clock() + self.idle_seconds

    def sign_out(self) -> None:
        self._authenticated_until = 0.0


def require_admin(session: AdminSession | None) -> str:
    """The gate every admin action passes through; returns the actor for the audit log."""
    if session is None:
        raise NotAuthenticated("no admin session")
    return session.require()
