"""What the answers route does with a request body: check it, store it once, say what happened.

The phone sends `{survey, lang, session, submission, answers, consent}`. `submission` is a
random secret the phone made when the respondent started and keeps until the answers are
acknowledged, so every resend (a lost connection, a reload, a server restart) is the same
submission: the stored id is a one-way hash of it (with the survey and the session), and the
receipt code comes from that id. Answers are checked by the same validation as every other way
in; the reply carries every message in the respondent's language. Nothing here knows HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from inclucities import respondent
from inclucities.i18n import Translator, normalise_language, translator
from inclucities.receipt import RECEIPT_SECRET, receipt_code, receipt_hash
from inclucities.sessions import answering_session
from inclucities.store import LiveSession, Store, StoreUnavailable, SubmitResult
from inclucities.supports import MAX_SUPPORTS_PER_SESSION, SupportResult, marks, supportable
from inclucities.survey.models import Survey
from inclucities.survey.validation import FieldError, InvalidSubmission, validate_answers

LOG = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024  # the longest survey with every text box full is under 20 KB
SUPPORT_FEEDBACK = {
    SupportResult.SUPPORTED: "survey.ideas.supported",
    SupportResult.LIMIT_REACHED: "survey.ideas.limit",
    SupportResult.UNAVAILABLE: "survey.ideas.unavailable",
    SupportResult.NOT_SENT: "survey.ideas.unavailable",
    SupportResult.CLOSED: "survey.ideas.closed",
    SupportResult.OWN_IDEA: "survey.ideas.own_refused",
    SupportResult.TAKEN_BACK: "survey.ideas.taken_back",
}


@dataclass(frozen=True)
class Reply:
    """An HTTP status and the JSON body to send back."""

    status: int
    body: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """A checked request: its survey, language, live session and the phone's secret."""

    survey: Survey
    t: Translator
    session: LiveSession | None
    secret: str

    @property
    def session_id(self) -> str | None:
        return self.session.id if self.session is not None else None

    @property
    def submission_id(self) -> str:
        return respondent.submission_id(self.secret, self.survey.id, self.session_id)


def language_of(body: Mapping[str, object], fallback: str | None = None) -> Translator:
    value = body.get("lang")
    chosen = normalise_language(value if isinstance(value, str) else None)
    return translator(chosen or fallback or "en")


def refusal(t: Translator, status: int, kind: str, message_key: str, **values: object) -> Reply:
    return Reply(status, {"status": kind, "message": t(message_key, **values)})


def read_request(
    store: Store, surveys: Mapping[str, Survey], body: Mapping[str, object]
) -> Request | Reply:
    """The survey, session and secret a body names, or the reply refusing it."""
    t = language_of(body)
    survey_id = body.get("survey")
    survey = surveys.get(survey_id) if isinstance(survey_id, str) else None
    if survey is None:
        return refusal(t, 404, "unknown_survey", "join.unknown_survey")
    secret = respondent.valid_token(body.get("submission"))
    if secret is None:
        return refusal(t, 400, "invalid", "survey.error.invalid")
    session = None
    named = body.get("session")
    if named not in (None, ""):
        value = respondent.live_session(named)
        session = answering_session(store, value, survey.id) if value else None
        if session is None:
            return refusal(t, 409, "closed", "survey.session_closed")
    return Request(survey, t, session, secret)


def _errors(t: Translator, errors: list[FieldError]) -> Reply:
    return Reply(
        422,
        {
            "status": "invalid",
            "errors": [
                {"question": e.question_id, "code": e.code, "message": t(e.message_key, **e.params)}
                for e in errors
            ],
            "message": t("survey.error.summary", count=len(errors)),
        },
    )


def _acknowledged(store: Store, request: Request, outcome: SubmitResult) -> Reply:
    t = request.t
    count = store.count(request.survey.id, request.session_id)
    body: dict[str, object] = {
        "status": outcome.value,
        "receipt": _receipt(store, request.submission_id),
        "count": count,
        "count_text": t("survey.count_so_far", count=count) if count else "",
        "message": t.text(request.survey.thank_you)
        if outcome == SubmitResult.STORED
        else t("survey.already_received"),
    }
    if outcome == SubmitResult.DUPLICATE:
        # The same secret sent again: a resend whose reply was lost (these answers), or a
        # second tab of this device sending other answers, which were not stored. The server
        # cannot tell them apart; the phone can (its first try, or a retry), and shows this.
        body["device_answered"] = t("survey.form.device_answered")
    # The thank-you's ideas ride on the acknowledgement: one request and two queries fewer for
    # every phone. The answers are committed already, so a failure here only leaves the phone
    # to ask /api/ideas itself.
    try:
        body["ideas"] = _idea_list(store, request)
    except Exception:
        LOG.warning("survey %s: ideas for the thank-you not listed", request.survey.id)
    return Reply(200, body)


def _receipt(store: Store, submission_id: str) -> str:
    """The submission's receipt code, keyed with the server's receipt secret."""
    return receipt_code(submission_id, store.server_secret(RECEIPT_SECRET))


def submit(
    store: Store,
    surveys: Mapping[str, Survey],
    body: Mapping[str, object],
    device: str | None = None,
) -> Reply:
    """Check and store one submission; acknowledged (200) only once it is committed. `device`
    is the browser's respondent cookie: a session with one answer per device takes one from it."""
    request = read_request(store, surveys, body)
    if isinstance(request, Reply):
        return request
    survey, t = request.survey, request.t
    answers = body.get("answers")
    if not isinstance(answers, Mapping):
        return _errors(t, [FieldError("", "invalid")])
    result = validate_answers(survey, answers, consent=body.get("consent") is True)
    if not result.ok:
        return _errors(t, result.errors)
    submission_id = request.submission_id
    try:
        device_mark = None
        if device and request.session is not None and request.session.one_answer_per_device:
            secret = store.server_secret(respondent.DEVICE_SECRET)
            device_mark = respondent.device_key(device, secret)
        outcome = store.submit(
            submission_id,
            survey.id,
            survey.version,
            t.lang,
            result.answers,
            session_id=request.session_id,
            receipt_hash=receipt_hash(_receipt(store, submission_id)),
            device=device_mark,
        )
        if outcome == SubmitResult.DEVICE_ANSWERED:
            return refusal(t, 409, "device_answered", "survey.form.session_device_answered")
        if outcome == SubmitResult.CLOSED and store.has_submission(submission_id):
            outcome = SubmitResult.DUPLICATE  # stored before it closed; the reply was lost
        if outcome == SubmitResult.CLOSED:
            closed = "survey.session_closed" if request.session else "survey.closed"
            return refusal(t, 409, "closed", closed)
        return _acknowledged(store, request, outcome)
    except StoreUnavailable as exc:
        reply = refusal(t, 503, "unavailable", f"survey.unavailable.{exc.reason}")
        return Reply(503, {**reply.body, "reason": exc.reason})
    except InvalidSubmission as exc:
        return _errors(t, exc.errors)
    except Exception:  # a storage fault: the answers stay on the phone, never a traceback
        LOG.exception("survey %s: storing a submission failed", survey.id)
        return refusal(t, 500, "failed", "survey.send_failed")


def _idea_list(store: Store, request: Request) -> dict[str, object]:
    """The ideas to support, each marked `supported` (by this respondent, who may take it
    back) or `own` (this respondent's own idea: no button), with the texts the phone shows."""
    t = request.t
    ideas = supportable(store, request.survey.id, request.session_id)
    # Most rooms have no approved idea: no list, nothing of this phone's to look up.
    given: frozenset[int] = frozenset()
    own: frozenset[int] = frozenset()
    if ideas:
        given, own = marks(store, request.submission_id, request.session_id)
    left = max(MAX_SUPPORTS_PER_SESSION - len(given), 0)
    return {
        "status": "ok",
        "intro": t("survey.ideas.intro", count=MAX_SUPPORTS_PER_SESSION),
        "left": left,
        "left_text": t("survey.ideas.left", count=left),
        "none": t("survey.ideas.none"),
        "support": t("survey.ideas.support"),
        "take_back": t("survey.ideas.take_back"),
        "own": t("survey.ideas.own"),
        "ideas": [
            {
                "id": idea.id,
                "text": idea.text.strip(),
                "lang": idea.lang,
                "supports": t("results.supports", count=idea.supports),
                "supported": idea.id in given,
                "own": idea.id in own,
            }
            for idea in ideas
        ],
    }


def _sent(store: Store, request: Request) -> bool:
    return store.has_submission(request.submission_id)


def ideas(
    store: Store,
    surveys: Mapping[str, Survey],
    body: Mapping[str, object],
    device: str | None = None,
) -> Reply:
    """The approved ideas of this survey and session a respondent who has sent may support."""
    del device  # a support is bound to the stored submission, not to the browser
    request = read_request(store, surveys, body)
    if isinstance(request, Reply):
        return request
    try:
        if not _sent(store, request):
            return refusal(request.t, 403, "not_sent", "survey.ideas.unavailable")
        return Reply(200, _idea_list(store, request))
    except StoreUnavailable:
        return refusal(request.t, 503, "unavailable", "survey.ideas.failed")


def support(
    store: Store,
    surveys: Mapping[str, Survey],
    body: Mapping[str, object],
    device: str | None = None,
) -> Reply:
    """Support one idea (once per respondent, up to the limit, never one's own), or take the
    support back (`take_back: true`), then the list as it stands. Both are idempotent."""
    del device  # a support is bound to the stored submission, not to the browser
    request = read_request(store, surveys, body)
    if isinstance(request, Reply):
        return request
    idea_id = body.get("idea")
    if not isinstance(idea_id, int) or isinstance(idea_id, bool):
        return refusal(request.t, 400, "invalid", "survey.ideas.unavailable")
    take_back = body.get("take_back", False)
    if not isinstance(take_back, bool):
        return refusal(request.t, 400, "invalid", "survey.ideas.unavailable")
    try:
        if not _sent(store, request):
            return refusal(request.t, 403, "not_sent", "survey.ideas.unavailable")
        # the supporter is the stored submission itself: one support per idea per answer
        if take_back:
            result = store.withdraw_support(idea_id, request.submission_id)
        else:
            result = store.support_idea(idea_id, request.submission_id)
        listing = _idea_list(store, request)
    except StoreUnavailable:
        return refusal(request.t, 503, "unavailable", "survey.ideas.failed")
    except Exception:
        LOG.exception("survey %s: support of idea %s failed", request.survey.id, idea_id)
        return refusal(request.t, 500, "failed", "survey.ideas.failed")
    feedback = SUPPORT_FEEDBACK.get(result)
    return Reply(
        200,
        {**listing, "result": result.value, "message": request.t(feedback) if feedback else ""},
    )
