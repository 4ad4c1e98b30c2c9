"""Home page building blocks: the lead, the call to act, a teaser of the method, the ways in,
key figures, a short explanation and one card per other page."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import streamlit as st

from components import markup
from components.content.sources import cite_markdown
from components.navigation import PAGES
from inclucities.citations import Citations
from inclucities.content import Content
from inclucities.home import (
    TEASER_HEIGHT,
    TEASER_WIDTH,
    SessionTarget,
    session_target,
    teaser_path,
    teaser_stops,
)
from inclucities.i18n import Translator, is_rtl
from inclucities.process import Stage
from inclucities.sessions import session_label
from inclucities.store.base import StoreUnavailable
from inclucities.text import Literal

SURVEY_SCRIPT = "pages/survey.py"
# The three ways into the project's story, each with its own small picture.
WAYS = ("map", "process", "recommendations")

# The sources of the catalog sentences on the home page, sentence by sentence.
LEAD_SOURCES = ("LEAFLET", "PROJ", "CEMR-FR")
WHAT_SOURCES = {
    "home.what.lead": ("LEAFLET", "CEMR-FR"),
    "home.what.method": ("MW", "LEAFLET"),
    "home.what.target": ("LEAFLET", "PROJ"),
}


def project_figures(content: Content) -> dict[str, int]:
    """Counts taken from the content files, never typed in."""
    figures = {
        "cities": sum(1 for c in content.city_list() if c.role != "coordinator"),
        "pairs": len(content.pairs),
    }
    figures.update(method_figures())
    return figures


def method_figures() -> dict[str, int]:
    """Stages and recommendations, counted from their own data files."""
    from inclucities.process import default_stages
    from inclucities.recommendations import default_recommendations

    return {"stages": len(default_stages()), "recommendations": len(default_recommendations())}


def key_figures(t: Translator, figures: dict[str, int]) -> None:
    """Big numbers with their labels; read as plain text by screen readers."""
    with st.container(key="home_figures"):
        cols = st.columns(len(figures))
        for col, (name, value) in zip(cols, figures.items(), strict=True):
            col.metric(t(f"home.metric.{name}"), t.number(value))


def what_it_was(t: Translator, cites: Citations) -> None:
    st.subheader(t("home.what_title"))
    st.markdown(
        "\n".join(f"- {t(key)} {cite_markdown(cites, keys)}" for key, keys in WHAT_SOURCES.items())
    )


def lead(t: Translator, cites: Citations) -> None:
    """The lead: a paragraph of text (not a heading), a little larger than the body."""
    with st.container(key="home_lead"):
        st.markdown(f"{t('home.lead')} {cite_markdown(cites, LEAD_SOURCES)}")


def open_session(lang: str) -> SessionTarget | None:
    """The live session open now, if any (none when the database cannot be reached)."""
    from inclucities.runtime import get_store

    try:
        sessions = get_store().sessions()
    except StoreUnavailable:
        return None
    return session_target(sessions, lang)


def call_to_act(t: Translator) -> None:
    """One clear call to act: join the live session open now, else answer the survey."""
    target = open_session(t.lang)
    with st.container(key="home_cta"):
        if target is None:
            st.page_link(SURVEY_SCRIPT, label=t("home.cta"), icon=":material/edit_note:")
            st.caption(t("home.cta_survey"))
        else:
            markup.show("home_cta.html.j2", href=target.href, label=t("home.cta"))
            st.caption(t("home.cta_session", session=Literal(session_label(target.session, t))))


def method_teaser(t: Translator, stages: Sequence[Stage]) -> None:
    """A small picture of the method's stages, drawn from the data, linked to its page."""
    stops = teaser_stops(
        [(stage.number, t.text(stage.title.as_dict())) for stage in stages], rtl=is_rtl(t.lang)
    )
    alt = t(
        "home.teaser_alt",
        stages="; ".join(f"{t.number(stop.number)}. {stop.title}" for stop in stops),
    )
    svg = markup.render(
        "home_teaser.svg.j2",
        width=TEASER_WIDTH,
        height=TEASER_HEIGHT,
        path=teaser_path(stops),
        stops=[{"x": s.x, "y": s.y, "label": t.number(s.number)} for s in stops],
    )
    with st.container(key="home_teaser"):
        markup.show(
            "home_teaser.html.j2",
            svg=_base64(svg),
            width=TEASER_WIDTH,
            height=TEASER_HEIGHT,
            alt=alt,
            caption=t("home.teaser_title"),
        )
        st.page_link("pages/process.py", label=t("core.nav.process"), icon=":material/timeline:")


def _base64(svg: str) -> str:
    """An SVG drawing as base64, for an image's data URL (Streamlit's HTML drops inline SVG)."""
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")


def ways_in(t: Translator) -> None:
    """The map, the process and the recommendations as three picture cards of equal height;
    each card is one link (the whole card answers a tap)."""
    st.subheader(t("home.ways_title"))
    specs = {spec.url_path: spec for spec in PAGES}
    with st.container(key="home_ways"):
        for col, name in zip(st.columns(len(WAYS)), WAYS, strict=True):
            spec = specs[name]
            with col.container(border=True, key=f"home_way_{name}"):
                art = markup.render("home_way.svg.j2", kind=name)
                markup.show("home_way.html.j2", svg=_base64(art))
                st.page_link(spec.script, label=t(spec.title_key), icon=spec.icon)
                st.caption(t(f"home.card.{name}"))


def page_cards(t: Translator) -> None:
    """One bordered card per other registered page (not home, nor the three ways in)."""
    st.subheader(t("home.more_title"))
    specs = [
        spec
        for spec in PAGES
        if not spec.default and not spec.staff and spec.url_path not in WAYS  # public pages
    ]
    per_row = 4 if len(specs) % 4 == 0 else 3  # full rows: no card left alone
    with st.container(key="home_more"):
        for start in range(0, len(specs), per_row):
            cols = st.columns(per_row)
            for col, spec in zip(cols, specs[start : start + per_row], strict=False):
                with col.container(border=True, key=f"home_card_{spec.url_path}"):
                    st.page_link(spec.script, label=t(spec.title_key), icon=spec.icon)
                    st.caption(t(f"home.card.{spec.url_path}"))
