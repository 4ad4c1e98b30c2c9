"""Receipt codes on screen: shown after sending, and the withdrawal form of the privacy page."""

from __future__ import annotations

import streamlit as st

from components import markup
from components.store_access import StoreUnavailable, clear_summaries, get_store
from inclucities.i18n import Translator
from inclucities.receipt import normalise, receipt_code, receipt_hash

MAX_TRIES = 10  # wrong codes per browser session before it must wait
TRIES_KEY = "privacy_withdraw_tries"


def show_receipt(t: Translator, submission_id: str) -> None:
    """The code that lets this respondent withdraw their answers later."""
    code = receipt_code(submission_id)
    markup.show(
        "survey_receipt.html",
        label=t("survey.receipt.heading"),
        code=code,
        spoken=" ".join(code.replace("-", "")),
        help=t("survey.receipt.help"),
    )


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
