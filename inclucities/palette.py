"""The app's colour palette, read from its one source, static/css/palette.css."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Final

PALETTE_CSS: Final = Path(__file__).resolve().parent.parent / "static" / "css" / "palette.css"
PREFIX: Final = "--palette-"
_PROPERTY = re.compile(r"--palette-([a-z-]+)\s*:\s*(#[0-9a-f]{6})\s*;")


@dataclass(frozen=True)
class Palette:
    """Every named colour as '#rrggbb' (lower case); in CSS: --palette-<name, dashes for _>."""

    primary: str
    ink: str
    white: str
    surface: str
    muted: str
    ink_soft: str
    rule: str
    primary_deep: str
    primary_light: str
    primary_pale: str
    tint: str
    accent: str
    notice: str
    notice_edge: str
    mentee: str
    coordinator: str
    disagree_strongly: str
    disagree: str
    neutral: str
    agree: str
    agree_strongly: str

    def as_css_names(self) -> dict[str, str]:
        """Each colour by its custom property's name ('--palette-primary': '#rrggbb')."""
        return {css_name(f.name): getattr(self, f.name) for f in fields(self)}


def css_name(field: str) -> str:
    return PREFIX + field.replace("_", "-")


def parse(css: str) -> Palette:
    """The palette from the stylesheet's text; a missing, unknown or repeated name is an error."""
    found: dict[str, str] = {}
    for name, value in _PROPERTY.findall(css):
        key = name.replace("-", "_")
        if key in found:
            raise ValueError(f"{PREFIX}{name} is defined twice")
        found[key] = value
    expected = {f.name for f in fields(Palette)}
    if set(found) != expected:
        missing = sorted(expected - set(found))
        unknown = sorted(set(found) - expected)
        raise ValueError(f"palette.css: missing {missing}, unknown {unknown}")
    return Palette(**found)


def load(path: Path = PALETTE_CSS) -> Palette:
    return parse(path.read_text(encoding="utf-8"))


def stylesheet(path: Path = PALETTE_CSS) -> str:
    """The palette's CSS text, for a page that does not load the app's stylesheets."""
    return path.read_text(encoding="utf-8")


PALETTE: Final = load()
