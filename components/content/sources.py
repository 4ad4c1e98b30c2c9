"""Numbered citations: short inline links beside each fact, and the page's list of sources.

A page makes one `Citations` (inclucities.citations), passes it to the building blocks that show
facts (they call `cite_html` or `cite_markdown` with the fact's source keys), then ends with
`sources_section(t, citations)`, which lists every cited source once with an anchor per number.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from components.markup import render, show
from inclucities.citations import Citations, inline_markdown
from inclucities.i18n import Translator


def cite_html(citations: Citations, keys: Iterable[str], t: Translator) -> str:
    """Inline numbered links ('[1][3]') for an HTML block; empty when nothing is cited."""
    numbers = citations.cite(keys)
    if not numbers:
        return ""
    return render("cite.html.j2", numbers=numbers, label=t("core.citation.cited")).strip()


def cite_markdown(citations: Citations, keys: Iterable[str]) -> str:
    """Inline numbered links for Markdown text ('[1] [3]', each a link to the list)."""
    return inline_markdown(citations.cite(keys))


def sources_section(
    t: Translator, citations: Citations | Iterable[str], caption: str | None = None
) -> None:
    """The page's numbered source list; each entry carries the anchor its inline numbers use.

    Pass the page's `Citations` (numbers already given inline); a plain list of keys is
    numbered here in order of first appearance.
    """
    if not isinstance(citations, Citations):
        keys = list(citations)
        citations = Citations()
        citations.cite_in_order(keys)
    st.subheader(t("core.sources"), anchor="sources")
    if caption:
        st.caption(caption)
    entries = citations.entries(t)
    if not entries:
        return
    with st.container(key="ic_sources"):
        show("sources.html.j2", entries=entries, label=t("core.sources"))
