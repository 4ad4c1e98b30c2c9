"""The settings of a load run and the records it fills: a server's figures, the run's results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scripts.load.bare import BareFigures
from scripts.load.deployment import Deployment
from scripts.load.measure import Window
from scripts.load.phones import PhoneResult
from scripts.load.reconcile import Reconciliation
from scripts.load.survey import LANGS
from scripts.load.viewer import ViewerResult

SURVEY = "resident"
STEPS = ("page", "files", "send", "ideas")


@dataclass
class Config:
    """Every knob of a run (scripts/loadtest.py sets them from the command line)."""

    phones: int = 300
    join_window: float = 60.0
    think: tuple[float, float] = (10.0, 40.0)  # answering, in the phone: no request
    resend_share: float = 0.1  # phones that send the same submission twice
    session_share: float = 0.1  # phones that join by a live session's six-character code
    link_share: float = 0.1  # phones that open /answer/<survey>?lang= (the long link)
    screens: int = 300
    page_screens: int = 2  # of the screens, opened through the Streamlit results page
    presenter_share: float = 0.1
    idle_window: float = 10.0
    probes: int = 3
    probe_timeout: float = 30.0
    calibration: int = 40
    browser_phones: int = 1
    floor: bool = True
    bare: bool = True
    bare_respondents: int = 100  # the bare Streamlit page's respondents (at most the phones)
    bare_think: tuple[float, float] = (1.0, 3.0)  # between taps
    bare_calibration: int = 5
    replicas: int = 1  # more: that many app servers on PostgreSQL behind Caddy
    refresh: int | None = None  # INCLUCITIES_REFRESH_SECONDS; the app's default when None
    langs: tuple[str, ...] = LANGS
    seed: int = 1
    timeout: float = 20.0  # a phone's wait for one reply (the script's SEND_TIMEOUT_MS)
    screen_timeout: float = 60.0
    load_timeout: float = 900.0  # phones still going then are stopped and counted
    keep: bool = False  # keep the temporary folder (databases, server logs)
    log: Callable[[str], None] = print


@dataclass
class Calibration:
    """Server CPU of phones one after another on a quiet server, per step and phone."""

    phones: int = 0
    quiet_cores: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # step -> seconds per phone
    wall: dict[str, float] = field(default_factory=dict)  # step -> seconds per phone
    failed: int = 0

    @property
    def whole(self) -> float | None:
        """Server CPU of one whole respondent (every step measured)."""
        return sum(self.cpu.values()) if self.cpu else None


@dataclass
class Figures:
    """Everything measured against one server the phones answer."""

    name: str  # "app" or "floor"
    replicas: int = 1
    baseline_rss: float = 0.0
    load_average: list[str] = field(default_factory=list)
    warm: list[PhoneResult] = field(default_factory=list)
    calibration: Calibration = field(default_factory=Calibration)
    screens: list[ViewerResult] = field(default_factory=list)
    screens_open: Window | None = None
    pages_open: Window | None = None  # the screens opened through the results page
    streams_open: Window | None = None  # the screens opened on their event stream
    rss_before_screens: float = 0.0
    rss_after_screens: float = 0.0
    idle: Window | None = None
    phones: list[PhoneResult] = field(default_factory=list)
    load: Window | None = None
    load_end: float = 0.0  # when the last phone of the load phase finished (harness clock)
    load_peak_rss: float = 0.0
    probes: list[PhoneResult] = field(default_factory=list)
    browser_phones: list[PhoneResult] = field(default_factory=list)
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    hub_open: dict[str, float] = field(default_factory=dict)  # /metrics over the screens opening
    hub_load: dict[str, float] = field(default_factory=dict)  # /metrics over the load phase
    notes: list[str] = field(default_factory=list)


@dataclass
class Results:
    """The run: the app, the floor, the bare Streamlit page."""

    app: Figures
    floor: Figures | None = None
    bare: BareFigures | None = None


@dataclass
class Target:
    """Where a server's phones go, and under which id it stores what they send."""

    deployment: Deployment
    entry: Callable[[str, str], str]  # (how it joins, language) -> path
    submission_id: Callable[[str, str | None], str]  # (secret, session id) -> stored id
    session_id: str | None = None
