"""Home page logic: where its call to act leads, and the geometry of its method teaser."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from inclucities.sessions import current_session
from inclucities.share import JOIN_PATH
from inclucities.store.base import LiveSession

# The teaser's drawing: stages on a gentle zigzag, in a 600 x 150 box.
TEASER_WIDTH = 600
TEASER_HEIGHT = 150
_MARGIN = 40
_ROWS = (48, 102)


@dataclass(frozen=True)
class SessionTarget:
    """The open live session the call to act joins, and the link that joins it."""

    session: LiveSession
    href: str


@dataclass(frozen=True)
class TeaserStop:
    """One stage on the teaser: its number, its title (for the text alternative) and place."""

    number: int
    title: str
    x: int
    y: int


def session_target(sessions: Sequence[LiveSession], lang: str) -> SessionTarget | None:
    """The current open session's join link (relative to the app's root), or None."""
    session = current_session(sessions)
    if session is None:
        return None
    href = f"{JOIN_PATH}/{quote(session.join_code, safe='')}?lang={quote(lang, safe='')}"
    return SessionTarget(session=session, href=href)


def teaser_stops(stages: Sequence[tuple[int, str]], *, rtl: bool = False) -> list[TeaserStop]:
    """Each (number, title) placed in reading order (right to left when `rtl`), alternately
    high and low."""
    if not stages:
        return []
    step = (TEASER_WIDTH - 2 * _MARGIN) / max(len(stages) - 1, 1)
    stops = []
    for i, (number, title) in enumerate(stages):
        x = round(_MARGIN + i * step)
        stops.append(
            TeaserStop(number=number, title=title, x=TEASER_WIDTH - x if rtl else x, y=_ROWS[i % 2])
        )
    return stops


def teaser_path(stops: Sequence[TeaserStop]) -> str:
    """The SVG path through every stop, in order."""
    return " ".join(f"{'M' if i == 0 else 'L'}{s.x} {s.y}" for i, s in enumerate(stops))
