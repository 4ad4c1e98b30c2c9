"""Previous / next through a long list that is paged in the database (admin sections)."""

from __future__ import annotations

import math

import streamlit as st

from inclucities.i18n import Translator


def _move(key: str, step: int, pages: int, clear: tuple[str, ...]) -> None:
    st.session_state[key] = min(max(st.session_state.get(key, 0) + step, 0), pages - 1)
    for name in clear:  # a choice made on one page does not follow to the next
        st.session_state.pop(name, None)


def pager(t: Translator, key: str, total: int, per_page: int, clear: tuple[str, ...] = ()) -> int:
    """Show which rows are in view with previous/next buttons; returns the first row's offset."""
    pages = max(1, math.ceil(total / per_page))
    page = min(int(st.session_state.get(key, 0)), pages - 1)
    st.session_state[key] = page
    if total > per_page:
        cols = st.columns([1, 2, 1], vertical_alignment="center")
        cols[0].button(
            t("admin.pager.previous"),
            key=f"{key}_previous",
            disabled=page == 0,
            on_click=_move,
            args=(key, -1, pages, clear),
            icon=":material/chevron_left:",
        )
        cols[1].caption(
            t(
                "admin.pager.position",
                first=t.number(page * per_page + 1),
                last=t.number(min(total, (page + 1) * per_page)),
                total=t.number(total),
            )
        )
        cols[2].button(
            t("admin.pager.next"),
            key=f"{key}_next",
            disabled=page >= pages - 1,
            on_click=_move,
            args=(key, 1, pages, clear),
            icon=":material/chevron_right:",
        )
    return page * per_page
