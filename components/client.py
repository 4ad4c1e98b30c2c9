"""Who is on the other end: the visitor's network address (behind a proxy, its forwarded one)."""

from __future__ import annotations

import streamlit as st

from inclucities.settings import get_settings


def client_address() -> str | None:
    """The first X-Forwarded-For hop when the app runs behind a proxy, else the socket's peer."""
    try:
        if get_settings().behind_proxy:
            forwarded = st.context.headers.get("X-Forwarded-For")
            first = forwarded.split(",")[0].strip() if isinstance(forwarded, str) else ""
            if first:
                return first
        address = st.context.ip_address
        return address if isinstance(address, str) else None
    except Exception:  # no browser request behind this run (e.g. under AppTest)
        return None
