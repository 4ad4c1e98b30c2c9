"""`GET /assets/<name>`: the app's own scripts and stylesheets by their hashed names
(`inclucities.browser_files`), compressed once and cached by browsers for good."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from inclucities.browser_files import URL_PREFIX, BrowserFile, by_served_name
from inclucities.memo import Memo
from inclucities.web.assets import CACHE_CONTROL, Asset, encoded, load_text_asset

_prepared: Memo[str, Asset] = Memo(32)


def _prepared_asset(found: BrowserFile) -> Asset:
    kind = "text/css" if found.path.suffix == ".css" else "text/javascript"
    return _prepared.get(found.served_name, lambda: load_text_asset(found.text, kind))


async def browser_asset(request: Request) -> Response:
    """One file by its hashed name; 404 for any other name (an old hash included)."""
    found = by_served_name(str(request.path_params["name"]))
    if found is None:
        return Response("Not found", 404, media_type="text/plain")
    asset = _prepared_asset(found)
    headers = {"cache-control": CACHE_CONTROL, "etag": asset.etag, "vary": "Accept-Encoding"}
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = encoded(asset, request, headers)
    return Response(body, headers=headers, media_type=asset.content_type)


def browser_routes() -> list[BaseRoute]:
    return [Route(f"/{URL_PREFIX}/{{name}}", browser_asset, methods=["GET", "HEAD"])]
