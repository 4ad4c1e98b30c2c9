"""The presenter's controls: survey, language of the survey, screen, hide/reveal, projector link.

They sit in the sidebar of the presenter page, for a signed-in presenter (or the admin) only.
Everyone else, and every projector view, gets the stage its link names and nothing to change.
Hide/reveal is stored in the database, so every screen of the survey (projector, controls
device, a second projector) shows the same state.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from components import access
from components.presenter import sessions as presenter_sessions
from components.store_access import StoreUnavailable, get_store
from inclucities.i18n import LANGUAGES, Translator, normalise_language
from inclucities.presenter import MODES
from inclucities.signin import SignedIn
from inclucities.store import LiveSession
from inclucities.survey.models import Survey

SURVEY_KEY = "presenter_survey"
LANG_KEY = "presenter_lang"
MODE_KEY = "presenter_mode"
HIDE_KEY = "presenter_hide_results"
VIEW_PARAM, PROJECTOR = "view", "projector"
SURVEY_PARAM, LANG_PARAM, SCREEN_PARAM = "survey", "survey_lang", "screen"


@dataclass(frozen=True)
class Controls:
    survey: Survey
    lang: str  # the language of the survey on screen (not the interface's)
    mode: str
    revealed: bool
    session: LiveSession | None = None  # the live session the screens show; None: all of them


def is_projector_view() -> bool:
    return st.query_params.get(VIEW_PARAM) == PROJECTOR


def _seed_from_url(surveys: dict[str, Survey], interface_lang: str) -> None:
    """First run of a session: start from the link (the projector view opens with one)."""
    survey = st.query_params.get(SURVEY_PARAM)
    if SURVEY_KEY not in st.session_state and survey in surveys:
        st.session_state[SURVEY_KEY] = survey
    if LANG_KEY not in st.session_state:
        lang = normalise_language(st.query_params.get(LANG_PARAM))
        st.session_state[LANG_KEY] = lang or interface_lang
    screen = st.query_params.get(SCREEN_PARAM)
    if MODE_KEY not in st.session_state and screen in MODES:
        st.session_state[MODE_KEY] = screen


def revealed_state(survey_id: str, session_id: str | None = None) -> bool:
    """Whether the results are shown on the big screens (hidden until the presenter reveals),
    for the session shown (each session starts hidden)."""
    try:
        return get_store().results_revealed(survey_id, session_id)
    except StoreUnavailable:
        return False


def set_revealed(
    survey_id: str, revealed: bool, session_id: str | None = None, *, actor: str
) -> None:
    # when the database is unavailable, the toggle shows the stored state again on the next run
    with suppress(StoreUnavailable):
        get_store().set_results_revealed(survey_id, revealed, actor=actor, session_id=session_id)


def _on_hide_change(survey_id: str, session_id: str | None, actor: str) -> None:
    set_revealed(survey_id, not st.session_state[HIDE_KEY], session_id, actor=actor)


def linked_controls(surveys: dict[str, Survey], interface_lang: str) -> Controls:
    """The stage a link names (survey, its language, screen, session), read-only: what the
    public and every projector view see. Unknown values fall back to the defaults."""
    survey_id = st.query_params.get(SURVEY_PARAM)
    survey = surveys.get(survey_id) if survey_id else None
    survey = survey or next(iter(surveys.values()))
    lang = normalise_language(st.query_params.get(LANG_PARAM)) or interface_lang
    screen = st.query_params.get(SCREEN_PARAM)
    mode = screen if screen in MODES else MODES[0]
    shown = presenter_sessions.linked_session(survey)
    session_id = shown.id if shown is not None else None
    return Controls(survey, lang, mode, revealed_state(survey.id, session_id), shown)


def projector_link(controls: Controls, interface_lang: str) -> str:
    query = {
        VIEW_PARAM: PROJECTOR,
        SURVEY_PARAM: controls.survey.id,
        LANG_PARAM: controls.lang,
        SCREEN_PARAM: controls.mode,
        "lang": interface_lang,
    }
    if controls.session is not None:
        query["session"] = controls.session.id
    if controls.mode == "compare":
        ids = [s.id for s in presenter_sessions.survey_sessions(controls.survey.id)]
        if len(ids) >= 2:
            picks = presenter_sessions.compared_ids(controls.survey.id, ids)
            query.update(zip(presenter_sessions.COMPARE_PARAMS, picks, strict=True))
    return f"presenter?{urlencode(query)}"


def render_controls(t: Translator, surveys: dict[str, Survey], signed: SignedIn) -> Controls:
    """The widgets (in the current container), for a signed-in presenter; returns their say."""
    _seed_from_url(surveys, t.lang)
    ids = list(surveys)
    st.subheader(t("presenter.controls.heading"))
    survey_id = st.selectbox(
        t("presenter.controls.survey"),
        ids,
        key=SURVEY_KEY,
        format_func=lambda sid: t.text(surveys[sid].title),
    )
    lang = st.selectbox(
        t("presenter.controls.language"),
        list(LANGUAGES),
        key=LANG_KEY,
        format_func=lambda code: LANGUAGES[code].native_name,
        help=t("presenter.controls.language_help"),
    )
    mode = st.radio(
        t("presenter.controls.mode"),
        MODES,
        key=MODE_KEY,
        format_func=lambda m: t(f"presenter.mode.{m}"),
    )
    shown = presenter_sessions.choose_session(t, surveys[survey_id])
    session_id = shown.id if shown is not None else None
    revealed = revealed_state(survey_id, session_id)
    st.session_state[HIDE_KEY] = not revealed  # the stored state, whoever changed it
    st.toggle(
        t("presenter.controls.hide"),
        key=HIDE_KEY,
        help=f"{t('presenter.controls.hide_help')} {t('presenter.controls.hide_shared')}",
        on_change=_on_hide_change,
        args=(survey_id, session_id, signed.actor),
    )
    controls = Controls(surveys[survey_id], lang, mode, revealed, shown)
    presenter_sessions.manage_sessions(t, surveys[survey_id], shown, signed)
    st.link_button(
        t("presenter.controls.projector"),
        projector_link(controls, t.lang),
        icon=":material/fit_screen:",
        help=t("presenter.controls.projector_help"),
    )
    st.caption(t("presenter.controls.fullscreen_tip"))
    presenter_sessions.snapshot_button(t, controls.survey, lang, shown)
    access.sign_out_button(t, "presenter")
    st.caption(t(f"signin.as_{signed.role.value}"))
    return controls
