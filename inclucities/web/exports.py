"""Admin downloads through an authenticated route: one-time links bound to the admin's sign-in.

A signed-in admin page issues a short-lived token per download, bound to the id of the admin's
sign-in cookie (`ic_signin`, http-only: no script can read it); the route serves the file only
to a request carrying both, so an export URL copied elsewhere (or fetched without the admin's
sign-in) gets 403 or 404.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from inclucities import signin
from inclucities.auth import NotAuthenticated
from inclucities.credentials import configured_credentials

EXPORT_PATH = "/admin/export"
TOKEN_SECONDS = 10 * 60  # a link shown on the admin page stays usable this long


@dataclass(frozen=True)
class Download:
    """What one token serves: a file made on request by `produce` (which checks the admin)."""

    filename: str
    media_type: str
    produce: Callable[[], bytes]
    browser_key: str
    expires: float


class DownloadRegistry:
    """Tokens issued in this process (sticky sessions keep an admin on one replica)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._downloads: dict[str, Download] = {}
        self._lock = threading.Lock()

    def issue(
        self, filename: str, media_type: str, produce: Callable[[], bytes], browser_key: str
    ) -> str:
        """A fresh token for one download by the browser holding `browser_key`."""
        token = secrets.token_urlsafe(24)
        now = self._clock()
        with self._lock:
            self._downloads = {k: d for k, d in self._downloads.items() if d.expires > now}
            self._downloads[token] = Download(
                filename, media_type, produce, browser_key, now + TOKEN_SECONDS
            )
        return token

    def get(self, token: str) -> Download | None:
        with self._lock:
            download = self._downloads.get(token)
        if download is None or download.expires <= self._clock():
            return None
        return download

    def revoke(self, browser_key: str) -> None:
        """Forget every link of one admin browser (on sign-out)."""
        with self._lock:
            self._downloads = {
                k: d for k, d in self._downloads.items() if d.browser_key != browser_key
            }


registry = DownloadRegistry()


def export_url(token: str) -> str:
    return f"{EXPORT_PATH}/{token}"


async def serve_export(request: Request) -> Response:
    """The file for a valid token, only with the admin's sign-in it was issued to."""
    download = registry.get(str(request.path_params["token"]))
    if download is None:
        return PlainTextResponse("Not found", status_code=404)
    signed = signin.read(request.cookies.get(signin.COOKIE_NAME), configured_credentials())
    if (
        signed is None
        or signed.role is not signin.Role.ADMIN
        or not hmac.compare_digest(signed.nonce, download.browser_key)
    ):
        return PlainTextResponse("Forbidden", status_code=403)
    try:
        data = await run_in_threadpool(download.produce)
    except NotAuthenticated:
        return PlainTextResponse("Forbidden", status_code=403)
    disposition = f"attachment; filename*=UTF-8''{quote(download.filename)}"
    return Response(
        data,
        media_type=download.media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


def export_routes() -> list[Route]:
    return [Route(EXPORT_PATH + "/{token}", serve_export, methods=["GET"])]
