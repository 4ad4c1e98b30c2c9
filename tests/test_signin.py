"""Sign-in of the admin and presenters (issues 22 and 23): the signed cookie, the paced check
that a guesser cannot turn against the owner, the page and its routes, trusted proxies."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import datetime

import pytest
from starlette.applications import Starlette

from inclucities import runtime, signin
from inclucities.auth import MemoryFailureLog
from inclucities.network import visitor_address
from inclucities.settings import SettingsError, get_settings
from inclucities.signin_checks import FAILURE_SCOPE, CheckQueue
from inclucities.web import signin as signin_routes
from inclucities.web.routes import routes
from tests.asgi_client import Client
from tests.async_utils import run_coroutine

ADMIN = "correct horse battery staple"
PRESENTER = "the room is ours tonight"
CREDENTIALS = signin.Credentials({signin.Role.ADMIN: ADMIN, signin.Role.PRESENTER: PRESENTER})


@pytest.fixture
def server(isolated_database, monkeypatch):
    monkeypatch.setenv("INCLUCITIES_ADMIN_PASSWORD", ADMIN)
    monkeypatch.setenv("INCLUCITIES_PRESENTER_PASSWORD", PRESENTER)
    shared = runtime.current()
    monkeypatch.setattr(shared, "signin_checks", CheckQueue(log=shared.failure_log, pace=0.05))
    return Starlette(routes=routes(session_count=lambda: 0))


def _form_token(reply) -> str:
    found = re.search(r'name="token" value="([^"]+)"', reply.text)
    assert found, reply.text
    return found.group(1)


def _sign_in(client: Client, password: str, next_page: str = "presenter", lang: str = "fr"):
    page = client.get(f"/sign-in?next={next_page}&lang={lang}")
    token = _form_token(page)
    body = f"password={password.replace(' ', '+')}&next={next_page}&token={token}"
    return client.post(
        f"/sign-in?lang={lang}",
        body,
        {
            "content-type": "application/x-www-form-urlencoded",
            "origin": "http://127.0.0.1:8501",
            "host": "127.0.0.1:8501",
        },
    )


# -- the cookie ----------------------------------------------------------------------------------


def test_a_cookie_names_its_role_until_it_expires():
    value = signin.issue(CREDENTIALS, signin.Role.PRESENTER, now=1000.0)
    found = signin.read(value, CREDENTIALS, now=1001.0)
    assert found is not None and found.role is signin.Role.PRESENTER
    assert found.actor == "presenter passphrase"
    lifetime = signin.LIFETIME["presenter"].total_seconds()
    assert signin.read(value, CREDENTIALS, now=1000.0 + lifetime + 1) is None


def test_a_forged_or_promoted_cookie_is_refused():
    value = signin.issue(CREDENTIALS, signin.Role.PRESENTER, now=1000.0)
    role, expires, nonce, mac = value.split(".")
    assert signin.read(f"admin.{expires}.{nonce}.{mac}", CREDENTIALS, now=1001.0) is None
    assert signin.read(f"{role}.{int(expires) + 9999}.{nonce}.{mac}", CREDENTIALS, 1001.0) is None
    assert signin.read("presenter.1.2", CREDENTIALS) is None
    assert signin.read(None, CREDENTIALS) is None


def test_changing_a_password_signs_out_whoever_used_it():
    value = signin.issue(CREDENTIALS, signin.Role.PRESENTER)
    changed = signin.Credentials({signin.Role.PRESENTER: "another long passphrase"})
    assert signin.read(value, changed) is None
    assert signin.read(value, signin.Credentials({})) is None


def test_the_cookie_is_http_only_strict_and_secure_over_https():
    header = signin.cookie_header("v", secure=True, max_age=60)
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Secure" in header
    assert "Secure" not in signin.cookie_header("v", secure=False, max_age=60)


def test_a_password_matches_its_role_only():
    assert CREDENTIALS.match(ADMIN) is signin.Role.ADMIN
    assert CREDENTIALS.match(PRESENTER) is signin.Role.PRESENTER
    assert CREDENTIALS.match(PRESENTER + " ") is None
    assert CREDENTIALS.match("") is None


# -- password strength at start-up ---------------------------------------------------------------


@pytest.mark.parametrize("weak", ["pw", "short-one", "aaaaaaaaaaaaaa"])
def test_a_weak_password_is_refused_at_start_up_with_the_variable_named(monkeypatch, weak):
    monkeypatch.setenv("INCLUCITIES_PRESENTER_PASSWORD", weak)
    with pytest.raises(SettingsError, match="PRESENTER_PASSWORD"):
        get_settings()


def test_a_few_words_make_a_good_password():
    assert signin.password_problem("correct horse battery") is None


# -- the page and its routes ---------------------------------------------------------------------


def test_the_page_is_in_the_visitors_language_with_one_password_field(server):
    reply = Client(server).get("/sign-in?next=presenter&lang=ar")
    assert reply.status_code == 200
    assert 'lang="ar"' in reply.text and 'dir="rtl"' in reply.text
    assert reply.text.count('type="password"') == 1
    assert any("ic_signin_form=" in c and "HttpOnly" in c for c in reply.set_cookies)


def test_the_presenter_passphrase_signs_in_with_a_strict_http_only_cookie(server):
    client = Client(server, keep_cookies=True)
    reply = _sign_in(client, PRESENTER)
    assert reply.status_code == 303
    assert reply.headers["location"] == "presenter"
    cookie = next(c for c in reply.set_cookies if c.startswith(signin.COOKIE_NAME + "="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    found = signin.read(client.cookies[signin.COOKIE_NAME], signin_routes.configured_credentials())
    assert found is not None and found.role is signin.Role.PRESENTER


def test_a_wrong_password_says_so_in_the_visitors_language(server):
    reply = _sign_in(Client(server, keep_cookies=True), "not the password at all", lang="fr")
    assert reply.status_code == 401
    assert "Ce mot de passe n&#39;est pas correct" in reply.text or "n'est pas correct" in (
        html.unescape(reply.text)
    )
    assert not any(c.startswith(signin.COOKIE_NAME + "=") for c in reply.set_cookies)


def test_a_post_without_the_pages_token_or_from_another_site_is_refused(server):
    client = Client(server, keep_cookies=True)
    client.get("/sign-in")
    no_token = client.post(
        "/sign-in", f"password={ADMIN}", {"content-type": "application/x-www-form-urlencoded"}
    )
    assert no_token.status_code == 403
    token = client.cookies[signin_routes.CSRF_COOKIE]
    elsewhere = client.post(
        "/sign-in",
        f"password={ADMIN}&token={token}",
        {"content-type": "application/x-www-form-urlencoded", "origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("admin", "admin"),
        ("presenter?lang=ar&view=projector", "presenter?lang=ar&view=projector"),
        ("https://evil.example/", "presenter"),
        ("//evil.example/admin", "presenter"),
        ("../../etc", "presenter"),
    ],
)
def test_sign_in_sends_back_to_the_apps_own_pages_only(asked, expected):
    assert signin_routes.safe_next(asked) == expected


def test_a_stranger_guessing_never_locks_the_owner_out(server):
    """Thirty wrong guesses (the red team needed three) from the same address as the owner."""
    stranger = Client(server, keep_cookies=True)
    for _ in range(30):
        assert _sign_in(stranger, "guess guess guess").status_code == 401
    owner = Client(server, keep_cookies=True)
    reply = _sign_in(owner, ADMIN, next_page="admin")
    assert reply.status_code == 303 and reply.headers["location"] == "admin"


def test_checks_run_one_at_a_time_in_arrival_order_and_pace_under_attack():
    log = MemoryFailureLog()
    queue = CheckQueue(pace=0.01, free=2, log=lambda: log)

    async def run() -> list[signin.Role | None]:
        guesses = [queue.check(CREDENTIALS, f"wrong guess {i}") for i in range(5)]
        owner = queue.check(CREDENTIALS, ADMIN)
        return list(await asyncio.gather(*guesses, owner))

    results = run_coroutine(run())  # not asyncio.run: a browser test may hold a loop
    assert results[:5] == [None] * 5
    assert results[5] is signin.Role.ADMIN
    assert log.login_failures_since(FAILURE_SCOPE, datetime(2000, 1, 1)) == 5


def test_a_full_queue_says_busy_for_a_few_seconds_instead_of_queueing_forever():
    queue = CheckQueue(log=MemoryFailureLog, pace=0.5, max_waiting=2)
    assert queue.busy_for() is None
    queue._waiting = 2
    assert queue.busy_for() == 1.0


def test_the_one_time_link_signs_the_admin_in_once(server):
    token = signin.issue_link(signin_routes.configured_credentials())
    first = Client(server).get(f"/sign-in/link?token={token}")
    assert first.status_code == 303 and first.headers["location"] == "../admin"
    again = Client(server).get(f"/sign-in/link?token={token}")
    assert again.status_code == 403
    assert 'action="../sign-in?lang=' in again.text  # its form posts to /sign-in, not below
    assert Client(server).get("/sign-in/link?token=link.1.x.y").status_code == 403


def test_sign_out_clears_the_cookie(server):
    client = Client(server, keep_cookies=True)
    _sign_in(client, PRESENTER)
    reply = client.get("/sign-out?next=presenter")
    assert reply.status_code == 303
    assert any(
        c.startswith(f"{signin.COOKIE_NAME}=;") and "Max-Age=0" in c for c in reply.set_cookies
    )


# -- addresses behind a proxy --------------------------------------------------------------------


def test_forwarded_addresses_count_only_from_a_trusted_proxy():
    proxies = ("127.0.0.1/8", "172.16.0.0/12")
    assert visitor_address("172.18.0.5", "203.0.113.9", proxies) == "203.0.113.9"
    # a client that writes its own X-Forwarded-For straight to the app is not believed
    assert visitor_address("198.51.100.7", "203.0.113.9", proxies) == "198.51.100.7"
    # a forged first hop in front of what the proxy appended is skipped
    assert visitor_address("172.18.0.5", "1.2.3.4, 203.0.113.9", proxies) == "203.0.113.9"
    assert visitor_address("172.18.0.5", "203.0.113.9", ()) == "172.18.0.5"


def test_the_recovery_command_prints_a_link_that_signs_the_admin_in(server, capsys):
    from inclucities.__main__ import main

    assert main(["admin-link", "--url", "https://survey.example.org/"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("https://survey.example.org/sign-in/link?token=link.")
    reply = Client(server).get(printed.removeprefix("https://survey.example.org"))
    assert reply.status_code == 303
    assert any(c.startswith(signin.COOKIE_NAME + "=admin.") for c in reply.set_cookies)


def test_the_recovery_command_says_when_no_admin_password_is_set(monkeypatch, capsys):
    from inclucities.__main__ import main

    monkeypatch.delenv("INCLUCITIES_ADMIN_PASSWORD", raising=False)
    assert main(["admin-link"]) == 2
    assert "INCLUCITIES_ADMIN_PASSWORD" in capsys.readouterr().err
