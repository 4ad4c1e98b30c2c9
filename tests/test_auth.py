"""Admin password check, throttling and session gate."""

from __future__ import annotations

import pytest

from inclucities.auth import (
    AdminSession,
    LoginOutcome,
    NotAuthenticated,
    Throttle,
    global_throttle_factory,
    passwords_match,
    require_admin,
)


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_passwords_match_is_exact():
    assert passwords_match("s3cret", "s3cret")
    assert not passwords_match("s3cret ", "s3cret")
    assert not passwords_match("", "s3cret")
    assert passwords_match("mot-de-passe-été", "mot-de-passe-été")


def test_no_password_configured_means_disabled():
    session = AdminSession(clock=FakeClock())
    for configured in (None, ""):
        result = session.login("anything", configured)
        assert result.outcome is LoginOutcome.DISABLED
    assert not session.authenticated


def test_correct_password_signs_in_and_require_returns_actor():
    session = AdminSession(clock=FakeClock())
    assert session.login("pw", "pw").outcome is LoginOutcome.SUCCESS
    assert session.authenticated
    assert require_admin(session) == "admin"


def test_require_refuses_without_sign_in():
    with pytest.raises(NotAuthenticated):
        require_admin(None)
    with pytest.raises(NotAuthenticated):
        require_admin(AdminSession(clock=FakeClock()))


def test_session_expires_after_idle_time():
    clock = FakeClock()
    session = AdminSession(clock=clock, idle_seconds=60)
    session.login("pw", "pw")
    clock.advance(59)
    require_admin(session)  # activity extends the session
    clock.advance(59)
    require_admin(session)
    clock.advance(61)
    with pytest.raises(NotAuthenticated):
        require_admin(session)


def test_sign_out():
    session = AdminSession(clock=FakeClock())
    session.login("pw", "pw")
    session.sign_out()
    with pytest.raises(NotAuthenticated):
        require_admin(session)


def test_wrong_attempts_slow_down_exponentially():
    clock = FakeClock()
    session = AdminSession(clock=clock, throttle=Throttle(free_attempts=3, base_delay=2.0))
    for _ in range(3):
        assert session.login("nope", "pw").outcome is LoginOutcome.WRONG
        assert session.throttle.retry_after() == 0
    fourth = session.login("nope", "pw")
    assert fourth.outcome is LoginOutcome.WRONG
    assert fourth.retry_after == 2.0
    # even the right password is refused while throttled, and does not reset the wait
    throttled = session.login("pw", "pw")
    assert throttled.outcome is LoginOutcome.THROTTLED
    assert throttled.retry_after == pytest.approx(2.0)
    assert not session.authenticated
    clock.advance(2.0)
    assert session.login("nope", "pw").retry_after == 4.0
    clock.advance(4.0)
    assert session.login("nope", "pw").retry_after == 8.0
    clock.advance(8.0)
    assert session.login("pw", "pw").outcome is LoginOutcome.SUCCESS
    assert session.throttle.failures == 0


def test_delay_is_capped():
    clock = FakeClock()
    throttle = Throttle(free_attempts=0, base_delay=1.0, max_delay=10.0, clock=clock)
    delays = [throttle.record_failure() for _ in range(8)]
    assert delays[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(delays) == 10.0


def test_old_failures_are_forgotten():
    clock = FakeClock()
    throttle = Throttle(free_attempts=2, base_delay=1.0, forget_after=100, clock=clock)
    throttle.record_failure()
    clock.advance(500)
    assert throttle.record_failure() == 0.0
    assert throttle.failures == 1


def test_global_throttle_blocks_new_sessions_too():
    """An attacker opening fresh sessions still hits the shared, process-wide throttle."""
    clock = FakeClock()
    shared = global_throttle_factory(clock)
    for _ in range(shared.free_attempts + 1):
        fresh = AdminSession(clock=clock)  # a new browser session each time
        assert fresh.login("guess", "pw", shared).outcome is LoginOutcome.WRONG
    newcomer = AdminSession(clock=clock)
    result = newcomer.login("pw", "pw", shared)
    assert result.outcome is LoginOutcome.THROTTLED
    assert result.retry_after > 0
    clock.advance(result.retry_after)
    assert newcomer.login("pw", "pw", shared).outcome is LoginOutcome.SUCCESS
