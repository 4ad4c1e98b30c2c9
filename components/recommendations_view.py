"""Recommendations page building blocks: filters, cards, matrix, live ranking, policy, downloads."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.charts import show_chart
from components.frame import escape
from components.process_view import THEME_ICONS, hero, html_block, icon
from components.sources import cite_html
from components.store_access import (
    REFRESH_SECONDS,
    StoreUnavailable,
    cached_summary,
    min_cell_size,
)
from inclucities.citations import Citations
from inclucities.content import Content
from inclucities.i18n import Translator
from inclucities.process_charts import (
    actor_matrix_display_table,
    actor_matrix_table,
    build_actor_matrix_chart,
    build_ranking_chart,
)
from inclucities.recommendations import (
    ACTORS,
    LEVELS,
    PolicyItem,
    Recommendation,
    export_rows,
    filter_recommendations,
    to_csv,
    to_markdown,
)
from inclucities.survey.summary import recommendation_ranking

FILTER_KEYS = {"themes": "recs_filter_themes", "actors": "recs_filter_actors",
               "levels": "recs_filter_levels"}  # fmt: skip
MIME_MARKDOWN = "text/markdown"
MIME_CSV = "text/csv"
MIN_CELL = 5  # the default small-cell rule; the live section reads the configured value
LEVEL_ICONS = {
    "local": ":material/home_pin:",
    "regional": ":material/map:",
    "national": ":material/flag:",
    "european": ":material/public:",
}
ACTOR_ICONS = {
    "municipality": ":material/location_city:",
    "civil-society": ":material/volunteer_activism:",
    "migrants": ":material/luggage:",
    "national-government": ":material/account_balance:",
    "eu": ":material/euro:",
}


def tag_label(t: Translator, content: Content, tag: str) -> str:
    """'theme:gender' / 'actor:eu' / 'level:local' -> words in the page language."""
    facet, value = tag.split(":", 1)
    if facet == "theme":
        return t.text(content.themes[value].name.as_dict())
    return t(f"recommendations.{facet}.{value}")


def recs_hero(t: Translator, recs: Sequence[Recommendation], content: Content) -> None:
    evidence = sum(len(r.evidence) for r in recs)
    cities = {e.city for r in recs for e in r.evidence if e.city}
    stats = [
        (t.number(len(recs)), t("recommendations.hero.recommendations")),
        (t.number(evidence), t("recommendations.hero.evidence")),
        (t.number(len(cities)), t("recommendations.hero.cities")),
    ]
    html_block(hero(t("recommendations.lead"), stats))


def filters(t: Translator, content: Content) -> dict[str, list[str]]:
    """Three multi-choice pill rows; nothing chosen in a row means no filter on it."""
    with st.container(border=True, key="recs_filters"):
        st.markdown(f"**{t('recommendations.filters.title')}**")
        themes = st.pills(
            t("recommendations.filters.themes"),
            list(content.themes),
            selection_mode="multi",
            key=FILTER_KEYS["themes"],
            format_func=lambda x: f"{THEME_ICONS[x]} {tag_label(t, content, 'theme:' + x)}",
        )
        actors = st.pills(
            t("recommendations.filters.actors"),
            list(ACTORS),
            selection_mode="multi",
            key=FILTER_KEYS["actors"],
            format_func=lambda x: f"{ACTOR_ICONS[x]} {t('recommendations.actor.' + x)}",
        )
        levels = st.pills(
            t("recommendations.filters.levels"),
            list(LEVELS),
            selection_mode="multi",
            key=FILTER_KEYS["levels"],
            format_func=lambda x: f"{LEVEL_ICONS[x]} {t('recommendations.level.' + x)}",
        )
        st.caption(t("recommendations.filters.hint"))
    return {"themes": themes or [], "actors": actors or [], "levels": levels or []}


def filtered(recs: Sequence[Recommendation], chosen: dict[str, list[str]]) -> list[Recommendation]:
    return filter_recommendations(recs, chosen["themes"], chosen["actors"], chosen["levels"])


def _tags_html(t: Translator, content: Content, rec: Recommendation) -> str:
    rows = []
    for facet, values, icons in (
        ("theme", rec.themes, THEME_ICONS),
        ("actor", rec.actors, ACTOR_ICONS),
        ("level", rec.levels, LEVEL_ICONS),
    ):
        chips = "".join(
            f'<span class="ic-tag">{icon(icons[v])} '
            f"{escape(tag_label(t, content, f'{facet}:{v}'))}</span>"
            for v in values
        )
        rows.append(
            f"<div><strong>{escape(t(f'recommendations.facet.{facet}'))}:</strong> {chips}</div>"
        )
    return f'<div class="ic-tags">{"".join(rows)}</div>'


def recommendation_cards(
    t: Translator, recs: Sequence[Recommendation], content: Content, cites: Citations
) -> None:
    """One card per recommendation: number, title, our explanation, evidence, tags, sources."""
    if not recs:
        st.info(t("recommendations.none"))
        return
    cards = []
    for rec in recs:
        evidence = "".join(
            "<li>"
            + (
                f"<strong>{escape(t.text(content.cities[e.city].name.as_dict()))}</strong>: "
                if e.city
                else ""
            )
            + f"{escape(t.text(e.text.as_dict()))} {cite_html(cites, e.sources, t)}</li>"
            for e in rec.evidence
        )
        cards.append(
            f'<article class="ic-card ic-accent" id="rec-{escape(rec.id)}">'
            f'<div class="ic-rec-head"><span class="ic-num">{rec.number}</span>'
            f"<h4>{icon(rec.icon)} "
            f"{escape(t.text(rec.title.as_dict()))}</h4></div>"
            f"<p>{escape(t.text(rec.explanation.as_dict()))} {cite_html(cites, rec.sources, t)}</p>"
            f'<p class="ic-label">{escape(t("recommendations.evidence"))}</p><ul>{evidence}</ul>'
            f"{_tags_html(t, content, rec)}</article>"
        )
    html_block(f'<div class="ic-grid ic-two">{"".join(cards)}</div>')


def actor_matrix(t: Translator, recs: Sequence[Recommendation]) -> None:
    """Who each recommendation calls on, as a dot matrix with a table alternative."""
    if not recs:
        return
    st.header(t("recommendations.matrix.header"), anchor="actors")
    table = actor_matrix_table(recs, t)
    show_chart(build_actor_matrix_chart(table, t), t("recommendations.matrix.alt"))
    st.caption(t("recommendations.matrix.subtitle"))
    with st.expander(t("recommendations.matrix.table"), icon=":material/table:"):
        shown = actor_matrix_display_table(table).rename(
            columns={"recommendation": t("recommendations.matrix.col_rec")}
        )
        st.dataframe(shown, hide_index=True)


RESIDENT_SURVEY = "resident"


def _load_ranking() -> dict[str, float | None] | None:
    """Share of resident respondents choosing each recommendation (None: fewer than k).

    Reads the summary every viewer shares per refresh interval; None when the store or the
    resident survey is unavailable (the survey page explains why).
    """
    try:
        summary = cached_summary(RESIDENT_SURVEY)
    except (StoreUnavailable, KeyError):
        return None
    return {
        cell.key: (None if cell.suppressed else cell.share)
        for cell in recommendation_ranking(summary)
    }


def ranking_table(
    shares: dict[str, float | None],
    recs: Sequence[Recommendation],
    t: Translator,
    min_cell: int = MIN_CELL,
) -> pd.DataFrame:
    """Rows for the ranking chart/table; a suppressed (None) share says 'fewer than k'."""
    rows = []
    for rec in recs:
        share = shares.get(rec.id)
        rows.append(
            {
                "recommendation": f"{rec.number}. {t.text(rec.title.as_dict())}",
                "order": rec.number,
                "value": share if share is not None else float("nan"),
                "display": t.percent(share)
                if share is not None
                else t("recommendations.ranking.fewer_than", k=min_cell),
            }
        )
    return pd.DataFrame(rows, columns=["recommendation", "order", "value", "display"])


def live_ranking(t: Translator, recs: Sequence[Recommendation]) -> None:
    """How survey respondents rank each recommendation, refreshed in place."""
    st.header(t("recommendations.ranking.title"), anchor="ranking")

    @st.fragment(run_every=REFRESH_SECONDS)
    def _live() -> None:
        shares = _load_ranking()
        if shares is None:
            st.info(t("recommendations.ranking.pending"), icon=":material/hourglass_empty:")
            return
        min_cell = min_cell_size()
        table = ranking_table(shares, recs, t, min_cell)
        show_chart(build_ranking_chart(table, t), t("recommendations.ranking.alt"))
        st.caption(t("recommendations.ranking.rule", k=min_cell))
        with st.expander(t("recommendations.ranking.table"), icon=":material/table:"):
            st.dataframe(table[["recommendation", "display"]], hide_index=True)

    _live()


def policy_section(t: Translator, items: Sequence[PolicyItem], cites: Citations) -> None:
    """The EU policy context as four dated cards, ending with CEMR's call for local voices."""
    st.header(t("recommendations.policy.title"), anchor="policy")
    st.markdown(t("recommendations.policy.intro"))
    cards = []
    for item in items:
        points = ""
        if item.points:
            texts = t.items(item.points.as_dict())
            points = "<ul>" + "".join(f"<li>{escape(p)}</li>" for p in texts) + "</ul>"
        accent = " ic-accent" if item.kind == "call" else ""
        cards.append(
            f'<article class="ic-card{accent}"><span class="ic-when-big">'
            f"{icon(item.icon)} "
            f"{escape(t.text(item.when.as_dict()))}</span>"
            f"<h4>{escape(t.text(item.title.as_dict()))}</h4>"
            f"<p>{escape(t.text(item.summary.as_dict()))}</p>{points}"
            f'<p class="ic-tags">{cite_html(cites, item.sources, t)}</p></article>'
        )
    html_block(f'<div class="ic-policy">{"".join(cards)}</div>')


def downloads(t: Translator, recs: Sequence[Recommendation], content: Content) -> None:
    """The filtered recommendations as Markdown and CSV, in the page language."""
    st.header(t("recommendations.download.title"), anchor="download")
    if not recs:
        st.caption(t("recommendations.none"))
        return

    def label(tag: str) -> str:
        return tag_label(t, content, tag)

    def city(city_id: str) -> str:
        return t.text(content.cities[city_id].name.as_dict())

    rows = export_rows(recs, t, label, city)
    columns = ["number", "title", "explanation", "evidence", "themes", "actors", "levels",
               "sources", "id"]  # fmt: skip
    headers = {c: t(f"recommendations.download.col.{c}") for c in columns}
    headings = {k: t(f"recommendations.download.md.{k}") for k in
                ("document", "evidence", "themes", "actors", "levels", "sources")}  # fmt: skip
    st.caption(t("recommendations.download.hint", count=len(recs)))
    with st.container(horizontal=True):
        st.download_button(
            t("recommendations.download.markdown"),
            to_markdown(recs, t, label, city, headings),
            file_name=t("recommendations.download.md_file"),
            mime=MIME_MARKDOWN,
            icon=":material/description:",
            key="recs_download_md",
            on_click="ignore",
        )
        st.download_button(
            t("recommendations.download.csv"),
            to_csv(rows, headers),
            file_name=t("recommendations.download.csv_file"),
            mime=MIME_CSV,
            icon=":material/table:",
            key="recs_download_csv",
            on_click="ignore",
        )
