"""The respondent cookie: given to every browser with its first page, renewed on request.

`RespondentCookieMiddleware` adds a random, HttpOnly, SameSite=Lax cookie to HTML pages served
to a browser that has none (the Streamlit page then reads it from `st.context.cookies`), and
beside it the form token made from it, which the survey form's script sends back with answers.
`GET /respondent/new?survey=…&lang=…` gives the browser a new token and sends it back to the
survey: "New respondent" on a shared device. With `to=form` it goes back to the light form
(`/answer/<survey>`), keeping a tablet's kiosk mode (`kiosk=1`, `kiosk_seconds=`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inclucities.form.render import NEW_RESPONDENT_PATH
from inclucities.i18n import LANGUAGES
from inclucities.respondent import (
    COOKIE_NAME,
    FORM_COOKIE_NAME,
    cookie_header,
    form_cookie_header,
    form_token,
    live_session,
    new_token,
    valid_token,
)
from inclucities.share import FORM_PATH
from inclucities.survey.models import SURVEY_ID

_SURVEY_ID = re.compile(SURVEY_ID)
KIOSK_PARAM = "kiosk"
KIOSK_SECONDS_PARAM = "kiosk_seconds"
KIOSK_SECONDS = (3, 120)  # the shortest and longest pause before a kiosk clears itself


def is_secure(headers: Headers, scheme: str) -> bool:
    forwarded = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return scheme == "https" or forwarded == "https"


def has_token(headers: Headers) -> bool:
    return valid_token(cookie_parser(headers.get("cookie", "")).get(COOKIE_NAME)) is not None


def missing_cookies(headers: Headers, secure: bool) -> list[str]:
    """Set-Cookie values a browser lacks: a respondent token, and the form token made from it."""
    cookies = cookie_parser(headers.get("cookie", ""))
    token = valid_token(cookies.get(COOKIE_NAME))
    wanted = []
    if token is None:
        token = new_token()
        wanted.append(cookie_header(token, secure))
    if cookies.get(FORM_COOKIE_NAME) != form_token(token):
        wanted.append(form_cookie_header(token, secure))
    return wanted


class RespondentCookieMiddleware:
    """Give a browser without a (well-formed) respondent cookie a new one with its page, and
    the form token that goes with it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).endswith(NEW_RESPONDENT_PATH):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = missing_cookies(headers, is_secure(headers, str(scope.get("scheme", ""))))
        if not cookies:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                set_already = " ".join(response_headers.getlist("set-cookie"))
                if response_headers.get("content-type", "").startswith("text/html") and (
                    f"{COOKIE_NAME}=" not in set_already
                ):
                    for cookie in cookies:
                        response_headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def survey_query(survey: str | None, lang: str | None, session: str | None) -> str:
    """The query of a survey link, keeping only values of the expected shape."""
    query: dict[str, str] = {}
    if survey and _SURVEY_ID.match(survey):
        query["survey"] = survey
    if lang in LANGUAGES:
        query["lang"] = str(lang)
    live = live_session(session)
    if live:
        query["session"] = live
    return urlencode(query)


def kiosk_query(kiosk: str | None, seconds: str | None) -> dict[str, str]:
    """A tablet's kiosk mode as query values: `kiosk=1`, and its pause clamped to 3..120 s."""
    if kiosk != "1":
        return {}
    query = {KIOSK_PARAM: "1"}
    if seconds and seconds.isdigit():
        low, high = KIOSK_SECONDS
        query[KIOSK_SECONDS_PARAM] = str(min(max(int(seconds[:4]), low), high))
    return query


def _target(prefix: str, params: Mapping[str, str]) -> str:
    """Where a new respondent goes: the light form (`to=form`) or the Streamlit survey page."""
    survey = params.get("survey")
    if params.get("to") == "form" and survey and _SURVEY_ID.fullmatch(survey):
        query = survey_query(None, params.get("lang"), params.get("session"))
        kiosk = urlencode(kiosk_query(params.get(KIOSK_PARAM), params.get(KIOSK_SECONDS_PARAM)))
        rest = "&".join(part for part in (query, kiosk) if part)
        return f"{prefix}/{FORM_PATH}/{survey}" + (f"?{rest}" if rest else "")
    query = survey_query(survey, params.get("lang"), params.get("session"))
    return f"{prefix}/survey" + (f"?{query}" if query else "")


async def new_respondent(request: Request) -> Response:
    """A new respondent token for this browser, then back to the survey (303, never cached)."""
    prefix = request.url.path[: -len(NEW_RESPONDENT_PATH)]
    response = RedirectResponse(_target(prefix, request.query_params), 303)
    response.headers["cache-control"] = "no-store"
    token, secure = new_token(), is_secure(request.headers, request.url.scheme)
    response.headers.append("set-cookie", cookie_header(token, secure))
    response.headers.append("set-cookie", form_cookie_header(token, secure))
    return response


def respondent_routes() -> list[BaseRoute]:
    return [Route(NEW_RESPONDENT_PATH, new_respondent, methods=["GET"])]
