"""Altair chart builders for the results: diverging agreement bars and ranked priorities."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd

from inclucities.survey.models import AGREEMENT_LEVELS
from inclucities.survey.summary import Cell, QuestionSummary

# Colour-blind-safe diverging palette (ColorBrewer RdBu, 5 classes); labels carry the meaning too.
AGREEMENT_COLOURS: tuple[str, ...] = ("#ca0020", "#f4a582", "#bababa", "#92c5de", "#0571b0")
PRIORITY_COLOUR = "#0571b0"


def agreement_frame(
    rows: Sequence[tuple[str, QuestionSummary]], level_label: Callable[[str], str]
) -> pd.DataFrame:
    """Long frame (statement, level, label, share, start, end) for a diverging stacked bar.

    Disagreement runs left of zero, agreement right, neutral centred on zero. Suppressed
    cells are left out (never drawn); the statement keeps its place in the order.
    """
    records = []
    for order, (statement, summary) in enumerate(rows):
        cells = {c.key: c for c in summary.options}
        shares = {
            lvl: (cells[lvl].share or 0.0)
            for lvl in AGREEMENT_LEVELS
            if lvl in cells and not cells[lvl].suppressed
        }
        neutral = shares.get("3", 0.0)
        left = -(shares.get("1", 0.0) + shares.get("2", 0.0) + neutral / 2)
        for level in AGREEMENT_LEVELS:
            if level not in shares:
                continue
            start = left
            left += shares[level]
            records.append(
                {
                    "statement": statement,
                    "order": order,
                    "level": level,
                    "label": level_label(level),
                    "share": shares[level],
                    "start": start,
                    "end": left,
                }
            )
    return pd.DataFrame(
        records, columns=["statement", "order", "level", "label", "share", "start", "end"]
    )


def build_agreement_chart(
    frame: pd.DataFrame,
    level_labels: Sequence[str],
    title: str,
    share_title: str,
    rtl: bool = False,
) -> alt.Chart:
    """Diverging stacked bars, one row per statement; reversed axis for right-to-left readers."""
    statements = list(dict.fromkeys(frame.sort_values("order")["statement"])) if len(frame) else []
    x_scale = alt.Scale(domain=[-1, 1], reverse=rtl)
    chart: alt.Chart = (
        alt.Chart(frame, title=title)
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("start:Q", scale=x_scale, axis=alt.Axis(format="%", title=share_title)),
            x2="end:Q",
            y=alt.Y(
                "statement:N",
                sort=statements,
                title=None,
                axis=alt.Axis(labelLimit=260, orient="right" if rtl else "left"),
            ),
            color=alt.Color(
                "label:N",
                sort=list(level_labels),
                scale=alt.Scale(domain=list(level_labels), range=list(AGREEMENT_COLOURS)),
                legend=alt.Legend(title=None, orient="bottom", columns=5),
            ),
            tooltip=[
                alt.Tooltip("statement:N"),
                alt.Tooltip("label:N"),
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(height=alt.Step(34))
    )
    return chart


def priority_frame(cells: Sequence[Cell], option_label: Callable[[str], str]) -> pd.DataFrame:
    """Ranked options that may be shown; suppressed ones are not drawn."""
    records = [
        {"option": c.key, "label": option_label(c.key), "count": c.count, "rank": rank}
        for rank, c in enumerate(cells, start=1)
        if not c.suppressed
    ]
    return pd.DataFrame(records, columns=["option", "label", "count", "rank"])


def build_priority_chart(
    frame: pd.DataFrame, title: str, count_title: str, rtl: bool = False
) -> alt.LayerChart:
    """Horizontal bars, most chosen first, with the count written at the end of each bar."""
    order = list(frame.sort_values("rank")["label"]) if len(frame) else []
    base = alt.Chart(frame, title=title).encode(
        y=alt.Y(
            "label:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelLimit=320, orient="right" if rtl else "left"),
        ),
        x=alt.X("count:Q", title=count_title, scale=alt.Scale(reverse=rtl)),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("count:Q")],
    )
    bars = base.mark_bar(color=PRIORITY_COLOUR)
    text = base.mark_text(align="right" if rtl else "left", dx=-4 if rtl else 4).encode(
        text="count:Q"
    )
    chart: alt.LayerChart = (bars + text).properties(height=alt.Step(30))
    return chart
