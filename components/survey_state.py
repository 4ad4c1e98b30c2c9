"""The survey form's state in the session: keys, answers, step, errors to show, outcome.

Widget keys (stable; the load harness and the browser tests address widgets by them):
`survey_<survey>_q_<question>` (radio, text), `survey_<survey>_q_<question>__<item or option>`
(a grid line's radio, a multiple-choice checkbox, a ranking option's places),
`survey_<survey>_consent`, and the buttons `_back`, `_next`, `_submit`, `_new`.
"""

from __future__ import annotations

import itertools
import uuid
from contextlib import suppress
from typing import Any

import streamlit as st

from components.store_access import StoreUnavailable, get_store
from inclucities import respondent
from inclucities.sessions import SESSION_PARAM, resolve_session
from inclucities.store import LiveSession
from inclucities.survey.form import ranking
from inclucities.survey.models import LIST_TYPES, Question, Survey
from inclucities.survey.steps import group_steps
from inclucities.survey.validation import FieldError

_nonces = itertools.count(1)
_plans: dict[tuple[str, int], list[tuple[str, ...]]] = {}


def key(survey: Survey, name: str) -> str:
    return f"survey_{survey.id}_{name}"


def widget_key(survey: Survey, question: Question, part: str | None = None) -> str:
    return key(survey, f"q_{question.id}" + (f"__{part}" if part else ""))


def steps(survey: Survey) -> list[tuple[str, ...]]:
    """The survey's steps (question ids), computed once per survey version."""
    plan_key = (survey.id, survey.version)
    if plan_key not in _plans:
        _plans[plan_key] = group_steps(survey)
    return _plans[plan_key]


def _get(survey: Survey, name: str, default: Any) -> Any:
    return st.session_state.setdefault(key(survey, name), default)


def answers(survey: Survey) -> dict[str, Any]:
    """Answers so far by question id (kept while widgets come and go, e.g. between pages)."""
    stored: dict[str, Any] = _get(survey, "answers", {})
    return stored


def places(survey: Survey, question: Question) -> dict[str, int | None]:
    """A ranking question's places as last shown (to tell which option took a place)."""
    stored: dict[str, dict[str, int | None]] = _get(survey, "places", {})
    return stored.setdefault(question.id, {})


def current_step(survey: Survey) -> int:
    return int(_get(survey, "step", 0))


def set_step(survey: Survey, index: int) -> None:
    st.session_state[key(survey, "step")] = index


def flagged(survey: Survey) -> set[str]:
    """Questions whose errors are shown (set by the last Next or Send that failed)."""
    stored: set[str] = _get(survey, "flagged", set())
    return stored


def flag(survey: Survey, errors: list[FieldError]) -> None:
    st.session_state[key(survey, "flagged")] = {e.question_id for e in errors}


def request_focus(survey: Survey, place: str, target: str) -> None:
    """Ask the page script to bring `target` ('error' or 'step') into view at `place`."""
    st.session_state[key(survey, "focus")] = {"place": place, "target": target}
    st.session_state[key(survey, "focus_nonce")] = next(_nonces)


def take_focus(survey: Survey, place: str) -> dict[str, str] | None:
    """The focus request for `place`, once (with a number the script has not seen)."""
    request = st.session_state.get(key(survey, "focus"))
    if not request or request.get("place") != place:
        return None
    st.session_state.pop(key(survey, "focus"), None)
    return {"target": request["target"], "nonce": str(st.session_state[key(survey, "focus_nonce")])}


def status(survey: Survey) -> str | None:
    value = st.session_state.get(key(survey, "status"))
    return str(value) if value else None


def set_outcome(survey: Survey, outcome: str | None, count: int | None = None) -> None:
    st.session_state[key(survey, "status")] = outcome
    st.session_state[key(survey, "count")] = count


def count(survey: Survey) -> int | None:
    value = st.session_state.get(key(survey, "count"))
    return int(value) if value is not None else None


def problem(survey: Survey) -> str | None:
    """The message key of the last failed send (a storage fault), until the next attempt."""
    value = st.session_state.get(key(survey, "problem"))
    return str(value) if value else None


def set_problem(survey: Survey, message_key: str | None) -> None:
    st.session_state[key(survey, "problem")] = message_key


def consent_given(survey: Survey) -> bool:
    return bool(st.session_state.get(key(survey, "consent")))


def collect(survey: Survey) -> dict[str, Any]:
    """Answers from the widgets on the page, over what the session remembers."""
    state = st.session_state
    saved = answers(survey)
    for question in survey.questions:
        parts = question.items or question.options
        if question.items:
            keys = {item.id: widget_key(survey, question, item.id) for item in question.items}
            if any(k in state for k in keys.values()):
                grid = {i: state.get(k) for i, k in keys.items()}
                saved[question.id] = {i: v for i, v in grid.items() if v is not None}
        elif question.type in LIST_TYPES:
            keys = {o.id: widget_key(survey, question, o.id) for o in parts}
            if any(k in state for k in keys.values()):
                saved[question.id] = list_value(
                    question, {o: state.get(k) for o, k in keys.items()}
                )
        elif widget_key(survey, question) in state:
            saved[question.id] = state.get(widget_key(survey, question))
    return saved


def list_value(question: Question, values: dict[str, Any]) -> list[str]:
    """A multiple-choice (ticked boxes) or ranking (places) answer from its widgets."""
    if question.type == "priorities":
        return ranking({o: v for o, v in values.items()}, question.option_ids)
    return [o for o in question.option_ids if values.get(o)]


def reset(survey: Survey) -> None:
    """Forget this survey's answers and outcome (a new response on a shared device)."""
    for name in ("answers", "places", "step", "flagged", "focus", "status", "count", "problem"):
        st.session_state.pop(key(survey, name), None)
    st.session_state.pop(key(survey, "consent"), None)
    st.session_state.pop(key(survey, "submission_id"), None)


def live_session_param() -> str | None:
    """The live session named in the link (`?session=`: its id or join code), as written."""
    return respondent.live_session(st.query_params.get(SESSION_PARAM))


def session(survey: Survey) -> LiveSession | None:
    """The live session of this survey the link names, looked up once per run of the page;
    None without one, or when it names no session of this survey."""
    value = live_session_param()
    if not value:
        return None
    cache_key = key(survey, f"live_session_{value}")
    if cache_key not in st.session_state:
        try:
            st.session_state[cache_key] = resolve_session(get_store(), value, survey.id)
        except StoreUnavailable:
            return None
    found: LiveSession | None = st.session_state[cache_key]
    if found is not None:  # opened or closed since: read again (cheap: one row)
        with suppress(StoreUnavailable):
            found = get_store().get_session(found.id) or found
    return found


def live_session(survey: Survey) -> str | None:
    """The id of the live session this respondent answers in, if any."""
    found = session(survey)
    return found.id if found is not None else None


def respondent_token() -> str | None:
    """This browser's respondent token (the HttpOnly cookie), if the browser sent one."""
    try:
        return respondent.valid_token(st.context.cookies.get(respondent.COOKIE_NAME))
    except (AttributeError, RuntimeError):  # no browser behind this run (AppTest)
        return None


def submission_id(survey: Survey) -> str:
    """The idempotency key: from the browser's cookie (the same through reloads, restarts and
    tabs), else one per session (no cookie: a test client or cookies refused)."""
    token = respondent_token()
    if token:
        return respondent.submission_id(token, survey.id, live_session(survey))
    return str(_get(survey, "submission_id", uuid.uuid4().hex))
