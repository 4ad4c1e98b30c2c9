"""Issue 16: the respondent cookie and the submission id made from it."""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from inclucities.respondent import (
    COOKIE_NAME,
    cookie_header,
    live_session,
    new_token,
    submission_id,
    valid_token,
)
from inclucities.web.respondent import RespondentCookieMiddleware, respondent_routes
from tests.async_utils import run_coroutine


class Client:
    """A minimal ASGI client (GET only) that keeps cookies like a browser."""

    def __init__(self, app) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    def get(self, url: str, headers: dict[str, str] | None = None) -> dict:
        path, _, query = url.partition("?")
        sent = dict(headers or {})
        if self.cookies:
            sent["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "headers": [(k.lower().encode(), v.encode()) for k, v in sent.items()],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
        }
        response: dict = {"headers": []}

        requested: list[bool] = []

        async def receive() -> dict:
            if not requested:  # the request once, then nothing until the response is done
                requested.append(True)
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                response["headers"] = [(k.decode(), v.decode()) for k, v in message["headers"]]

        run_coroutine(self.app(scope, receive, send))
        response["set_cookie"] = [v for k, v in response["headers"] if k == "set-cookie"]
        response["header"] = dict(response["headers"])
        for header in response["set_cookie"]:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response


def _client() -> Client:
    async def page(request):
        return HTMLResponse("<h1>page</h1>")

    async def data(request):
        return JSONResponse({"ok": True})

    app = Starlette(
        routes=[Route("/survey", page), Route("/data", data), *respondent_routes()],
        middleware=[Middleware(RespondentCookieMiddleware)],
    )
    return Client(app)


def test_the_same_browser_and_survey_make_the_same_id_and_nothing_else_does():
    token, other = new_token(), new_token()
    assert token != other and valid_token(token) == token
    same = submission_id(token, "resident")
    assert same == submission_id(token, "resident")
    assert same != submission_id(other, "resident")
    assert same != submission_id(token, "academy")
    assert same != submission_id(token, "resident", "room-2")
    assert len(same) <= 64 and token not in same


def test_only_well_formed_tokens_and_session_ids_are_trusted():
    assert valid_token("short") is None
    assert valid_token("x" * 43 + ";") is None
    assert valid_token(None) is None
    assert live_session("room-2") == "room-2"
    assert live_session("../etc") is None
    assert live_session("[x](//e.co)") is None


def test_the_cookie_is_httponly_lax_and_secure_on_https():
    header = cookie_header("t" * 43, secure=False)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
    assert "Secure" not in header
    assert "Secure" in cookie_header("t" * 43, secure=True)


def test_a_page_gives_a_new_browser_a_cookie_and_keeps_it_afterwards():
    client = _client()
    first = client.get("/survey")
    token = client.cookies.get(COOKIE_NAME)
    assert valid_token(token)
    assert "httponly" in first["set_cookie"][0].lower()
    again = client.get("/survey")  # the browser sends the cookie back
    assert again["set_cookie"] == []
    assert client.cookies.get(COOKIE_NAME) == token


def test_only_html_pages_set_the_cookie():
    assert _client().get("/data")["set_cookie"] == []


def test_behind_https_the_cookie_is_secure():
    response = _client().get("/survey", headers={"x-forwarded-proto": "https"})
    assert "secure" in response["set_cookie"][0].lower()


def test_answer_again_gives_a_new_token_and_goes_back_to_the_survey_only():
    client = _client()
    client.get("/survey")
    old = client.cookies.get(COOKIE_NAME)
    response = client.get("/respondent/new?survey=resident&lang=ar&session=room-2")
    assert response["status"] == 303
    assert response["header"]["location"] == "/survey?survey=resident&lang=ar&session=room-2"
    assert response["header"]["cache-control"] == "no-store"
    assert valid_token(client.cookies.get(COOKIE_NAME)) not in (None, old)


def test_answer_again_cannot_send_anyone_elsewhere():
    response = _client().get("/respondent/new?survey=//evil.example&lang=xx&session=[x](//e.co)")
    assert response["header"]["location"] == "/survey"
