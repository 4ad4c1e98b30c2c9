"""Sign-in routes for the admin and presenters: a plain page, a paced password check, a cookie.

- `GET /sign-in?next=presenter&lang=fr` shows the page (a form that works without scripts).
- `POST /sign-in` checks the password: same origin, a double-submit token, a bounded body. On
  success it sets the signed HttpOnly cookie and sends the browser back to `next`.
- `GET /sign-out?next=…` clears the cookie.
- `GET /sign-in/link?token=…` is the one-time link `python -m inclucities admin-link` prints.
"""

from __future__ import annotations

import math
import secrets
import time
from urllib.parse import parse_qs, urlencode

from starlette.requests import Request, cookie_parser
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import runtime, signin
from inclucities.credentials import configured_credentials
from inclucities.form.render import render_page, render_signin
from inclucities.i18n import translator
from inclucities.web.form import same_origin, visitor_language
from inclucities.web.respondent import is_secure

SIGNIN_PATH, SIGNOUT_PATH, LINK_PATH = "/sign-in", "/sign-out", "/sign-in/link"
CSRF_COOKIE = "ic_signin_form"
MAX_BODY_BYTES = 4096
# Where a sign-in may send the browser back to: the app's own pages, nothing else.
NEXT_PAGES = ("presenter", "admin", "results")


def safe_next(value: object) -> str:
    """A page of this app to go back to (the presenter's by default): never another site."""
    text = value if isinstance(value, str) else ""
    page, _, query = text.lstrip("/").partition("?")
    if page not in NEXT_PAGES:
        return "presenter"
    kept = {k: v[0] for k, v in parse_qs(query).items() if k.isidentifier() and v}
    return f"{page}?{urlencode(kept)}" if kept else page


def _page(
    request: Request, *, next_page: str, error: str = "", status: int = 200, root: str = ""
) -> Response:
    """The sign-in page (`root` leads from its path back to the app's root)."""
    lang = visitor_language(request)
    t = translator(lang)
    form_token = secrets.token_urlsafe(24)
    body = render_signin(lang, root=root, next_page=next_page, token=form_token, error=error)
    html = render_page(
        body, lang=lang, title=t("admin.login.submit"), root=root, language_href=None
    )
    response = HTMLResponse(html, status, headers={"cache-control": "no-store"})
    secure = is_secure(request.headers, request.url.scheme)
    cookie = f"{CSRF_COOKIE}={form_token}; Path={SIGNIN_PATH}; HttpOnly; SameSite=Strict"
    response.headers.append("set-cookie", cookie + ("; Secure" if secure else ""))
    return response


async def show(request: Request) -> Response:
    return _page(request, next_page=safe_next(request.query_params.get("next")))


def _signed_in_response(
    request: Request, role: signin.Role, next_page: str, root: str = ""
) -> Response:
    credentials = configured_credentials()
    value = signin.issue(credentials, role)
    secure = is_secure(request.headers, request.url.scheme)
    max_age = int(signin.LIFETIME[role].total_seconds())
    response = RedirectResponse(f"{root}{next_page}", status_code=303)  # relative: prefix-safe
    response.headers.append(
        "set-cookie", signin.cookie_header(value, secure=secure, max_age=max_age)
    )
    return response


async def submit(request: Request) -> Response:
    t = translator(visitor_language(request))
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _page(request, next_page="presenter", error=t("signin.expired"), status=413)
    fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items() if v}
    next_page = safe_next(fields.get("next"))
    cookie = cookie_parser(request.headers.get("cookie", "")).get(CSRF_COOKIE, "")
    presented = fields.get("token", "")
    if not same_origin(request) or not cookie or not secrets.compare_digest(cookie, presented):
        return _page(request, next_page=next_page, error=t("signin.expired"), status=403)
    credentials = configured_credentials()
    if not credentials.passwords:
        return _page(request, next_page=next_page, error=t("signin.disabled"), status=403)
    checks = runtime.current().signin_checks
    busy = checks.busy_for()
    if busy is not None:
        seconds = max(1, math.ceil(busy))
        response = _page(
            request,
            next_page=next_page,
            error=t("admin.login.throttled", count=seconds),
            status=503,
        )
        response.headers["retry-after"] = str(seconds)
        return response
    role = await checks.check(credentials, fields.get("password", "")[:1024])
    if role is None:
        return _page(request, next_page=next_page, error=t("admin.login.wrong"), status=401)
    return _signed_in_response(request, role, next_page)


async def sign_out(request: Request) -> Response:
    """Forget the sign-in, and the one-time export links made under it."""
    cookies = cookie_parser(request.headers.get("cookie", ""))
    signed = signin.read(cookies.get(signin.COOKIE_NAME), configured_credentials())
    if signed is not None:
        runtime.current().downloads.revoke(signed.nonce)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    secure = is_secure(request.headers, request.url.scheme)
    response.headers.append("set-cookie", signin.clearing_cookie_header(secure=secure))
    return response


async def one_time_link(request: Request) -> Response:
    """The recovery link: signs the admin in once, within its lifetime."""
    credentials = configured_credentials()
    nonce = signin.read_link(request.query_params.get("token"), credentials)
    t = translator(visitor_language(request))
    if nonce is None or not runtime.current().used_signin_links.use(nonce, time.time()):
        return _page(
            request, next_page="admin", error=t("signin.link_invalid"), status=403, root="../"
        )
    return _signed_in_response(request, signin.Role.ADMIN, "admin", root="../")


def signin_routes() -> list[BaseRoute]:
    return [
        Route(SIGNIN_PATH, show, methods=["GET"]),
        Route(SIGNIN_PATH, submit, methods=["POST"]),
        Route(SIGNOUT_PATH, sign_out, methods=["GET"]),
        Route(LINK_PATH, one_time_link, methods=["GET"]),
    ]
