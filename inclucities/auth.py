"""Admin authentication: constant-time password check, throttling of wrong attempts, sessions."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

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


@dataclass
class Throttle:
    """Counts wrong attempts; the first `free_attempts` cost nothing, then each doubles the wait."""

    free_attempts: int = 3
    base_delay: float = 2.0
    max_delay: float = 15 * 60.0
    forget_after: float = 60 * 60.0
    clock: Clock = time.monotonic
    failures: int = 0
    next_allowed: float = 0.0
    last_failure: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def retry_after(self) -> float:
        """Seconds to wait before the next attempt is accepted (0 when allowed now)."""
        with self._lock:
            return max(0.0, self.next_allowed - self.clock())

    def record_failure(self) -> float:
        """Count a wrong attempt and return the wait it imposes."""
        with self._lock:
            now = self.clock()
            if self.last_failure is not None and now - self.last_failure > self.forget_after:
                self.failures = 0  # an old burst of mistakes no longer counts
            self.last_failure = now
            self.failures += 1
            extra = self.failures - self.free_attempts - 1
            if extra < 0:
                return 0.0
            delay = min(self.max_delay, self.base_delay * 2.0**extra)
            self.next_allowed = now + delay
            return delay

    def record_success(self) -> None:
        with self._lock:
            self.failures = 0
            self.next_allowed = 0.0
            self.last_failure = None


def global_throttle_factory(clock: Clock = time.monotonic) -> Throttle:
    """The process-wide throttle: more lenient per attempt, but shared by every visitor."""
    return Throttle(free_attempts=10, base_delay=5.0, max_delay=30 * 60.0, clock=clock)


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
    throttle: Throttle = field(default_factory=Throttle)
    _authenticated_until: float = 0.0

    def __post_init__(self) -> None:
        self.throttle.clock = self.clock

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
        global_throttle: Throttle | None = None,
    ) -> LoginResult:
        """Check a password, honouring this session's and the global throttle."""
        if not configured:
            return LoginResult(LoginOutcome.DISABLED)
        wait = max(
            self.throttle.retry_after(),
            global_throttle.retry_after() if global_throttle else 0.0,
        )
        if wait > 0:
            return LoginResult(LoginOutcome.THROTTLED, wait)
        if passwords_match(candidate, configured):
            self.throttle.record_success()
            self._authenticated_until = self.clock() + self.idle_seconds
            return LoginResult(LoginOutcome.SUCCESS)
        delay = self.throttle.record_failure()
        if global_throttle is not None:
            delay = max(delay, global_throttle.record_failure())
        return LoginResult(LoginOutcome.WRONG, delay)


def require_admin(session: AdminSession | None) -> str:
    """The gate every admin action passes through; returns the actor for the audit log."""
    if session is None:
        raise NotAuthenticated("no admin session")
    return session.require()
