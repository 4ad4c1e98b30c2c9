"""The map's text alternative in small pieces: an essentials table, a pair key, details per city.

The full table with every column stays `mapping.cities_table`; these are the parts that read
without scrolling sideways on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from inclucities.content import City, Content
from inclucities.i18n import Translator
from inclucities.mapping import ROLE_STYLE, city_name, country_name, role_label, visible_pairs


@dataclass(frozen=True)
class EssentialRow:
    """One city in the essentials table (each value already formatted for the locale)."""

    id: str
    name: str
    role: str
    role_label: str
    glyph: str
    pair: str
    theme: str
    population: str
    foreign_origin: str


def essential_headers(t: Translator) -> list[str]:
    return [
        t("map.col.city"),
        t("map.col.pair"),
        t("map.col.population"),
        t("map.col.foreign_origin"),
    ]


def essential_rows(content: Content, t: Translator, cities: list[City]) -> list[EssentialRow]:
    """City and role, pair with partner and theme, population, foreign-origin share."""
    rows = []
    for city in cities:
        pair = content.pair_for_city(city.id)
        pair_text = theme = ""
        if pair:
            other = pair.mentee if city.id == pair.mentor else pair.mentor
            pair_text = t(
                "map.pair_with", number=pair.id, partner=city_name(t, content.cities[other])
            )
            theme = t.text(content.themes[pair.theme].name.as_dict())
        rows.append(
            EssentialRow(
                id=city.id,
                name=city_name(t, city),
                role=city.role,
                role_label=role_label(t, city.role),
                glyph=ROLE_STYLE[city.role]["glyph"],
                pair=pair_text or "–",
                theme=theme,
                population=t.number(city.population.value) if city.population else "–",
                foreign_origin=(
                    t.percent(city.foreign_origin_share.value) if city.foreign_origin_share else "–"
                ),
            )
        )
    return rows


def pairs_key(content: Content, t: Translator, cities: list[City]) -> list[dict[str, str]]:
    """Which number on the map is which pair: '1' and 'Mentor → Mentee: theme'."""
    return [
        {
            "number": str(pair.id),
            "text": t(
                "map.pair_key_item",
                mentor=city_name(t, content.cities[pair.mentor]),
                mentee=city_name(t, content.cities[pair.mentee]),
                theme=t.text(content.themes[pair.theme].name.as_dict()),
            ),
        }
        for pair in visible_pairs(content, cities)
    ]


def city_details(content: Content, t: Translator, city: City) -> list[tuple[str, str]]:
    """Every fact of one city as (label, value) lines, for its fold-out section."""
    lines = [
        (t("map.col.local_name"), city.local_name),
        (t("map.col.country"), country_name(t, city.country)),
        (t("map.col.role"), role_label(t, city.role)),
    ]
    pair = content.pair_for_city(city.id)
    if pair:
        other = pair.mentee if city.id == pair.mentor else pair.mentor
        lines.append((t("map.col.pair"), t("map.pair_number", number=pair.id)))
        lines.append((t("map.col.partner"), city_name(t, content.cities[other])))
        lines.append((t("map.col.theme"), t.text(content.themes[pair.theme].name.as_dict())))
    if city.association:
        assoc = content.associations[city.association]
        lines.append((t("map.col.association"), f"{assoc.acronym}: {t.text(assoc.name.as_dict())}"))
    for key, figure, value in (
        (
            "map.col.population",
            city.population,
            t.number(city.population.value) if city.population else "",
        ),
        (
            "map.col.foreign_origin",
            city.foreign_origin_share,
            t.percent(city.foreign_origin_share.value) if city.foreign_origin_share else "",
        ),
    ):
        if figure is None:
            continue
        note = f" ({t.text(figure.note.as_dict())})" if figure.note else ""
        lines.append((t(key), value + note))
    if city.foreign_origin_note:
        lines.append((t("map.col.foreign_origin"), t.text(city.foreign_origin_note.as_dict())))
    return lines
