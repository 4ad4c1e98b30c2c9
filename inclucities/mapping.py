"""Partner-city map: filtering, the folium map builder and the accessible table behind it."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass

import folium
import pandas as pd
from babel import Locale
from jinja2 import Template

from inclucities.browser_files import browser_file
from inclucities.citations import Citations, numbers_label
from inclucities.content import City, Content, Pair
from inclucities.i18n import Translator
from inclucities.palette import PALETTE

ROLES = ("mentor", "mentee", "coordinator")

# Shape and colour together tell the roles apart (never colour alone); colours pass 4.5:1 on white.
ROLE_STYLE: dict[str, dict[str, str]] = {
    "mentor": {"colour": PALETTE.primary, "shape": "square", "glyph": "■"},
    "mentee": {"colour": PALETTE.mentee, "shape": "circle", "glyph": "●"},
    "coordinator": {"colour": PALETTE.coordinator, "shape": "diamond", "glyph": "◆"},
}
MIN_MARKER_PX = 16
MAX_MARKER_PX = 40
COORDINATOR_MARKER_PX = 18
EUROPE_CENTRE = (47.0, 10.0)
FIT_PADDING_PX = 36
# West, south, east, north: the box the shipped outlines cover (scripts/build_boundaries.py).
MAP_BOX = (-25.0, 27.0, 50.0, 72.0)
# Everything the map loads is served by the app itself, so it draws the same at a venue without
# internet: Leaflet and the country outlines under /app/static, the layout script and its
# stylesheet (which carries the palette) by their hashed names (inclucities/browser_files.py).
LEAFLET_JS = "/app/static/vendor/leaflet-1.9.3/leaflet.js"
LEAFLET_CSS = "/app/static/vendor/leaflet-1.9.3/leaflet.css"
JQUERY_JS = "/app/static/vendor/jquery-3.7.1/jquery.min.js"  # folium's map script calls $()
MAP_JS = "/" + browser_file("partner-map.js").url
MAP_CSS = "/" + browser_file("partner-map.css").url
BOUNDARIES_URL = "/app/static/geo/europe-countries.json"
# Where a marker steps aside when it would touch another (the Brussels area at the opening
# zoom), as screen directions (x right, y down). The four leaders fan out from one hub, each
# to its own side, and each city steps toward its partner so that no pair line crosses a
# leader: Brussels west (its partner lies south-west), Mechelen east (Capaci, south-east),
# Schaerbeek north (Jelgava, north-east), and CEMR, which has no partner, north-west, where
# its name has room above Brussels's.
CROWD_DIRECTIONS: dict[str, tuple[float, float]] = {
    "brussels": (-1.0, 0.1),
    "mechelen": (1.0, 0.35),
    "schaerbeek": (0.5, -1.0),
    "cemr": (-0.6, -1.0),
}


@dataclass(frozen=True)
class MapFilters:
    """What the user chose to show; empty means everything."""

    pairs: frozenset[int] = frozenset()
    themes: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, pairs: Iterable[int] = (), themes: Iterable[str] = (), roles: Iterable[str] = ()
    ) -> MapFilters:
        return cls(frozenset(pairs), frozenset(themes), frozenset(roles))


def city_theme(content: Content, city: City) -> str | None:
    """The theme id of the city's pair, if it belongs to one."""
    pair = content.pair_for_city(city.id)
    return pair.theme if pair else None


def visible_cities(content: Content, filters: MapFilters) -> list[City]:
    """Cities passing every active filter; the coordinator shows only with no pair/theme set."""
    result: list[City] = []
    for city in content.city_list():
        if filters.roles and city.role not in filters.roles:
            continue
        if city.role == "coordinator":
            if filters.pairs or filters.themes:
                continue
        else:
            if filters.pairs and city.pair not in filters.pairs:
                continue
            if filters.themes and city_theme(content, city) not in filters.themes:
                continue
        result.append(city)
    return result


def visible_pairs(content: Content, cities: list[City]) -> list[Pair]:
    """Pairs whose mentor and mentee are both visible (their line is drawn)."""
    shown = {c.id for c in cities}
    return [p for p in content.pairs.values() if p.mentor in shown and p.mentee in shown]


def marker_size(content: Content, city: City) -> int:
    """Marker edge in pixels, by the square root of population so area tracks population."""
    if city.population is None:
        return COORDINATOR_MARKER_PX
    largest = max(c.population.value for c in content.city_list() if c.population)
    scale = math.sqrt(city.population.value / largest)
    return round(MIN_MARKER_PX + (MAX_MARKER_PX - MIN_MARKER_PX) * scale)


def _marker_svg(role: str, size: int) -> str:
    style = ROLE_STYLE[role]
    colour = style["colour"]
    common = f'fill="{colour}" fill-opacity="1" stroke="{PALETTE.white}" stroke-width="2"'
    half = size / 2
    if style["shape"] == "square":
        shape = f'<rect x="2" y="2" width="{size - 4}" height="{size - 4}" {common}/>'
    elif style["shape"] == "circle":
        shape = f'<circle cx="{half}" cy="{half}" r="{half - 2}" {common}/>'
    else:
        points = f"{half},1 {size - 1},{half} {half},{size - 1} 1,{half}"
        shape = f'<polygon points="{points}" {common}/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'aria-hidden="true">{shape}</svg>'
    )


def role_label(t: Translator, role: str) -> str:
    return t(f"map.role.{role}")


def city_name(t: Translator, city: City) -> str:
    return t.text(city.name.as_dict())


def pair_label(content: Content, t: Translator, pair: Pair) -> str:
    """'1 · Theme': the label of a pair's line."""
    return t(
        "map.line_label", number=pair.id, theme=t.text(content.themes[pair.theme].name.as_dict())
    )


def country_name(t: Translator, code: str) -> str:
    """A country's name in the page's language (CLDR, through Babel), else its code."""
    name = Locale.parse(t.lang).territories.get(code)
    return str(name) if name else code


def popup_html(content: Content, t: Translator, city: City, cites: Citations | None = None) -> str:
    """The facts shown when a city marker is opened; all content is escaped."""
    esc = html.escape
    lines = [
        f"<h4 style='margin:0 0 4px 0'>{esc(city_name(t, city))}</h4>",
        f"<div><em>{esc(city.local_name)}</em> · {esc(city.country)}</div>",
        f"<div><strong>{esc(role_label(t, city.role))}</strong>",
    ]
    pair = content.pair_for_city(city.id)
    if pair:
        theme = content.themes[pair.theme]
        lines[-1] += f" · {esc(t('map.pair_number', number=pair.id))}"
        lines.append(f"<div>{esc(t('map.theme'))}: {esc(t.text(theme.name.as_dict()))}</div>")
    lines[-1] += "</div>" if not pair else ""
    if city.population:
        lines.append(
            f"<div>{esc(t('map.population'))}: {esc(t.number(city.population.value))}</div>"
        )
    if city.foreign_origin_share:
        lines.append(
            f"<div>{esc(t('map.foreign_origin'))}: "
            f"{esc(t.percent(city.foreign_origin_share.value))}</div>"
        )
    if city.association:
        assoc = content.associations[city.association]
        lines.append(f"<div>{esc(t('map.association'))}: {esc(assoc.acronym)}</div>")
    if city.facts:
        items = "".join(f"<li>{esc(f)}</li>" for f in t.items(city.facts.as_dict()))
        lines.append(f"<ul style='padding-left:18px;margin:4px 0'>{items}</ul>")
    numbers = numbers_label((cites or Citations()).cite(city.sources))  # the page's numbering
    lines.append(
        f"<div><small>{esc(t('core.sources'))}: {esc(numbers)} "
        f"{esc(t('map.sources_below'))}</small></div>"
    )
    return (
        "<div style='font-family:sans-serif;font-size:14px;max-width:280px'>"
        + "".join(lines)
        + "</div>"
    )


def legend_html(t: Translator) -> str:
    """The legend shown with the map: shape and colour per role, what lines and sizes mean."""
    items = "".join(
        f"<span class='legend-item'><span aria-hidden='true' "
        f"style='color:{ROLE_STYLE[role]['colour']};font-size:1.3em'>{ROLE_STYLE[role]['glyph']}"
        f"</span> {html.escape(role_label(t, role))}</span>"
        for role in ROLES
    )
    return (
        "<div class='map-legend' style='display:flex;flex-wrap:wrap;gap:4px 18px;"
        f"align-items:center;color:{PALETTE.ink}'>"
        f"<strong>{html.escape(t('map.legend'))}:</strong>{items}"
        "<span class='legend-item'><span aria-hidden='true' style='font-weight:bold'>- - -</span> "
        f"{html.escape(t('map.legend_line'))}</span>"
        f"<span class='legend-item'>{html.escape(t('map.legend_size'))}</span></div>"
    )


def map_config(content: Content, t: Translator, cities: list[City]) -> dict[str, object]:
    """What partner-map.js needs: marker sizes and crowd directions, pair labels, country names.

    Every pair is labelled the same way on the map, by its number; the key under the map
    (city_table.pairs_key) and the line's tooltip give its cities and theme.
    """
    pairs = visible_pairs(content, cities)
    countries = sorted({c.country for c in cities})
    return {
        "boundaries": BOUNDARIES_URL,
        "attribution": t("map.boundaries_credit"),
        "cities": {
            c.id: {"size": marker_size(content, c), "crowd": CROWD_DIRECTIONS.get(c.id)}
            for c in cities
        },
        "pairs": [
            {
                "id": p.id,
                "mentor": p.mentor,
                "mentee": p.mentee,
                "label": str(p.id),
            }
            for p in pairs
        ],
        "countries": {code: country_name(t, code) for code in countries},
    }


class _Layout(folium.MacroElement):
    """Runs partner-map.js once every marker and line is on the map (the config is JSON)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "window.IncluMap.init({{ this._parent.get_name() }}, {{ this.config|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, config: dict[str, object]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "IncluMapLayout"
        self.config = config


def _city_marker(
    content: Content, t: Translator, city: City, cites: Citations | None = None
) -> folium.Marker:
    size = marker_size(content, city)
    name = html.escape(city_name(t, city))
    return folium.Marker(
        (city.lat, city.lon),
        icon=folium.DivIcon(
            html=(
                f"<div class='city-marker role-{city.role}' data-city='{city.id}' "
                f"style='width:{size}px;height:{size}px'>{_marker_svg(city.role, size)}"
                f"<span class='city-label' dir='auto'>{name}</span></div>"
            ),
            icon_size=(size, size),
            icon_anchor=(size // 2, size // 2),
            class_name="city-marker-icon",
        ),
        tooltip=html.escape(f"{city_name(t, city)} · {role_label(t, city.role)}"),
        popup=folium.Popup(popup_html(content, t, city, cites), max_width=300),
        title=city_name(t, city),
    )


def build_partner_map(
    content: Content,
    t: Translator,
    filters: MapFilters | None = None,
    cites: Citations | None = None,
) -> folium.Map:
    """A folium map with one marker per visible city and one labelled line per visible pair.

    No tiles: the background is the country outlines shipped in static/geo, so the map draws
    the same with or without internet. partner-map.js keeps crowded markers apart and places
    the labels (see static/map/partner-map.js).
    """
    cities = visible_cities(content, filters or MapFilters())
    west, south, east, north = MAP_BOX
    fmap = folium.Map(
        location=EUROPE_CENTRE,
        zoom_start=4,
        tiles=None,
        control_scale=False,  # partner-map.js adds a metric-only scale
        min_zoom=3,
        max_zoom=12,
        zoom_snap=0.25,
        zoom_delta=1,
        min_lat=south,
        max_lat=north,
        min_lon=west,
        max_lon=east,
        max_bounds=True,
    )
    fmap.default_js = [("leaflet", LEAFLET_JS), ("jquery", JQUERY_JS), ("inclumap", MAP_JS)]
    fmap.default_css = [
        ("leaflet_css", LEAFLET_CSS),
        ("inclumap_css", MAP_CSS),
    ]
    for pair in visible_pairs(content, cities):
        mentor, mentee = content.cities[pair.mentor], content.cities[pair.mentee]
        folium.PolyLine(
            [(mentor.lat, mentor.lon), (mentee.lat, mentee.lon)],
            color=PALETTE.ink,
            weight=3,
            dash_array="8 6",
            tooltip=folium.Tooltip(html.escape(pair_label(content, t, pair)), permanent=False),
            class_name=f"pair-line pair-{pair.id}",
        ).add_to(fmap)
    for city in cities:
        _city_marker(content, t, city, cites).add_to(fmap)
    if cities:
        fit = folium.FitBounds(
            [
                [min(c.lat for c in cities), min(c.lon for c in cities)],
                [max(c.lat for c in cities), max(c.lon for c in cities)],
            ],
            padding=(FIT_PADDING_PX, FIT_PADDING_PX),
            max_zoom=9,
        )
        # At once, not animated: partner-map.js places the labels for the view it reads, and
        # a zoom still running would show them scaled over the wrong countries for a moment.
        fit.options["animate"] = False
        fmap.add_child(fit)
    fmap.add_child(_Layout(map_config(content, t, cities)))
    return fmap


def city_at(content: Content, lat: float, lon: float, tolerance: float = 0.05) -> City | None:
    """The city whose marker sits at a clicked position (folium reports the marker's lat/lon)."""
    best: tuple[float, City] | None = None
    for city in content.city_list():
        distance = abs(city.lat - lat) + abs(city.lon - lon)
        if distance <= tolerance and (best is None or distance < best[0]):
            best = (distance, city)
    return best[1] if best else None


def _sources(city: City) -> list[str]:
    """Every source behind a city's row: its record and its figures."""
    figures = [f for f in (city.population, city.foreign_origin_share) if f is not None]
    return [*city.sources, *(key for figure in figures for key in figure.sources)]


def cities_table(
    content: Content, t: Translator, cities: list[City], cites: Citations | None = None
) -> pd.DataFrame:
    """The accessible alternative to the map: one row per city, numbers formatted for the locale."""
    rows = []
    for city in cities:
        pair = content.pair_for_city(city.id)
        theme = t.text(content.themes[pair.theme].name.as_dict()) if pair else ""
        partner = ""
        if pair:
            other = pair.mentee if city.id == pair.mentor else pair.mentor
            partner = city_name(t, content.cities[other])
        assoc = content.associations[city.association].acronym if city.association else ""
        rows.append(
            {
                t("map.col.city"): city_name(t, city),
                t("map.col.local_name"): city.local_name,
                t("map.col.country"): city.country,
                t("map.col.role"): f"{ROLE_STYLE[city.role]['glyph']} {role_label(t, city.role)}",
                t("map.col.pair"): str(pair.id) if pair else "",
                t("map.col.partner"): partner,
                t("map.col.theme"): theme,
                t("map.col.association"): assoc,
                t("map.col.population"): t.number(city.population.value) if city.population else "",
                t("map.col.foreign_origin"): (
                    t.percent(city.foreign_origin_share.value) if city.foreign_origin_share else ""
                ),
                t("map.col.sources"): numbers_label((cites or Citations()).cite(_sources(city))),
            }
        )
    return pd.DataFrame(rows)
