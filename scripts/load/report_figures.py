"""The figures picked out of one run's phones, screens and windows for the report's tables."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scripts.load.bare import BareFigures
from scripts.load.measure import percentile
from scripts.load.phones import PhoneResult
from scripts.load.reach import Reach, reach
from scripts.load.run_config import Figures

KB = 1000


@dataclass
class Row:
    """One figure for the app, the floor and the bare Streamlit page."""

    name: str
    unit: str
    app: float | None
    floor: float | None = None
    bare: float | None = None
    digits: int = 2

    @staticmethod
    def ratio(a: float | None, b: float | None) -> float | None:
        if a is None or b is None or b == 0 or math.isnan(a) or math.isnan(b):
            return None
        return a / b


def fmt(value: float | None, digits: int = 2) -> str:
    """A number for a table ('–' for none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _pct(values: list[float], q: float) -> float | None:
    return percentile(values, q)


def _ms(value: float | None) -> float | None:
    return None if value is None else 1000 * value


# -- what phones saw ------------------------------------------------------------------------------


def opens(f: Figures) -> list[float]:
    return [p.open_seconds for p in f.phones if p.open_seconds is not None]


def pages(f: Figures) -> list[float]:
    return [p.page_seconds for p in f.phones if p.page_seconds is not None]


def sends(f: Figures) -> list[float]:
    return [p.send_seconds for p in f.phones if p.acknowledged and p.send_seconds is not None]


def ideas(f: Figures) -> list[float]:
    return [p.ideas_seconds for p in f.phones if p.ideas_seconds is not None]


def first_visits(f: Figures) -> list[PhoneResult]:
    """Phones whose visit went as planned (no second send): what a first visit costs."""
    return [p for p in f.phones if p.acknowledged and not p.resend and p.attempts == 1]


def rate_limited(f: Figures) -> int:
    return sum(p.rate_limited for p in [*f.phones, *f.probes, *f.warm])


def load_reach(f: Figures) -> Reach:
    """Every answer of the load phase (first stored, outside a live session) to every screen."""
    acks = [
        (p.acknowledged_at, p.count)
        for p in f.phones
        if p.acknowledged_at is not None
        and p.count is not None
        and p.status == "stored"
        and p.session is None
    ]
    return reach(f.screens, acks)


def probe_reach(f: Figures) -> Reach:
    acks = [
        (p.acknowledged_at, p.count)
        for p in f.probes
        if p.acknowledged_at is not None and p.count is not None
    ]
    return reach(f.screens, acks)


def open_screens(f: Figures) -> int:
    """Screens that opened without error."""
    return sum(1 for s in f.screens if s.open_seconds is not None and s.error is None)


def load_cpu_per_phone(f: Figures) -> float | None:
    """Server CPU of the load phase per phone (the screens' pushes included for the app)."""
    return f.load.cpu / len(f.phones) if f.load and f.phones else None


def per_screen(f: Figures, pages: bool) -> float | None:
    """Server CPU per screen opened through the results page, or on its stream alone."""
    window = f.pages_open if pages else f.streams_open
    count = sum(
        1
        for s in f.screens
        if s.open_seconds is not None and s.error is None and (s.kind == "stream") != pages
    )
    return window.cpu / count if window is not None and count else None


def hub_mean(f: Figures, seconds: str, count: str = "refreshes") -> float | None:
    """Mean wall time of one hub step in the load phase (from the app's /metrics), ms."""
    n = f.hub_load.get(count)
    return 1000 * f.hub_load.get(seconds, 0.0) / n if n else None


def hub_per_refresh(f: Figures, what: str) -> float | None:
    n = f.hub_load.get("refreshes")
    return f.hub_load.get(what, 0.0) / n if n else None


def same_steps(app: Figures, floor: Figures | None) -> tuple[float | None, float | None]:
    """Calibrated server CPU of the steps the floor has too (page, files, send): app, floor."""
    if floor is None or not app.calibration.cpu or not floor.calibration.cpu:
        return None, None
    steps = [s for s in floor.calibration.cpu if s in app.calibration.cpu]
    return (
        sum(app.calibration.cpu[s] for s in steps),
        sum(floor.calibration.cpu[s] for s in steps),
    )


def idle_screen_cores(f: Figures) -> float | None:
    if f.idle is None:
        return None
    return max(0.0, f.idle.cores - f.calibration.quiet_cores)


def screen_mb(f: Figures) -> float | None:
    screens = open_screens(f)
    if not screens or not f.rss_after_screens:
        return None
    return (f.rss_after_screens - f.rss_before_screens) / screens


# -- the bare page -------------------------------------------------------------------------------


def bare_opens(b: BareFigures) -> list[float]:
    return [r.open_seconds for r in b.respondents if r.open_seconds is not None]


def bare_sends(b: BareFigures) -> list[float]:
    return [r.send_seconds for r in b.respondents if r.acknowledged and r.send_seconds is not None]


def bare_taps(b: BareFigures) -> list[float]:
    return [x for r in b.respondents for x in r.interactions]


def _mean(values: list[float]) -> float | None:
    """A mean, not a median: one /proc reading counts whole 10 ms ticks."""
    return sum(values) / len(values) if values else None


def bare_whole(b: BareFigures) -> float | None:
    return _mean(b.calibration_cpu)


def bare_load_cpu(b: BareFigures) -> float | None:
    return b.load.cpu / len(b.respondents) if b.load and b.respondents else None
