"""What a public screen may say about an approved idea besides its text: its language, only where
the results already publish that language's group, and its direction, read from the text itself.

An idea's language is the language its author answered in: an attribute of the author. The
results page shows each language's number of answers only from k answers on (the small-cell rule,
`inclucities.results.summary`), and the exports withhold it for rare groups
(`inclucities.deidentify`). A badge "Ελληνικά" on the only Greek speaker's idea would tell what
both withhold, so an idea carries its language (badge, `lang` attribute) only when the summary of
the view shown publishes that language's count.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Literal

from inclucities.results.model import Cell

Direction = Literal["ltr", "rtl"]


def shown_languages(by_language: Iterable[Cell], min_cell: int) -> frozenset[str]:
    """The languages an idea may be labelled with: those whose number of answers the summary
    publishes (at least `min_cell`, and not hidden to protect another group)."""
    return frozenset(
        cell.key
        for cell in by_language
        if not cell.suppressed and cell.count is not None and cell.count >= min_cell
    )


def public_language(lang: str, shown: frozenset[str]) -> str | None:
    """The idea's language, or None where telling it could single its author out."""
    return lang if lang in shown else None


def text_direction(text: str, default: Direction = "ltr") -> Direction:
    """The direction of a text as a browser's `dir="auto"` finds it: from its first letter of a
    strong direction (Arabic or Hebrew: right to left; Latin, Greek, Cyrillic: left to right)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default
