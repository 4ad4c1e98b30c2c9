"""Who is on the other end: the visitor's network address (behind a proxy, its forwarded one)."""

from __future__ import annotations

import streamlit as st

from inclucities.network import visitor_address
from inclucities.settings import get_settings


def client_address() -> str | None:
    """The visitor's address: the socket's peer, or behind a trusted proxy the nearest
    forwarded hop that is not a proxy (`inclucities.network.visitor_address`)."""
    try:
        forwarded = st.context.headers.get("X-Forwarded-For")
        address = st.context.ip_address
        return visitor_address(
            address if isinstance(address, str) else None,
            forwarded if isinstance(forwarded, str) else None,
            get_settings().proxy_networks,
        )
    except Exception:  # no browser request behind this run (e.g. under AppTest)
        return None
