"""Process page building blocks (and the infographic styling the recommendations page shares)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.charts import show_chart
from components.frame import escape
from components.sources import cite_html, cite_markdown
from inclucities.citations import Citations
from inclucities.content import Content
from inclucities.i18n import Translator
from inclucities.process import (
    STAGE_COUNT,
    Event,
    OutputItem,
    Stage,
    Toolkit,
    events_for_stage,
    parse_stage,
    split_outputs,
)
from inclucities.process_charts import (
    build_timeline_chart,
    event_date_label,
    timeline_display_table,
    timeline_table,
)
from inclucities.text import Literal

STAGE_PARAM = "stage"
STAGE_PICKER = "process_stage_picker"
PAIR_PICKER = "process_pair_filter"
# Facts used in catalog texts on this page, by the section that shows them.
METHOD_SOURCES = ("TOOLKIT-CID", "LEAFLET")
THEME_ICONS = {
    "gender": ":material/female:",
    "city-for-all": ":material/location_city:",
    "labour": ":material/work:",
    "language": ":material/translate:",
}
HERO_SOURCES = ("PROJ", "LEAFLET", "CEMR-FR", "PLAT", "VERN")


def icon(name: str, extra: str = "") -> str:
    """A decorative Material Symbols icon from ':material/name:' (hidden from screen readers)."""
    symbol = name.removeprefix(":material/").removesuffix(":")
    return f'<span class="ic-ms {extra}" aria-hidden="true">{escape(symbol)}</span>'


def html_block(markup: str) -> None:
    """Render trusted, already-escaped HTML; one line so Markdown leaves it alone."""
    st.markdown(markup.replace("\n", " "), unsafe_allow_html=True)


def hero(lead: str, stats: Sequence[tuple[str, str]]) -> str:
    """A banner with the page's lead sentence and a row of big figures (value, label)."""
    items = "".join(f"<li><b>{escape(v)}</b><span>{escape(lab)}</span></li>" for v, lab in stats)
    return f'<div class="ic-hero"><p>{escape(lead)}</p><ul class="ic-stats">{items}</ul></div>'


def pair_label(content: Content, t: Translator, pair: int) -> str:
    """'Pair 1: Brussels → Saint-Jean-de-la-Ruelle' in the page language."""
    p = content.pairs[pair]
    return t(
        "process.pair_option",
        number=pair,
        mentor=t.text(content.cities[p.mentor].name.as_dict()),
        mentee=t.text(content.cities[p.mentee].name.as_dict()),
    )


def process_hero(
    t: Translator, stages: Sequence[Stage], content: Content, cites: Citations
) -> None:
    cities = sum(1 for c in content.city_list() if c.role != "coordinator")
    stats = [
        (t.number(len(stages)), t("process.hero.stages")),
        (t.number(len(content.pairs)), t("process.hero.pairs")),
        (t.number(cities), t("process.hero.cities")),
        (t("process.hero.years_value"), t("process.hero.years")),
    ]
    html_block(hero(t("process.lead"), stats))
    st.caption(t("process.hero.sources", keys=cite_markdown(cites, HERO_SOURCES)))


def stage_flow(t: Translator, stages: Sequence[Stage], current: int) -> None:
    """All seven stages as one ordered visual sequence; the one shown below is highlighted."""
    items = []
    for stage in stages:
        here = stage.number == current
        attrs = ' class="ic-current" aria-current="step"' if here else ""
        items.append(
            f'<li{attrs}><span class="ic-num">{stage.number}</span>'
            f'<span class="ic-icon">{icon(stage.icon)}</span>'
            f'<span class="ic-t">{escape(t.text(stage.title.as_dict()))}</span>'
            f'<span class="ic-when">{escape(t.text(stage.period.as_dict()))}</span></li>'
        )
    label = escape(t("process.flow_label"))
    html_block(f'<ol class="ic-flow" aria-label="{label}">{"".join(items)}</ol>')


def current_stage(t: Translator) -> int:
    """The stage from `?stage=N`; an invalid value gets a polite notice and stage 1."""
    raw = st.query_params.get(STAGE_PARAM)
    number, invalid = parse_stage(raw)
    if invalid:
        shown = Literal((raw or "")[:12])  # from the URL: shown as written, never as Markdown
        st.info(t("process.stage_invalid", value=shown, count=STAGE_COUNT), icon=":material/info:")
        st.query_params[STAGE_PARAM] = str(number)
    return number


def _go_to(number: int) -> None:
    st.query_params[STAGE_PARAM] = str(number)
    st.session_state[STAGE_PICKER] = number


def _picked() -> None:
    chosen = st.session_state.get(STAGE_PICKER)
    if chosen:
        st.query_params[STAGE_PARAM] = str(chosen)


def stage_controls(t: Translator, current: int) -> None:
    """Previous / next buttons and a direct stage picker, all keeping `?stage=` in step."""
    st.session_state[STAGE_PICKER] = current
    with st.container(horizontal=True, vertical_alignment="bottom", key="process_controls"):
        st.button(
            t("process.prev"),
            key="process_prev",
            icon=":material/arrow_back:",
            on_click=_go_to,
            args=(max(1, current - 1),),
            disabled=current <= 1,
        )
        st.segmented_control(
            t("process.jump"),
            list(range(1, STAGE_COUNT + 1)),
            key=STAGE_PICKER,
            required=True,
            on_change=_picked,
            format_func=str,
            label_visibility="collapsed",
        )
        st.button(
            t("process.next"),
            key="process_next",
            icon=":material/arrow_forward:",
            icon_position="right",
            type="primary",
            on_click=_go_to,
            args=(min(STAGE_COUNT, current + 1),),
            disabled=current >= STAGE_COUNT,
        )


def stage_card(t: Translator, stage: Stage, events: Sequence[Event], cites: Citations) -> None:
    """The big, projector-readable card of one stage: what, who, output, when, sources."""
    title = escape(t.text(stage.title.as_dict()))
    facets = "".join(
        f'<div class="ic-facet"><h4>{icon(symbol)} '
        f"{escape(t(f'process.facet.{name}'))}</h4>"
        f"<p>{escape(t.text(getattr(stage, name).as_dict()))}</p></div>"
        for name, symbol in (("what", "info"), ("who", "groups"), ("output", "inventory_2"))
    )
    dated = events_for_stage(events, stage.number)
    event_html = ""
    if dated:
        lines = "".join(
            f"<li><strong>{escape(event_date_label(e, t))}</strong> · "
            f"{escape(t.text(e.title.as_dict()))}"
            + (f" <em>({escape(t('process.timeline.approximate'))})</em>" if e.approximate else "")
            + f" {cite_html(cites, e.sources, t)}</li>"
            for e in dated
        )
        heading = escape(t("process.stage_events"))
        event_html = f'<p class="ic-label">{heading}</p><ul class="ic-events">{lines}</ul>'
    of = escape(t("process.stage_of", number=stage.number, count=STAGE_COUNT))
    period = escape(t.text(stage.period.as_dict()))
    html_block(
        f'<section class="ic-stage" aria-label="{of}: {title}">'
        f'<div class="ic-stage-side"><span class="ic-big">{icon(stage.icon)}</span>'
        f'<span class="ic-num">{stage.number}</span>'
        f'<span class="ic-of">{of}</span></div>'
        f"<div><h3>{title}</h3>"
        f'<span class="ic-chip">{icon("calendar_month")} {period}</span>'
        f'<div class="ic-facets">{facets}</div>{event_html}'
        f'<p class="ic-tags">{cite_html(cites, stage.sources, t)}</p></div></section>'
    )


def timeline_section(
    t: Translator, events: Sequence[Event], content: Content, cites: Citations
) -> None:
    """The 2020-2023 timeline: a pair filter, the chart, how to read it, and the same as a table."""
    st.header(t("process.timeline.title"), anchor="timeline")
    st.markdown(t("process.timeline.intro"))
    options = [0, *sorted(content.pairs)]
    st.session_state.setdefault(PAIR_PICKER, 0)
    chosen = st.pills(
        t("process.timeline.filter"),
        options,
        key=PAIR_PICKER,
        required=True,
        format_func=lambda p: (
            t("process.timeline.all_pairs") if p == 0 else pair_label(content, t, p)
        ),
    )
    pair = chosen or None
    table = timeline_table(events, t, pair, cites)
    show_chart(build_timeline_chart(table, t), t("process.timeline.alt"))
    st.caption(t("process.timeline.chart_subtitle") + " " + t("process.timeline.how_to_read"))
    with st.expander(t("process.timeline.table"), icon=":material/table:"):
        st.dataframe(timeline_display_table(table, t), hide_index=True)


def benchmarks_section(
    t: Translator, toolkits: Sequence[Toolkit], content: Content, cites: Citations
) -> None:
    """What a benchmark and key factors are, the leaflet's education example, the four toolkits."""
    st.header(t("process.bench.title"), anchor="benchmarks")
    st.markdown(t("process.bench.intro"))
    example = next(k for k in toolkits if k.kind == "example")
    factors = "".join(
        f"<li><strong>{escape(t.text(f.title.as_dict()))}</strong>: "
        f"{escape(t.text(f.text.as_dict()))} {cite_html(cites, f.sources, t)}</li>"
        for f in example.key_factors
    )
    html_block(
        f'<div class="ic-card ic-accent"><p class="ic-label">{escape(t("process.bench.example"))}'
        f'</p><div class="ic-bench"><div><p class="ic-label">{escape(t("process.bench.benchmark"))}'
        f"</p><h4>{icon('flag')} {escape(t.text(example.benchmark.as_dict()))}</h4></div>"
        f'<span class="ic-arrow" aria-hidden="true">→</span>'
        f'<div><p class="ic-label">{escape(t("process.bench.key_factors"))}</p><ul>{factors}</ul>'
        f'</div></div><p class="ic-note">{escape(t("process.bench.definition"))} '
        f"{cite_html(cites, METHOD_SOURCES, t)}</p></div>"
    )
    st.subheader(t("process.bench.toolkits"))
    cards = []
    for kit in (k for k in toolkits if k.kind == "toolkit"):
        theme = content.themes[kit.theme or ""]
        if kit.key_factors:
            body = "".join(
                f"<li><strong>{escape(t.text(f.title.as_dict()))}</strong>: "
                f"{escape(t.text(f.text.as_dict()))} {cite_html(cites, f.sources, t)}</li>"
                for f in kit.key_factors
            )
            factors_html = (
                f'<p class="ic-label">{escape(t("process.bench.key_factors"))}</p><ul>{body}</ul>'
            )
        else:
            factors_html = f'<p class="ic-note">{escape(t("process.bench.no_factors"))}</p>'
        note = (
            f'<p class="ic-note">{escape(t.text(kit.benchmark_note.as_dict()))}</p>'
            if kit.benchmark_note
            else ""
        )
        cards.append(
            f'<article class="ic-card ic-accent"><h4>{icon(THEME_ICONS[theme.id], "ic-icon")}'
            f"{escape(t.text(theme.name.as_dict()))}</h4>"
            f'<p class="ic-sub">{escape(pair_label(content, t, kit.pair or 0))}</p>'
            f'<p class="ic-label">{escape(t("process.bench.benchmark"))}</p>'
            f"<p>{escape(t.text(kit.benchmark.as_dict()))}</p>{note}{factors_html}"
            f'<p class="ic-tags">{cite_html(cites, kit.sources, t)}</p></article>'
        )
    html_block(f'<div class="ic-grid">{"".join(cards)}</div>')


def outputs_section(t: Translator, items: Sequence[OutputItem], cites: Citations) -> None:
    """Outputs as cards; the three objectives and three expected results as numbered lists."""
    grouped = split_outputs(items)
    st.header(t("process.outputs.title"), anchor="outputs")
    cards = []
    for item in grouped["output"]:
        highlights = ""
        if item.highlights:
            lines = "".join(
                f"<li><strong>{escape(t.text(h.label.as_dict()))}</strong>: "
                f"{escape(t.text(h.text.as_dict()))} {cite_html(cites, h.sources, t)}</li>"
                for h in item.highlights
            )
            highlights = f"<ul>{lines}</ul>"
        cards.append(
            f'<article class="ic-card"><h4>{icon(item.icon, "ic-icon")}'
            f"{escape(t.text(item.title.as_dict()))}</h4>"
            f"<p>{escape(t.text(item.text.as_dict()))}</p>{highlights}"
            f'<p class="ic-tags">{cite_html(cites, item.sources, t)}</p></article>'
        )
    html_block(f'<div class="ic-grid">{"".join(cards)}</div>')
    columns = st.columns(2, gap="large")
    for column, kind in zip(columns, ("objective", "result"), strict=True):
        with column:
            st.subheader(t(f"process.outputs.{kind}s"))
            entries = "".join(
                f'<li><span class="ic-num">{i}</span><div><strong>'
                f"{icon(it.icon)} "
                f"{escape(t.text(it.title.as_dict()))}</strong><br>"
                f"{escape(t.text(it.text.as_dict()))} {cite_html(cites, it.sources, t)}</div></li>"
                for i, it in enumerate(grouped[kind], start=1)
            )
            html_block(f'<ol class="ic-list">{entries}</ol>')
