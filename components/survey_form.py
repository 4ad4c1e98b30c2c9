"""The survey page: which survey, whether it can take answers, then the form in short steps.

A respondent is recognised by the browser's respondent cookie: whoever has already sent this
survey sees the thank-you (after a reload, a restart, back and forward), and a retry is the
same submission, stored once.
"""

from __future__ import annotations

import streamlit as st

from components import survey_state as state
from components.store_access import StoreUnavailable, get_store, survey_registry
from components.survey_assets import show_assets
from components.survey_steps import render_steps
from inclucities.i18n import Translator, is_rtl
from inclucities.store import SubmitResult
from inclucities.survey.models import Survey
from inclucities.text import Literal

DEFAULT_SURVEY = "resident"


def selected_survey_id() -> str:
    """`?survey=` chooses the survey (a QR code can open the right one)."""
    return str(st.query_params.get("survey") or DEFAULT_SURVEY)


def _recognise(survey: Survey) -> None:
    """Once per session: has this browser already sent this survey? Then show the thank-you."""
    checked = state.key(survey, "recognised")
    if st.session_state.get(checked) or state.status(survey) or not state.respondent_token():
        return
    try:
        store = get_store()
        if store.has_submission(state.submission_id(survey)):
            total = store.count(survey.id, state.live_session(survey))
            state.set_outcome(survey, SubmitResult.STORED.value, total)
    except StoreUnavailable:
        return  # asked again on the next page load
    st.session_state[checked] = True


def render_survey(survey: Survey, t: Translator) -> None:
    """The whole survey experience for one survey in the session's language."""
    st.title(t.text(survey.title))
    _recognise(survey)
    if not state.status(survey):
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
        live = state.session(survey)
        if live is not None and not live.is_open:
            st.warning(t("survey.session_closed"), icon=":material/lock:")
            return
    show_assets(survey, t)
    with st.container(key="survey_rtl" if is_rtl(t.lang) else "survey_ltr"):
        render_steps(survey, t.lang)


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
