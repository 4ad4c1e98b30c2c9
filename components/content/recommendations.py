"""Recommendations page building blocks: filters, cards, matrix, live ranking, policy, downloads.

The markup is in components/content/templates (recs_*.html.j2, with the infographic kit it
shares with the process page in _kit.html.j2); these functions gather the values in the page
language.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components import linked_choice
from components.markup import show_markdown
from components.results.charts import show_chart
from components.store_access import (
    REFRESH_SECONDS,
    StoreUnavailable,
    cached_summary,
    get_store,
    min_cell_size,
)
from inclucities import infographic
from inclucities.citations import Citations
from inclucities.content import Content
from inclucities.i18n import Translator
from inclucities.process import THEME_ICONS, neighbours, parse_choice
from inclucities.process_charts import (
    actor_matrix_display_table,
    actor_matrix_table,
    build_actor_matrix_chart,
    build_ranking_chart,
)
from inclucities.recommendations import (
    ACTOR_ICONS,
    ACTORS,
    LEVEL_ICONS,
    LEVELS,
    PolicyItem,
    Recommendation,
    export_rows,
    filter_recommendations,
    ranking_table,
    tag_label,
    to_csv,
    to_markdown,
)
from inclucities.results.summary import recommendation_ranking
from inclucities.sessions import results_public
from inclucities.text import Literal, excerpt

FILTER_KEYS = {"themes": "recs_filter_themes", "actors": "recs_filter_actors",
               "levels": "recs_filter_levels"}  # fmt: skip
REC_PARAM = "rec"
REC_PICKER = "recs_pick"
MIME_MARKDOWN = "text/markdown"
MIME_CSV = "text/csv"


def recs_hero(t: Translator, recs: Sequence[Recommendation], content: Content) -> None:
    show_markdown("ic_hero.html.j2", **infographic.recommendations_hero(t, recs))


def filters(t: Translator, content: Content) -> dict[str, list[str]]:
    """Three multi-choice pill rows, folded (open while a filter is on); nothing chosen in a row
    means no filter on it."""
    active = any(st.session_state.get(key) for key in FILTER_KEYS.values())
    with (
        st.container(key="recs_filters"),
        st.expander(t("recommendations.filters.title"), expanded=active, icon=":material/tune:"),
    ):
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


def current_rec(t: Translator, shown: Sequence[Recommendation]) -> int:
    """The recommendation from `?rec=N` among those shown; a number not shown (or not a number)
    gets a polite notice and the first shown one. `shown` must not be empty."""
    numbers = [rec.number for rec in shown]
    raw = st.query_params.get(REC_PARAM)
    number, refused = parse_choice(raw, numbers)
    if refused:
        value = Literal(excerpt(raw or "", 12))  # from the URL: shown as written
        notice = t("recommendations.rec_invalid", value=value, number=number)
        st.info(notice, icon=":material/info:")
        st.query_params[REC_PARAM] = str(number)
    return number


def rec_picker(t: Translator, shown: Sequence[Recommendation], current: int) -> None:
    """The shown recommendations' titles as one choice: one tap opens any of them."""
    titles = {rec.number: f"{rec.number}. {t.text(rec.title.as_dict())}" for rec in shown}
    st.session_state[REC_PICKER] = current
    st.radio(
        t("recommendations.jump"),
        list(titles),
        key=REC_PICKER,
        format_func=titles.__getitem__,
        on_change=linked_choice.picked,
        args=(REC_PARAM, REC_PICKER),
    )


def rec_controls(t: Translator, shown: Sequence[Recommendation], current: int) -> None:
    """Previous / next among the shown recommendations, keeping `?rec=` in step."""
    before, after = neighbours([rec.number for rec in shown], current)
    linked_choice.previous_next(
        (t("recommendations.prev"), t("recommendations.next")),
        "recs",
        REC_PARAM,
        REC_PICKER,
        before,
        after,
    )


def recommendation_card(
    t: Translator,
    recs: Sequence[Recommendation],
    current: int,
    content: Content,
    cites: Citations,
) -> None:
    """The card of recommendation `current`: number, title, our explanation, evidence, tags,
    sources. Every shown recommendation is cited first, so its numbers do not move."""
    values = infographic.recommendation_cards(t, recs, content, cites)
    cards = [card for card in values["recs"] if card["number"] == current]  # type: ignore[attr-defined]
    show_markdown("recs_cards.html.j2", **{**values, "recs": cards})


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


def _ranking_public() -> bool:
    """Whether the resident survey's results of all sessions are revealed (the ranking is one
    of them); when the store is unavailable, `_load_ranking` says so."""
    try:
        return results_public(get_store(), RESIDENT_SURVEY)
    except StoreUnavailable:
        return True


def live_ranking(t: Translator, recs: Sequence[Recommendation]) -> None:
    """How survey respondents rank each recommendation, refreshed in place."""
    st.header(t("recommendations.ranking.title"), anchor="ranking")

    @st.fragment(run_every=REFRESH_SECONDS)
    def _live() -> None:
        if not _ranking_public():
            st.info(t("results.hidden_on_screen"), icon=":material/visibility_off:")
            return
        shares = _load_ranking()
        if shares is None:
            st.info(t("recommendations.ranking.pending"), icon=":material/hourglass_empty:")
            return
        min_cell = min_cell_size()
        if not any(share is not None for share in shares.values()):
            # nothing publishable yet: say so, rather than draw an empty axis at 0%
            st.info(t("results.not_enough", k=min_cell), icon=":material/hourglass_empty:")
            st.caption(t("recommendations.ranking.rule", k=min_cell))
            return
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
    show_markdown("recs_policy.html.j2", **infographic.policy_cards(t, items, cites))


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
