"""How long each acknowledged answer took to reach each open live screen.

An acknowledgement carries the count of answers stored once this one was committed (`count`).
Counts only grow, so a screen that shows at least that count has received a summary computed
after this answer was stored: the delay is from the acknowledgement to that summary's arrival
(0 when the screen had it before the phone had its reply). A screen that never showed it is a
miss.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from scripts.load.viewer import ViewerResult


@dataclass
class Reach:
    """Delays over every (answer, screen) pair, and the pairs never reached."""

    answers: int = 0
    screens: int = 0
    delays: list[float] = field(default_factory=list)
    misses: int = 0


class _Seen:
    """One screen's counts as (running maximum, arrival) for bisecting."""

    def __init__(self, result: ViewerResult) -> None:
        self.maxima: list[int] = []
        self.times: list[float] = []
        best = -1
        for arrived, count in result.counts:
            if count > best:
                best = count
                self.maxima.append(count)
                self.times.append(arrived)

    def first_at_least(self, count: int) -> float | None:
        index = bisect_left(self.maxima, count)
        return self.times[index] if index < len(self.maxima) else None


def reach(screens: Iterable[ViewerResult], acks: Iterable[tuple[float, int]]) -> Reach:
    """Delays from each acknowledgement `(time, count)` to each open screen showing it."""
    seen = [_Seen(s) for s in screens if s.open_seconds is not None and s.error is None]
    result = Reach(screens=len(seen))
    for acknowledged_at, count in acks:
        result.answers += 1
        for screen in seen:
            arrived = screen.first_at_least(count)
            if arrived is None:
                result.misses += 1
            else:
                result.delays.append(max(0.0, arrived - acknowledged_at))
    return result
