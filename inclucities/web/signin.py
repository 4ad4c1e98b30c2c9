"""Sign-in routes for the admin and presenters: a plain page, a paced password check, a cookie.

- `GET /sign-in?next=presenter&lang=fr` shows the page (a form that works without scripts).
- `POST /sign-in` checks the password: same origin, a double-submit token, a bounded body. On
  success it sets the signed HttpOnly cookie and sends the browser back to `next`.
- `GET /sign-out?next=…` clears the cookie.
- `GET /sign-in/link?token=…` is the one-time link `python -m inclucities admin-link` prints.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request, cookie_parser
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import services, signin
from inclucities.auth import FailureLog, MemoryFailureLog, utc_now
from inclucities.credentials import configured_credentials
from inclucities.form.render import render_page, render_signin
from inclucities.i18n import translator
from inclucities.store import StoreUnavailable
from inclucities.web import exports
from inclucities.web.form import same_origin, visitor_language
from inclucities.web.respondent import is_secure

SIGNIN_PATH, SIGNOUT_PATH, LINK_PATH = "/sign-in", "/sign-out", "/sign-in/link"
CSRF_COOKIE = "ic_signin_form"
MAX_BODY_BYTES = 4096
# Where a sign-in may send the browser back to: the app's own pages, nothing else.
NEXT_PAGES = ("presenter", "admin", "results")


FAILURE_SCOPE = "signin"


def _failure_log() -> FailureLog:
    """The store's log (shared by replicas), or this process's when the store is unavailable."""
    try:
        store = services.get_store()
    except StoreUnavailable:
        return _memory_log
    return store if isinstance(store, FailureLog) else _memory_log


@dataclass
class CheckQueue:
    """Password checks one at a time, in arrival order; paced while wrong ones pile up.

    Nothing is keyed on an address: a guesser slows every check down (each takes at least
    `pace` seconds while more than `free` failed in the last `window`, counted across
    replicas), and the owner, in the same queue, is checked in turn. More than `max_waiting`
    waiting checks are refused as "busy" for a moment, so a flood cannot hold the server.
    """

    pace: float = 0.5
    free: int = 20
    window: timedelta = timedelta(minutes=1)
    max_waiting: int = 60
    log: Callable[[], FailureLog] = _failure_log
    clock: Callable[[], float] = time.monotonic
    _waiting: int = 0
    _lock: asyncio.Lock | None = None

    def busy_for(self) -> float | None:
        """Seconds to come back after, when the queue is full (None: there is room)."""
        if self._waiting < self.max_waiting:
            return None
        return self._waiting * self.pace

    def _check_and_count(
        self, credentials: signin.Credentials, candidate: str
    ) -> tuple[signin.Role | None, bool]:
        """The role, and whether the server is under attack (too many recent failures)."""
        role = credentials.match(candidate)
        log, now = self.log(), utc_now()
        try:
            if role is None:
                log.record_login_failure(FAILURE_SCOPE, now)
            return role, log.login_failures_since(FAILURE_SCOPE, now - self.window) > self.free
        except StoreUnavailable:  # counting is a precaution: never a reason to refuse
            return role, True

    async def check(self, credentials: signin.Credentials, candidate: str) -> signin.Role | None:
        """The role `candidate` is the password of, after the checks queued before it."""
        if self._lock is None:
            self._lock = asyncio.Lock()  # FIFO; created in the server's event loop
        self._waiting += 1
        try:
            async with self._lock:
                started = self.clock()
                role, attacked = await run_in_threadpool(
                    self._check_and_count, credentials, candidate
                )
                if attacked:
                    await asyncio.sleep(max(0.0, self.pace - (self.clock() - started)))
                return role
        finally:
            self._waiting -= 1


_memory_log = MemoryFailureLog()
_queue = CheckQueue()
_used_links: dict[str, float] = {}


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
    busy = _queue.busy_for()
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
    role = await _queue.check(credentials, fields.get("password", "")[:1024])
    if role is None:
        return _page(request, next_page=next_page, error=t("admin.login.wrong"), status=401)
    return _signed_in_response(request, role, next_page)


async def sign_out(request: Request) -> Response:
    """Forget the sign-in, and the one-time export links made under it."""
    cookies = cookie_parser(request.headers.get("cookie", ""))
    signed = signin.read(cookies.get(signin.COOKIE_NAME), configured_credentials())
    if signed is not None:
        exports.registry.revoke(signed.nonce)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    secure = is_secure(request.headers, request.url.scheme)
    response.headers.append("set-cookie", signin.clearing_cookie_header(secure=secure))
    return response


async def one_time_link(request: Request) -> Response:
    """The recovery link: signs the admin in once, within its lifetime."""
    credentials = configured_credentials()
    nonce = signin.read_link(request.query_params.get("token"), credentials)
    t = translator(visitor_language(request))
    now = time.time()
    for used, expires in list(_used_links.items()):
        if expires < now:
            del _used_links[used]
    if nonce is None or nonce in _used_links:
        return _page(
            request, next_page="admin", error=t("signin.link_invalid"), status=403, root="../"
        )
    _used_links[nonce] = now + signin.LINK_LIFETIME.total_seconds()
    return _signed_in_response(request, signin.Role.ADMIN, "admin", root="../")


def signin_routes() -> list[BaseRoute]:
    return [
        Route(SIGNIN_PATH, show, methods=["GET"]),
        Route(SIGNIN_PATH, submit, methods=["POST"]),
        Route(SIGNOUT_PATH, sign_out, methods=["GET"]),
        Route(LINK_PATH, one_time_link, methods=["GET"]),
    ]
