"""In a real browser, the partner map a designer would sign (issue 26).

At phone and laptop width: every partner country is named, in view, on its own country or
on the sea beside it; no two labels overlap each other or a marker; the leaders of the
crowded Brussels-area markers cross neither each other nor a pair line; every pair is
labelled the same way; the scale is metric only; on a phone the map comes before its
folded filters.
"""

from __future__ import annotations

from itertools import combinations

import pytest

from inclucities.i18n import translator
from inclucities.mapping import country_name
from scripts.support.browser_utils import PHONE, wait_for_app
from tests.test_browser_map import map_frame

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PARTNER_COUNTRIES = ("BE", "ES", "FR", "GR", "IT", "LV")

# Inside the map's frame, in the frame's pixels: every label, marker, leader and pair line.
LAYOUT = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height }; };
  const shown = (el) => getComputedStyle(el).visibility === 'visible'
    && el.getBoundingClientRect().width > 0;
  const screen = (el, x, y) => { const p = new DOMPoint(x, y).matrixTransform(el.getScreenCTM());
    return [p.x, p.y]; };
  const state = window.IncluMapState;
  const middle = (el) => {  // a label's middle, in the map's own pixels
    const b = el.getBoundingClientRect(), m = state.map.getContainer().getBoundingClientRect();
    return { x: b.left + b.width / 2 - m.left, y: b.top + b.height / 2 - m.top };
  };
  const labels = [...document.querySelectorAll('.city-label, .pair-label, .country-label')]
    .map((el) => ({ kind: el.className.split(' ')[0], text: el.textContent.trim(),
      country: el.dataset.country || null, shown: shown(el), box: box(el),
      at: el.dataset.country ? window.IncluMap.countryAt(state, middle(el)) : null }));
  const markers = [...document.querySelectorAll('.city-marker svg')].map((svg) => ({
    id: svg.closest('.city-marker').dataset.city, box: box(svg) }));
  const leaders = [...document.querySelectorAll('.city-leader line')].map((line) => ({
    id: line.closest('.leaflet-marker-icon').querySelector('.city-marker').dataset.city,
    a: screen(line, +line.getAttribute('x1'), +line.getAttribute('y1')),
    b: screen(line, +line.getAttribute('x2'), +line.getAttribute('y2')) }));
  const pairLines = [...document.querySelectorAll('path.pair-line')].map((path) => {
    const end = path.getTotalLength(), p = path.getPointAtLength(0), q = path.getPointAtLength(end);
    return { name: path.getAttribute('class'),
      a: screen(path, p.x, p.y), b: screen(path, q.x, q.y) };
  });
  const scale = [...document.querySelectorAll('.leaflet-control-scale-line')].map((el) => ({
    text: el.textContent.trim(), box: box(el),
    scrollH: el.scrollHeight, clientH: el.clientHeight }));
  const map = box(document.querySelector('.leaflet-container'));
  return { labels, markers, leaders, pairLines, scale, map };
}"""


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 0.5
        and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 0.5
    )


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + 0.5
        and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + 0.5
    )


Point = tuple[float, float]


def cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def segments_cross(p1: Point, p2: Point, q1: Point, q2: Point, shared: float = 1.5) -> bool:
    """Whether two segments cross; segments that only meet at a common end do not."""
    ends = [(a, b) for a in (p1, p2) for b in (q1, q2)]
    if any(abs(a[0] - b[0]) <= shared and abs(a[1] - b[1]) <= shared for a, b in ends):
        return False
    d1, d2 = cross(q1, q2, p1), cross(q1, q2, p2)
    d3, d4 = cross(p1, p2, q1), cross(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def test_segment_check_itself():
    assert segments_cross((0, 0), (10, 10), (0, 10), (10, 0))
    assert not segments_cross((0, 0), (10, 0), (0, 5), (10, 5))  # parallel
    assert not segments_cross((5, 5), (0, 0), (5, 5), (10, 0))  # spokes from one hub
    assert not segments_cross((0, 0), (4, 4), (6, 6), (10, 0))  # would meet only if longer


def map_layout(live_server, browser, viewport, lang):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server.page_url("map", lang=lang))
        wait_for_app(page)
        frame = map_frame(page)
        page.locator("iframe").first.scroll_into_view_if_needed()
        frame.wait_for_function(
            "() => document.querySelectorAll('.country-label').length >= 6"
            " && document.querySelector('.leaflet-container').dataset.settled === 'yes'"
        )
        return frame.evaluate(LAYOUT)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_labels_name_every_partner_country_and_cover_nothing(live_server, browser, viewport, lang):
    layout = map_layout(live_server, browser, viewport, lang)
    t = translator(lang)
    countries = {label["country"]: label for label in layout["labels"] if label["country"]}
    assert set(countries) == set(PARTNER_COUNTRIES)
    for code, label in countries.items():
        assert label["text"] == country_name(t, code)
        assert label["shown"], f"{label['text']} is hidden"
        assert inside(label["box"], layout["map"]), f"{label['text']} is out of view"
        assert label["at"] in (code, ""), f"{label['text']} sits on {label['at']}"
    shown = [label for label in layout["labels"] if label["shown"]]
    assert len([label for label in shown if label["kind"] == "city-label"]) == 9
    for a, b in combinations(shown, 2):
        assert not overlaps(a["box"], b["box"]), f"{a['text']} overlaps {b['text']}"
    for label in shown:
        for marker in layout["markers"]:
            assert not overlaps(label["box"], marker["box"]), (
                f"{label['text']} covers the marker of {marker['id']}"
            )


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_leaders_cross_nothing_and_every_pair_is_numbered(live_server, browser, viewport):
    layout = map_layout(live_server, browser, viewport, "fr")
    leaders = layout["leaders"]
    assert {leader["id"] for leader in leaders} >= {"brussels", "mechelen", "schaerbeek"}
    for a, b in combinations(leaders, 2):
        assert not segments_cross(a["a"], a["b"], b["a"], b["b"]), (
            f"the leaders of {a['id']} and {b['id']} cross"
        )
    assert len(layout["pairLines"]) == 4
    for leader in leaders:
        for line in layout["pairLines"]:
            assert not segments_cross(leader["a"], leader["b"], line["a"], line["b"]), (
                f"{line['name']} crosses the leader of {leader['id']}"
            )
    pairs = sorted(
        label["text"]
        for label in layout["labels"]
        if label["kind"] == "pair-label" and label["shown"]
    )
    assert pairs == ["1", "2", "3", "4"]  # every pair the same way: its number (the key below)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_scale_is_metric_only_and_legible(live_server, browser, viewport):
    layout = map_layout(live_server, browser, viewport, "fr")
    assert len(layout["scale"]) == 1, layout["scale"]
    line = layout["scale"][0]
    number, unit = line["text"].split()
    assert unit in ("km", "m") and number.isdigit()
    assert line["scrollH"] <= line["clientH"] + 1, "the scale's text overflows its bracket"
    assert line["box"]["h"] >= 14


def test_on_a_phone_the_map_comes_first_and_the_filters_fold_under_it(live_server, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.page_url("map", lang="fr"))
        wait_for_app(page)
        map_frame(page)
        map_top = page.evaluate(
            "() => document.querySelector('iframe').getBoundingClientRect().top + window.scrollY"
        )
        filters = page.locator("[data-testid='stExpander']").filter(has_text="Filtres").first
        filters_top = page.evaluate(
            "(el) => el.getBoundingClientRect().top + window.scrollY", filters.element_handle()
        )
        assert filters_top > map_top, "the filters still come before the map"
        assert map_top < PHONE["height"], f"the map starts {map_top:.0f} px down, below the fold"
        pair_filter = filters.get_by_role("combobox", name="Duo", exact=True)
        assert pair_filter.count() == 0 or not pair_filter.first.is_visible(), "not folded"
        filters.locator("summary").click()
        pair_filter.first.wait_for(state="visible", timeout=10_000)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_map_page_logs_no_error_and_no_request_fails(live_server, browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    page.on(
        "response", lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    try:
        page.goto(live_server.page_url("map", lang="fr"))
        wait_for_app(page)
        map_frame(page)
        page.wait_for_timeout(1000)  # late requests: marker images, the outlines
        assert errors == []
    finally:
        context.close()
