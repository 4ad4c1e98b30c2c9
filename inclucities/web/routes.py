"""The app's own HTTP routes and middleware: health check, metrics, live screens, the light
survey form and its join codes, respondent cookie, read-aloud clips, one-time exports and the
sign-in of the admin and presenters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import runtime
from inclucities.store import StoreUnavailable
from inclucities.web.assets import HashedAssetMiddleware
from inclucities.web.browser import browser_routes
from inclucities.web.connections import HeaderLimits
from inclucities.web.exports import export_routes
from inclucities.web.form import form_routes
from inclucities.web.live import live_routes
from inclucities.web.metrics import metrics_endpoint
from inclucities.web.page_shell import PageShellMiddleware
from inclucities.web.respondent import RespondentCookieMiddleware, respondent_routes
from inclucities.web.signin import signin_routes
from inclucities.web.speech import speech_routes


def _database_status() -> dict[str, object]:
    """The database's state: 'ok', or why it cannot be used (a StoreUnavailable reason: locked,
    readonly, disk_full, connection_lost, busy, other). A failed write is reported until a later
    write succeeds; otherwise a heartbeat row is written and read back, so a database that reads
    but no longer takes writes is reported too."""
    try:
        store = runtime.get_store()
    except StoreUnavailable as exc:
        return {"ok": False, "database": exc.reason, "writable": False}
    health = store.health()  # a read, and the cause of the last failed write if any since
    if not health.ok:
        reason = health.reason or "other"
        return {"ok": False, "database": reason, "backend": health.backend, "writable": False}
    try:
        written = store.heartbeat()  # a real write: a read-only or locked database fails here
    except StoreUnavailable as exc:
        return {"ok": False, "database": exc.reason, "backend": store.backend, "writable": False}
    return {
        "ok": True,
        "database": "ok",
        "backend": health.backend,
        "writable": True,
        "heartbeat": written.isoformat(),
    }


async def healthz(request: Request) -> Response:
    """200 when the database can be opened, read and written, else 503 with the reason."""
    status = await run_in_threadpool(_database_status)
    return JSONResponse(status, status_code=200 if status["ok"] else 503)


def routes(session_count: Callable[[], int] | None = None) -> list[BaseRoute]:
    """Every route the app adds next to Streamlit's own (`session_count` feeds /metrics)."""
    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_endpoint(session_count), methods=["GET"]),
        *live_routes(),
        *form_routes(),
        *browser_routes(),
        *respondent_routes(),
        *speech_routes(),
        *export_routes(),
        *signin_routes(),
    ]


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """The process's shared state (`inclucities.runtime`) lives as long as the server: opened
    before the first request, closed once uvicorn has served its last response."""
    del app
    async with runtime.serving():
        yield


def middleware() -> list[Middleware]:
    """Middleware around every request: oversized headers refused (431), Streamlit's hashed
    files from memory, the respondent cookie on HTML pages, and Streamlit's page shell told
    where the server is (no 404 probe on any page)."""
    return [
        Middleware(HeaderLimits),
        Middleware(HashedAssetMiddleware),
        Middleware(RespondentCookieMiddleware),
        Middleware(PageShellMiddleware),
    ]
