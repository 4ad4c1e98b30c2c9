"""Live routes: each results or presenter screen subscribes to one survey by server-sent events.

Protocol (also used by the load harness, scripts/loadtest.py):

    GET /live/{survey_id}/events?lang=<code>&mode=results|presenter
        text/event-stream. First `retry: <ms>` (a jittered reconnection delay), then
        `event: specs` (the Vega-Lite specs of that screen's charts, JSON `{"type": "specs",
        "id", "specs"}`; skipped when the Last-Event-ID header already names that specs id),
        then `event: summary` with the current figures, then one `event: summary` per change
        (JSON `{"type": "summary", "version", "total", "ready", "revealed", "updated",
        "headline", "sections", "ideas", "clouds", ...}`, see inclucities/results/payload.py), each
        with `id: <specs id>/<data version>`. `event: status` (`{"state": "unavailable"}`) says the
        database cannot be read; `event: ping` (`{}`) every 20 s keeps idle connections open
        and tells the screen it is still connected. A stream ends by itself after a few
        minutes, or when the server stops; browsers (EventSource) reconnect on their own,
        sending Last-Event-ID.
        `session=<id>` (on both routes) limits the figures to one live session of the survey;
        without it (or with `session=all`) every answer of the survey counts.
    GET /live/{survey_id}/summary.json?lang=<code>&mode=results|presenter
        The current `summary` payload as JSON (header `X-Data-Version`), for scripts.

Unknown surveys answer 404, unknown modes 400; an unknown language falls back to English.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from inclucities import runtime
from inclucities.i18n import DEFAULT_LANGUAGE, normalise_language
from inclucities.live.hub import LiveHub, Subscriber
from inclucities.results.payload import MODES
from inclucities.sessions import ALL_SESSIONS

KEEPALIVE_SECONDS = 20.0
STREAM_LIFETIME = (240.0, 360.0)  # seconds; then the browser reconnects (spread by jitter)
RETRY_MS = (1500, 4500)  # reconnection delay each browser is told, spread at random
EVENT_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
PING = b"event: ping\ndata: {}\n\n"
T = TypeVar("T")


async def _params(request: Request) -> tuple[str, str, str, str | None] | Response:
    survey_id = request.path_params["survey_id"]
    if survey_id not in runtime.survey_registry().surveys:
        return JSONResponse({"error": "unknown survey"}, status_code=404)
    mode = request.query_params.get("mode", "results")
    if mode not in MODES:
        return JSONResponse({"error": f"mode must be one of {', '.join(MODES)}"}, 400)
    lang = normalise_language(request.query_params.get("lang")) or DEFAULT_LANGUAGE
    session_id = request.query_params.get("session") or None
    if session_id == ALL_SESSIONS:
        session_id = None
    if session_id is not None:
        if len(session_id) > 64:
            return JSONResponse({"error": "unknown session"}, status_code=404)
        found = await run_in_threadpool(runtime.get_store().get_session, session_id)
        if found is None or found.survey_id != survey_id:
            return JSONResponse({"error": "unknown session"}, status_code=404)
    return survey_id, lang, mode, session_id


async def _stream(live: LiveHub, sub: Subscriber, specs: bytes | None) -> AsyncIterator[bytes]:
    deadline = time.monotonic() + random.uniform(*STREAM_LIFETIME)
    try:
        yield f"retry: {random.randint(*RETRY_MS)}\n\n".encode()
        if specs is not None:
            yield specs
        while True:
            sub.wake.clear()
            if sub.pending is not None:
                data, sub.pending = sub.pending, None
                yield data
                continue
            left = deadline - time.monotonic()
            if sub.closed or left <= 0:
                return
            try:
                await asyncio.wait_for(sub.wake.wait(), timeout=min(KEEPALIVE_SECONDS, left))
            except TimeoutError:
                yield PING
    finally:
        live.unsubscribe(sub)


async def events(request: Request) -> Response:
    """A screen's live stream (see the module docstring)."""
    params = await _params(request)
    if isinstance(params, Response):
        return params
    survey_id, lang, mode, session_id = params
    live = runtime.current().hub()
    specs_id, specs_event = await live.chart_event(survey_id, lang, mode)
    known = request.headers.get("last-event-id", "").split("/", 1)[0]
    sub = await live.subscribe(survey_id, lang, mode, session_id)
    return StreamingResponse(
        _stream(live, sub, None if known == specs_id else specs_event),
        media_type="text/event-stream",
        headers=EVENT_HEADERS,
    )


async def summary_json(request: Request) -> Response:
    """The current payload as plain JSON."""
    params = await _params(request)
    if isinstance(params, Response):
        return params
    built = await runtime.current().hub().current(*params)
    if built is None:
        return JSONResponse({"error": "database unavailable"}, status_code=503)
    return Response(
        built.data,
        media_type="application/json",
        headers={"Cache-Control": "no-cache", "X-Data-Version": built.event_id},
    )


def live_routes() -> list[BaseRoute]:
    return [
        Route("/live/{survey_id}/events", events, methods=["GET"]),
        Route("/live/{survey_id}/summary.json", summary_json, methods=["GET"]),
    ]
