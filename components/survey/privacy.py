"""The privacy notice: what is stored, why, on what basis, for how long, who sees it, rights."""

from __future__ import annotations

import streamlit as st

from components.survey.receipt import withdraw_form
from inclucities.i18n import Translator
from inclucities.settings import Settings, get_settings
from inclucities.text import Literal

# Sections whose text needs no setting, shown in this order around the ones that do.
BEFORE: tuple[str, ...] = ("what", "not", "why")
AFTER: tuple[str, ...] = ("who", "small_groups", "rights")


def _section(t: Translator, name: str, body: str) -> None:
    st.subheader(t(f"privacy.{name}.heading"))
    st.markdown(body)


def _controller(t: Translator, settings: Settings) -> str:
    if settings.controller_name and settings.controller_contact:
        return t(
            "privacy.controller.body",
            name=Literal(settings.controller_name),
            contact=Literal(settings.controller_contact),
        )
    return t("privacy.controller.unset")


def _complaint(t: Translator, settings: Settings) -> None:
    st.subheader(t("privacy.complaint.heading"))
    if settings.complaint_authority:
        st.markdown(t("privacy.complaint.body", authority=Literal(settings.complaint_authority)))
    else:
        st.markdown(t("privacy.complaint.unset"))
    if settings.complaint_url:
        st.link_button(t("privacy.complaint.link"), settings.complaint_url)


def privacy_page(t: Translator) -> None:
    """The notice, with the controller, legal basis, retention and authority from settings."""
    settings = get_settings()
    k = settings.min_cell_size
    st.title(t("privacy.title"))
    st.markdown(t("privacy.intro"))
    for name in BEFORE:
        _section(t, name, t(f"privacy.{name}.body", k=k))
    _section(t, "controller", _controller(t, settings))
    basis = settings.legal_basis or "unset"
    _section(t, "legal", t(f"privacy.legal.{basis}"))
    _section(t, "how_long", t("privacy.how_long.body", count=settings.retention_months))
    for name in AFTER:
        _section(t, name, t(f"privacy.{name}.body", k=k))
    withdraw_form(t)
    _complaint(t, settings)
