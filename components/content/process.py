"""Process page building blocks: hero, stage flow and card, timeline, benchmarks, outputs.

The markup is in components/content/templates (process_*.html.j2, with the shared infographic
kit in _kit.html.j2); these functions gather the values in the page language.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import linked_choice
from components.content.sources import cite_markdown
from components.markup import show_markdown
from components.results.charts import show_chart
from inclucities import infographic
from inclucities.citations import Citations
from inclucities.content import Content
from inclucities.i18n import Translator
from inclucities.process import (
    STAGE_COUNT,
    Event,
    OutputItem,
    Stage,
    Toolkit,
    pair_label,
    parse_part,
    parse_stage,
    split_outputs,
)
from inclucities.process_charts import (
    PICK,
    build_timeline_chart,
    timeline_display_table,
    timeline_table,
)
from inclucities.text import Literal, excerpt

STAGE_PARAM = "stage"
PART_PARAM = "part"  # ?part=timeline opens that tab; each page names its parts by id
PROCESS_TABS = "process_part"
TIMELINE_CHART = "process_timeline_chart"
STAGE_PICKER = "process_stage_picker"
PAIR_PICKER = "process_pair_filter"
# Facts used in catalog texts on this page, by the section that shows them.
METHOD_SOURCES = ("TOOLKIT-CID", "LEAFLET")
HERO_SOURCES = ("PROJ", "LEAFLET", "CEMR-FR", "PLAT", "VERN")


def process_hero(
    t: Translator, stages: Sequence[Stage], content: Content, cites: Citations
) -> None:
    show_markdown("ic_hero.html.j2", **infographic.process_hero(t, stages, content))
    st.caption(t("process.hero.sources", keys=cite_markdown(cites, HERO_SOURCES)))


def _part_chosen(key: str, ids: Sequence[str], labels: Sequence[str]) -> None:
    label = st.session_state.get(key)
    part = ids[list(labels).index(label)] if isinstance(label, str) and label in labels else ids[0]
    if part == ids[0]:
        st.query_params.pop(PART_PARAM, None)  # the first part needs no parameter
    else:
        st.query_params[PART_PARAM] = part


def page_parts(key: str, parts: dict[str, str]) -> dict[str, DeltaGenerator]:
    """The page's parts as tabs (part id -> label), one tap from the top of a phone; the open
    tab follows `?part=ID` both ways, so each part has a link that opens it."""
    ids, labels = list(parts), list(parts.values())
    chosen = parse_part(st.query_params.get(PART_PARAM), ids)
    st.session_state[key] = parts[chosen]  # the URL says which part is open
    tabs = st.tabs(labels, key=key, on_change=_part_chosen, args=(key, ids, labels))
    return dict(zip(ids, tabs, strict=True))


def stage_flow(t: Translator, stages: Sequence[Stage], current: int) -> None:
    """All seven stages as one ordered visual sequence; the one shown below is highlighted."""
    show_markdown("process_flow.html.j2", **infographic.stage_flow(t, stages, current))


def current_stage(t: Translator) -> int:
    """The stage from `?stage=N`; an invalid value gets a polite notice and stage 1."""
    raw = st.query_params.get(STAGE_PARAM)
    number, invalid = parse_stage(raw)
    if invalid:
        shown = Literal(excerpt(raw or "", 12))  # from the URL: shown as written, never as Markdown
        st.info(t("process.stage_invalid", value=shown, count=STAGE_COUNT), icon=":material/info:")
        st.query_params[STAGE_PARAM] = str(number)
    return number


def stage_picker(t: Translator, current: int) -> None:
    """The seven stage numbers in one row: one tap opens any stage (`?stage=` in step)."""
    st.session_state[STAGE_PICKER] = current
    st.segmented_control(
        t("process.jump"),
        list(range(1, STAGE_COUNT + 1)),
        key=STAGE_PICKER,
        required=True,
        on_change=linked_choice.picked,
        args=(STAGE_PARAM, STAGE_PICKER),
        format_func=str,
        label_visibility="collapsed",
    )


def stage_controls(t: Translator, current: int) -> None:
    """Previous / next under the stage card (where a reader on a phone ends), `?stage=` in step."""
    linked_choice.previous_next(
        (t("process.prev"), t("process.next")),
        "process",
        STAGE_PARAM,
        STAGE_PICKER,
        current - 1 if current > 1 else None,
        current + 1 if current < STAGE_COUNT else None,
    )


def stage_card(t: Translator, stage: Stage, events: Sequence[Event], cites: Citations) -> None:
    """The big, projector-readable card of one stage: what, who, output, when, sources."""
    show_markdown("process_stage.html.j2", **infographic.stage_card(t, stage, events, cites))


def _picked_event(state: object, table: pd.DataFrame) -> dict[str, object] | None:
    """The row of `table` chosen by a tap or click on the chart, if any."""
    selection = getattr(state, "selection", None) or {}
    chosen = selection.get(PICK) if isinstance(selection, dict) else None
    if not chosen:
        return None
    row = chosen[0].get("row") if isinstance(chosen[0], dict) else None
    match = table[table["row"] == row]
    return None if match.empty else dict(match.iloc[0])


def timeline_section(
    t: Translator, events: Sequence[Event], content: Content, cites: Citations
) -> None:
    """The 2020-2023 timeline: a pair filter, the chart (tap a symbol to read its event below
    it), how to read it, and the same as a table."""
    st.header(t("process.timeline.title"), anchor="timeline")
    st.markdown(t("process.timeline.intro"))
    options = [0, *sorted(content.pairs)]
    st.session_state.setdefault(PAIR_PICKER, 0)
    chosen = st.selectbox(
        t("process.timeline.filter"),
        options,
        key=PAIR_PICKER,
        format_func=lambda p: (
            t("process.timeline.all_pairs") if p == 0 else pair_label(content, t, p)
        ),
    )
    pair = chosen or None
    table = timeline_table(events, t, pair, cites)
    state = show_chart(
        build_timeline_chart(table, t),
        t("process.timeline.alt"),
        on_select="rerun",
        selection_mode=PICK,
        key=f"{TIMELINE_CHART}_{pair or 0}",  # a new pair starts with nothing chosen
    )
    event = _picked_event(state, table)
    if event is None:
        st.markdown(f":material/touch_app: {t('process.timeline.none_selected')}")
    else:
        show_markdown("process_event.html.j2", **infographic.picked_event(t, event))
    st.caption(t("process.timeline.chart_subtitle_tap") + " " + t("process.timeline.how_to_read"))
    with st.expander(t("process.timeline.table"), icon=":material/table:"):
        st.dataframe(timeline_display_table(table, t), hide_index=True)


def benchmarks_section(
    t: Translator, toolkits: Sequence[Toolkit], content: Content, cites: Citations
) -> None:
    """What a benchmark and key factors are, the leaflet's education example, the four toolkits."""
    st.header(t("process.bench.title"), anchor="benchmarks")
    st.markdown(t("process.bench.intro"))
    example = next(k for k in toolkits if k.kind == "example")
    values = infographic.bench_example(t, example, cites, METHOD_SOURCES)
    show_markdown("process_example.html.j2", **values)
    st.subheader(t("process.bench.toolkits"))
    values = infographic.toolkit_cards(t, toolkits, content, cites)
    show_markdown("process_toolkits.html.j2", **values)


def outputs_section(t: Translator, items: Sequence[OutputItem], cites: Citations) -> None:
    """Outputs as cards; the three objectives and three expected results as numbered lists."""
    grouped = split_outputs(items)
    st.header(t("process.outputs.title"), anchor="outputs")
    values = infographic.output_cards(t, grouped["output"], cites)
    show_markdown("process_outputs.html.j2", **values)
    columns = st.columns(2, gap="large")
    for column, kind in zip(columns, ("objective", "result"), strict=True):
        with column:
            st.subheader(t(f"process.outputs.{kind}s"))
            values = infographic.numbered(t, grouped[kind], cites)
            show_markdown("process_numbered.html.j2", **values)
