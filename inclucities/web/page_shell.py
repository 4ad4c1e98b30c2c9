"""Streamlit's page shell (index.html) told where the server is, so no page probes a wrong path.

Opened at `/map`, Streamlit's front end does not know whether the server lives at `/map/` or at
`/`, so it asks `/map/_stcore/health` and `/map/_stcore/host-config` first: two 404s in the
console of every page but the home. Its embedding setting `window.__streamlit`
(`BACKEND_BASE_URL`) answers the question; this middleware writes it into the shell, as the
folder of the page's own address (every page is one path segment below the app's root, behind
a proxy's path prefix too).
"""

from __future__ import annotations

import gzip

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MARKER = b'<script type="module" crossorigin src="./static/js/index.'
SETTING = (
    b"<script>window.__streamlit = Object.assign(window.__streamlit || {}, "
    b'{BACKEND_BASE_URL: new URL(".", window.location.href).href});</script>\n    '
)
MAX_SHELL_BYTES = 256 * 1024


def with_base_url(body: bytes) -> bytes:
    """The shell with the setting before Streamlit's script (any other HTML unchanged)."""
    if MARKER not in body or b"window.__streamlit =" in body:
        return body
    return body.replace(MARKER, SETTING + MARKER, 1)


class PageShellMiddleware:
    """Rewrite Streamlit's index.html on its way out; everything else passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                encoding = headers.get("content-encoding", "")
                if (
                    message.get("status") == 200
                    and headers.get("content-type", "").startswith("text/html")
                    and encoding in ("", "gzip")
                ):
                    held = message  # until the body is complete
                    return
                await send(message)
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            more = bool(message.get("more_body", False))
            if more and sum(map(len, chunks)) <= MAX_SHELL_BYTES:
                return
            start, body = held, b"".join(chunks)
            held = None
            chunks.clear()
            if not more:
                start, body = _rewritten(start, body)
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": more})

        await self.app(scope, receive, rewrite)


def _rewritten(start: Message, body: bytes) -> tuple[Message, bytes]:
    """The response with the setting written in, sent uncompressed (a shell is about 2 kB)."""
    headers = MutableHeaders(raw=list(start.get("headers", [])))
    gzipped = headers.get("content-encoding") == "gzip"
    plain = gzip.decompress(body) if gzipped else body
    changed = with_base_url(plain)
    if changed == plain:
        return start, body
    if gzipped:
        del headers["content-encoding"]
    headers["content-length"] = str(len(changed))
    if "etag" in headers:
        headers["etag"] = headers["etag"].rstrip('"') + '-shell"'
    return {**start, "headers": headers.raw}, changed
