"""The admin export route: a file only for a live token and the admin's sign-in cookie (the
http-only `ic_signin` the token was issued to)."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from inclucities import runtime, signin
from inclucities.auth import AdminSession, require_admin
from inclucities.credentials import configured_credentials
from inclucities.export.downloads import TOKEN_SECONDS, DownloadRegistry
from inclucities.web import exports
from tests.apptest_utils import SIGN_IN_PASSWORDS
from tests.async_utils import run_coroutine


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _get(token: str, cookie: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    headers = [(b"cookie", f"{signin.COOKIE_NAME}={cookie}".encode())] if cookie else []
    scope = {
        "type": "http",
        "method": "GET",
        "path": exports.export_url(token),
        "headers": headers,
        "query_string": b"",
        "path_params": {"token": token},
    }
    response = run_coroutine(exports.serve_export(Request(scope)))
    return response.status_code, bytes(response.body), dict(response.headers)


@pytest.fixture
def signed_in(monkeypatch):
    """An admin signed in (their cookie) with one export issued to that sign-in; returns the
    session, the token, the clock and the cookie."""
    monkeypatch.setenv("INCLUCITIES_ADMIN_PASSWORD", SIGN_IN_PASSWORDS["admin"])
    monkeypatch.setenv("INCLUCITIES_PRESENTER_PASSWORD", SIGN_IN_PASSWORDS["presenter"])
    cookie = signin.issue(configured_credentials(), signin.Role.ADMIN)
    signed = signin.read(cookie, configured_credentials())
    assert signed is not None
    clock = Clock()
    registry = DownloadRegistry(clock=clock)
    monkeypatch.setattr(runtime.current(), "downloads", registry)
    session = AdminSession(key=signed.nonce)
    session.grant()

    def produce() -> bytes:
        require_admin(session)
        return b"submission_id,idea\r\n1,secret idea\r\n"

    token = registry.issue("answers.csv", "text/csv", produce, session.key)
    return session, token, clock, cookie


def test_the_admin_browser_gets_the_file(signed_in):
    _session, token, _, cookie = signed_in
    status, body, headers = _get(token, cookie=cookie)
    assert status == 200
    assert b"secret idea" in body
    assert "attachment" in headers["content-disposition"]
    assert headers["cache-control"] == "no-store"


def test_without_the_admin_cookie_the_url_is_forbidden(signed_in):
    session, token, _, _cookie = signed_in
    assert _get(token)[0] == 403
    assert _get(token, cookie="someone-else")[0] == 403
    assert b"secret" not in _get(token, cookie="someone-else")[1]
    assert _get(token, cookie=session.key)[0] == 403  # the bare id, unsigned: refused
    other_admin = signin.issue(configured_credentials(), signin.Role.ADMIN)
    assert _get(token, cookie=other_admin)[0] == 403  # another sign-in's export: refused
    presenter = signin.issue(configured_credentials(), signin.Role.PRESENTER)
    assert _get(token, cookie=presenter)[0] == 403


def test_an_unknown_or_expired_token_is_not_found(signed_in):
    _session, token, clock, cookie = signed_in
    assert _get("made-up-token", cookie=cookie)[0] == 404
    clock.now += TOKEN_SECONDS + 1
    assert _get(token, cookie=cookie)[0] == 404


def test_after_sign_out_the_links_stop_working(signed_in):
    session, token, _, cookie = signed_in
    session.sign_out()
    assert _get(token, cookie=cookie)[0] == 403  # the producer refuses
    runtime.current().downloads.revoke(session.key)
    assert _get(token, cookie=cookie)[0] == 404
