"""The gate before a survey opens or a session starts: the privacy notice must say who holds the
answers and why, unless the admin overrides it (the override is audited by the caller)."""

from __future__ import annotations

import streamlit as st

from inclucities.i18n import Translator
from inclucities.settings import get_settings, privacy_notice_incomplete


def passes(
    t: Translator, key: str, *, may_override: bool, compact: bool = False
) -> tuple[bool, bool]:
    """Whether the action may go ahead, and whether it does so by the admin's override.

    With the notice complete this shows nothing. Otherwise it says what is missing and, for the
    admin only, offers the override as an explicit checkbox (unticked on every visit).
    `compact` (a sidebar) says it without the variables' names: the admin page lists them.
    """
    missing = privacy_notice_incomplete(get_settings())
    if not missing:
        return True, False
    if compact:
        st.warning(t("admin.privacy_gate.blocked_short"), icon=":material/policy:")
    else:
        st.warning(
            t("admin.privacy_gate.blocked", variables=", ".join(missing)),
            icon=":material/policy:",
        )
    if not may_override:
        st.caption(t("admin.privacy_gate.ask_admin"))
        return False, False
    overridden = st.checkbox(t("admin.privacy_gate.override"), key=key, value=False)
    return overridden, overridden
