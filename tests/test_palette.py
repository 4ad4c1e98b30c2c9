"""One palette: every shared colour is written out once, in static/css/palette.css; the
stylesheets use it as var(--palette-...), the Python side through inclucities.palette, and
.streamlit/config.toml (which cannot import) matches it."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

import pytest

from components import markup
from inclucities import mapping
from inclucities.browser_files import browser_file
from inclucities.palette import PALETTE, PALETTE_CSS, Palette, css_name, parse, stylesheet

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"
# Where the app's own colours can be written: code, markup, styles and data (not the vendored
# libraries, the fonts or the map outlines).
SCANNED = ["app.py", "pages", "components", "inclucities", "static", "data", "surveys"]
NOT_OURS = ("static/vendor/", "static/fonts/", "static/geo/")
SUFFIXES = {".py", ".css", ".js", ".j2", ".html", ".svg", ".yaml", ".yml", ".toml", ".json"}
# A hex colour, not part of a longer word, an HTML entity (&#123;) or an anchor-like name
HEX = re.compile(r"(?<![\w&])#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![\w-])")
VAR = re.compile(r"var\((--palette-[a-z-]+)\)")


def _normal(hex_digits: str) -> str:
    digits = hex_digits.lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def _files() -> list[Path]:
    found: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in candidates:
            relative = file.relative_to(ROOT).as_posix()
            if file.suffix in SUFFIXES and file.is_file() and not relative.startswith(NOT_OURS):
                found.append(file)
    return [f for f in found if f != PALETTE_CSS]


def _colours_by_file() -> dict[str, set[str]]:
    return {
        file.relative_to(ROOT).as_posix(): {
            _normal(m) for m in HEX.findall(file.read_text(encoding="utf-8"))
        }
        for file in _files()
    }


def test_the_palette_file_names_every_colour_once():
    values = [getattr(PALETTE, f.name) for f in fields(Palette)]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", v) for v in values), values
    assert len(set(values)) == len(values), "two names for one colour"
    # each name is a custom property of the stylesheet, with the same value
    text = stylesheet()
    for name, value in PALETTE.as_css_names().items():
        assert re.search(rf"{name}\s*:\s*{value}\s*;", text), name


def test_the_theme_colours_are_the_palette_ones():
    assert PALETTE.primary == "#0b4f9c"
    assert PALETTE.ink == "#1a1a2e"
    assert PALETTE.white == "#ffffff"
    assert PALETTE.surface == "#eef3f9"


def test_no_palette_colour_is_written_out_anywhere_else():
    palette = set(PALETTE.as_css_names().values())
    offenders = {
        path: sorted(colours & palette)
        for path, colours in _colours_by_file().items()
        if colours & palette and path != ".streamlit/config.toml"
    }
    assert offenders == {}, "use var(--palette-...) in CSS, PALETTE.<name> in Python"


def test_a_colour_used_in_two_files_is_in_the_palette():
    files_of: dict[str, list[str]] = defaultdict(list)
    for path, colours in _colours_by_file().items():
        for colour in colours:
            files_of[colour].append(path)
    repeated = {colour: paths for colour, paths in files_of.items() if len(paths) > 1}
    assert repeated == {}, "add the colour to static/css/palette.css and use it from there"


def test_streamlit_config_matches_the_palette():
    theme = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
    expected = {
        "primaryColor": PALETTE.primary,
        "backgroundColor": PALETTE.white,
        "secondaryBackgroundColor": PALETTE.surface,
        "textColor": PALETTE.ink,
        "linkColor": PALETTE.primary,
    }
    assert {key: theme[key].lower() for key in expected} == expected
    hex_in_config = {_normal(m) for m in HEX.findall(CONFIG.read_text(encoding="utf-8"))}
    assert hex_in_config <= set(PALETTE.as_css_names().values())  # its comment too


def test_every_palette_variable_used_is_defined_and_every_colour_is_used():
    defined = set(PALETTE.as_css_names())
    styles = [
        *sorted(markup.CSS_DIR.glob("*.css")),
        *sorted((ROOT / "static" / "form").glob("*.css")),
        *sorted((ROOT / "static" / "map").glob("*.css")),
    ]
    used: set[str] = set()
    for path in styles:
        names = set(VAR.findall(path.read_text(encoding="utf-8")))
        assert names <= defined, f"{path.name}: {sorted(names - defined)} not in palette.css"
        used |= names
    python_and_templates = "\n".join(
        p.read_text(encoding="utf-8") for p in _files() if p.suffix in {".py", ".j2"}
    )
    used |= {
        css_name(f.name)
        for f in fields(Palette)
        if re.search(rf"\b(PALETTE|palette)\.{f.name}\b", python_and_templates)
    }
    assert defined - used == set(), "a palette colour nothing uses"


def test_pages_outside_the_app_stylesheet_get_the_palette():
    # the light survey page and the partner map's frame load no other stylesheet of the app:
    # the palette comes first in their own
    for name in ("survey-form.css", "partner-map.css"):
        assert browser_file(name).text.startswith(stylesheet())
    assert "/" + browser_file("partner-map.css").url == mapping.MAP_CSS
    # the app's own stylesheet holds it (every static/css file)
    assert stylesheet() in markup.stylesheet()


def test_the_home_drawings_take_their_colours_from_the_palette():
    svg = markup.render("home_way.svg.j2", kind="map")
    assert f'fill="{PALETTE.tint}"' in svg and f'fill="{PALETTE.accent}"' in svg


def test_a_broken_palette_file_is_refused():
    text = stylesheet()
    with pytest.raises(ValueError, match="missing \\['accent'\\]"):
        parse(re.sub(r"--palette-accent:[^;]*;", "", text))
    with pytest.raises(ValueError, match="defined twice"):
        parse(text + "\n:root { --palette-ink: #000000; }")
    with pytest.raises(ValueError, match="unknown \\['sparkle'\\]"):
        parse(text + "\n:root { --palette-sparkle: #123456; }")
