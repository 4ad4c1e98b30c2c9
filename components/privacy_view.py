"""The privacy notice: what is stored, why, for how long, who can see it."""

from __future__ import annotations

import streamlit as st

from inclucities.i18n import Translator
from inclucities.settings import get_settings

SECTIONS: tuple[str, ...] = ("what", "not", "why", "how_long", "who", "small_groups", "rights")


def privacy_page(t: Translator) -> None:
    """Static, translated notice; it never touches the answers database."""
    k = get_settings().min_cell_size
    st.title(t("privacy.title"))
    st.markdown(t("privacy.intro"))
    for section in SECTIONS:
        st.subheader(t(f"privacy.{section}.heading"))
        st.markdown(t(f"privacy.{section}.body", k=k))
