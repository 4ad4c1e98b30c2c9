"""The thank-you that replaces the survey's buttons once the answers are sent."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import markup
from components import survey_state as state
from components.navigation import page_link
from components.receipt_view import show_receipt
from components.survey_supports import render_supports
from inclucities.i18n import translator
from inclucities.store import SubmitResult
from inclucities.survey.models import Survey


def render_thanks(survey: Survey, lang: str, on_again: Callable[[Survey], None]) -> None:
    """The thank-you: what happened to the answers, the receipt, ideas to support, what next."""
    t = translator(lang)
    outcome = state.status(survey)
    if outcome == SubmitResult.CLOSED.value:
        live = state.session(survey)
        closed = live is not None and not live.is_open
        st.warning(
            t("survey.session_closed" if closed else "survey.closed"), icon=":material/lock:"
        )
        return
    if outcome == SubmitResult.DUPLICATE.value:
        st.info(t("survey.already_received"), icon=":material/check_circle:")
    else:
        st.success(t.text(survey.thank_you), icon=":material/check_circle:")
    total = state.count(survey)
    if total:
        st.markdown(f"**{t('survey.count_so_far', count=total)}**")
    show_receipt(t, state.submission_id(survey))
    render_supports(survey, lang)
    page_link(
        "pages/results.py",
        t("survey.see_results"),
        ":material/bar_chart:",
        {"survey": survey.id, "lang": lang},
    )
    if state.respondent_token():
        query = {"survey": survey.id, "lang": lang, "session": state.live_session(survey) or ""}
        href = "respondent/new?" + "&".join(f"{k}={v}" for k, v in query.items() if v)
        with st.container(key=state.key(survey, "new")):
            markup.show("survey_again.html", href=href, label=t("survey.new_response"))
    else:
        st.button(
            t("survey.new_response"),
            key=state.key(survey, "new"),
            on_click=on_again,
            args=(survey,),
        )
