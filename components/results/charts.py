"""Show an Altair chart accessibly: an alt text, marks hidden from screen readers."""

from __future__ import annotations

from typing import Any

import streamlit as st

from inclucities.chart_access import without_mark_aria


def show_chart(chart: Any, alt_text: str, **kwargs: Any) -> Any:
    """st.altair_chart with the chart's alt text; the table alternative follows the call.

    Returns what st.altair_chart returns (the selection state when `on_select` is given)."""
    return st.altair_chart(without_mark_aria(chart), alt=alt_text, **kwargs)
