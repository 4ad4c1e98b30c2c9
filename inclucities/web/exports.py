"""Admin downloads through an authenticated route: one-time links bound to the admin's sign-in.

A signed-in admin page issues a short-lived token per download, bound to the id of the admin's
sign-in cookie (`ic_signin`, http-only: no script can read it); the route serves the file only
to a request carrying both, so an export URL copied elsewhere (or fetched without the admin's
sign-in) gets 403 or 404.
"""

from __future__ import annotations

import hmac
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from inclucities import runtime, signin
from inclucities.auth import NotAuthenticated
from inclucities.credentials import configured_credentials

EXPORT_PATH = "/admin/export"


def export_url(token: str) -> str:
    return f"{EXPORT_PATH}/{token}"


async def serve_export(request: Request) -> Response:
    """The file for a valid token, only with the admin's sign-in it was issued to."""
    download = runtime.current().downloads.get(str(request.path_params["token"]))
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
