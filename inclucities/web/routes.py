"""The app's own HTTP routes: health check, metrics, live screens (more join here: exports)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import services
from inclucities.store import StoreUnavailable
from inclucities.web.join import join_routes
from inclucities.web.live import live_routes
from inclucities.web.metrics import metrics_endpoint


def _database_status() -> dict[str, object]:
    try:
        store = services.get_store()
        store.schema_version()
        written = store.heartbeat()  # a real write: a read-only or locked file fails here
    except StoreUnavailable as exc:
        return {"ok": False, "database": exc.reason, "writable": False}
    return {"ok": True, "database": "ok", "writable": True, "heartbeat": written.isoformat()}


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
        *join_routes(),
    ]
