"""Admin authentication: constant-time password check, throttling of wrong passwords, sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Literal, Protocol, runtime_checkable

Clock = Callable[[], float]

SESSION_IDLE_SECONDS = 30 * 60
"""An admin session ends after this long without any admin action."""


class NotAuthenticated(PermissionError):
    """An admin action was attempted without a signed-in admin session."""


class AdminDisabled(PermissionError):
    """No admin password is configured, so nobody can sign in."""


def passwords_match(candidate: str, configured: str) -> bool:
    """Compare in constant time (digests first, so length does not leak either)."""
    left = hashlib.sha256(candidate.encode("utf-8")).digest()
    right = hashlib.sha256(configured.encode("utf-8")).digest()
    return hmac.compare_digest(left, right)


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


@dataclass(frozen=True)
class Limit:
    """At most `failures` wrong passwords within `window` for one scope."""

    scope: Literal["session", "address", "global"]
    failures: int
    window: timedelta


# Per browser session and per client address, a few tries, then a wait that ends on its own
# (a sliding window, so nobody can stretch it into a long lockout). The server-wide cap counts
# only addresses that already failed recently: a clean address, such as the owner's, is always
# checked at once, whatever an attacker elsewhere does.
LIMITS: tuple[Limit, ...] = (
    Limit("session", 5, timedelta(minutes=5)),
    Limit("address", 3, timedelta(minutes=1)),
    Limit("address", 10, timedelta(minutes=15)),
    Limit("global", 30, timedelta(minutes=1)),
)
SUSPECT_WINDOW = timedelta(minutes=15)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class LoginGuard:
    """Decides whether a password may be checked now, from the failures in a FailureLog."""

    log: FailureLog
    now: Callable[[], datetime] = utc_now
    limits: tuple[Limit, ...] = LIMITS

    @staticmethod
    def _scopes(session_key: str, address: str | None) -> dict[str, str]:
        return {
            "session": f"session:{session_key}",
            "address": f"address:{address or 'unknown'}",
            "global": "global",
        }

    def _wait(self, scope: str, limit: Limit, now: datetime) -> float:
        """Seconds until fewer than `limit.failures` fall inside the window (0 if already)."""
        if self.log.login_failures_since(scope, now - limit.window) < limit.failures:
            return 0.0
        low, high = 0.0, limit.window.total_seconds()
        while high - low > 0.5:  # the oldest counted failure leaves the window in (low, high]
            middle = (low + high) / 2
            since = now - limit.window + timedelta(seconds=middle)
            if self.log.login_failures_since(scope, since) < limit.failures:
                high = middle
            else:
                low = middle
        return high

    def retry_after(self, session_key: str, address: str | None) -> float:
        """Seconds before this session at this address may try a password (0 = now)."""
        now = self.now()
        scopes = self._scopes(session_key, address)
        suspect = self.log.login_failures_since(scopes["address"], now - SUSPECT_WINDOW) > 0
        waits = [
            self._wait(scopes[limit.scope], limit, now)
            for limit in self.limits
            if limit.scope != "global" or suspect
        ]
        return max(waits, default=0.0)

    def failed(self, session_key: str, address: str | None) -> None:
        now = self.now()
        for scope in self._scopes(session_key, address).values():
            self.log.record_login_failure(scope, now)

    def succeeded(self, session_key: str, address: str | None) -> None:
        scopes = self._scopes(session_key, address)
        self.log.clear_login_failures(scopes["session"])
        self.log.clear_login_failures(scopes["address"])


class LoginOutcome(Enum):
    SUCCESS = "success"
    WRONG = "wrong"
    THROTTLED = "throttled"
    DISABLED = "disabled"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    retry_after: float = 0.0


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

    def sign_out(self) -> None:
        self._authenticated_until = 0.0

    def login(
        self,
        candidate: str,
        configured: str | None,
        guard: LoginGuard | None = None,
        address: str | None = None,
    ) -> LoginResult:
        """Check a password unless the guard says this session or address must wait."""
        if not configured:
            return LoginResult(LoginOutcome.DISABLED)
        wait = guard.retry_after(self.key, address) if guard else 0.0
        if wait > 0:
            return LoginResult(LoginOutcome.THROTTLED, wait)
        if passwords_match(candidate, configured):
            if guard:
                guard.succeeded(self.key, address)
            self._authenticated_until = self.clock() + self.idle_seconds
            return LoginResult(LoginOutcome.SUCCESS)
        if guard:
            guard.failed(self.key, address)
            return LoginResult(LoginOutcome.WRONG, guard.retry_after(self.key, address))
        return LoginResult(LoginOutcome.WRONG)


def require_admin(session: AdminSession | None) -> str:
    """The gate every admin action passes through; returns the actor for the audit log."""
    if session is None:
        raise NotAuthenticated("no admin session")
    return session.require()
