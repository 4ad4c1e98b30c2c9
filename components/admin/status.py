"""Admin sections: the survey's state, the privacy settings check and the audit log."""

from __future__ import annotations

import streamlit as st

from components import markup, privacy_gate
from components.store_access import clear_summaries
from inclucities import admin_actions, audit_text
from inclucities.auth import AdminSession
from inclucities.i18n import Translator
from inclucities.sessions import session_label
from inclucities.settings import get_settings, privacy_settings_missing
from inclucities.store import Store
from inclucities.survey.models import Survey

AUDIT_ROWS = 500  # the latest entries; the whole log stays in the database


def privacy_settings_warning(t: Translator) -> None:
    """Until the privacy notice's controller, contact, basis and authority are set, say so."""
    missing = privacy_settings_missing(get_settings())
    if missing:
        st.warning(
            t("admin.privacy_missing", variables=", ".join(missing)), icon=":material/policy:"
        )


CLOSE_PENDING_KEY = "admin_close_pending"


def render(t: Translator, session: AdminSession, store: Store, survey: Survey) -> None:
    is_open = store.is_survey_open(survey.id)
    cols = st.columns(2)
    cols[0].metric(
        t("admin.status.state"), t("admin.status.open" if is_open else "admin.status.closed")
    )
    counts = admin_actions.submission_counts(session, store, survey.id)
    cols[1].metric(t("admin.status.responses"), t.number(counts.active))
    st.caption(t("admin.status.closed_help"))
    if is_open:
        if st.button(t("admin.status.close"), key="admin_close", icon=":material/lock:"):
            st.session_state[CLOSE_PENDING_KEY] = survey.id
        _close_dialog(t, session, store, survey)
        return
    allowed, overridden = privacy_gate.passes(t, "admin_open_override", may_override=True)
    if st.button(
        t("admin.status.open_action"),
        key="admin_open",
        type="primary",
        icon=":material/lock_open:",
        disabled=not allowed,
    ):
        if overridden:
            admin_actions.record_privacy_override(session, store, survey.id, "survey")
        admin_actions.set_survey_open(session, store, survey.id, True)
        st.session_state.pop("admin_open_override", None)
        clear_summaries()
        st.toast(t("admin.status.opened_done"))
        st.rerun()


def _drop_close() -> None:
    st.session_state.pop(CLOSE_PENDING_KEY, None)


def _close_dialog(t: Translator, session: AdminSession, store: Store, survey: Survey) -> None:
    """Closing refuses the answers of anyone mid-form: say so, and close only when confirmed."""
    if st.session_state.get(CLOSE_PENDING_KEY) != survey.id:
        return

    def body() -> None:
        st.write(t("admin.confirm.close_body"))
        cols = st.columns(2)
        if cols[0].button(t("admin.confirm.close_yes"), key="admin_close_yes", type="primary"):
            admin_actions.set_survey_open(session, store, survey.id, False)
            _drop_close()
            clear_summaries()
            st.toast(t("admin.status.closed_done"))
            st.rerun()
        if cols[1].button(t("admin.confirm.cancel"), key="admin_close_no"):
            _drop_close()
            st.rerun()

    st.dialog(t("admin.confirm.close_title"), on_dismiss=_drop_close)(body)()


def _session_names(t: Translator, store: Store, survey_id: str) -> dict[str, str]:
    return {s.id: session_label(s, t) for s in store.sessions(survey_id)}


def audit(t: Translator, session: AdminSession, store: Store, survey: Survey) -> None:
    st.markdown(t("admin.audit.intro"))
    entries = admin_actions.audit_log(session, store, survey.id, limit=AUDIT_ROWS)
    if not entries:
        st.caption(t("admin.audit.empty"))
        return
    zone = get_settings().zone
    names = _session_names(t, store, survey.id)
    markup.show(
        "admin_audit.html",
        caption=t("admin.audit.times", zone=audit_text.zone_name(zone, t)),
        headers=[t(f"admin.audit.{c}") for c in ("at", "actor", "action", "detail")],
        lines=[audit_text.describe(e, t, zone, names) for e in entries],  # newest first
    )
