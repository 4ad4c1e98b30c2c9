"""Limits on what a client sends before a request reaches the app: header time and header size.

Streamlit runs uvicorn with its h11 parser, which has neither: a connection that never finishes
its headers stays open for good (a slow-loris), and headers that arrive in one piece are taken
whole, however long. `install_header_timeout` closes a connection whose request headers are not
complete `HEADER_TIMEOUT_SECONDS` after it opened, or after its previous response (uvicorn's own
keep-alive timeout stops once a byte arrives). `HeaderLimits` answers 431 to a request whose
headers together exceed `MAX_HEADER_BYTES`, or whose cookies exceed `MAX_COOKIE_BYTES`, before
any route or Streamlit sees it. Websocket messages are capped by `server.maxMessageSize` in
`.streamlit/config.toml` (uvicorn's `ws_max_size`, checked on each frame's header).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

HEADER_TIMEOUT_SECONDS = 10.0
MAX_HEADER_BYTES = 16 * 1024  # a browser sends 1-3 KB; a proxy adds a few forwarded headers
MAX_COOKIE_BYTES = 8 * 1024  # this app's cookies are under 1 KB together
_MARK = "_inclucities_header_timeout"
_TIMER = "_inclucities_header_timer"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _waiting_for_headers(protocol: Any) -> bool:
    """Whether this HTTP connection is between requests or inside one's headers (not serving
    a request, not handed over to a websocket)."""
    transport = getattr(protocol, "transport", None)
    if transport is None or transport.is_closing() or transport.get_protocol() is not protocol:
        return False
    cycle = getattr(protocol, "cycle", None)
    return cycle is None or bool(cycle.response_complete)


def _expire(protocol: Any) -> None:
    if _waiting_for_headers(protocol):
        protocol.transport.close()


def _arm(protocol: Any) -> None:
    _disarm(protocol)
    seconds = float(getattr(type(protocol), _MARK))
    setattr(protocol, _TIMER, protocol.loop.call_later(seconds, _expire, protocol))


def _disarm(protocol: Any) -> None:
    timer = getattr(protocol, _TIMER, None)
    if timer is not None:
        timer.cancel()
        setattr(protocol, _TIMER, None)


def install_header_timeout(seconds: float = HEADER_TIMEOUT_SECONDS) -> None:
    """Give uvicorn's h11 connections a header timeout (once per process; a second call only
    changes the seconds)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    if seconds <= 0:
        raise ValueError("the header timeout must be positive")
    installed = getattr(H11Protocol, _MARK, None) is not None
    setattr(H11Protocol, _MARK, seconds)
    if installed:
        return
    made = H11Protocol.connection_made
    done = H11Protocol.on_response_complete
    lost = H11Protocol.connection_lost

    def connection_made(self: Any, transport: Any) -> None:
        made(self, transport)
        _arm(self)

    def on_response_complete(self: Any) -> None:
        done(self)
        _arm(self)

    def connection_lost(self: Any, exc: Exception | None) -> None:
        _disarm(self)
        lost(self, exc)

    H11Protocol.connection_made = connection_made  # type: ignore[method-assign]
    H11Protocol.on_response_complete = on_response_complete  # type: ignore[method-assign]
    H11Protocol.connection_lost = connection_lost  # type: ignore[method-assign]


def headers_too_large(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a request's headers exceed the total or the cookie limit."""
    total = sum(len(name) + len(value) + 4 for name, value in headers)
    cookies = sum(len(value) for name, value in headers if name.lower() == b"cookie")
    return total > MAX_HEADER_BYTES or cookies > MAX_COOKIE_BYTES


class HeaderLimits:
    """431 to a request (or a websocket handshake) with headers over the limits."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not headers_too_large(
            list(scope.get("headers", []))
        ):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1009})  # refused: HTTP 403
            return
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 431, "headers": headers})
        await send({"type": "http.response.body", "body": b"Request header fields too large.\n"})
