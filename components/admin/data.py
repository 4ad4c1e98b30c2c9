"""Admin section: remove test answers (reversibly, after confirmation) and restore them, a page
at a time (paged in the database, so it stays quick at 100,000 answers)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.admin.pager import pager
from components.store_access import clear_summaries
from inclucities import admin_actions
from inclucities.auth import AdminSession
from inclucities.i18n import Translator
from inclucities.store import Store
from inclucities.survey.models import Survey
from inclucities.text import Literal

ROWS_PER_PAGE = 50


def _labels(t: Translator, frame: pd.DataFrame) -> dict[str, str]:
    """A label per row of one page: time, language and the id's start, formatted column-wise."""
    if frame.empty:
        return {}
    when = pd.to_datetime(frame["created_at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    short = frame["submission_id"].astype(str).str.slice(0, 8)
    return {
        sid: t("admin.data.row", when=moment, lang=lang, id=head)
        for sid, moment, lang, head in zip(
            frame["submission_id"], when, frame["lang"], short, strict=True
        )
    }


def render(t: Translator, session: AdminSession, store: Store, survey: Survey) -> None:
    """Only the page in view is read from the database, whatever the number of answers."""
    st.markdown(t("admin.data.intro"))
    counts = admin_actions.submission_counts(session, store, survey.id)

    st.subheader(t("admin.data.remove_heading"))
    offset = pager(t, "admin_live_page", counts.active, ROWS_PER_PAGE, ("admin_remove_pick",))
    active = admin_actions.responses_page(
        session, store, survey.id, offset=offset, limit=ROWS_PER_PAGE, deleted=False
    )
    labels = _labels(t, active)
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
        disabled=counts.active == 0,
        icon=":material/restart_alt:",
    ):
        _confirm(t, session, store, survey, None, reason)
    _confirmation_dialog(t, session, store, survey)
    if "admin_flash" in st.session_state:
        st.success(st.session_state.pop("admin_flash"))

    st.subheader(t("admin.data.restore_heading"))
    if counts.deleted == 0:
        st.caption(t("admin.data.nothing_removed"))
        return
    offset = pager(t, "admin_removed_page", counts.deleted, ROWS_PER_PAGE, ("admin_restore_pick",))
    removed = admin_actions.responses_page(
        session, store, survey.id, offset=offset, limit=ROWS_PER_PAGE, deleted=True
    )
    removed_labels = _labels(t, removed)
    to_restore = st.multiselect(
        t("admin.data.restore_pick"),
        list(removed["submission_id"]),
        key="admin_restore_pick",
        format_func=lambda sid: removed_labels.get(sid, sid),
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
        st.session_state.pop("admin_restore_pick", None)
        clear_summaries()
        st.rerun()
    if restore_cols[1].button(
        t("admin.data.restore_all"), key="admin_restore_all", icon=":material/restore:"
    ):
        done = admin_actions.restore(session, store, survey.id, None, reason or "-")
        st.session_state["admin_flash"] = t("admin.data.restored", count=done)
        st.session_state.pop("admin_restore_pick", None)
        clear_summaries()
        st.rerun()


PENDING_KEY = "admin_pending_removal"


def _confirm(
    t: Translator,
    session: AdminSession,
    store: Store,
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
    t: Translator, session: AdminSession, store: Store, survey: Survey
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
            st.caption(t("admin.confirm.reset_now"))
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
