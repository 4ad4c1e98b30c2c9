"""The admin export route: a file only for a live token and the admin browser's cookie."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from inclucities.auth import AdminSession, require_admin
from inclucities.web import exports
from tests.async_utils import run_coroutine


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _get(token: str, cookie: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    headers = [(b"cookie", f"{exports.ADMIN_COOKIE}={cookie}".encode())] if cookie else []
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
    clock = Clock()
    registry = exports.DownloadRegistry(clock=clock)
    monkeypatch.setattr(exports, "registry", registry)
    session = AdminSession()
    session.grant()

    def produce() -> bytes:
        require_admin(session)
        return b"submission_id,idea\r\n1,secret idea\r\n"

    token = registry.issue("answers.csv", "text/csv", produce, session.key)
    return session, token, clock


def test_the_admin_browser_gets_the_file(signed_in):
    session, token, _ = signed_in
    status, body, headers = _get(token, cookie=session.key)
    assert status == 200
    assert b"secret idea" in body
    assert "attachment" in headers["content-disposition"]
    assert headers["cache-control"] == "no-store"


def test_without_the_admin_cookie_the_url_is_forbidden(signed_in):
    _session, token, _ = signed_in
    assert _get(token)[0] == 403
    assert _get(token, cookie="someone-else")[0] == 403
    assert b"secret" not in _get(token, cookie="someone-else")[1]


def test_an_unknown_or_expired_token_is_not_found(signed_in):
    session, token, clock = signed_in
    assert _get("made-up-token", cookie=session.key)[0] == 404
    clock.now += exports.TOKEN_SECONDS + 1
    assert _get(token, cookie=session.key)[0] == 404


def test_after_sign_out_the_links_stop_working(signed_in):
    session, token, _ = signed_in
    session.sign_out()
    assert _get(token, cookie=session.key)[0] == 403  # the producer refuses
    exports.registry.revoke(session.key)
    assert _get(token, cookie=session.key)[0] == 404
