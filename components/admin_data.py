"""Admin section: remove test answers (reversibly, after confirmation) and restore them."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.store_access import clear_summaries
from inclucities import admin_actions
from inclucities.auth import AdminSession
from inclucities.i18n import Translator
from inclucities.store import SurveyStore
from inclucities.survey.models import Survey
from inclucities.text import Literal


def _submission_label(t: Translator, row: Any) -> str:
    created = row["created_at"]
    when = created.strftime("%Y-%m-%d %H:%M:%S") if hasattr(created, "strftime") else str(created)
    return t("admin.data.row", when=when, lang=row["lang"], id=str(row["submission_id"])[:8])


def render(t: Translator, session: AdminSession, store: SurveyStore, survey: Survey) -> None:
    st.markdown(t("admin.data.intro"))
    frame = admin_actions.responses(session, store, survey.id, include_deleted=True)
    deleted_mask = frame["deleted_at"].notna() if "deleted_at" in frame else None
    active = frame[~deleted_mask] if deleted_mask is not None else frame
    removed = frame[deleted_mask] if deleted_mask is not None else frame.iloc[0:0]
    labels = {row["submission_id"]: _submission_label(t, row) for _, row in frame.iterrows()}

    st.subheader(t("admin.data.remove_heading"))
    chosen = st.multiselect(
        t("admin.data.remove_pick"),
        list(active["submission_id"]),
        key="admin_remove_pick",
        format_func=lambda sid: labels.get(sid, sid),
        placeholder=t("admin.data.pick_placeholder"),
    )
    reason = st.text_input(
        t("admin.data.reason"), key="admin_reason", placeholder=t("admin.data.reason_placeholder")
    )
    cols = st.columns(2)
    if cols[0].button(
        t("admin.data.remove_action"),
        key="admin_remove",
        disabled=not chosen,
        icon=":material/delete:",
    ):
        _confirm(t, session, store, survey, list(chosen), reason)
    if cols[1].button(
        t("admin.data.reset_action"),
        key="admin_reset",
        disabled=active.empty,
        icon=":material/restart_alt:",
    ):
        _confirm(t, session, store, survey, None, reason)
    _confirmation_dialog(t, session, store, survey)
    if "admin_flash" in st.session_state:
        st.success(st.session_state.pop("admin_flash"))

    st.subheader(t("admin.data.restore_heading"))
    if removed.empty:
        st.caption(t("admin.data.nothing_removed"))
        return
    to_restore = st.multiselect(
        t("admin.data.restore_pick"),
        list(removed["submission_id"]),
        key="admin_restore_pick",
        format_func=lambda sid: labels.get(sid, sid),
        placeholder=t("admin.data.pick_placeholder"),
    )
    restore_cols = st.columns(2)
    if restore_cols[0].button(
        t("admin.data.restore_action"),
        key="admin_restore",
        disabled=not to_restore,
        icon=":material/restore:",
    ):
        done = admin_actions.restore(session, store, survey.id, list(to_restore), reason or "-")
        st.session_state["admin_flash"] = t("admin.data.restored", count=done)
        clear_summaries()
        st.rerun()
    if restore_cols[1].button(
        t("admin.data.restore_all"), key="admin_restore_all", icon=":material/restore:"
    ):
        done = admin_actions.restore(session, store, survey.id, None, reason or "-")
        st.session_state["admin_flash"] = t("admin.data.restored", count=done)
        clear_summaries()
        st.rerun()


PENDING_KEY = "admin_pending_removal"


def _confirm(
    t: Translator,
    session: AdminSession,
    store: SurveyStore,
    survey: Survey,
    submission_ids: list[str] | None,
    reason: str,
) -> None:
    """Ask for confirmation; nothing is removed until the dialog's button is pressed."""
    st.session_state[PENDING_KEY] = {
        "survey_id": survey.id,
        "submission_ids": submission_ids,
        "reason": reason,
    }


def _drop_pending() -> None:
    st.session_state.pop(PENDING_KEY, None)


def _confirmation_dialog(
    t: Translator, session: AdminSession, store: SurveyStore, survey: Survey
) -> None:
    """The dialog stays open across reruns until confirmed, cancelled or dismissed."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending or pending["survey_id"] != survey.id:
        return
    submission_ids = pending["submission_ids"]

    def body() -> None:
        if submission_ids is None:
            st.markdown(
                t(
                    "admin.confirm.reset_body",
                    count=store.count(survey.id),
                    survey=Literal(t.text(survey.title)),
                )
            )
        else:
            st.markdown(t("admin.confirm.remove_body", count=len(submission_ids)))
        st.caption(t("admin.confirm.reversible"))
        cols = st.columns(2)
        if cols[0].button(t("admin.confirm.yes"), key="admin_confirm_yes", type="primary"):
            done = admin_actions.soft_delete(
                session,
                store,
                survey.id,
                submission_ids,
                pending["reason"] or t("admin.data.default_reason"),
            )
            _drop_pending()
            st.session_state.pop("admin_remove_pick", None)
            st.session_state["admin_flash"] = t("admin.data.removed", count=done)
            clear_summaries()
            st.rerun()
        if cols[1].button(t("admin.confirm.cancel"), key="admin_confirm_no"):
            _drop_pending()
            st.rerun()

    st.dialog(t("admin.confirm.title"), on_dismiss=_drop_pending)(body)()
