"""The ideas wall's cards: variants of one idea merged, one-word answers left to the word cloud."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class RankedIdea:
    """An approved idea on the wall: pinned ones first, then by how many people support it."""

    id: int
    text: str
    lang: str
    supports: int
    pinned: bool


def idea_key(text: str) -> str:
    """Two ideas with the same key are the same idea: case, accents, spacing and the
    punctuation around it aside ("Confiance !" and "confiance" are one card)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _EDGE_PUNCTUATION.sub("", _SPACES.sub(" ", bare).strip())


def is_one_word(text: str) -> bool:
    """A single word (the word cloud shows those; the wall keeps sentences)."""
    return len(_SPACES.split(text.strip())) <= 1


def wall_ideas(ranked: Iterable[RankedIdea], limit: int) -> tuple[RankedIdea, ...]:
    """The wall's cards from ideas already ranked (pinned first, then by support): one card per
    idea, with the supports and pin of all its variants; one-word answers left out."""
    groups: dict[str, list[RankedIdea]] = {}
    for idea in ranked:
        if not is_one_word(idea.text):
            groups.setdefault(idea_key(idea.text), []).append(idea)
    merged = [
        RankedIdea(
            variants[0].id,
            variants[0].text,
            variants[0].lang,
            sum(v.supports for v in variants),
            any(v.pinned for v in variants),
        )
        for variants in groups.values()
    ]
    merged.sort(key=lambda idea: (not idea.pinned, -idea.supports))  # stable: ties keep rank
    return tuple(merged[:limit])
