"""Make Altair charts quiet for screen readers: the chart has an alt text and a table instead."""

from __future__ import annotations

from typing import TypeVar

import altair as alt

AnyChart = TypeVar("AnyChart", alt.Chart, alt.LayerChart, alt.ConcatChart, alt.FacetChart)


def without_mark_aria(chart: AnyChart) -> AnyChart:
    """Hide each mark, axis and legend from assistive technology (Vega-Lite `aria: false`).

    Unnamed SVG marks otherwise read as dozens of images without names (axe: svg-img-alt);
    the chart's alt text says what it shows and the table below it carries the figures.
    """
    quiet: AnyChart = chart.configure(aria=False).configure_mark(aria=False)
    return quiet
