"""Admin password check, throttling and session gate."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from inclucities.auth import (
    AdminSession,
    LoginGuard,
    LoginOutcome,
    MemoryFailureLog,
    NotAuthenticated,
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


class FakeNow:
    """A wall clock for the guard that only moves when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def _guard(now: FakeNow) -> LoginGuard:
    return LoginGuard(MemoryFailureLog(), now=now)


def test_brute_force_from_one_address_gets_a_handful_of_checks_per_minute():
    now = FakeNow()
    guard = _guard(now)
    sessions = [AdminSession(clock=FakeClock()) for _ in range(21)]  # fresh sessions change nothing
    checked_per_minute: dict[int, int] = {}
    for second in range(0, 15 * 60, 2):
        session = sessions[second % len(sessions)]
        result = session.login(f"guess-{second}", "pw", guard, ATTACKER)
        if result.outcome is not LoginOutcome.THROTTLED:
            checked_per_minute[second // 60] = checked_per_minute.get(second // 60, 0) + 1
        now.advance(2)
    assert max(checked_per_minute.values()) <= 3
    assert sum(checked_per_minute.values()) <= 10 + 3  # 10 per 15 minutes, window edges
    assert not any(s.authenticated for s in sessions)


def test_the_owner_gets_in_at_once_during_an_attack():
    now = FakeNow()
    guard = _guard(now)
    for _ in range(30):
        AdminSession(clock=FakeClock()).login("guess", "pw", guard, ATTACKER)
        now.advance(1)
    assert guard.retry_after("attacker-session", ATTACKER) > 0  # the attacker is held back
    owner = AdminSession(clock=FakeClock())
    assert owner.login("pw", "pw", guard, OWNER).outcome is LoginOutcome.SUCCESS


def test_a_wait_ends_on_its_own_and_retrying_does_not_stretch_it():
    now = FakeNow()
    guard = _guard(now)
    session = AdminSession(clock=FakeClock())
    for _ in range(3):
        assert session.login("nope", "pw", guard, ATTACKER).outcome is LoginOutcome.WRONG
        now.advance(1)
    first_wait = guard.retry_after(session.key, ATTACKER)
    assert 0 < first_wait <= 60
    for _ in range(20):  # throttled tries are not checked, so they do not count
        assert session.login("nope", "pw", guard, ATTACKER).outcome is LoginOutcome.THROTTLED
        now.advance(1)
    assert guard.retry_after(session.key, ATTACKER) <= first_wait
    now.advance(first_wait)
    assert session.login("pw", "pw", guard, ATTACKER).outcome is LoginOutcome.SUCCESS


def test_even_the_right_password_waits_while_its_session_is_throttled():
    now = FakeNow()
    guard = _guard(now)
    session = AdminSession(clock=FakeClock())
    for _ in range(3):
        session.login("nope", "pw", guard, ATTACKER)
    result = session.login("pw", "pw", guard, ATTACKER)
    assert result.outcome is LoginOutcome.THROTTLED
    assert result.retry_after > 0
    assert not session.authenticated


def test_a_distributed_attack_is_capped_server_wide_for_addresses_that_failed():
    now = FakeNow()
    guard = _guard(now)
    addresses = [f"192.0.2.{n}" for n in range(1, 101)]
    for address in addresses:  # one wrong password each: every address is now a suspect
        AdminSession(clock=FakeClock()).login("guess", "pw", guard, address)
    checked = sum(
        AdminSession(clock=FakeClock()).login("guess", "pw", guard, address).outcome
        is not LoginOutcome.THROTTLED
        for address in addresses
    )
    assert checked == 0  # 100 failures in the last minute exceed the server-wide cap of 30
    owner = AdminSession(clock=FakeClock())
    assert owner.login("pw", "pw", guard, OWNER).outcome is LoginOutcome.SUCCESS


def test_the_memory_failure_log_forgets_old_failures():
    log = MemoryFailureLog(keep=timedelta(minutes=10))
    start = datetime(2026, 1, 1, 12, 0)
    log.record_login_failure("address:x", start)
    log.record_login_failure("address:x", start + timedelta(minutes=11))
    assert log.login_failures_since("address:x", start - timedelta(hours=1)) == 1
    log.clear_login_failures("address:x")
    assert log.login_failures_since("address:x", start) == 0
