"""Survey owner's console: sign-in, then one section at a time (status, ideas, data...)."""

from __future__ import annotations

import logging
import math

import streamlit as st

from components import admin_data, admin_exports, admin_moderation, admin_status
from components.client import client_address
from components.store_access import StoreUnavailable, get_store, survey_registry
from inclucities.auth import (
    AdminSession,
    FailureLog,
    LoginGuard,
    LoginOutcome,
    MemoryFailureLog,
    NotAuthenticated,
)
from inclucities.i18n import Translator
from inclucities.settings import get_settings
from inclucities.web import exports

SESSION_KEY = "admin_session"
SURVEY_KEY = "admin_survey"
SECTION_KEY = "admin_section"
SECTIONS: tuple[str, ...] = ("status", "moderation", "export", "data", "audit")
LOG = logging.getLogger(__name__)


@st.cache_resource
def _memory_failure_log() -> MemoryFailureLog:
    """Wrong passwords counted in this process, when the store keeps no shared log."""
    return MemoryFailureLog()


def _failure_log() -> FailureLog:
    try:
        store = get_store()
    except StoreUnavailable:
        return _memory_failure_log()
    return store if isinstance(store, FailureLog) else _memory_failure_log()


def admin_session() -> AdminSession:
    """This browser session's admin state."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = AdminSession()
    session: AdminSession = st.session_state[SESSION_KEY]
    return session


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
        _login(t, session, password)
        return
    _console(t, session)


def _disabled(t: Translator) -> None:
    st.warning(t("admin.disabled.title"), icon=":material/lock:")
    st.markdown(t("admin.disabled.how"))
    st.code(t("admin.disabled.env_example"), language="bash")
    st.markdown(t("admin.disabled.secrets"))
    st.code(t("admin.disabled.secrets_example"), language="toml")


def _login(t: Translator, session: AdminSession, password: str) -> None:
    st.markdown(t("admin.login.intro"))
    login_form(t, session, password)


def login_form(
    t: Translator,
    session: AdminSession,
    password: str,
    form_key: str = "admin_login_form",
    field_key: str = "admin_pw",
) -> None:
    """The admin sign-in (throttled); other pages (the presenter's sessions) reuse it."""
    with st.form(form_key):
        candidate = st.text_input(t("admin.login.password"), type="password", key=field_key)
        submitted = st.form_submit_button(t("admin.login.submit"), type="primary")
    if not submitted:
        return
    guard = LoginGuard(_failure_log())
    result = session.login(candidate, password, guard, client_address())
    if result.outcome is LoginOutcome.SUCCESS:
        st.rerun()
    elif result.outcome is LoginOutcome.THROTTLED:
        st.error(t("admin.login.throttled", count=math.ceil(result.retry_after)))
    else:
        message = t("admin.login.wrong")
        if result.retry_after > 0:
            message += " " + t("admin.login.wait", count=math.ceil(result.retry_after))
        st.error(message)


def _sign_out(session: AdminSession) -> None:
    exports.registry.revoke(session.key)
    session.sign_out()


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
    top[1].button(
        t("admin.sign_out"),
        key="admin_sign_out",
        icon=":material/logout:",
        on_click=_sign_out,
        args=(session,),
    )
    admin_exports.remember_browser(session)
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
