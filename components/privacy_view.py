"""The privacy notice: what is stored, why, for how long, who can see it."""

from __future__ import annotations

import streamlit as st

from inclucities.config import get_int_setting
from inclucities.i18n import Translator

SECTIONS: tuple[str, ...] = ("what", "not", "why", "how_long", "who", "rights")


def privacy_page(t: Translator) -> None:
    """Static, translated notice; it never touches the answers database."""
    k = max(2, get_int_setting("min_cell_size", st.secrets))
    st.title(t("privacy.title"))
    st.markdown(t("privacy.intro"))
    for section in SECTIONS:
        st.subheader(t(f"privacy.{section}.heading"))
        st.markdown(t(f"privacy.{section}.body", k=k))
