"""The survey's steps and its buttons, each a fragment: picking an answer reruns its step only.

Every step is drawn all the time (the ones not shown are hidden), so the browser keeps every
answer: a server restart or a reconnect gives them all back. Back and Next rerun just the two
steps involved and the buttons (`st.rerun` with fragment keys); the app frame never reruns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NoReturn

import streamlit as st

from components import markup
from components import survey_state as state
from components.navigation import page_link
from components.store_access import StoreUnavailable, clear_summaries, get_store
from components.survey_questions import render_question
from components.survey_thanks import render_thanks
from inclucities.i18n import translator
from inclucities.receipt import receipt_code, receipt_hash
from inclucities.settings import get_settings
from inclucities.speech import clip_key
from inclucities.store import SubmitResult
from inclucities.survey.form import live_errors
from inclucities.survey.models import Survey
from inclucities.survey.steps import (
    active_steps,
    neighbour,
    resume_step,
    shown_questions,
    step_errors,
    step_of,
)
from inclucities.survey.validation import CONSENT, FieldError, InvalidSubmission, validate_answers

LOG = logging.getLogger(__name__)
NAV = "nav"
_fragments: dict[str, Callable[..., None]] = {}


def _fragment(name: str, body: Callable[..., None]) -> Callable[..., None]:
    """One keyed fragment per step and one for the buttons (keys let a button rerun them)."""
    if name not in _fragments:
        _fragments[name] = st.fragment(body, key=name)
    return _fragments[name]


def step_fragment(survey: Survey, index: int) -> str:
    return f"survey_{survey.id}_frag_step_{index}"


def nav_fragment(survey: Survey) -> str:
    return f"survey_{survey.id}_frag_nav"


def _shown(key: str, visible: bool) -> Any:
    """A container that is hidden (still on the page, out of view and of the tab order)."""
    return st.container(key=key if visible else f"{key}__hidden")


def _answered(answers: dict[str, Any]) -> bool:
    return any(v not in (None, "", [], {}) for v in answers.values())


def _step(survey: Survey, index: int, lang: str) -> None:
    if state.status(survey):
        return  # sent: the thank-you stands where the buttons were
    t = translator(lang)
    plan = state.steps(survey)
    answers = state.collect(survey)
    questions = shown_questions(survey, plan[index], answers)
    active = active_steps(survey, plan, answers) or [index]
    visible = index == state.current_step(survey) and bool(questions)
    flagged = state.flagged(survey)
    errors = live_errors(survey, answers, flagged) if flagged else []
    with _shown(state.key(survey, f"step_{index}"), visible):
        if visible:
            if index == active[0]:
                st.markdown(t.text(survey.introduction))
            number = active.index(index) + 1 if index in active else 1
            head = markup.render(
                "survey_step_head.html",
                title=t("survey.step", number=number, total=len(active)),
                number=number,
                total=len(active),
                focus=state.take_focus(survey, f"step{index}"),
            )
            if head.strip():  # a one-page survey has no step heading
                st.html(head)
        for question in questions:
            mine = [e for e in errors if e.question_id == question.id]
            render_question(survey, question, t, mine)


def render_steps(survey: Survey, lang: str) -> None:
    """Every step's fragment, then the buttons' fragment."""
    for index in range(len(state.steps(survey))):
        _fragment(step_fragment(survey, index), _step)(survey, index, lang)
    _fragment(nav_fragment(survey), _nav)(survey, lang)


def _rerun(survey: Survey, *steps: int, nav: bool = True) -> NoReturn:
    names = [step_fragment(survey, i) for i in dict.fromkeys(steps)]
    st.rerun(names + ([nav_fragment(survey)] if nav else []))


def _everything(survey: Survey) -> NoReturn:
    _rerun(survey, *range(len(state.steps(survey))))


def _move(survey: Survey, direction: int) -> None:
    """Back (-1) or Next (+1); Next first checks the questions of this step."""
    plan = state.steps(survey)
    answers = state.collect(survey)
    current = state.current_step(survey)
    if direction > 0:
        errors = step_errors(survey, plan[current], answers)
        if errors:
            state.flag(survey, errors)
            state.request_focus(survey, f"step{current}", "error")
            _rerun(survey, current, nav=False)
        state.flag(survey, [])
    target = neighbour(active_steps(survey, plan, answers), current, direction)
    state.set_step(survey, target)
    state.request_focus(survey, f"step{target}", "step")
    _rerun(survey, current, target)


def _show_problems(survey: Survey, errors: list[FieldError]) -> NoReturn:
    """Show every problem and take the respondent to the first one."""
    plan = state.steps(survey)
    current = state.current_step(survey)
    state.flag(survey, errors)
    first = next((e for e in errors if e.question_id != CONSENT), None)
    target = step_of(plan, first.question_id) if first else None
    if target is None:
        state.request_focus(survey, NAV, "error")
        _rerun(survey, current)
    state.set_step(survey, target)
    state.request_focus(survey, f"step{target}", "error")
    _rerun(survey, current, target)


def _send(survey: Survey, lang: str) -> None:
    answers = state.collect(survey)
    result = validate_answers(survey, answers, consent=state.consent_given(survey))
    if not result.ok:
        _show_problems(survey, result.errors)
    state.set_problem(survey, None)
    outcome: SubmitResult | None = None
    total: int | None = None
    invalid: list[FieldError] = []
    try:
        store = get_store()
        session_id = state.live_session(survey)
        submission = state.submission_id(survey)
        outcome = store.submit(
            submission,
            survey.id,
            survey.version,
            lang,
            result.answers,
            session_id=session_id,
            receipt_hash=receipt_hash(receipt_code(submission)),
        )
        total = store.count(survey.id, session_id)
    except StoreUnavailable as exc:
        state.set_problem(survey, f"survey.unavailable.{exc.reason}")
    except InvalidSubmission as exc:  # the store checks again; keep its verdict
        invalid = exc.errors
    except Exception:  # a storage fault: the answers stay on the page, never a traceback
        LOG.exception("survey %s: sending failed", survey.id)
        state.set_problem(survey, "survey.send_failed")
    if invalid:
        _show_problems(survey, invalid)
    if outcome is None:
        state.request_focus(survey, NAV, "error")
        _rerun(survey)
    clear_summaries()
    state.set_outcome(survey, outcome.value if outcome else None, total)
    state.answers(survey).clear()
    _everything(survey)


def _again(survey: Survey) -> None:
    """A new response in this session (no respondent cookie: tests, cookies refused)."""
    state.reset(survey)
    _everything(survey)


def _consent(survey: Survey, lang: str, visible: bool) -> None:
    t = translator(lang)
    text = survey.consent_text(lang, get_settings().min_cell_size)
    with _shown(state.key(survey, "consent_box"), visible), st.container(border=True):
        markup.show(
            "survey_consent.html",
            heading=t("survey.consent_heading"),
            text=text,
            clip=clip_key(lang, text),
            listen=t("survey.listen", text=text),
            focus=state.take_focus(survey, NAV) if visible else None,
        )
        page_link("pages/privacy.py", t("survey.privacy_link"), ":material/shield:", {"lang": lang})
        if CONSENT in state.flagged(survey) and not state.consent_given(survey):
            st.error(t("survey.error.consent"), icon=":material/error:")
        st.checkbox(t("survey.consent_checkbox"), key=state.key(survey, "consent"))


def _nav(survey: Survey, lang: str) -> None:
    if state.status(survey):
        render_thanks(survey, lang, on_again=_again)
        return
    t = translator(lang)
    plan = state.steps(survey)
    answers = state.collect(survey)
    if not st.session_state.get(state.key(survey, "started")):
        st.session_state[state.key(survey, "started")] = True
        if _answered(answers):  # answers came back from the browser (a reconnect)
            resume = resume_step(survey, plan, answers)
            if resume != state.current_step(survey):
                state.set_step(survey, resume)
                st.rerun()
    active = active_steps(survey, plan, answers) or [0]
    current = state.current_step(survey)
    last = current == active[-1]
    _consent(survey, lang, last)
    problem = state.problem(survey)
    if problem:
        st.error(t(problem), icon=":material/database:")
    with st.container(horizontal=True, key=state.key(survey, "nav")):
        if current != active[0]:
            st.button(
                t("survey.back"), key=state.key(survey, "back"), on_click=_move, args=(survey, -1)
            )
        if last:
            st.button(
                t("survey.submit"),
                type="primary",
                key=state.key(survey, "submit"),
                on_click=_send,
                args=(survey, lang),
            )
        else:
            st.button(
                t("survey.next"),
                type="primary",
                key=state.key(survey, "next"),
                on_click=_move,
                args=(survey, 1),
            )
