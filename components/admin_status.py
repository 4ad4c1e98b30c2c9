"""Admin sections: the survey's state, the privacy settings check and the audit log."""

from __future__ import annotations

import streamlit as st

from components.store_access import clear_summaries
from inclucities import admin_actions
from inclucities.auth import AdminSession
from inclucities.i18n import Translator
from inclucities.settings import get_settings, privacy_settings_missing
from inclucities.store import SurveyStore
from inclucities.survey.models import Survey


def privacy_settings_warning(t: Translator) -> None:
    """Until the privacy notice's controller, contact, basis and authority are set, say so."""
    missing = privacy_settings_missing(get_settings())
    if missing:
        st.warning(
            t("admin.privacy_missing", variables=", ".join(missing)), icon=":material/policy:"
        )


def render(t: Translator, session: AdminSession, store: SurveyStore, survey: Survey) -> None:
    is_open = store.is_survey_open(survey.id)
    cols = st.columns(2)
    cols[0].metric(
        t("admin.status.state"), t("admin.status.open" if is_open else "admin.status.closed")
    )
    cols[1].metric(t("admin.status.responses"), t.number(store.count(survey.id)))
    st.caption(t("admin.status.closed_help"))
    if is_open:
        if st.button(t("admin.status.close"), key="admin_close", icon=":material/lock:"):
            admin_actions.set_survey_open(session, store, survey.id, False)
            clear_summaries()
            st.toast(t("admin.status.closed_done"))
            st.rerun()
    elif st.button(
        t("admin.status.open_action"), key="admin_open", type="primary", icon=":material/lock_open:"
    ):
        admin_actions.set_survey_open(session, store, survey.id, True)
        clear_summaries()
        st.toast(t("admin.status.opened_done"))
        st.rerun()


def audit(t: Translator, session: AdminSession, store: SurveyStore, survey: Survey) -> None:
    st.markdown(t("admin.audit.intro"))
    entries = [
        e for e in admin_actions.audit_log(session, store) if e.survey_id in (None, survey.id)
    ]
    if not entries:
        st.caption(t("admin.audit.empty"))
        return
    rows = [
        {
            t("admin.audit.at"): e.at,
            t("admin.audit.actor"): e.actor,
            t("admin.audit.action"): t(f"admin.audit.kind.{e.action}"),
            t("admin.audit.detail"): e.detail or "",
        }
        for e in reversed(entries)
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
