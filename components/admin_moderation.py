"""Admin section: moderation of free-text ideas (only approved ones reach any public screen)."""

from __future__ import annotations

import streamlit as st

from components.store_access import clear_summaries
from inclucities import admin_actions
from inclucities.auth import AdminSession
from inclucities.i18n import LANGUAGES, Translator
from inclucities.store import SurveyStore
from inclucities.survey.models import Survey
from inclucities.text import Literal

IDEAS_PER_PAGE = 50
STATUSES: tuple[str, ...] = ("pending", "approved", "hidden")
# What each button sets, shown unless the idea already has that status.
ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("approved", "approve", "admin.moderation.approve", ":material/check:"),
    ("hidden", "hide", "admin.moderation.hide", ":material/visibility_off:"),
    ("pending", "pending", "admin.moderation.back_to_pending", ":material/undo:"),
)


def _moderate(session: AdminSession, store: SurveyStore, idea_id: int, status: str) -> None:
    admin_actions.moderate_idea(session, store, idea_id, status)
    clear_summaries()


def render(t: Translator, session: AdminSession, store: SurveyStore, survey: Survey) -> None:
    st.markdown(t("admin.moderation.intro"))
    status = (
        st.segmented_control(
            t("admin.moderation.filter"),
            STATUSES,
            default="pending",
            key="admin_mod_filter",
            format_func=lambda s: t(f"admin.moderation.status.{s}"),
        )
        or "pending"
    )
    ideas = admin_actions.moderation_queue(session, store, survey.id, status)
    if not ideas:
        st.info(t("admin.moderation.empty"))
        return
    st.caption(t("admin.moderation.count", count=len(ideas)))
    for idea in ideas[:IDEAS_PER_PAGE]:
        with st.container(border=True):
            st.text(idea.text)  # plain text: never Markdown or HTML from visitors
            question = survey.question(idea.question_id)
            language = LANGUAGES[idea.lang].native_name if idea.lang in LANGUAGES else idea.lang
            st.caption(
                t(
                    "admin.moderation.meta",
                    language=Literal(language),
                    question=Literal(t.text(question.text) if question else idea.question_id),
                    date=t.date(idea.created_at.date(), "medium"),
                )
            )
            cols = st.columns(len(ACTIONS))
            for col, (target, name, label, icon) in zip(cols, ACTIONS, strict=True):
                if status != target:
                    col.button(
                        t(label),
                        key=f"{name}_{idea.id}",
                        icon=icon,
                        type="primary" if target == "approved" else "secondary",
                        on_click=_moderate,
                        args=(session, store, idea.id, target),
                    )
    if len(ideas) > IDEAS_PER_PAGE:
        st.caption(t("admin.moderation.more", count=len(ideas) - IDEAS_PER_PAGE))
