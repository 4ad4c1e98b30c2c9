"""The survey page: which survey and live session, whether it takes answers, then the form.

The form itself is the phone's form (`inclucities.form`), mounted as a component: it is drawn
and checked in the browser and sends its answers to the answers route, so answering costs the
page no script runs at all. The language picker of the frame reruns the page, which mounts the
form in the new language; the answers given so far stay in the browser.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import streamlit as st

from components.store_access import StoreUnavailable, get_store, min_cell_size, survey_registry
from inclucities.browser_files import browser_file, module_loader
from inclucities.form.render import render_form
from inclucities.i18n import Translator
from inclucities.respondent import live_session
from inclucities.sessions import SESSION_PARAM, answering_session
from inclucities.store import LiveSession, Store
from inclucities.survey.models import Survey
from inclucities.text import Literal, excerpt

DEFAULT_SURVEY = "resident"
MAX_SHOWN_ID = 24  # characters of an unknown survey id repeated on the page (with an ellipsis)


@lru_cache(maxsize=1)
def _component() -> Any:
    return st.components.v2.component(
        "inclucities_survey_form",
        html="",
        js=module_loader("survey-form.js"),  # the light page's own file, by its hashed URL
        css=browser_file("survey-form.css").text,
        isolate_styles=False,  # its class names are its own (.icf-*); tests and axe see it plainly
    )


def selected_survey_id() -> str:
    """`?survey=` chooses the survey (a QR code can open the right one)."""
    return str(st.query_params.get("survey") or DEFAULT_SURVEY)


def _session(store: Store | None, survey: Survey) -> tuple[bool, LiveSession | None]:
    """(whether the link names a session, the session it names if it is one of this survey)."""
    named = live_session(st.query_params.get(SESSION_PARAM))
    if not named:
        return False, None
    if store is None:
        return True, None
    return True, answering_session(store, named, survey.id)


def render_survey(survey: Survey, t: Translator) -> None:
    """The survey in the session's language, or why it takes no answers now."""
    st.title(t.text(survey.title))
    try:
        store: Store | None = get_store()
    except StoreUnavailable as exc:
        store = None  # the form still shows; sending says what is wrong and keeps the answers
        st.error(t(f"survey.unavailable.{exc.reason}"), icon=":material/database:")
    if store is not None and survey.id in store.registration_errors:
        st.error(t("survey.definition_error"), icon=":material/error:")
        with st.expander(t("survey.definition_details")):
            st.code(store.registration_errors[survey.id], language=None)
        return
    if store is not None and not store.is_survey_open(survey.id):
        st.warning(t("survey.closed"), icon=":material/lock:")
        return
    named, session = _session(store, survey)
    if named and store is not None and (session is None or not session.is_open):
        st.warning(t("survey.session_closed"), icon=":material/lock:")
        return
    html = render_form(
        survey, t.lang, min_cell_size=min_cell_size(), session=session, host="streamlit"
    )
    with st.container(key="survey_form"):
        _component()(key=f"survey_form_{survey.id}", data={"html": html})


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
            st.warning(t("survey.unknown", survey=Literal(excerpt(survey_id, MAX_SHOWN_ID))))
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
