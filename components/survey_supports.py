"""The thank-you step's ideas: the approved ideas of this session, each supported once.

The supporter is a one-way hash of this browser's respondent token (the same token that makes
the submission idempotent), so a reload, a second tab or a double click never counts twice, and
the store refuses a fourth idea per session. Without a cookie (a test client, cookies refused)
the visit's own submission id stands in for the token.
"""

from __future__ import annotations

import logging

import streamlit as st

from components import markup
from components import survey_state as state
from components.store_access import StoreUnavailable, clear_summaries, get_store
from inclucities.i18n import Translator, translator
from inclucities.live.payload import direction
from inclucities.store import Idea
from inclucities.supports import (
    MAX_SUPPORTS_PER_SESSION,
    SupportResult,
    supportable,
    supporter_key,
)
from inclucities.survey.models import Survey
from inclucities.text import collapse_blank_lines

LOG = logging.getLogger(__name__)
FEEDBACK = {
    SupportResult.LIMIT_REACHED: "survey.ideas.limit",
    SupportResult.UNAVAILABLE: "survey.ideas.unavailable",
    SupportResult.CLOSED: "survey.ideas.closed",
}


def supporter(survey: Survey) -> str:
    """This respondent's supporter key in this survey and session."""
    respondent = state.respondent_token() or state.submission_id(survey)
    return supporter_key(respondent, survey.id, state.live_session(survey))


def _feedback_key(survey: Survey) -> str:
    return state.key(survey, "support_feedback")


def _support(survey: Survey, idea_id: int) -> None:
    try:
        result = get_store().support_idea(idea_id, supporter(survey))
    except Exception:  # a storage fault: say so, never a traceback
        LOG.exception("survey %s: support of idea %s failed", survey.id, idea_id)
        st.session_state[_feedback_key(survey)] = "survey.ideas.failed"
        return
    st.session_state[_feedback_key(survey)] = FEEDBACK.get(result)
    if result == SupportResult.SUPPORTED:
        clear_summaries()


def _idea(t: Translator, survey: Survey, idea: Idea, mine: set[int], full: bool) -> None:
    with st.container(border=True, key=state.key(survey, f"idea_{idea.id}")):
        markup.show(  # literal text (escaped), in its own language and direction
            "survey_idea.html",
            text=collapse_blank_lines(idea.text.strip()),
            lang=idea.lang,
            dir=direction(idea.lang),
        )
        st.caption(t("results.supports", count=idea.supports))
        if idea.id in mine:
            st.badge(t("survey.ideas.supported"), icon=":material/favorite:", color="green")
        else:
            st.button(
                t("survey.ideas.support"),
                key=state.key(survey, f"support_{idea.id}"),
                icon=":material/thumb_up:",
                disabled=full,
                on_click=_support,
                args=(survey, idea.id),
            )


def render_supports(survey: Survey, lang: str) -> None:
    """The approved ideas of this session with a Support button each (up to the limit)."""
    t = translator(lang)
    session = state.live_session(survey)
    try:
        store = get_store()
        ideas = supportable(store, survey.id, session)
        mine = set(store.supported_ideas(supporter(survey), session))
    except StoreUnavailable:
        return  # the thank-you already stands; ideas come back with the database
    with st.container(key=state.key(survey, "supports")):
        st.subheader(t("survey.ideas.heading"))
        if not ideas:
            st.caption(t("survey.ideas.none"))
        else:
            left = max(MAX_SUPPORTS_PER_SESSION - len(mine), 0)
            st.markdown(
                f"{t('survey.ideas.intro', count=MAX_SUPPORTS_PER_SESSION)} "
                f"**{t('survey.ideas.left', count=left)}**"
            )
            feedback = st.session_state.pop(_feedback_key(survey), None)
            if feedback:
                st.info(t(str(feedback)), icon=":material/info:")
            for idea in ideas:
                _idea(t, survey, idea, mine, full=left == 0)
        st.button(
            t("survey.ideas.refresh"),
            key=state.key(survey, "ideas_refresh"),
            icon=":material/refresh:",
        )
