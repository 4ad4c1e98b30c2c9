"""Live results page: the survey switch, the rule in one sentence, then the live screen.

The figures are drawn in the browser from the summaries the server pushes (components.results.live);
this script runs once per visit, never on a timer.
"""

from __future__ import annotations

import streamlit as st

from components.results.live import live_screen
from components.store_access import StoreUnavailable, get_store, min_cell_size, survey_registry
from inclucities.i18n import Translator
from inclucities.sessions import ALL_SESSIONS, SESSION_PARAM, results_public, session_label

DEFAULT_SURVEY = "resident"
SWITCH_KEY = "results_survey"


def _choose_survey(t: Translator) -> str | None:
    """`?survey=` (kept in step with the switch), else the resident survey."""
    registry = survey_registry()
    surveys = list(registry.surveys)
    survey_id = str(st.query_params.get("survey") or DEFAULT_SURVEY)
    if survey_id in registry.errors:
        st.error(t("results.definition_error"), icon=":material/error:")
        return None
    if not surveys:
        return None
    if survey_id not in registry.surveys:
        survey_id = DEFAULT_SURVEY if DEFAULT_SURVEY in surveys else surveys[0]
    if len(surveys) > 1:
        # a radio group wraps on a narrow phone (a segmented control is cut off)
        with st.container(key="results_switch"):
            chosen = st.radio(
                t("results.choose_survey"),
                surveys,
                index=surveys.index(survey_id),
                key=SWITCH_KEY,
                horizontal=True,
                format_func=lambda sid: t.text(registry.surveys[sid].title),
            )
        if chosen and chosen != survey_id:
            survey_id = chosen
        st.query_params["survey"] = survey_id
    return survey_id


def _choose_session(t: Translator, survey_id: str) -> str | None:
    """All sessions, or one (`?session=`, kept in step): the small-cell rule then applies
    within that session."""
    try:
        sessions = sorted(get_store().sessions(survey_id), key=lambda s: s.opened_at, reverse=True)
    except StoreUnavailable:
        return None
    if not sessions:
        return None
    by_id = {s.id: s for s in sessions}
    options = [ALL_SESSIONS, *by_id]
    wanted = str(st.query_params.get(SESSION_PARAM) or ALL_SESSIONS)
    chosen = st.selectbox(
        t("results.session"),
        options,
        index=options.index(wanted) if wanted in options else 0,
        key=f"results_session_{survey_id}",
        format_func=lambda sid: (
            t("presenter.sessions.all") if sid == ALL_SESSIONS else session_label(by_id[sid], t)
        ),
    )
    st.query_params[SESSION_PARAM] = chosen or ALL_SESSIONS
    return by_id[chosen].id if chosen in by_id else None


def _hidden_note(t: Translator, survey_id: str, session_id: str | None) -> None:
    """Says so while the presenter keeps this view's results hidden (the live screen then
    receives no figure but the number of answers)."""
    try:
        hidden = not results_public(get_store(), survey_id, session_id)
    except StoreUnavailable:
        return
    if hidden:
        st.info(t("results.hidden_on_screen"), icon=":material/visibility_off:")


def results_page(t: Translator) -> None:
    st.title(t("results.title"))
    survey_id = _choose_survey(t)
    if survey_id is None:
        return
    try:
        get_store()  # opened once per process; says at once when the database is unavailable
    except StoreUnavailable:
        st.warning(t("results.unavailable"), icon=":material/database:")
    session_id = _choose_session(t, survey_id)
    _hidden_note(t, survey_id, session_id)
    # the figures first (a phone's first screen), then the rule and the way to the survey
    with st.container(key="results_live"):
        live_screen(
            survey_id,
            t.lang,
            "results",
            key=f"live_results_{survey_id}_{session_id or ALL_SESSIONS}",
            session_id=session_id,
        )
    st.markdown(t("results.intro", k=min_cell_size()))
    st.page_link(
        "pages/survey.py",
        label=t("results.open_survey"),
        icon=":material/edit:",
        query_params={"survey": survey_id, "lang": t.lang},
    )
