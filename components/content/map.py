"""Map page building blocks: filters, the interactive map, a pair's story and the cities table."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from components import markup
from components.content.sources import cite_markdown
from components.frame import md_escape as escape
from inclucities.citations import Citations
from inclucities.city_table import city_details, essential_headers, essential_rows, pairs_key
from inclucities.content import City, Content
from inclucities.i18n import Translator
from inclucities.mapping import (
    ROLE_STYLE,
    ROLES,
    MapFilters,
    build_partner_map,
    cities_table,
    city_at,
    city_name,
    legend_html,
    role_label,
    visible_cities,
)

SELECTED_CITY = "map_selected_city"
FILTER_KEYS = ("map_filter_pairs", "map_filter_themes", "map_filter_roles")


def filters_row(content: Content, t: Translator) -> MapFilters:
    """Three multiselects (pair, theme, role), folded; nothing chosen means everything.

    Shown under the map, so the map comes first on a phone; the page draws the map into a
    slot above once the filters are known.
    """
    active = any(st.session_state.get(key) for key in FILTER_KEYS)
    with st.expander(t("map.filters"), icon=":material/filter_list:", expanded=active):
        return _filters(content, t)


def _filters(content: Content, t: Translator) -> MapFilters:
    cols = st.columns(3)
    pair_ids = sorted(content.pairs)
    pairs = cols[0].multiselect(
        t("map.filter_pair"),
        pair_ids,
        format_func=lambda pid: t(
            "map.pair_option",
            number=pid,
            mentor=city_name(t, content.cities[content.pairs[pid].mentor]),
            mentee=city_name(t, content.cities[content.pairs[pid].mentee]),
        ),
        key="map_filter_pairs",
        placeholder=t("map.filter_all"),
    )
    themes = cols[1].multiselect(
        t("map.filter_theme"),
        list(content.themes),
        format_func=lambda tid: t.text(content.themes[tid].name.as_dict()),
        key="map_filter_themes",
        placeholder=t("map.filter_all"),
    )
    roles = cols[2].multiselect(
        t("map.filter_role"),
        list(ROLES),
        format_func=lambda role: role_label(t, role),
        key="map_filter_roles",
        placeholder=t("map.filter_all"),
    )
    return MapFilters.of(pairs, themes, roles)


def interactive_map(content: Content, t: Translator, filters: MapFilters, cites: Citations) -> None:
    """The folium map; a click on a city marker selects that city for the story below."""
    st.caption(t("map.map_label"))
    st.html(legend_html(t))
    fmap = build_partner_map(content, t, filters, cites)
    cities = visible_cities(content, filters)
    state = st_folium(
        fmap,
        key=f"partner_map_{t.lang}",
        height=520,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )
    clicked = (state or {}).get("last_object_clicked")
    if clicked:
        city = city_at(content, clicked.get("lat", 0.0), clicked.get("lng", 0.0))
        if city and st.session_state.get("map_last_click") != (city.id, clicked.get("lat")):
            st.session_state["map_last_click"] = (city.id, clicked.get("lat"))
            st.session_state[SELECTED_CITY] = city.id
    key = pairs_key(content, t, cities)
    if key:
        markup.show("map_pairs_key.html", title=t("map.pairs_key"), items=key)


def city_chooser(content: Content, t: Translator, cities: list[City]) -> City | None:
    """A keyboard-friendly way to pick the city whose pair story is shown."""
    options = [c.id for c in cities]
    if st.session_state.get(SELECTED_CITY) not in options:
        st.session_state.pop(SELECTED_CITY, None)
    chosen = st.selectbox(
        t("map.choose_city"),
        options,
        index=None,
        placeholder=t("map.choose_prompt"),
        format_func=lambda cid: city_name(t, content.cities[cid]),
        help=t("map.choose_city_help"),
        key=SELECTED_CITY,
    )
    return content.cities.get(chosen) if chosen else None


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {escape(item)}" for item in items)


def pair_story(content: Content, t: Translator, city: City, cites: Citations) -> None:
    """The chosen city's pair: theme, challenges, strengths, practices, plan, each cited."""
    pair = content.pair_for_city(city.id)
    if pair is None:
        st.info(t("map.story_coordinator"))
        cites.cite(city.sources)
        return
    mentor, mentee = content.cities[pair.mentor], content.cities[pair.mentee]
    theme = content.themes[pair.theme]
    with st.container(border=True, key="pair_story"):
        st.subheader(
            t(
                "map.story_title",
                number=pair.id,
                mentor=city_name(t, mentor),
                mentee=city_name(t, mentee),
            )
        )
        st.markdown(f"**{escape(t('map.story_theme', theme=t.text(theme.name.as_dict())))}**")
        st.markdown(f"{escape(t.text(theme.goal.as_dict()))} {cite_markdown(cites, theme.sources)}")
        left, right = st.columns(2)
        with left:
            st.markdown(f"#### {escape(t('map.challenges'))}")
            st.markdown(_bullets(t.items(pair.challenges.as_dict())))
        with right:
            st.markdown(f"#### {escape(t('map.strengths'))}")
            st.markdown(_bullets(t.items(pair.strengths.as_dict())))
        st.markdown(f"#### {escape(t('map.best_practices'))}")
        for practice in pair.best_practices:
            st.markdown(
                f"**{escape(t.text(practice.name.as_dict()))}**: "
                f"{escape(t.text(practice.description.as_dict()))} "
                f"{cite_markdown(cites, practice.sources)}"
            )
        st.markdown(f"#### {escape(t('map.action_plan'))}")
        st.markdown(escape(t.text(pair.action_plan.as_dict())))
        if pair.note:
            st.caption(f"{t('map.note')}: {t.text(pair.note.as_dict())}")
        st.caption(f"{escape(t('core.sources'))}: {cite_markdown(cites, pair.sources)}")


def cities_table_section(
    content: Content, t: Translator, cities: list[City], cites: Citations
) -> None:
    """The map's text alternative: essentials, details per city, every column, each cited.

    The essentials table reads without scrolling sideways at phone width; the full table keeps
    every column in a scrollable region.
    """
    st.subheader(t("map.table_title"))
    st.caption(t("map.table_caption"))
    if not cities:
        st.info(t("map.no_match"))
        return
    with st.container(key="city_tables"):
        markup.show(
            "map_city_table.html",
            caption=t("map.table_title"),
            headers=essential_headers(t),
            rows=essential_rows(content, t, cities),
        )
        notes = _figure_notes(t, cities, cites)
        if notes:
            st.markdown("\n".join(notes))
        st.markdown(f"#### {escape(t('map.details_title'))}")
        for city in cities:
            _city_details(content, t, city, cites)
        full = cities_table(content, t, cities, cites)
        with st.expander(t("map.full_table"), icon=":material/table:"):
            markup.show(
                "map_full_table.html",
                label=t("map.full_table"),
                headers=list(full.columns),
                rows=full.astype(str).values.tolist(),
            )
    for city in cities:
        for figure in (city.population, city.foreign_origin_share):
            if figure is not None:
                cites.cite(figure.sources)


def _figure_notes(t: Translator, cities: list[City], cites: Citations) -> list[str]:
    """Where sources differ on a figure: the other value, under the table, with its sources."""
    notes = []
    for city in cities:
        for label_key, figure in (
            ("map.population", city.population),
            ("map.foreign_origin", city.foreign_origin_share),
        ):
            if figure is not None and figure.note:
                note = t("map.figure_note", figure=t(label_key), note=t.text(figure.note.as_dict()))
                notes.append(
                    f"- **{escape(city_name(t, city))}**: {escape(note)} "
                    f"{cite_markdown(cites, figure.sources)}"
                )
        if city.foreign_origin_note:
            notes.append(
                f"- **{escape(city_name(t, city))}**: "
                f"{escape(t.text(city.foreign_origin_note.as_dict()))} "
                f"{cite_markdown(cites, city.sources)}"
            )
    return notes


def _city_details(content: Content, t: Translator, city: City, cites: Citations) -> None:
    glyph = ROLE_STYLE[city.role]["glyph"]
    with st.expander(f"{glyph} {city_name(t, city)}"):
        st.markdown(
            "\n".join(
                f"- **{escape(label)}**: {escape(value)}"
                for label, value in city_details(content, t, city)
            )
        )
        if city.facts:
            st.markdown(_bullets(t.items(city.facts.as_dict())))
        st.caption(f"{escape(t('core.sources'))}: {cite_markdown(cites, city.sources)}")


def associations_list(content: Content, t: Translator, cites: Citations) -> None:
    """The associations of local and regional governments behind the cities."""
    st.subheader(t("map.associations_title"))
    lines = []
    for assoc in content.associations.values():
        local = f" ({escape(assoc.local_name)})" if assoc.local_name else ""
        lines.append(
            f"- **{escape(assoc.acronym)}**: {escape(t.text(assoc.name.as_dict()))}{local}, "
            f"{escape(assoc.country)} {cite_markdown(cites, assoc.sources)}"
        )
    st.markdown("\n".join(lines))
