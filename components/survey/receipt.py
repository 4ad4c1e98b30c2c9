"""The withdrawal form of the privacy page: a receipt code deletes its answers for good."""

from __future__ import annotations

import streamlit as st

from components.client import client_address
from components.store_access import StoreUnavailable, clear_summaries, get_store
from inclucities import runtime
from inclucities.i18n import Translator
from inclucities.receipt import normalise, receipt_hash
from inclucities.respondent import COOKIE_NAME, valid_token

MAX_TRIES = 10  # wrong codes per browser session before it must wait
TRIES_KEY = "privacy_withdraw_tries"


def _device() -> str | None:
    """The browser's respondent cookie, when it has a valid one."""
    try:
        return valid_token(st.context.cookies.get(COOKIE_NAME))
    except Exception:  # no browser request behind this run (e.g. under AppTest)
        return None


def withdraw_form(t: Translator) -> None:
    """Enter a receipt code; its answers (and idea) are deleted for good."""
    st.subheader(t("privacy.withdraw.heading"))
    st.markdown(t("privacy.withdraw.body"))
    with st.form("privacy_withdraw", border=True):
        typed = st.text_input(t("privacy.withdraw.label"), max_chars=40, key="privacy_code")
        sent = st.form_submit_button(t("privacy.withdraw.button"), type="primary")
    if not sent:
        return
    tries = int(st.session_state.get(TRIES_KEY, 0))
    if tries >= MAX_TRIES:
        st.error(t("privacy.withdraw.too_many"), icon=":material/block:")
        return
    if runtime.current().withdrawal_limits.wait(_device(), client_address()) > 0:
        st.error(t("limits.too_fast"), icon=":material/block:")
        return
    code = normalise(typed or "")
    if code is None:
        st.error(t("privacy.withdraw.invalid"), icon=":material/error:")
        return
    try:
        withdrawn = get_store().withdraw(receipt_hash(code))
    except StoreUnavailable:
        st.error(t("privacy.withdraw.unavailable"), icon=":material/cloud_off:")
        return
    if withdrawn:
        clear_summaries()
        st.success(t("privacy.withdraw.done"), icon=":material/check_circle:")
    else:
        st.session_state[TRIES_KEY] = tries + 1
        st.warning(t("privacy.withdraw.not_found"), icon=":material/search_off:")
