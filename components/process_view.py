"""Process page building blocks (and the infographic styling the recommendations page shares)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import streamlit as st

from components.charts import show_chart
from components.frame import escape
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

STAGE_PARAM = "stage"
STAGE_PICKER = "process_stage_picker"
PAIR_PICKER = "process_pair_filter"
# Facts used in catalog texts on this page, by the section that shows them.
METHOD_SOURCES = ("TOOLKIT-CID", "SEED-001")
THEME_ICONS = {
    "gender": ":material/female:",
    "city-for-all": ":material/location_city:",
    "labour": ":material/work:",
    "language": ":material/translate:",
}
HERO_SOURCES = ("PROJ", "SEED-001", "CEMR-FR", "PLAT", "VERN")

# Scoped to the keyed page containers (st.container(key=...) adds the class st-key-<key>).
SCOPES = (".st-key-ic_process", ".st-key-ic_recs")
_CSS = """
{s} {{ --ic-primary:#0B4F9C; --ic-ink:#1A1A2E; --ic-muted:#4A4F63; --ic-soft:#EEF3FA;
  --ic-line:#D5DBE8; color:var(--ic-ink); }}
{s} .ic-ms {{ font-family:"Material Symbols Rounded"; font-weight:normal; font-style:normal;
  font-size:1.25em; line-height:1; display:inline-block; vertical-align:-0.2em;
  font-feature-settings:"liga"; -webkit-font-feature-settings:"liga"; letter-spacing:normal;
  text-transform:none; white-space:nowrap; direction:ltr; color:var(--ic-primary); }}
{s} .ic-sr {{ position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0);
  white-space:nowrap; }}
{s} .ic-hero {{ background:linear-gradient(135deg,#0B4F9C 0%,#0A3466 100%); color:#fff;
  border-radius:18px; padding:22px 28px; margin:0 0 8px; }}
{s} .ic-hero p {{ color:#fff; font-size:1.12rem; line-height:1.5; margin:0; max-width:70ch; }}
{s} .ic-stats {{ display:flex; flex-wrap:wrap; gap:12px; margin-top:16px; padding:0;
  list-style:none; }}
{s} .ic-stats li {{ background:rgba(255,255,255,.14); border:1px solid rgba(255,255,255,.35);
  border-radius:12px; padding:8px 16px; min-width:104px; margin:0; }}
{s} .ic-stats b {{ display:block; font-size:1.9rem; line-height:1.1; color:#fff; }}
{s} .ic-stats span {{ font-size:.92rem; color:#fff; }}
{s} .ic-flow {{ display:grid; grid-template-columns:repeat(7,minmax(0,1fr)); gap:10px;
  list-style:none; padding:0; margin:4px 0 8px; counter-reset:none; }}
{s} .ic-flow li {{ position:relative; background:#fff; border:2px solid var(--ic-line);
  border-radius:14px; padding:12px 10px 10px; margin:0; text-align:center; }}
{s} .ic-flow li.ic-current {{ border-color:var(--ic-primary); background:var(--ic-soft);
  box-shadow:0 0 0 3px rgba(11,79,156,.18); }}
{s} .ic-flow li:not(:last-child)::after {{ content:"›"; position:absolute; right:-10px; top:38%;
  font-size:1.4rem; font-weight:700; color:var(--ic-primary); }}
{s} .ic-num {{ display:inline-flex; align-items:center; justify-content:center; width:2rem;
  height:2rem; border-radius:50%; background:var(--ic-primary); color:#fff; font-weight:700; }}
{s} .ic-flow .ic-icon {{ display:block; font-size:1.7rem; margin:6px 0 2px; }}
{s} .ic-flow .ic-t {{ display:block; font-weight:700; font-size:.9rem; line-height:1.25; }}
{s} .ic-flow .ic-when {{ display:block; color:var(--ic-muted); font-size:.78rem; margin-top:4px; }}
{s} .ic-stage {{ display:grid; grid-template-columns:150px 1fr; gap:22px; background:#fff;
  border:2px solid var(--ic-primary); border-radius:20px; padding:24px 28px; }}
{s} .ic-stage-side {{ text-align:center; }}
{s} .ic-stage-side .ic-big {{ display:block; font-size:4.2rem; line-height:1; }}
{s} .ic-stage-side .ic-num {{ width:3.4rem; height:3.4rem; font-size:1.7rem; margin-top:10px; }}
{s} .ic-stage-side .ic-of {{ display:block; color:var(--ic-muted); margin-top:6px; }}
{s} .ic-stage h3 {{ margin:0 0 4px; font-size:1.9rem; color:var(--ic-ink); padding:0; }}
{s} .ic-chip {{ display:inline-block; background:var(--ic-soft); color:var(--ic-primary);
  border-radius:999px; padding:2px 12px; font-weight:600; font-size:.9rem; margin:2px 4px 2px 0; }}
{s} .ic-facets {{ display:grid; grid-template-columns:repeat(3,minmax(0,1fr)); gap:14px;
  margin-top:16px; }}
{s} .ic-facet {{ background:var(--ic-soft); border-radius:14px; padding:14px 16px; }}
{s} .ic-facet h4 {{ margin:0 0 6px; font-size:1rem; color:var(--ic-primary); padding:0; }}
{s} .ic-facet p {{ margin:0; font-size:1.12rem; line-height:1.45; }}
{s} .ic-events {{ margin:14px 0 0; padding-left:1.1rem; color:var(--ic-muted); }}
{s} .ic-grid {{ display:grid; grid-template-columns:repeat(auto-fill,minmax(230px,1fr));
  gap:16px; margin:6px 0 10px; }}
{s} .ic-grid.ic-two {{ grid-template-columns:repeat(auto-fill,minmax(340px,1fr)); }}
{s} .ic-card {{ background:#fff; border:1px solid var(--ic-line); border-radius:14px;
  padding:16px 18px; box-shadow:0 1px 3px rgba(26,26,46,.06); }}
{s} .ic-card h4 {{ margin:0 0 6px; font-size:1.12rem; color:var(--ic-ink); padding:0; }}
{s} .ic-card p {{ margin:0 0 6px; line-height:1.45; }}
{s} .ic-card ul {{ margin:6px 0; padding-left:1.1rem; }}
{s} .ic-card li {{ margin:0 0 4px; line-height:1.4; }}
{s} .ic-card .ic-icon {{ font-size:1.6rem; margin-right:6px; }}
{s} .ic-card .ic-sub {{ color:var(--ic-muted); font-size:.92rem; margin:0 0 8px; }}
{s} .ic-accent {{ border-top:5px solid var(--ic-primary); }}
{s} .ic-src {{ display:inline-block; border:1px solid var(--ic-primary); color:var(--ic-primary);
  border-radius:999px; padding:0 7px; font-size:.72rem; font-weight:700; margin:2px 3px 0 0;
  text-decoration:none; white-space:nowrap; }}
{s} .ic-note {{ color:var(--ic-muted); font-size:.9rem; font-style:italic; }}
{s} .ic-bench {{ display:grid; grid-template-columns:1fr auto 1fr; gap:14px; align-items:center; }}
{s} .ic-bench .ic-arrow {{ font-size:2rem; color:var(--ic-primary); font-weight:700; }}
{s} .ic-label {{ text-transform:uppercase; letter-spacing:.06em; font-size:.75rem; font-weight:700;
  color:var(--ic-primary); margin:0 0 4px; }}
{s} .ic-list {{ counter-reset:item; list-style:none; padding:0; margin:0; }}
{s} .ic-list li {{ display:flex; gap:12px; align-items:flex-start; margin:0 0 12px; }}
{s} .ic-list .ic-num {{ flex:none; }}
{s} .ic-tags {{ margin-top:8px; font-size:.85rem; }}
{s} .ic-tag {{ display:inline-block; border:1px solid var(--ic-line); border-radius:8px;
  padding:1px 8px; margin:2px 4px 2px 0; background:#fff; }}
{s} .ic-rec-head {{ display:flex; gap:12px; align-items:center; margin-bottom:6px; }}
{s} .ic-rec-head .ic-num {{ width:2.4rem; height:2.4rem; font-size:1.2rem; flex:none; }}
{s} .ic-policy {{ display:grid; grid-template-columns:repeat(4,minmax(0,1fr)); gap:14px; }}
{s} .ic-when-big {{ font-size:1.3rem; font-weight:800; color:var(--ic-primary); display:block; }}
@media (max-width: 1100px) {{
  {s} .ic-flow {{ grid-template-columns:repeat(4,minmax(0,1fr)); }}
  {s} .ic-flow li::after {{ display:none; }}
  {s} .ic-policy {{ grid-template-columns:repeat(2,minmax(0,1fr)); }}
}}
@media (max-width: 700px) {{
  {s} .ic-flow {{ grid-template-columns:repeat(2,minmax(0,1fr)); }}
  {s} .ic-stage {{ grid-template-columns:1fr; padding:18px; }}
  {s} .ic-stage-side {{ display:flex; gap:14px; align-items:center; text-align:left; }}
  {s} .ic-stage-side .ic-big {{ font-size:2.8rem; }}
  {s} .ic-stage-side .ic-num {{ margin-top:0; }}
  {s} .ic-stage h3 {{ font-size:1.45rem; }}
  {s} .ic-facets {{ grid-template-columns:1fr; }}
  {s} .ic-grid.ic-two {{ grid-template-columns:1fr; }}
  {s} .ic-bench {{ grid-template-columns:1fr; }}
  {s} .ic-bench .ic-arrow {{ transform:rotate(90deg); justify-self:center; }}
  {s} .ic-policy {{ grid-template-columns:1fr; }}
  {s} .ic-hero {{ padding:18px; }}
}}
"""
STYLE = "<style>" + "".join(_CSS.format(s=scope) for scope in SCOPES) + "</style>"


def icon(name: str, extra: str = "") -> str:
    """A decorative Material Symbols icon from ':material/name:' (hidden from screen readers)."""
    symbol = name.removeprefix(":material/").removesuffix(":")
    return f'<span class="ic-ms {extra}" aria-hidden="true">{escape(symbol)}</span>'


def inject_styles() -> None:
    """Add the infographic stylesheet (it applies only inside the keyed page containers)."""
    st.html(STYLE)


def html_block(markup: str) -> None:
    """Render trusted, already-escaped HTML; one line so Markdown leaves it alone."""
    st.markdown(markup.replace("\n", " "), unsafe_allow_html=True)


def source_chips(keys: Iterable[str], t: Translator) -> str:
    """Source keys as small labelled chips (the page's sources section says where each points)."""
    chips = "".join(f'<span class="ic-src">{escape(k)}</span>' for k in keys)
    return f'<span class="ic-sr">{escape(t("process.sources_label"))} </span>{chips}'


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


def process_hero(t: Translator, stages: Sequence[Stage], content: Content) -> None:
    cities = sum(1 for c in content.city_list() if c.role != "coordinator")
    stats = [
        (t.number(len(stages)), t("process.hero.stages")),
        (t.number(len(content.pairs)), t("process.hero.pairs")),
        (t.number(cities), t("process.hero.cities")),
        (t("process.hero.years_value"), t("process.hero.years")),
    ]
    html_block(hero(t("process.lead"), stats))
    st.caption(t("process.hero.sources", keys=", ".join(HERO_SOURCES)))


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
        shown = (raw or "")[:12]
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


def stage_card(t: Translator, stage: Stage, events: Sequence[Event]) -> None:
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
            + f" {source_chips(e.sources, t)}</li>"
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
        f'<p class="ic-tags">{source_chips(stage.sources, t)}</p></div></section>'
    )


def timeline_section(t: Translator, events: Sequence[Event], content: Content) -> None:
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
    table = timeline_table(events, t, pair)
    show_chart(build_timeline_chart(table, t), t("process.timeline.alt"))
    st.caption(t("process.timeline.chart_subtitle") + " " + t("process.timeline.how_to_read"))
    with st.expander(t("process.timeline.table"), icon=":material/table:"):
        st.dataframe(timeline_display_table(table, t), hide_index=True)


def benchmarks_section(t: Translator, toolkits: Sequence[Toolkit], content: Content) -> None:
    """What a benchmark and key factors are, the leaflet's education example, the four toolkits."""
    st.header(t("process.bench.title"), anchor="benchmarks")
    st.markdown(t("process.bench.intro"))
    example = next(k for k in toolkits if k.kind == "example")
    factors = "".join(
        f"<li><strong>{escape(t.text(f.title.as_dict()))}</strong>: "
        f"{escape(t.text(f.text.as_dict()))} {source_chips(f.sources, t)}</li>"
        for f in example.key_factors
    )
    html_block(
        f'<div class="ic-card ic-accent"><p class="ic-label">{escape(t("process.bench.example"))}'
        f'</p><div class="ic-bench"><div><p class="ic-label">{escape(t("process.bench.benchmark"))}'
        f"</p><h4>{icon('flag')} {escape(t.text(example.benchmark.as_dict()))}</h4></div>"
        f'<span class="ic-arrow" aria-hidden="true">→</span>'
        f'<div><p class="ic-label">{escape(t("process.bench.key_factors"))}</p><ul>{factors}</ul>'
        f'</div></div><p class="ic-note">{escape(t("process.bench.definition"))} '
        f"{source_chips(METHOD_SOURCES, t)}</p></div>"
    )
    st.subheader(t("process.bench.toolkits"))
    cards = []
    for kit in (k for k in toolkits if k.kind == "toolkit"):
        theme = content.themes[kit.theme or ""]
        if kit.key_factors:
            body = "".join(
                f"<li><strong>{escape(t.text(f.title.as_dict()))}</strong>: "
                f"{escape(t.text(f.text.as_dict()))} {source_chips(f.sources, t)}</li>"
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
            f'<p class="ic-tags">{source_chips(kit.sources, t)}</p></article>'
        )
    html_block(f'<div class="ic-grid">{"".join(cards)}</div>')


def outputs_section(t: Translator, items: Sequence[OutputItem]) -> None:
    """Outputs as cards; the three objectives and three expected results as numbered lists."""
    grouped = split_outputs(items)
    st.header(t("process.outputs.title"), anchor="outputs")
    cards = []
    for item in grouped["output"]:
        highlights = ""
        if item.highlights:
            lines = "".join(
                f"<li><strong>{escape(t.text(h.label.as_dict()))}</strong>: "
                f"{escape(t.text(h.text.as_dict()))} {source_chips(h.sources, t)}</li>"
                for h in item.highlights
            )
            highlights = f"<ul>{lines}</ul>"
        cards.append(
            f'<article class="ic-card"><h4>{icon(item.icon, "ic-icon")}'
            f"{escape(t.text(item.title.as_dict()))}</h4>"
            f"<p>{escape(t.text(item.text.as_dict()))}</p>{highlights}"
            f'<p class="ic-tags">{source_chips(item.sources, t)}</p></article>'
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
                f"{escape(t.text(it.text.as_dict()))} {source_chips(it.sources, t)}</div></li>"
                for i, it in enumerate(grouped[kind], start=1)
            )
            html_block(f'<ol class="ic-list">{entries}</ol>')
