"""The gate every audited action passes (admin or presenter session), and the failure log."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from inclucities.auth import AdminSession, MemoryFailureLog, NotAuthenticated, require_admin


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_a_granted_session_passes_the_gate_and_names_its_actor():
    session = AdminSession(clock=FakeClock(), actor="presenter passphrase")
    assert not session.authenticated
    session.grant()
    assert session.authenticated
    assert require_admin(session) == "presenter passphrase"


def test_require_refuses_without_sign_in():
    with pytest.raises(NotAuthenticated):
        require_admin(None)
    with pytest.raises(NotAuthenticated):
        require_admin(AdminSession(clock=FakeClock()))


def test_session_expires_after_idle_time():
    clock = FakeClock()
    session = AdminSession(clock=clock, idle_seconds=60)
    session.grant()
    clock.advance(59)
    require_admin(session)  # activity extends the session
    clock.advance(59)
    require_admin(session)
    clock.advance(61)
    with pytest.raises(NotAuthenticated):
        require_admin(session)


def test_sign_out():
    session = AdminSession(clock=FakeClock())
    session.grant()
    session.sign_out()
    with pytest.raises(NotAuthenticated):
        require_admin(session)


def test_the_memory_failure_log_forgets_old_failures():
    log = MemoryFailureLog(keep=timedelta(minutes=10))
    start = datetime(2026, 1, 1, 12, 0)
    log.record_login_failure("signin", start)
    log.record_login_failure("signin", start + timedelta(minutes=11))
    assert log.login_failures_since("signin", start - timedelta(hours=1)) == 1
    log.clear_login_failures("signin")
    assert log.login_failures_since("signin", start) == 0
