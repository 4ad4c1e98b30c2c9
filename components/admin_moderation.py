"""Admin section: moderation of free-text ideas (only approved ones reach any public screen)."""

from __future__ import annotations

import streamlit as st

from components.admin_pager import pager
from components.store_access import clear_summaries
from inclucities import admin_actions
from inclucities.auth import AdminSession
from inclucities.i18n import LANGUAGES, Translator
from inclucities.store import Store
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


# Bulk buttons shown for each filter: (status they set, message, icon).
BULK: dict[str, tuple[tuple[str, str, str], ...]] = {
    "pending": (
        ("approved", "admin.moderation.approve_selected", ":material/done_all:"),
        ("hidden", "admin.moderation.hide_selected", ":material/visibility_off:"),
    ),
    "approved": (("hidden", "admin.moderation.hide_selected", ":material/visibility_off:"),),
    "hidden": (("approved", "admin.moderation.approve_selected", ":material/done_all:"),),
}
DONE_KEY = "admin_mod_done"


def _select_key(idea_id: int) -> str:
    return f"admin_mod_sel_{idea_id}"


def _moderate(session: AdminSession, store: Store, idea_id: int, status: str) -> None:
    admin_actions.moderate_idea(session, store, idea_id, status)
    st.session_state.pop(_select_key(idea_id), None)
    clear_summaries()


def _moderate_many(session: AdminSession, store: Store, idea_ids: list[int], status: str) -> None:
    changed = admin_actions.moderate_ideas(session, store, idea_ids, status)
    for idea_id in idea_ids:
        st.session_state.pop(_select_key(idea_id), None)
    for name in [k for k in st.session_state if str(k).startswith("admin_mod_all")]:
        st.session_state.pop(name, None)
    st.session_state[DONE_KEY] = changed
    clear_summaries()


def _pin(session: AdminSession, store: Store, idea_id: int, pinned: bool) -> None:
    admin_actions.pin_idea(session, store, idea_id, pinned)
    clear_summaries()


def _select_page(all_key: str, idea_ids: list[int]) -> None:
    chosen = bool(st.session_state.get(all_key))
    for idea_id in idea_ids:
        st.session_state[_select_key(idea_id)] = chosen


def _bulk_bar(
    t: Translator, session: AdminSession, store: Store, status: str, offset: int, ids: list[int]
) -> None:
    """Select ideas, then approve or hide them all at once (one audited action)."""
    selected = [i for i in ids if st.session_state.get(_select_key(i))]
    all_key = f"admin_mod_all_{status}_{offset}"  # one box per list and page
    with st.container(horizontal=True, key="admin_mod_bulk", vertical_alignment="center"):
        st.checkbox(
            t("admin.moderation.select_page"),
            key=all_key,
            on_change=_select_page,
            args=(all_key, ids),
        )
        for target, label, icon in BULK.get(status, ()):
            st.button(
                t(label, count=len(selected)),
                key=f"admin_mod_bulk_{target}",
                icon=icon,
                type="primary" if target == "approved" else "secondary",
                disabled=not selected,
                on_click=_moderate_many,
                args=(session, store, selected, target),
            )


def render(t: Translator, session: AdminSession, store: Store, survey: Survey) -> None:
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
    total = admin_actions.idea_total(session, store, survey.id, status)
    if total == 0:
        st.info(t("admin.moderation.empty"))
        return
    st.caption(t("admin.moderation.count", count=total))
    done = st.session_state.pop(DONE_KEY, None)
    if done is not None:
        st.success(t("admin.moderation.bulk_done", count=int(done)), icon=":material/check:")
    offset = pager(t, f"admin_mod_page_{status}", total, IDEAS_PER_PAGE)
    ideas = admin_actions.moderation_queue(
        session, store, survey.id, status, offset=offset, limit=IDEAS_PER_PAGE
    )
    _bulk_bar(t, session, store, status, offset, [idea.id for idea in ideas])
    for idea in ideas:
        with st.container(border=True, key=f"admin_mod_idea_{idea.id}"):
            st.checkbox(t("admin.moderation.select"), key=_select_key(idea.id))
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
            if status == "approved":
                support = t("results.supports", count=idea.supports)
                st.caption(f"{t('results.pinned')} · {support}" if idea.pinned else support)
            cols = st.columns(len(ACTIONS) + (1 if status == "approved" else 0))
            for col, (target, name, label, icon) in zip(cols[: len(ACTIONS)], ACTIONS, strict=True):
                if status != target:
                    col.button(
                        t(label),
                        key=f"{name}_{idea.id}",
                        icon=icon,
                        type="primary" if target == "approved" else "secondary",
                        on_click=_moderate,
                        args=(session, store, idea.id, target),
                    )
            if status == "approved":
                cols[-1].button(
                    t("admin.moderation.unpin" if idea.pinned else "admin.moderation.pin"),
                    key=f"pin_{idea.id}",
                    icon=":material/keep_off:" if idea.pinned else ":material/keep:",
                    on_click=_pin,
                    args=(session, store, idea.id, not idea.pinned),
                )
