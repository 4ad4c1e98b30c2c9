"""Home page building blocks: key figures, a short explanation and one card per page."""

from __future__ import annotations

import streamlit as st

from components.navigation import PAGES
from components.sources import cite_markdown
from inclucities.citations import Citations
from inclucities.content import Content
from inclucities.i18n import Translator

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


def page_cards(t: Translator) -> None:
    """One bordered card per registered page (except home) with a link into it."""
    st.subheader(t("home.explore"))
    specs = [spec for spec in PAGES if not spec.default]
    for start in range(0, len(specs), 3):
        cols = st.columns(3)
        for col, spec in zip(cols, specs[start : start + 3], strict=False):
            with col.container(border=True):
                st.page_link(spec.script, label=t(spec.title_key), icon=spec.icon)
                st.caption(t(f"home.card.{spec.url_path}"))
