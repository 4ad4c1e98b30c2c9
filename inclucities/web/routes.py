"""The app's own HTTP routes and middleware: health check, respondent cookie, read-aloud clips
(more join here: live results, metrics, exports)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import services
from inclucities.store import StoreUnavailable
from inclucities.web.exports import export_routes
from inclucities.web.respondent import RespondentCookieMiddleware, respondent_routes
from inclucities.web.speech import speech_routes


def _database_status() -> dict[str, object]:
    """The database's state: 'ok', or why it cannot be used (a StoreUnavailable reason: locked,
    readonly, disk_full, connection_lost, busy, other). A read is tried each time; a write that
    failed for a storage reason is reported until a later write succeeds."""
    try:
        store = services.get_store()
    except StoreUnavailable as exc:
        return {"ok": False, "database": exc.reason}
    health = store.health()
    if not health.ok:
        return {"ok": False, "database": health.reason or "other", "backend": health.backend}
    return {"ok": True, "database": "ok", "backend": health.backend}


async def healthz(request: Request) -> Response:
    """200 when the database can be opened and read, else 503 with the reason."""
    status = await run_in_threadpool(_database_status)
    return JSONResponse(status, status_code=200 if status["ok"] else 503)


def routes() -> list[BaseRoute]:
    """Every route the app adds next to Streamlit's own."""
    return [
        Route("/healthz", healthz, methods=["GET"]),
        *respondent_routes(),
        *speech_routes(),
        *export_routes(),
    ]


def middleware() -> list[Middleware]:
    """Middleware around every request (the respondent cookie on HTML pages)."""
    return [Middleware(RespondentCookieMiddleware)]
