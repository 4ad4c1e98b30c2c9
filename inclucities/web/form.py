"""The light survey form's routes: the join page, the form page, its two files, the answers.

- `GET /j` is the join page: a code can be typed there (`?code=` answers it).
- `GET /j/<code>` opens a survey's or a live session's form; an unknown code gets the join
  page back with a message in the visitor's language (404).
- `GET /answer/<survey>?lang=&session=` is the same form by its survey (what QR codes open).
- `POST /api/answers`, `/api/ideas` and `/api/ideas/support` take JSON from the form's
  script only: same origin, a form token matching the browser's cookie, a bounded body, rate
  limits per device and per address. `GET /api/form-token` hands a page its token again.

A form page is the same for every phone (the token travels in a cookie), so its bytes are
rendered and compressed once per survey, language and session.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import runtime
from inclucities.form import submission
from inclucities.form.render import (
    ANSWERS_PATH,
    IDEAS_PATH,
    SUPPORT_PATH,
    TOKEN_PATH,
    form_link,
    render_form,
    render_join,
    render_notice,
    render_page,
)
from inclucities.i18n import LANGUAGES, normalise_language, translator
from inclucities.memo import Memo
from inclucities.network import visitor_address
from inclucities.respondent import (
    COOKIE_NAME,
    cookie_header,
    form_cookie_header,
    form_token,
    form_token_matches,
    live_session,
    new_token,
    valid_token,
)
from inclucities.sessions import SESSION_PARAM, answering_session, looks_like_session_code
from inclucities.settings import get_settings
from inclucities.share import FORM_PATH, JOIN_PATH, resolve_join_code
from inclucities.store import LiveSession, StoreUnavailable
from inclucities.survey.models import Survey
from inclucities.web.assets import Asset, encoded, load_text_asset
from inclucities.web.respondent import (
    KIOSK_PARAM,
    KIOSK_SECONDS_PARAM,
    is_secure,
    kiosk_query,
)

TOKEN_HEADER = "x-form-token"
MAX_SHOWN_CODE = 12  # characters of an unknown code repeated back to the visitor
_pages: Memo[tuple[object, ...], Asset] = Memo(512)


# -- language and paths --------------------------------------------------------------------------


def visitor_language(request: Request) -> str:
    """`?lang=` first, then the browser's languages in order, then English."""
    chosen = normalise_language(request.query_params.get("lang"))
    if chosen:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        found = normalise_language(part.split(";")[0])
        if found:
            return found
    return "en"


def _root(depth: int) -> str:
    """From a route `depth` segments below the app's root back to it (behind a prefix too)."""
    return "../" * (depth - 1)


# -- pages ---------------------------------------------------------------------------------------


def _html(asset: Asset, request: Request, status: int = 200) -> Response:
    headers = {"cache-control": "no-store", "vary": "Accept-Encoding"}
    body = encoded(asset, request, headers)
    return Response(body, status, headers=headers, media_type="text/html; charset=utf-8")


def _page(key: tuple[object, ...], make: Callable[[], str]) -> Asset:
    return _pages.get(key, lambda: load_text_asset(make(), "text/html"))


def _form_page(survey: Survey, lang: str, session: LiveSession | None, root: str) -> Asset:
    settings = get_settings()

    def make() -> str:
        body = render_form(
            survey, lang, min_cell_size=settings.min_cell_size, session=session, root=root
        )
        href = f"{root}{form_link(survey.id, '{lang}', session.join_code if session else None)}"
        title = translator(lang).text(survey.title)
        return render_page(body, lang=lang, title=title, root=root, language_href=href)

    key = ("form", survey.id, survey.version, lang, settings.min_cell_size, session, root)
    return _page(key, make)


def _notice_page(lang: str, title: str, message: str, root: str) -> Asset:
    """A survey's page when it takes no answers (closed, or its session is)."""

    def make() -> str:
        body = render_notice(lang, title=title, message=message)
        return render_page(body, lang=lang, title=title, root=root, language_href=None)

    return _page(("notice", lang, title, message, root), make)


def _kiosk(request: Request) -> dict[str, str]:
    """A tablet's kiosk mode (`?kiosk=1&kiosk_seconds=`), kept from the join page to the form."""
    params = request.query_params
    return kiosk_query(params.get(KIOSK_PARAM), params.get(KIOSK_SECONDS_PARAM))


def _join_page(request: Request, root: str, error: str = "", typed: str = "") -> Response:
    lang = visitor_language(request)
    t = translator(lang)
    kiosk = _kiosk(request)
    body = render_join(lang, root=root, error=error, typed=typed, kiosk=kiosk)
    href = f"{root}{JOIN_PATH}?lang={{lang}}" + "".join(f"&{k}={v}" for k, v in kiosk.items())
    html = render_page(body, lang=lang, title=t("join.title"), root=root, language_href=href)
    return _html(load_text_asset(html, "text/html"), request, 404 if error else 200)


@dataclass(frozen=True)
class Opened:
    """Whether answers can be given right now, and the message when they cannot."""

    message_key: str | None


def _openness(survey: Survey, session: LiveSession | None) -> Opened:
    try:
        store = runtime.get_store()
        if not store.is_survey_open(survey.id):
            return Opened("survey.closed")
    except StoreUnavailable:
        return Opened(None)  # the form still opens; sending says what is wrong, answers kept
    if session is not None and not session.is_open:
        return Opened("survey.session_closed")
    return Opened(None)


async def _open_form(
    request: Request, survey: Survey, lang: str, session: LiveSession | None, root: str
) -> Response:
    opened = await run_in_threadpool(_openness, survey, session)
    t = translator(lang)
    if opened.message_key:
        page = _notice_page(lang, t.text(survey.title), t(opened.message_key), root)
        return _html(page, request)
    return _html(_form_page(survey, lang, session, root), request)


async def answer_page(request: Request) -> Response:
    """`/answer/<survey>`: the light form of one survey (`?lang=`, `?session=`)."""
    root = _root(2)
    survey = runtime.survey_registry().surveys.get(str(request.path_params["survey"]))
    lang = visitor_language(request)
    if survey is None:
        return _join_page(request, root, translator(lang)("join.unknown_survey"))
    session = None
    named = live_session(request.query_params.get(SESSION_PARAM))
    if named:
        try:
            session = await run_in_threadpool(
                answering_session, runtime.get_store(), named, survey.id
            )
        except StoreUnavailable:
            session = None
        if session is None:
            t = translator(lang)
            page = _notice_page(lang, t.text(survey.title), t("survey.session_closed"), root)
            return _html(page, request, 404)
    return await _open_form(request, survey, lang, session, root)


def _find_session(code: str) -> LiveSession | None:
    if not looks_like_session_code(code):
        return None
    try:
        return runtime.get_store().session_by_code(code)
    except StoreUnavailable:
        return None


def _shown_code(code: str) -> str:
    return code.strip()[:MAX_SHOWN_CODE]


async def join_code(request: Request) -> Response:
    """`/j/<code>`: a survey's four-character code (its language with it) or a live session's
    six-character code opens the form; anything else, the join page with a message."""
    root = _root(2)
    code = str(request.path_params["code"])
    surveys = runtime.survey_registry().surveys
    found = resolve_join_code(code, surveys, LANGUAGES)
    if found is not None:
        survey_id, code_lang = found
        lang = normalise_language(request.query_params.get("lang")) or code_lang
        return await _open_form(request, surveys[survey_id], lang, None, root)
    session = await run_in_threadpool(_find_session, code)
    if session is None or session.survey_id not in surveys:
        t = translator(visitor_language(request))
        message = t("join.unknown", code=_shown_code(code))
        return _join_page(request, root, message, _shown_code(code))
    lang = visitor_language(request)
    return await _open_form(request, surveys[session.survey_id], lang, session, root)


async def join_page(request: Request) -> Response:
    """`/j`: the join page; `?code=` (its own form) goes on to `/j/<code>`."""
    typed = request.query_params.get("code")
    if typed is None:
        return _join_page(request, "")
    code = "".join(typed.split()).upper()
    if not code:
        t = translator(visitor_language(request))
        return _join_page(request, "", t("join.empty"))
    lang = normalise_language(request.query_params.get("lang"))
    target = f"{JOIN_PATH}/{quote(code[: MAX_SHOWN_CODE * 2], safe='')}"
    query = urlencode(({"lang": lang} if lang else {}) | _kiosk(request))
    return RedirectResponse(target + (f"?{query}" if query else ""), status_code=303)


# -- the JSON routes -----------------------------------------------------------------------------


def _reply(reply: submission.Reply, extra: Mapping[str, str] | None = None) -> JSONResponse:
    headers = {"cache-control": "no-store", **(extra or {})}
    return JSONResponse(reply.body, reply.status, headers=headers)


def same_origin(request: Request) -> bool:
    """A browser names the page's origin on a POST: it must be this app's own."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser, or an old one: the token still has to match
    host = request.headers.get("x-forwarded-host") if get_settings().behind_proxy else None
    return urlsplit(origin).netloc == (host or request.headers.get("host", ""))


async def _read_json(request: Request) -> Any:
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > submission.MAX_BODY_BYTES:
        raise OverflowError
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > submission.MAX_BODY_BYTES:
            raise OverflowError
    return json.loads(body)


def _rate_limited(t: Any, wait: float, message_key: str) -> Response:
    """429 with the seconds to wait, in the respondent's language."""
    reply = submission.refusal(t, 429, "rate_limited", message_key)
    seconds = str(max(1, math.ceil(wait)))
    return _reply(
        submission.Reply(429, {**reply.body, "retry_after": int(seconds)}),
        {"retry-after": seconds},
    )


def _guarded(
    handle: Callable[
        [Any, Mapping[str, Survey], Mapping[str, object], str | None], submission.Reply
    ],
    supports: bool = False,
) -> Callable[[Request], Any]:
    """A JSON route behind the form's checks: origin, token, limits, body size and shape;
    supports are charged to their own limits on top of the form's."""

    async def endpoint(request: Request) -> Response:
        t = translator(visitor_language(request))
        if not request.headers.get("content-type", "").startswith("application/json"):
            return _reply(submission.refusal(t, 415, "invalid", "survey.error.invalid"))
        cookies = cookie_parser(request.headers.get("cookie", ""))
        if not same_origin(request) or not form_token_matches(
            cookies.get(COOKIE_NAME), request.headers.get(TOKEN_HEADER)
        ):
            return _reply(submission.refusal(t, 403, "expired", "survey.form.expired"))
        address = visitor_address(
            request.client.host if request.client else None,
            request.headers.get("x-forwarded-for"),
            get_settings().proxy_networks,
        )
        device = valid_token(cookies.get(COOKIE_NAME))
        shared = runtime.current()
        wait = shared.answer_limits.wait(device, address)
        if wait > 0:
            key = "limits.too_fast" if supports else "survey.form.rate_limited"
            return _rate_limited(t, wait, key)
        wait = shared.support_limits.wait(device, address) if supports else 0.0
        if wait > 0:
            return _rate_limited(t, wait, "limits.too_fast")
        try:
            body = await _read_json(request)
        except OverflowError:
            return _reply(submission.refusal(t, 413, "too_large", "survey.form.too_large"))
        except ValueError:
            return _reply(submission.refusal(t, 400, "invalid", "survey.error.invalid"))
        if not isinstance(body, Mapping):
            return _reply(submission.refusal(t, 400, "invalid", "survey.error.invalid"))
        try:
            store = runtime.get_store()
        except StoreUnavailable as exc:
            reply = submission.refusal(t, 503, "unavailable", f"survey.unavailable.{exc.reason}")
            return _reply(submission.Reply(503, {**reply.body, "reason": exc.reason}))
        surveys = runtime.survey_registry().surveys
        reply = await run_in_threadpool(handle, store, surveys, body, device)
        return _reply(reply)

    return endpoint


async def token(request: Request) -> Response:
    """This browser's form token (and its cookies, when it has none): a page whose cookie was
    cleared or replaced asks again before sending."""
    cookies = cookie_parser(request.headers.get("cookie", ""))
    secure = is_secure(request.headers, request.url.scheme)
    respondent = valid_token(cookies.get(COOKIE_NAME))
    response = JSONResponse({}, headers={"cache-control": "no-store"})
    if respondent is None:
        respondent = new_token()
        response.headers.append("set-cookie", cookie_header(respondent, secure))
    response.headers.append("set-cookie", form_cookie_header(respondent, secure))
    response.body = response.render({"token": form_token(respondent)})
    response.headers["content-length"] = str(len(response.body))
    return response


def form_routes() -> list[BaseRoute]:
    return [
        Route(f"/{JOIN_PATH}", join_page, methods=["GET"]),
        Route(f"/{JOIN_PATH}/{{code}}", join_code, methods=["GET"]),
        Route(f"/{FORM_PATH}/{{survey}}", answer_page, methods=["GET"]),
        Route(f"/{ANSWERS_PATH}", _guarded(submission.submit), methods=["POST"]),
        Route(f"/{IDEAS_PATH}", _guarded(submission.ideas), methods=["POST"]),
        Route(f"/{SUPPORT_PATH}", _guarded(submission.support, supports=True), methods=["POST"]),
        Route(f"/{TOKEN_PATH}", token, methods=["GET"]),
    ]
