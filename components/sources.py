"""A 'Sources' section listing the source keys a page cites, with where each one points."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from components.frame import md_escape as escape
from inclucities.content import default_content
from inclucities.i18n import Translator


def sources_section(t: Translator, keys: Iterable[str], caption: str | None = None) -> None:
    """List each cited key once, in order, as a link (web page) or a document path (seed)."""
    register = default_content().sources
    unique = list(dict.fromkeys(keys))
    st.subheader(t("core.sources"))
    if caption:
        st.caption(caption)
    lines = []
    for key in unique:
        source = register.get(key)
        if source is None:
            continue
        if source.url:
            lines.append(f"- **{key}**: [{escape(source.publisher)}]({source.url})")
        else:
            lines.append(f"- **{key}**: {escape(source.publisher)} (`{source.document}`)")
    st.markdown("\n".join(lines))
