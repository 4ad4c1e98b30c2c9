"""A choice kept in the page's link (`?stage=3`, `?rec=5`) and in its picker widget together."""

from __future__ import annotations

import streamlit as st


def go_to(param: str, picker_key: str, number: int) -> None:
    """A previous/next button's callback: the link and the picker move together."""
    st.query_params[param] = str(number)
    st.session_state[picker_key] = number


def picked(param: str, picker_key: str) -> None:
    """The picker's callback: the link follows the choice."""
    chosen = st.session_state.get(picker_key)
    if chosen:
        st.query_params[param] = str(chosen)


def previous_next(
    labels: tuple[str, str],
    key_prefix: str,
    param: str,
    picker_key: str,
    before: int | None,
    after: int | None,
) -> None:
    """Previous / next buttons (keys `<prefix>_prev`, `<prefix>_next`) that move the link and
    the picker; one at the end of the list is shown disabled."""
    with st.container(horizontal=True, key=f"{key_prefix}_controls"):
        st.button(
            labels[0],
            key=f"{key_prefix}_prev",
            icon=":material/arrow_back:",
            on_click=go_to,
            args=(param, picker_key, before or 0),
            disabled=before is None,
        )
        st.button(
            labels[1],
            key=f"{key_prefix}_next",
            icon=":material/arrow_forward:",
            icon_position="right",
            type="primary",
            on_click=go_to,
            args=(param, picker_key, after or 0),
            disabled=after is None,
        )
