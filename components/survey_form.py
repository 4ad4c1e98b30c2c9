"""The survey form: widgets keyed in session state, server validation, idempotent submit."""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from components.store_access import StoreUnavailable, clear_summaries, get_store, survey_registry
from inclucities.i18n import Translator, is_rtl
from inclucities.store import SubmitResult
from inclucities.survey.models import AGREEMENT_LEVELS, LIST_TYPES, Question, Survey
from inclucities.survey.validation import (
    CONSENT,
    FieldError,
    InvalidSubmission,
    validate_answers,
    visible_questions,
)
from inclucities.text import Literal

DEFAULT_SURVEY = "resident"
TEXT_AREA_FROM = 100  # text questions longer than this get a multi-line box


def _key(survey: Survey, name: str) -> str:
    return f"survey_{survey.id}_{name}"


def _widget_key(survey: Survey, question: Question, item: str | None = None) -> str:
    return _key(survey, f"q_{question.id}" + (f"__{item}" if item else ""))


def selected_survey_id() -> str:
    """`?survey=` chooses the survey (a QR code can open the right one)."""
    return str(st.query_params.get("survey") or DEFAULT_SURVEY)


def _draft(survey: Survey) -> dict[str, Any]:
    return st.session_state.setdefault(_key(survey, "draft"), {})


def _submission_id(survey: Survey) -> str:
    """Generated once when the form is first shown; kept until a new response is started."""
    return st.session_state.setdefault(_key(survey, "submission_id"), uuid.uuid4().hex)


def _seed(key: str, value: Any) -> None:
    """Restore a widget's value from the draft (e.g. after visiting another page)."""
    if key not in st.session_state and value not in (None, "", [], {}):
        st.session_state[key] = value


def _collect(survey: Survey) -> dict[str, Any]:
    """Current answers from the widgets (grid items gathered into one mapping)."""
    state = st.session_state
    answers: dict[str, Any] = {}
    for question in survey.questions:
        if question.items:
            grid = {
                item.id: state.get(_widget_key(survey, question, item.id))
                for item in question.items
            }
            answers[question.id] = {k: v for k, v in grid.items() if v is not None}
        else:
            answers[question.id] = state.get(_widget_key(survey, question))
    return answers


def _label(question: Question, t: Translator, text: str | None = None) -> str:
    label = text if text is not None else t.text(question.text)
    return f"{label} ({t('survey.required')})" if question.required else label


def _show_errors(errors: list[FieldError], t: Translator) -> None:
    for error in errors:
        st.error(t(error.message_key, **error.params), icon=":material/error:")


def _render_question(survey: Survey, question: Question, t: Translator) -> None:
    draft = _draft(survey)
    option_label = {o.id: t.text(o.label) for o in question.options}
    level_label = {lvl: t(f"survey.scale.{lvl}") for lvl in AGREEMENT_LEVELS}
    key = _widget_key(survey, question)
    help_text = t.text(question.help) if question.help else None
    if question.type == "agreement" and question.items:
        st.markdown(f"**{_label(question, t)}**")
        saved = draft.get(question.id) or {}
        for item in question.items:
            item_key = _widget_key(survey, question, item.id)
            _seed(item_key, saved.get(item.id))
            with st.container(key=f"{item_key}-scale"):
                st.radio(
                    t.text(item.label),
                    list(AGREEMENT_LEVELS),
                    index=None,
                    key=item_key,
                    format_func=level_label.__getitem__,
                    horizontal=True,
                )
        return
    _seed(key, draft.get(question.id))
    if question.type == "agreement":
        with st.container(key=f"{key}-scale"):
            st.radio(
                _label(question, t),
                list(AGREEMENT_LEVELS),
                index=None,
                key=key,
                format_func=level_label.__getitem__,
                horizontal=True,
            )
    elif question.type == "single":
        st.radio(
            _label(question, t),
            question.option_ids,
            index=None,
            key=key,
            format_func=option_label.__getitem__,
        )
    elif question.type == "city":
        st.selectbox(
            _label(question, t),
            question.option_ids,
            index=None,
            key=key,
            format_func=option_label.__getitem__,
            placeholder=t("survey.city_placeholder"),
        )
    elif question.type in LIST_TYPES:
        hint_key = (
            "survey.priorities_hint" if question.type == "priorities" else "survey.choose_up_to"
        )
        st.multiselect(
            _label(question, t),
            question.option_ids,
            key=key,
            format_func=option_label.__getitem__,
            max_selections=question.max_selections,
            placeholder=t("survey.choose_placeholder"),
        )
        st.caption(t(hint_key, count=question.max_selections or 1))
    else:  # text
        widget = st.text_area if (question.max_length or 0) > TEXT_AREA_FROM else st.text_input
        widget(_label(question, t), key=key, max_chars=question.max_length)
    if help_text:
        st.caption(help_text)


def _on_submit(survey: Survey, lang: str) -> None:
    """Validate on the server, then store; runs before the page redraws, so errors show inline."""
    state = st.session_state
    answers = _collect(survey)
    result = validate_answers(survey, answers, consent=bool(state.get(_key(survey, "consent"))))
    state[_key(survey, "errors")] = result.errors
    state[_key(survey, "status")] = None
    if not result.ok:
        return
    try:
        outcome = get_store().submit(
            _submission_id(survey), survey.id, survey.version, lang, result.answers
        )
    except StoreUnavailable as exc:
        state[_key(survey, "status")] = f"unavailable.{exc.reason}"
        return
    except InvalidSubmission as exc:  # the store re-validates; keep its verdict
        state[_key(survey, "errors")] = exc.errors
        return
    state[_key(survey, "status")] = outcome.value
    if outcome in (SubmitResult.STORED, SubmitResult.DUPLICATE):
        clear_summaries()
        state[_key(survey, "draft")] = {}


def _new_response(survey: Survey) -> None:
    for name in ("submission_id", "status", "errors", "draft", "consent"):
        st.session_state.pop(_key(survey, name), None)
    for question in survey.questions:
        st.session_state.pop(_widget_key(survey, question), None)
        for item in question.items:
            st.session_state.pop(_widget_key(survey, question, item.id), None)


def _after_submit(survey: Survey, status: str, t: Translator) -> None:
    if status == SubmitResult.STORED.value:
        st.success(t.text(survey.thank_you), icon=":material/check_circle:")
    else:
        st.info(t("survey.already_received"), icon=":material/check_circle:")
    st.page_link(
        "pages/results.py",
        label=t("survey.see_results"),
        icon=":material/bar_chart:",
        query_params={"survey": survey.id, "lang": t.lang},
    )
    st.button(
        t("survey.new_response"), key=_key(survey, "new"), on_click=_new_response, args=(survey,)
    )


def render_survey(survey: Survey, t: Translator) -> None:
    """The whole survey experience for one survey in the session's language."""
    st.title(t.text(survey.title))
    status = st.session_state.get(_key(survey, "status"))
    if status in (SubmitResult.STORED.value, SubmitResult.DUPLICATE.value):
        _after_submit(survey, status, t)
        return
    try:
        store = get_store()
    except StoreUnavailable as exc:
        store = None
        st.error(t(f"survey.unavailable.{exc.reason}"), icon=":material/database:")
    if store is not None and survey.id in store.registration_errors:
        st.error(t("survey.definition_error"), icon=":material/error:")
        with st.expander(t("survey.definition_details")):
            st.code(store.registration_errors[survey.id], language=None)
        return
    if store is not None and not store.is_survey_open(survey.id):
        st.warning(t("survey.closed"), icon=":material/lock:")
        return
    if status == SubmitResult.CLOSED.value:
        st.warning(t("survey.closed"), icon=":material/lock:")
        return
    if status and status.startswith("unavailable.") and store is not None:
        st.error(t(f"survey.{status}"), icon=":material/database:")

    _submission_id(survey)
    errors: list[FieldError] = st.session_state.get(_key(survey, "errors")) or []
    rtl = is_rtl(t.lang)
    with st.container(key="survey_rtl" if rtl else "survey_ltr"):
        st.markdown(t.text(survey.introduction))
        st.caption(t("survey.minutes", count=survey.minutes))
        answers = _collect(survey)
        draft = _draft(survey)
        for question in visible_questions(survey, _known(survey, answers, draft)):
            with st.container(key=_key(survey, f"block_{question.id}")):
                _render_question(survey, question, t)
                _show_errors([e for e in errors if e.question_id == question.id], t)
            value = _collect(survey)[question.id]
            draft[question.id] = value
        with st.container(border=True, key=_key(survey, "consent_box")):
            st.markdown(f"**{t('survey.consent_heading')}**")
            st.markdown(t.text(survey.consent))
            st.page_link(
                "pages/privacy.py",
                label=t("survey.privacy_link"),
                icon=":material/shield:",
                query_params={"lang": t.lang},
            )
            st.checkbox(t("survey.consent_checkbox"), key=_key(survey, "consent"))
            _show_errors([e for e in errors if e.question_id == CONSENT], t)
        other = [
            e
            for e in errors
            if e.question_id not in {q.id for q in survey.questions} and e.question_id != CONSENT
        ]
        _show_errors(other, t)
        if errors:
            st.error(t("survey.error.summary", count=len(errors)), icon=":material/warning:")
        st.button(
            t("survey.submit"),
            type="primary",
            key=_key(survey, "submit"),
            on_click=_on_submit,
            args=(survey, t.lang),
            width="stretch",
        )


def _known(survey: Survey, answers: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    """Answers so far for conditions: the widgets, else what the draft remembers."""
    return {q.id: answers.get(q.id) or draft.get(q.id) for q in survey.questions}


def survey_page(t: Translator) -> None:
    """Pick the survey from `?survey=`, report definition problems, render the form."""
    registry = survey_registry()
    survey_id = selected_survey_id()
    survey = registry.get(survey_id)
    if survey is None:
        st.title(t("core.nav.survey"))  # the page keeps its main heading without a survey
        if survey_id in registry.errors:
            st.error(t("survey.definition_error"), icon=":material/error:")
            with st.expander(t("survey.definition_details")):
                st.code(registry.errors[survey_id], language=None)
            return
        if registry.surveys:
            st.warning(t("survey.unknown", survey=Literal(survey_id)))
            choice = st.radio(
                t("survey.choose_survey"),
                list(registry.surveys),
                format_func=lambda sid: t.text(registry.surveys[sid].title),
                index=None,
                key="survey_choice",
            )
            if choice:
                st.query_params["survey"] = choice
                st.rerun()
        return
    render_survey(survey, t)
