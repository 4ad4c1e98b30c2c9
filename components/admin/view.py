"""Survey owner's console: sign-in, then one section at a time (status, ideas, data...)."""

from __future__ import annotations

import logging

import streamlit as st

from components import access
from components.admin import data as admin_data
from components.admin import exports as admin_exports
from components.admin import moderation as admin_moderation
from components.admin import status as admin_status
from components.store_access import StoreUnavailable, get_store, survey_registry
from inclucities.auth import AdminSession, NotAuthenticated
from inclucities.i18n import Translator
from inclucities.settings import get_settings
from inclucities.signin import Role

SESSION_KEY = "admin_session"
SURVEY_KEY = "admin_survey"
SECTION_KEY = "admin_section"
SECTIONS: tuple[str, ...] = ("status", "moderation", "export", "data", "audit")
LOG = logging.getLogger(__name__)


def admin_session() -> AdminSession:
    """This browser session's admin state: signed in while the browser holds the admin's
    sign-in cookie (so a reload keeps the admin signed in)."""
    signed = access.signed_in()
    stored = st.session_state.get(SESSION_KEY)
    if signed is None or signed.role is not Role.ADMIN:
        if stored is not None:
            stored.sign_out()
        return stored if stored is not None else AdminSession()
    if not isinstance(stored, AdminSession) or stored.key != signed.nonce:
        stored = st.session_state[SESSION_KEY] = AdminSession(actor=signed.actor, key=signed.nonce)
    if not stored.authenticated:
        stored.grant()
    return stored


def configured_password() -> str | None:
    secret = get_settings().admin_password
    return secret.get_secret_value() if secret is not None else None


def render(t: Translator) -> None:
    st.title(t("admin.title"))
    password = configured_password()
    if not password:
        _disabled(t)
        return
    session = admin_session()
    if not session.authenticated:
        _login(t)
        return
    _console(t, session)


def _disabled(t: Translator) -> None:
    st.warning(t("admin.disabled.title"), icon=":material/lock:")
    st.markdown(t("admin.disabled.how"))
    st.code(t("admin.disabled.env_example"), language="bash")
    st.markdown(t("admin.disabled.secrets"))
    st.code(t("admin.disabled.secrets_example"), language="toml")


def _login(t: Translator) -> None:
    st.markdown(t("admin.login.intro"))
    access.sign_in_button(t, "admin")


def _console(t: Translator, session: AdminSession) -> None:
    registry = survey_registry()
    try:
        store = get_store()
    except StoreUnavailable as exc:
        LOG.warning("admin: the store is unavailable: %s", exc)  # details stay in the log
        st.error(t("admin.store_unavailable", detail=t(f"admin.store_reason.{exc.reason}")))
        return
    surveys = list(registry.surveys.values())
    if not surveys:
        st.info(t("admin.no_surveys"))
        return
    top = st.columns([4, 1], vertical_alignment="bottom")
    survey_id = top[0].selectbox(
        t("admin.survey_picker"),
        [s.id for s in surveys],
        key=SURVEY_KEY,
        format_func=lambda sid: t.text(registry.surveys[sid].title),
    )
    with top[1]:
        access.sign_out_button(t, "admin")
    admin_status.privacy_settings_warning(t)
    survey = registry.surveys[survey_id]
    section = st.segmented_control(
        t("admin.section_picker"),
        SECTIONS,
        default="status",
        key=SECTION_KEY,
        format_func=lambda name: t(f"admin.tab.{name}"),
        label_visibility="collapsed",
    )
    show = {
        "status": admin_status.render,
        "moderation": admin_moderation.render,
        "export": admin_exports.render,
        "data": admin_data.render,
        "audit": admin_status.audit,
    }[section or "status"]
    try:
        show(t, session, store, survey)
    except NotAuthenticated:
        st.warning(t("admin.session_expired"))
    except StoreUnavailable as exc:  # disk full, read-only, server gone: say which, not how
        LOG.warning("admin: storage fault: %s", exc)
        st.error(t("admin.store_unavailable", detail=t(f"admin.store_reason.{exc.reason}")))
