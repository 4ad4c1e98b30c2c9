"""Altair chart builders for the results: diverging agreement bars and counted choices.

A chart is built in two parts so live screens can redraw it cheaply in the browser:

- its Vega-Lite *spec*, built once per survey, language and screen (Altair, validated), reading
  its rows from a named data source (`DATA_NAME`); it depends on the survey text only;
- its *values*, plain records made from the suppressed summary each time the data change.

Specs are drawn client-side by Vega (vendored, no CDN). `with_values` joins the two for a
static chart (tests, exports).
"""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from inclucities.chart_access import without_mark_aria
from inclucities.palette import PALETTE
from inclucities.results.model import Cell, QuestionSummary
from inclucities.survey.models import AGREEMENT_LEVELS

# Colour-blind-safe diverging palette (ColorBrewer RdBu, 5 classes); labels carry the meaning too.
AGREEMENT_COLOURS: tuple[str, ...] = (
    PALETTE.disagree_strongly,
    PALETTE.disagree,
    PALETTE.neutral,
    PALETTE.agree,
    PALETTE.agree_strongly,
)
# Text drawn on each agreement colour (contrast at least 4.5:1 on both).
WHITE, INK = PALETTE.white, PALETTE.ink
AGREEMENT_INK: tuple[str, ...] = (WHITE, INK, INK, INK, WHITE)
PRIORITY_COLOUR = PALETTE.primary
GRID = "#d0d4dc"
DATA_NAME = "values"


@dataclass(frozen=True)
class ChartStyle:
    """Type sizes (CSS pixels, drawn 1:1 in SVG) and label layout for one kind of screen.

    `labels_above`: each bar's label sits on its own line(s) above the bar, so bars use the full
    width of a phone; otherwise labels sit beside the bars (a wide projector).
    """

    name: str
    font_size: int  # axis labels, axis titles and text on the bars
    bar: int  # bar thickness
    wrap: int  # characters per label line (lines break between words only)
    labels_above: bool
    line_height: float = 1.25

    def line(self) -> int:
        return round(self.font_size * self.line_height)


RESULTS_STYLE = ChartStyle("results", font_size=14, bar=24, wrap=44, labels_above=True)
PROJECTOR_STYLE = ChartStyle("projector", font_size=24, bar=28, wrap=46, labels_above=True)
STYLES = {style.name: style for style in (RESULTS_STYLE, PROJECTOR_STYLE)}


def wrap_label(text: str, width: int) -> str:
    """Break a long label into lines of about `width` characters, only between words."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) or text


def _lines(label: str) -> int:
    return label.count("\n") + 1


@dataclass(frozen=True)
class RowLayout:
    """Where a row's bar and its label go inside the row (offsets from the row's centre)."""

    step: int
    bar_offset: float
    line: int

    def label_dy(self, label: str, bar: int) -> float:
        """Offset of a label's first line from the top of its row (an encoded y offset counts
        from the band's start); the label block ends just above its bar."""
        return self.step / 2 + self.bar_offset - bar / 2 - 6 - _lines(label) * self.line


def row_layout(labels: Sequence[str], style: ChartStyle) -> RowLayout:
    """Rows tall enough for the longest wrapped label, so no label overlaps its neighbour.

    With labels above the bars, a bar sits at the bottom of its row and its label right above
    it; a shorter label leaves its spare room above, between the rows.
    """
    wrapped = [wrap_label(label, style.wrap) for label in labels]
    most = max((_lines(label) for label in wrapped), default=1)
    label_height = most * style.line()
    if style.labels_above:
        step = label_height + style.bar + 16
        return RowLayout(step, step / 2 - 4 - style.bar / 2, style.line())
    return RowLayout(max(style.bar + 14, label_height + 12), 0.0, style.line())


def _config(chart: Any, style: ChartStyle) -> Any:
    """Type sizes for the screen, no chart border, marks hidden from screen readers."""
    size = style.font_size
    configured = (
        without_mark_aria(chart)
        .configure_axis(
            labelFontSize=size,
            titleFontSize=size,
            labelColor=INK,
            titleColor=INK,
            gridColor=GRID,
            labelFont="sans-serif",
            titleFont="sans-serif",
            titleFontWeight="normal",
        )
        .configure_text(fontSize=size, font="sans-serif")
        .configure_view(strokeWidth=0)
        .properties(
            width="container", autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
        )
    )
    return configured


def _y(field: str, sort: Any, style: ChartStyle, rtl: bool) -> alt.Y:
    """The row channel: labels beside the bars (projector) or none (drawn above each bar)."""
    if style.labels_above:
        return alt.Y(f"{field}:N", sort=sort, axis=None, title=None)
    axis = alt.Axis(
        title=None,
        labelLimit=0,  # never cut: long labels are wrapped into lines instead
        labelExpr="split(datum.label, '\\n')",
        labelLineHeight=style.line(),
        orient="right" if rtl else "left",
        labelAlign="left" if rtl else "right",
        ticks=False,
        domain=False,
    )
    return alt.Y(f"{field}:N", sort=sort, axis=axis, title=None)


def _labels_above(base: Any, field: str, style: ChartStyle, rtl: bool) -> Any:
    """Each row's label, on its own lines right above its bar, from the start edge.

    Its offset (`label_dy`, pixels) comes with the values: it depends on the label's lines.
    """
    return base.mark_text(
        align="right" if rtl else "left",
        baseline="top",
        lineBreak="\n",
        lineHeight=style.line(),
        color=INK,
        dir="rtl" if rtl else "ltr",
    ).encode(
        text=f"{field}:N",
        x=alt.value({"expr": "width"}) if rtl else alt.value(0),
        yOffset=alt.YOffset("label_dy:Q", scale=None),
    )


def _spec(chart: Any) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    return spec


# -- agreement: diverging stacked bars --------------------------------------------------------

# A segment's percentage is written on it only where it fits (the table has every figure).
SEGMENT_TEXT_FITS = "abs(scale('x', datum.end) - scale('x', datum.start)) > {pixels}"


def agreement_values(
    rows: Sequence[tuple[str, QuestionSummary]],
    level_label: Callable[[str], str],
    percent: Callable[[float], str],
    style: ChartStyle,
) -> list[dict[str, Any]]:
    """Records (statement, order, level, label, share, start, end, text) for diverging bars.

    Disagreement runs left of zero, agreement right, neutral centred on zero. Only statements
    whose distribution is published are drawn (never a suppressed cell); none drawn is none.
    """
    layout = row_layout([statement for statement, _ in rows], style)
    records: list[dict[str, Any]] = []
    for order, (statement, summary) in enumerate(rows):
        wrapped = wrap_label(statement, style.wrap)
        cells = {c.key: c for c in summary.options}
        if any(cells[lvl].suppressed for lvl in AGREEMENT_LEVELS if lvl in cells):
            continue
        shares = {lvl: (cells[lvl].share or 0.0) for lvl in AGREEMENT_LEVELS if lvl in cells}
        neutral = shares.get("3", 0.0)
        left = -(shares.get("1", 0.0) + shares.get("2", 0.0) + neutral / 2)
        for level in AGREEMENT_LEVELS:
            share = shares.get(level, 0.0)
            start = left
            left += share
            if share <= 0:
                continue
            records.append(
                {
                    "statement": wrapped,
                    "label_dy": layout.label_dy(wrapped, style.bar),
                    "order": order,
                    "level": level,
                    "label": level_label(level),
                    "share": share,
                    "start": round(start, 6),
                    "end": round(left, 6),
                    "text": percent(share),
                }
            )
    return records


def agreement_spec(
    statements: Sequence[str],
    level_labels: Sequence[str],
    share_title: str,
    style: ChartStyle = RESULTS_STYLE,
    rtl: bool = False,
) -> dict[str, Any]:
    """Diverging bars, one row per statement, reading `DATA_NAME`.

    The share axis spans the data (never an empty -100 % half) and always includes the centre
    line; its labels are unsigned percentages. The legend is drawn by the page (HTML), so it
    wraps and follows the text direction; the bars carry their percentages as text as well.
    """
    wrapped = [wrap_label(s, style.wrap) for s in statements]
    layout = row_layout(statements, style)
    x = alt.X(
        "start:Q",
        title=share_title,
        scale=alt.Scale(zero=True, nice=True, reverse=rtl),
        axis=alt.Axis(
            labelExpr="format(abs(datum.value), '.0%')",
            tickCount=5,
            labelFlush=True,
            labelOverlap="greedy",
            grid=not style.labels_above,  # grid lines would cross the labels above the bars
        ),
    )
    base = alt.Chart(alt.NamedData(name=DATA_NAME)).encode(y=_y("statement", wrapped, style, rtl))
    bars = base.mark_bar(
        stroke="white", strokeWidth=1, height=style.bar, yOffset=layout.bar_offset
    ).encode(
        x=x,
        x2="end:Q",
        color=alt.Color(
            "label:N",
            scale=alt.Scale(domain=list(level_labels), range=list(AGREEMENT_COLOURS)),
            legend=None,
        ),
    )
    ink = alt.condition(
        alt.FieldOneOfPredicate(field="level", oneOf=["1", "5"]),
        alt.value(AGREEMENT_INK[0]),
        alt.value(AGREEMENT_INK[1]),
    )
    fits = SEGMENT_TEXT_FITS.format(pixels=round(style.font_size * 3.4))
    text = (
        base.transform_calculate(mid="(datum.start + datum.end) / 2")
        .mark_text(fontWeight="bold", yOffset=layout.bar_offset)
        .encode(x="mid:Q", text=alt.condition(fits, alt.Text("text:N"), alt.value("")), color=ink)
    )
    statement_rows = base.transform_aggregate(groupby=["statement", "label_dy"])
    centre = statement_rows.mark_tick(
        color=INK, thickness=2, size=style.bar, orient="vertical", yOffset=layout.bar_offset
    ).encode(x=alt.datum(0, type="quantitative"))
    layers = [centre, bars, text]
    if style.labels_above:
        layers.append(_labels_above(statement_rows, "statement", style, rtl))
    chart = alt.layer(*layers).properties(height=alt.Step(layout.step))
    return _spec(_config(chart, style))


# -- counted choices: horizontal bars, most chosen first ----------------------------------------


def count_values(
    cells: Sequence[Cell], option_label: Callable[[str], str], style: ChartStyle
) -> list[dict[str, Any]]:
    """Published options, most chosen first, ties in the question's order (suppressed ones are
    never drawn)."""
    layout = row_layout([option_label(c.key) for c in cells], style)
    order = {c.key: index for index, c in enumerate(cells)}
    shown = sorted(
        (c for c in cells if not c.suppressed), key=lambda c: (-(c.count or 0), order[c.key])
    )
    return [
        {
            "option": c.key,
            "label": (label := wrap_label(option_label(c.key), style.wrap)),
            "label_dy": layout.label_dy(label, style.bar),
            "count": c.count,
            "rank": rank,
        }
        for rank, c in enumerate(shown, start=1)
    ]


def count_spec(
    labels: Sequence[str], count_title: str, style: ChartStyle = RESULTS_STYLE, rtl: bool = False
) -> dict[str, Any]:
    """Bars of counts with the count written at the end of each; the count axis shows whole
    numbers only. Rows are ordered by the `rank` field of the values."""
    layout = row_layout(labels, style)
    base = alt.Chart(alt.NamedData(name=DATA_NAME)).encode(
        y=_y("label", alt.EncodingSortField(field="rank", op="min", order="ascending"), style, rtl),
        x=alt.X(
            "count:Q",
            title=count_title,
            scale=alt.Scale(reverse=rtl, zero=True, nice=True),
            axis=alt.Axis(
                format="d",
                tickMinStep=1,
                tickCount=6,
                labelFlush=True,
                grid=not style.labels_above,
            ),
        ),
    )
    bars = base.mark_bar(color=PRIORITY_COLOUR, height=style.bar, yOffset=layout.bar_offset)
    # the count inside the end of a long bar (white), after the end of a short one (ink)
    inside = f"abs(scale('x', datum.count) - scale('x', 0)) > {style.font_size * 3}"
    text_in = base.mark_text(
        align="left" if rtl else "right",
        dx=6 if rtl else -6,
        fontWeight="bold",
        color=PALETTE.white,
        yOffset=layout.bar_offset,
    ).encode(text=alt.condition(inside, alt.Text("count:Q", format="d"), alt.value("")))
    text_out = base.mark_text(
        align="right" if rtl else "left",
        dx=-6 if rtl else 6,
        fontWeight="bold",
        color=INK,
        yOffset=layout.bar_offset,
    ).encode(text=alt.condition(inside, alt.value(""), alt.Text("count:Q", format="d")))
    layers = [bars, text_in, text_out]
    if style.labels_above:
        layers.append(_labels_above(base, "label", style, rtl))
    chart = alt.layer(*layers).properties(height=alt.Step(layout.step))
    return _spec(_config(chart, style))


def with_values(spec: dict[str, Any], values: list[dict[str, Any]]) -> dict[str, Any]:
    """A self-contained copy of a spec holding its values (for a static chart)."""
    full = copy.deepcopy(spec)
    full["datasets"] = {DATA_NAME: values}
    return full
