"""`/j/<code>`: a join code (read off the projector or scanned) opens its survey and language."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import services
from inclucities.i18n import LANGUAGES
from inclucities.share import (
    JOIN_PATH,
    LANG_PARAM,
    SURVEY_PAGE_PATH,
    SURVEY_PARAM,
    resolve_join_code,
)


async def join(request: Request) -> Response:
    """Redirect to the survey page (relative, so it works behind a path prefix too)."""
    found = resolve_join_code(
        request.path_params["code"], services.survey_registry().surveys, LANGUAGES
    )
    if found is None:
        return PlainTextResponse("Unknown join code.", status_code=404)
    survey_id, lang = found
    query = urlencode({SURVEY_PARAM: survey_id, LANG_PARAM: lang})
    return RedirectResponse(f"../{SURVEY_PAGE_PATH}?{query}", status_code=303)


def join_routes() -> list[BaseRoute]:
    return [Route(f"/{JOIN_PATH}/{{code}}", join, methods=["GET"])]
