"""`/j/<code>`: a join code (read off the projector or scanned) opens its survey and language,
or, for a live session's six-character code, its survey in that session (`?lang=` may choose
the language)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import services
from inclucities.i18n import LANGUAGES, normalise_language
from inclucities.sessions import SESSION_PARAM, looks_like_session_code
from inclucities.share import (
    JOIN_PATH,
    LANG_PARAM,
    SURVEY_PAGE_PATH,
    SURVEY_PARAM,
    resolve_join_code,
)


async def join(request: Request) -> Response:
    """Redirect to the survey page (relative, so it works behind a path prefix too)."""
    code = request.path_params["code"]
    found = resolve_join_code(code, services.survey_registry().surveys, LANGUAGES)
    if found is None:
        return await _join_session(request, code)
    survey_id, lang = found
    query = urlencode({SURVEY_PARAM: survey_id, LANG_PARAM: lang})
    return RedirectResponse(f"../{SURVEY_PAGE_PATH}?{query}", status_code=303)


async def _join_session(request: Request, code: str) -> Response:
    """A live session's code: its survey, with the session in the link (its answers carry it)."""
    session = None
    if looks_like_session_code(code):
        session = await run_in_threadpool(services.get_store().session_by_code, code)
    if session is None or session.survey_id not in services.survey_registry().surveys:
        return PlainTextResponse("Unknown join code.", status_code=404)
    query = {SURVEY_PARAM: session.survey_id, SESSION_PARAM: session.id}
    lang = normalise_language(request.query_params.get(LANG_PARAM))
    if lang:
        query[LANG_PARAM] = lang
    return RedirectResponse(f"../{SURVEY_PAGE_PATH}?{urlencode(query)}", status_code=303)


def join_routes() -> list[BaseRoute]:
    return [Route(f"/{JOIN_PATH}/{{code}}", join, methods=["GET"])]
