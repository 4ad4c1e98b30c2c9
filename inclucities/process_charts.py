"""Altair chart builders and their table alternatives for the process and recommendations pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import altair as alt
import pandas as pd

from inclucities.citations import Citations, citation_texts, numbers_label
from inclucities.i18n import Translator
from inclucities.palette import PALETTE
from inclucities.process import Event
from inclucities.recommendations import ACTORS, Recommendation

PRIMARY = PALETTE.primary
INK = PALETTE.ink
TIMELINE_START = date(2019, 11, 15)  # a margin before the 2020 tick, so it shows
TIMELINE_END = date(2023, 7, 15)

# Event kinds are grouped for the legend; each group has its own colour AND shape.
KIND_GROUP: dict[str, str] = {
    "kick-off": "milestone",
    "milestone": "milestone",
    "conference": "milestone",
    "training": "training",
    "academy": "training",
    "study-visit-1": "visit",
    "study-visit-2": "visit",
    "study-visit-3": "visit",
    "transfer-workshop": "workshop",
    "steering": "steering",
    "campaign": "campaign",
    "exhibition": "campaign",
}
GROUPS: tuple[str, ...] = ("milestone", "training", "visit", "workshop", "steering", "campaign")
GROUP_COLOURS: dict[str, str] = {
    "milestone": PRIMARY,
    "training": "#6A2C91",
    "visit": "#B3261E",
    "workshop": "#1E6B45",
    "steering": "#55585E",
    "campaign": "#9A4A00",
}
GROUP_SHAPES: dict[str, str] = {
    "milestone": "diamond",
    "training": "square",
    "visit": "circle",
    "workshop": "triangle-up",
    "steering": "cross",
    "campaign": "triangle-down",
}
VISIT_ROUND = {"study-visit-1": "1", "study-visit-2": "2", "study-visit-3": "3"}


def event_date_label(event: Event, t: Translator) -> str:
    """The event's date as people read it: a day, a day range, a month or a month range."""
    if event.precision == "month":
        if event.end and event.end != event.start:
            return t(
                "process.timeline.month_range", start=t.month(event.start), end=t.month(event.end)
            )
        return t("process.timeline.month_only", month=t.month(event.start))
    if event.end and event.end != event.start:
        return t("process.timeline.day_range", start=t.date(event.start), end=t.date(event.end))
    return t.date(event.start)


def track_label(pair: int | None, t: Translator) -> str:
    return t("process.timeline.track_all") if pair is None else t("process.pair", number=pair)


def timeline_table(
    events: Iterable[Event],
    t: Translator,
    pair: int | None = None,
    citations: Citations | None = None,
) -> pd.DataFrame:
    """One row per event and track (all partners, or each pair concerned), to chart or show.

    With the page's `citations`, `sources` holds the numbers shown on the page ('[3, 5]') and
    `source_list` the full citations, so the table (and its download) can be traced on its own.
    """
    cites = citations if citations is not None else Citations()
    rows: list[dict[str, object]] = []
    for event in events:
        if pair is not None and not event.is_for_all and pair not in event.pair_ids:
            continue
        if event.is_for_all:
            tracks: list[int | None] = [None]
        else:
            tracks = [p for p in event.pair_ids if pair is None or p == pair]
        group = KIND_GROUP[event.kind]
        precision = "approximate" if event.approximate else "exact"
        numbers = cites.cite(event.sources)
        for track in tracks:
            rows.append(
                {
                    "row": len(rows),
                    "track": track_label(track, t),
                    "track_order": 0 if track is None else track,
                    "start": pd.Timestamp(event.start),
                    "end": pd.Timestamp(event.last_day + timedelta(days=1)),
                    "date": event_date_label(event, t),
                    "event": t.text(event.title.as_dict()),
                    "kind": t(f"process.kind.{event.kind}"),
                    "group": t(f"process.group.{group}"),
                    "group_id": group,
                    "round": VISIT_ROUND.get(event.kind, ""),
                    "place": t.text(event.place.as_dict()) if event.place else "",
                    "precision": t(f"process.timeline.{precision}"),
                    "approximate": event.approximate,
                    "note": t.text(event.note.as_dict()) if event.note else "",
                    "sources": numbers_label(numbers),
                    "cite_numbers": " ".join(str(n) for n in numbers),
                    "source_list": citation_texts(cites, event.sources, t),
                }
            )
    columns = [
        "row", "track", "track_order", "start", "end", "date", "event", "kind", "group",
        "group_id", "round", "place", "precision", "approximate", "note", "sources",
        "cite_numbers", "source_list",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def timeline_display_table(table: pd.DataFrame, t: Translator) -> pd.DataFrame:
    """The table alternative to the timeline chart, with translated headings."""
    shown = table.sort_values(["start", "track_order"])[
        ["date", "track", "event", "kind", "place", "precision", "note", "source_list"]
    ]
    return shown.rename(
        columns={c: t(f"process.timeline.col.{c.replace('source_list', 'sources')}") for c in shown}
    )


ROW_STEP = 54  # px per timeline row
PICK = "pick"  # the timeline's tap/click selection: the chosen event's `row`
# One tick per year, 2020 included (the axis starts before 1 January 2020; the first event is
# in June 2020).
YEARS = (2020, 2021, 2022, 2023)
AUTOSIZE_FIT_X = {"type": "fit-x", "contains": "padding"}  # width follows the page; height its rows


def build_timeline_chart(table: pd.DataFrame, t: Translator) -> alt.LayerChart:
    """Events on a 2020-2023 time axis, one row per track; colour, shape and fill carry meaning.

    A tap or a click on a symbol selects its event (`PICK`, the table's `row`), so the page can
    write it out below the chart: touch screens have no hover. The legend sits above the chart.
    """
    groups = [t(f"process.group.{g}") for g in GROUPS]
    legend = alt.Legend(
        title=t("process.timeline.legend"),
        orient="top",
        direction="vertical",
        columns=1,
        labelLimit=320,
        labelFontSize=14,
        labelColor=INK,
        titleFontSize=14,
        titleColor=INK,
        symbolOpacity=1,
        symbolSize=160,
        symbolStrokeWidth=2,
    )
    colours = alt.Scale(domain=groups, range=[GROUP_COLOURS[g] for g in GROUPS])
    colour = alt.Color("group:N", scale=colours, legend=legend)
    shapes = alt.Scale(domain=groups, range=[GROUP_SHAPES[g] for g in GROUPS])
    shape = alt.Shape("group:N", scale=shapes, legend=legend)
    filled = alt.Fill("group:N", scale=colours, legend=legend)
    fill = alt.condition("datum.approximate", alt.value("white"), filled)
    tracks = list(dict.fromkeys(table.sort_values("track_order")["track"]))
    y = alt.Y(
        "track:N",
        sort=tracks,
        title=None,
        axis=alt.Axis(labelFontSize=13, labelColor=INK, labelFontWeight="bold", labelLimit=140),
    )
    axis = alt.Axis(
        format="%Y",
        values=[alt.DateTime(year=year, month=1, date=1) for year in YEARS],
        labelFontSize=13,
        labelColor=INK,
        grid=True,
    )
    # The time axis spans TIMELINE_START to TIMELINE_END through an invisible layer of those two
    # days, not through an explicit domain (Vega-Lite parses an explicit temporal domain in some
    # layers and not in others, then warns of conflicting domains).
    x = alt.X("start:T", title=None, scale=alt.Scale(nice=False), axis=axis)
    tooltip = [
        alt.Tooltip("event:N", title=t("process.timeline.col.event")),
        alt.Tooltip("date:N", title=t("process.timeline.col.date")),
        alt.Tooltip("kind:N", title=t("process.timeline.col.kind")),
        alt.Tooltip("place:N", title=t("process.timeline.col.place")),
        alt.Tooltip("precision:N", title=t("process.timeline.col.precision")),
        alt.Tooltip("note:N", title=t("process.timeline.col.note")),
        alt.Tooltip("sources:N", title=t("process.timeline.col.sources")),
    ]
    pick = alt.selection_point(name=PICK, fields=["row"], on="click", nearest=True, empty=False)
    base = alt.Chart(table).encode(x=x, y=y)
    spans = base.mark_bar(height=10, opacity=0.28, cornerRadius=3).encode(x2="end:T", color=colour)
    points = (
        base.mark_point(size=170, strokeWidth=2.2, opacity=1, cursor="pointer")
        .encode(
            color=colour,
            shape=shape,
            fill=fill,
            size=alt.condition(pick, alt.value(420), alt.value(170)),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    rounds = base.mark_text(dy=-15, fontSize=11, fontWeight="bold", color=INK).encode(
        text="round:N"
    )
    extent = pd.DataFrame({"start": [pd.Timestamp(TIMELINE_START), pd.Timestamp(TIMELINE_END)]})
    span = alt.Chart(extent).mark_rule(opacity=0).encode(x=x)
    chart: alt.LayerChart = (
        alt.layer(spans, points, rounds, span)
        .properties(
            height=ROW_STEP * max(1, len(tracks)),  # a number: a "step" height drops Vega's fit
            title=alt.Title(t("process.timeline.chart_title"), anchor="start", color=INK),
            autosize=AUTOSIZE_FIT_X,
        )
        .configure_view(stroke=None)
        .configure_axis(domainColor="#8A8FA3", gridColor="#E3E6EE")
    )
    return chart


def actor_matrix_table(recs: Sequence[Recommendation], t: Translator) -> pd.DataFrame:
    """Recommendation x actor grid: which actors each recommendation calls on."""
    rows = []
    for rec in recs:
        for actor in ACTORS:
            tagged = actor in rec.actors
            rows.append(
                {
                    "recommendation": f"{rec.number}. {t.text(rec.title.as_dict())}",
                    "number": str(rec.number),
                    "order": rec.number,
                    "actor": t(f"recommendations.actor.{actor}"),
                    "tagged": tagged,
                    "mark": t("recommendations.matrix.yes")
                    if tagged
                    else t("recommendations.matrix.no"),
                }
            )
    columns = ["recommendation", "number", "order", "actor", "tagged", "mark"]
    return pd.DataFrame(rows, columns=columns)


def actor_matrix_display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The matrix as a plain table: one row per recommendation, one column per actor."""
    wide = table.pivot_table(
        index=["order", "recommendation"],
        columns="actor",
        values="mark",
        aggfunc="first",
        sort=False,
    )
    return wide.reset_index(level="order", drop=True).reset_index()


def build_actor_matrix_chart(table: pd.DataFrame, t: Translator) -> alt.Chart:
    """Dot matrix: a big square where a recommendation names an actor, a small dot if not.

    Columns are recommendation numbers (as on the cards) so the grid fits a phone screen.
    """
    numbers = list(dict.fromkeys(table.sort_values("order")["number"]))
    actors = [t(f"recommendations.actor.{a}") for a in ACTORS]
    chart: alt.Chart = (
        alt.Chart(table)
        .mark_point(filled=True, shape="square", opacity=1)
        .encode(
            x=alt.X(
                "number:N",
                sort=numbers,
                title=t("recommendations.matrix.col_rec"),
                axis=alt.Axis(
                    orient="top",
                    labelAngle=0,
                    labelFontSize=14,
                    labelColor=INK,
                    labelFontWeight="bold",
                ),
            ),
            y=alt.Y(
                "actor:N",
                sort=actors,
                title=None,
                axis=alt.Axis(labelLimit=200, labelFontSize=13, labelColor=INK),
            ),
            size=alt.condition("datum.tagged", alt.value(520), alt.value(30)),
            color=alt.condition("datum.tagged", alt.value(PRIMARY), alt.value("#9AA0B4")),
            tooltip=[
                alt.Tooltip("recommendation:N", title=t("recommendations.matrix.col_rec")),
                alt.Tooltip("actor:N", title=t("recommendations.matrix.col_actor")),
                alt.Tooltip("mark:N", title=t("recommendations.matrix.col_named")),
            ],
        )
        .properties(
            height=40 * len(actors),  # a number: with a "step" height Vega drops its fit
            width=alt.Step(44),
            title=alt.Title(t("recommendations.matrix.title"), anchor="start", color=INK),
            autosize=AUTOSIZE_FIT_X,  # the page sets the width; the rows keep their step
        )
        .configure_view(stroke=None)
    )
    return chart


def build_ranking_chart(table: pd.DataFrame, t: Translator) -> alt.LayerChart:
    """Live ranking: a bar per recommendation for shown values; hidden small groups get text only.

    `table` columns: recommendation (label), order (int), value (float or NaN when suppressed),
    display (text shown next to the bar, e.g. "42 %" or "fewer than 5").
    """
    order = list(dict.fromkeys(table.sort_values("order")["recommendation"]))
    y = alt.Y(
        "recommendation:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=260, labelFontSize=12, labelColor=INK),
    )
    base = alt.Chart(table).encode(
        y=y,
        tooltip=[
            alt.Tooltip("recommendation:N", title=t("recommendations.ranking.col_recommendation")),
            alt.Tooltip("display:N", title=t("recommendations.ranking.col_value")),
        ],
    )
    bars = base.mark_bar(color=PRIMARY, cornerRadiusEnd=3).encode(
        x=alt.X(
            "value:Q",
            title=t("recommendations.ranking.axis"),
            axis=alt.Axis(labelColor=INK, format="%"),
        )
    )
    labels = (
        base.mark_text(align="left", dx=6, color=INK, fontSize=12)
        .encode(x=alt.X("label_x:Q"), text="display:N")
        .transform_calculate(label_x="isValid(datum.value) ? datum.value : 0")
    )
    chart: alt.LayerChart = (
        alt.layer(bars, labels)
        .properties(height=34 * max(1, len(order)), autosize=AUTOSIZE_FIT_X)
        .configure_view(stroke=None)
    )
    return chart
