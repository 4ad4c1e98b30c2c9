"""The phases of one load run against a server that phones answer: the app, then the floor.

1. Start it: the app as the README says (`streamlit run app.py`, free port, fresh DuckDB file),
   or `--replicas N` of it on PostgreSQL behind Caddy (docs/deploy.md); the floor with uvicorn.
2. Warm-up (not measured): every language's page on every replica, one phone start to end.
3. Calibration on a quiet server: C phones one after another, step by step (every phone's
   page, then every phone's two files, then every send, then every ideas call), the server's
   CPU read from /proc before and after each step, its quiet use subtracted: CPU per step.
4. Screens (the app only): S live screens open (a few through their Streamlit page, the rest on
   their event stream), memory before and after, then a quiet window: their idle cost.
5. Load: N phones join at random moments within the window, the screens open: each opens the
   link (page and files), thinks, sends, asks for the ideas; some send twice.
6. Probes (the app only): single answers on the quiet server, timed to every screen.
7. One phone in Chromium (the app only, if Chromium is there): the real page and script.
8. Stop; compare what phones saw acknowledged with what was stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.load.bare import BareFigures, BareSettings, run_bare
from tests.load.deployment import Deployment, start_deployment, stop_deployment
from tests.load.floor import floor_entry, floor_submission_id, start_floor, stop_floor
from tests.load.measure import Sampler, Window, rss_mb
from tests.load.metrics import delta, scrape
from tests.load.phones import Phone, PhoneResult, choose_resends, run_phone
from tests.load.reconcile import Reconciliation, reconcile_duckdb, reconcile_postgres
from tests.load.respondent import respondent_token, token_pattern
from tests.load.survey import LANGS
from tests.load.viewer import StreamScreen, Viewer, ViewerResult

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


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _langs(config: Config, rng: random.Random, count: int) -> list[str]:
    return [config.langs[i % len(config.langs)] for i in rng.sample(range(count * 9), count)]


def _ways(config: Config, rng: random.Random, count: int) -> list[str]:
    """How each phone joins: the survey's code, a live session's code, or the long link."""
    ways = []
    for _ in range(count):
        roll = rng.random()
        if roll < config.session_share:
            ways.append("session")
        elif roll < config.session_share + config.link_share:
            ways.append("link")
        else:
            ways.append("code")
    return ways


def open_session(database_url: str | None, db_path: Path) -> tuple[str, str]:
    """A live session of the survey, made through the app's own store: (id, join code), with its
    results revealed as a presenter would (the screens then carry figures, not only the count;
    a presenter's reveal needs a sign-in the harness has not). On a DuckDB file it is made
    before the server opens the file (one process holds it)."""
    from inclucities.services import survey_registry
    from inclucities.store import open_store

    store = open_store(database_url, db_path, survey_registry().surveys.values())
    try:
        live = store.create_session(SURVEY, "Load test room", actor="loadtest")
        store.set_results_revealed(SURVEY, True, actor="loadtest", session_id=live.id)
        store.set_results_revealed(SURVEY, True, actor="loadtest")
        return live.id, live.join_code
    finally:
        store.close()


def app_target(deployment: Deployment, session: tuple[str, str] | None) -> Target:
    """The app: `/j/<code>` (the survey's code in that language), `/j/<session code>` (the
    language from the phone's Accept-Language) or `/answer/<survey>?lang=`."""
    from inclucities.respondent import submission_id
    from inclucities.share import join_code_for

    session_id, session_code = session or (None, None)

    def entry(way: str, lang: str) -> str:
        if way == "session" and session_code:
            return f"/j/{session_code}"
        if way == "link":
            return f"/answer/{SURVEY}?lang={lang}"
        return f"/j/{join_code_for(SURVEY, lang)}"

    def stored_id(secret: str, session: str | None) -> str:
        return submission_id(secret, SURVEY, session)

    return Target(deployment, entry, stored_id, session_id)


def floor_target(deployment: Deployment) -> Target:
    """The floor: its one page, in the phone's language."""
    return Target(
        deployment,
        lambda way, lang: floor_entry(lang),
        lambda secret, session: floor_submission_id(secret),
    )


class Run:
    """One server's run: its phones' tokens, what was acknowledged, the figures."""

    def __init__(self, name: str, config: Config, target: Target, figures: Figures) -> None:
        self.name = name
        self.config = config
        self.target = target
        self.figures = figures
        self.run_id = uuid.uuid4().hex[:8]
        self.counter = 0
        self.rng = random.Random(config.seed)
        self.calibrated: list[PhoneResult] = []

    @property
    def server(self) -> Deployment:
        return self.target.deployment

    def phone(self, lang: str, way: str = "code", resend: str = "") -> PhoneResult:
        """A new phone's card: its token, its link, the live session it answers in."""
        self.counter += 1
        token = respondent_token(self.run_id, self.counter)
        session = self.target.session_id if way == "session" else None
        entry = self.target.entry(way if session or way != "session" else "code", lang)
        return PhoneResult(self.counter, lang, entry, token, resend=resend, session=session)

    def settle(self, result: PhoneResult) -> PhoneResult:
        """Note the id its answers must be stored under."""
        if result.secret:
            result.submission_id = self.target.submission_id(result.secret, result.session)
        return result

    def all_phones(self) -> list[PhoneResult]:
        f = self.figures
        return [*f.warm, *self.calibrated, *f.phones, *f.probes, *f.browser_phones]


async def run_target(name: str, config: Config, workdir: Path, browser: Any) -> Figures:
    """Every phase against one server the phones answer ("app" or "floor")."""
    log = config.log
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / f"{name}.duckdb"
    figures = Figures(name, load_average=[_loadavg()])
    if name == "floor":
        log("[floor] starting `python -m uvicorn loadtest_floor:app` (scripts/loadtest_floor.py)")
        target = floor_target(start_floor(db_path, workdir / "floor.log"))
    else:
        env = {"INCLUCITIES_REFRESH_SECONDS": str(config.refresh)} if config.refresh else {}
        session = None
        if config.replicas <= 1 and config.session_share > 0:
            session = open_session(None, db_path)
        where = " on PostgreSQL, behind Caddy" if config.replicas > 1 else f" ({db_path})"
        log(f"[app] starting {config.replicas} x `streamlit run app.py`{where}")
        deployment = start_deployment("app.py", config.replicas, env, workdir, db_path)
        if config.replicas > 1 and config.session_share > 0:
            session = open_session(deployment.database_url, db_path)
        target = app_target(deployment, session)
    figures.replicas = target.deployment.replicas
    run = Run(name, config, target, figures)
    screens: list[Any] = []
    try:
        figures.baseline_rss = rss_mb(run.server.app_pids)
        await _warm_up(run)
        await _calibrate(run)
        if name == "app":
            screens = await _open_screens(run)
        await _load(run)
        if screens:
            await _probes(run, screens)
        if name == "app" and browser is not None and config.browser_phones > 0:
            await _browser_phones(run, browser)
    finally:
        for screen in screens:
            with contextlib.suppress(Exception):
                await screen.close()
        figures.screens = [s.result for s in screens]
        if name == "floor":
            stop_floor(run.server)
        else:
            stop_deployment(run.server)
        log(f"[{name}] server stopped")
        figures.load_average.append(_loadavg())
    _reconcile(run, db_path)
    return figures


def _reconcile(run: Run, db_path: Path) -> None:
    """What the database holds against what the phones saw acknowledged."""
    phones = [run.settle(p) for p in run.all_phones()]
    tokens = {p.token for p in phones if p.acknowledged}
    ids = {p.submission_id for p in phones if p.acknowledged and p.submission_id}
    pattern = token_pattern(run.run_id)
    server = run.server
    if server.database_url is not None:
        run.figures.reconciliation = reconcile_postgres(
            server.database_url, pattern, tokens, ids, SURVEY
        )
        server.postgres.stop()  # read, so done with (atexit stops it if the run failed before)
    else:
        survey = SURVEY if run.name == "app" else None
        run.figures.reconciliation = reconcile_duckdb(db_path, pattern, tokens, ids, survey)


async def _warm_up(run: Run) -> None:
    """Each language's page once on every replica (rendered once per process), and one phone
    from start to end; nothing here is measured."""
    config = run.config
    for replica in run.server.servers:
        for lang in config.langs:
            phone = Phone(replica.url, run.phone(lang), timeout=config.timeout)
            try:
                await phone.open()
            finally:
                await phone.close()
    warm = await run_phone(run.server.url, run.phone(config.langs[0]), timeout=config.timeout)
    run.figures.warm.append(warm)
    verdict = "acknowledged" if warm.acknowledged else f"NOT acknowledged: {warm.error}"
    config.log(f"  warm-up: one phone {verdict}; {warm.files} files per first visit")


async def _calibrate(run: Run) -> None:
    """C phones one after another, step by step, on a quiet server: CPU per step."""
    config, server = run.config, run.server
    result = Calibration()
    with Window(server.pids) as quiet:
        await asyncio.sleep(5)
    result.quiet_cores = quiet.cores
    run.figures.calibration = result
    if config.calibration <= 0:
        return
    phones = [
        Phone(server.url, run.phone(config.langs[i % len(config.langs)]), timeout=config.timeout)
        for i in range(config.calibration)
    ]
    bodies: list[bytes] = []
    rng = random.Random(config.seed + 7)

    async def step(name: str, act: Callable[[int, Phone], Any]) -> None:
        with Window(server.pids) as window:
            for i, phone in enumerate(phones):
                await act(i, phone)
        net = max(0.0, window.cpu - result.quiet_cores * window.wall)
        result.cpu[name] = net / len(phones)
        result.wall[name] = window.wall / len(phones)

    async def page(i: int, phone: Phone) -> None:
        await phone.load_page()
        bodies.append(phone.answers(rng))

    async def files(i: int, phone: Phone) -> None:
        await phone.load_files()

    async def send(i: int, phone: Phone) -> None:
        await phone.send(bodies[i])

    async def ideas(i: int, phone: Phone) -> None:
        if phone.result.acknowledged:
            await phone.ideas()

    try:
        await step("page", page)
        await step("files", files)
        await step("send", send)
        if phones[0].page is not None and "ideas" in phones[0].page.config.get("urls", {}):
            await step("ideas", ideas)
    except Exception as exc:
        run.figures.notes.append(f"calibration stopped: {type(exc).__name__}: {exc}")
        result.cpu.clear()
    finally:
        for phone in phones:
            await phone.close()
    run.calibrated = [p.result for p in phones]
    result.phones = len(phones)
    result.failed = sum(not p.result.acknowledged for p in phones)
    whole = result.whole
    config.log(
        f"  calibration: {len(phones)} phones, "
        + ", ".join(f"{k} {1000 * v:.1f} ms" for k, v in result.cpu.items())
        + (f"; whole respondent {1000 * whole:.1f} ms of server CPU" if whole else "")
    )


async def _open_screens(run: Run) -> list[Any]:
    """Open the live screens (a few through the Streamlit results page, the others on their
    event stream), then leave them quiet for the idle window."""
    config, server, figures = run.config, run.server, run.figures
    if config.screens <= 0:
        return []
    presenters = round(config.screens * config.presenter_share)
    modes = ["presenter"] * presenters + ["results"] * (config.screens - presenters)
    langs = _langs(config, run.rng, config.screens)
    pages = min(config.page_screens, config.screens - presenters)
    screens: list[Any] = []
    for i, (mode, lang) in enumerate(zip(modes, langs, strict=True)):
        if mode == "results" and i - presenters < pages:
            screens.append(Viewer(server.url, "results", lang, timeout=config.screen_timeout))
        else:
            screens.append(
                StreamScreen(server.url, SURVEY, mode, lang, timeout=config.screen_timeout)
            )
    gate = asyncio.Semaphore(20)

    async def open_one(screen: Any) -> None:
        async with gate:
            try:
                await screen.open()
            except Exception as exc:  # recorded on the screen, never raised
                screen.result.error = f"harness: {type(exc).__name__}: {exc}"

    figures.rss_before_screens = rss_mb(server.app_pids)
    replicas = [s.url for s in server.servers]
    hub_before = await scrape(replicas)
    with Window(server.pids) as opening:
        with Window(server.pids) as through_pages:
            await asyncio.gather(*(open_one(s) for s in screens if isinstance(s, Viewer)))
        with Window(server.pids) as streams:
            await asyncio.gather(*(open_one(s) for s in screens if isinstance(s, StreamScreen)))
    figures.screens_open = opening
    figures.pages_open, figures.streams_open = through_pages, streams
    figures.hub_open = delta(hub_before, await scrape(replicas))
    opened = sum(s.result.open_seconds is not None and s.result.error is None for s in screens)
    config.log(
        f"  screens: {opened}/{len(screens)} open in {opening.wall:.1f} s "
        f"({pages} through the results page, {presenters} presenter streams)"
    )
    with Window(server.pids) as idle:
        await asyncio.sleep(config.idle_window)
    figures.idle = idle
    figures.rss_after_screens = rss_mb(server.app_pids)
    return screens


async def _load(run: Run) -> None:
    """N phones join within the window (the screens open) and answer."""
    config, server, figures = run.config, run.server, run.figures
    count = config.phones
    if count <= 0:
        return
    rng = run.rng
    offsets = sorted(rng.uniform(0, config.join_window) for _ in range(count))
    langs = _langs(config, rng, count)
    ways = _ways(config, rng, count)
    resends = choose_resends(count, config.resend_share, rng)
    cards = [run.phone(langs[i], ways[i], resends.get(i, "")) for i in range(count)]
    seeds = [rng.random() for _ in range(count)]
    sampler = Sampler(server.app_pids)
    sampler.start()
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def one(i: int) -> PhoneResult:
        await asyncio.sleep(max(0.0, offsets[i] - (loop.time() - started)))
        try:
            return await asyncio.wait_for(
                run_phone(
                    server.url,
                    cards[i],
                    think=config.think,
                    rng=random.Random(seeds[i]),
                    timeout=config.timeout,
                ),
                config.load_timeout,
            )
        except TimeoutError:
            cards[i].error = f"still going after {config.load_timeout:.0f} s: stopped"
            return cards[i]

    config.log(
        f"  load: {count} phones join within {config.join_window:.0f} s, think "
        f"{config.think[0]:.0f}-{config.think[1]:.0f} s, {len(resends)} send twice"
    )
    replicas = [s.url for s in server.servers] if run.name == "app" else []
    hub_before = await scrape(replicas)
    with Window(server.pids) as window:
        figures.phones = list(await asyncio.gather(*(one(i) for i in range(count))))
    await sampler.stop()
    figures.hub_load = delta(hub_before, await scrape(replicas))
    figures.load = window
    figures.load_end = loop.time()
    figures.load_peak_rss = sampler.peak
    done = sum(p.acknowledged for p in figures.phones)
    limited = sum(p.rate_limited for p in figures.phones)
    config.log(
        f"  load: {done}/{count} acknowledged in {window.wall:.0f} s"
        + (f"; {limited} replies were 429 (rate limited)" if limited else "")
    )


async def _probes(run: Run, screens: list[Any]) -> None:
    """Single answers on a quiet server: each phone opens and answers first, then sends, and
    every screen's time to show it is taken."""
    config = run.config
    await asyncio.sleep(3)
    for _ in range(config.probes):
        ready, go = asyncio.Event(), asyncio.Event()
        card = run.phone(config.langs[0])
        task = asyncio.create_task(
            run_phone(run.server.url, card, ready=ready, go=go, timeout=config.timeout)
        )
        await ready.wait()
        await asyncio.sleep(1)
        go.set()
        result = await task
        run.figures.probes.append(result)
        if not result.acknowledged or result.count is None:
            config.log(f"  probe: not acknowledged ({result.error})")
            continue
        live = [s for s in screens if s.result.open_seconds is not None and not s.result.error]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + config.probe_timeout
        while loop.time() < deadline:
            if all((s.result.latest() or 0) >= result.count for s in live):
                break
            await asyncio.sleep(0.1)
        reached = sum((s.result.latest() or 0) >= result.count for s in live)
        config.log(
            f"  probe: count {result.count} on {reached}/{len(live)} screens "
            f"(send → acknowledged {result.send_seconds or 0:.2f} s)"
        )
        await asyncio.sleep(1)


async def _browser_phones(run: Run, browser: Any) -> None:
    """Phones in Chromium: the real page and its script, end to end (not measured)."""
    from tests.load.browsers import browser_phone

    for _ in range(run.config.browser_phones):
        card = run.phone("en")
        result = await browser_phone(browser, run.server.url, card)
        run.figures.browser_phones.append(result)
        verdict = "acknowledged" if result.acknowledged else f"NOT acknowledged: {result.error}"
        run.config.log(f"  Chromium phone: {verdict} (receipt {result.receipt or '–'})")


async def run_all(config: Config) -> Results:
    """The app, then the floor, then the bare Streamlit page, one after another."""
    browser = None
    playwright_cm = None
    if config.browser_phones > 0 or config.bare:
        try:
            from playwright.async_api import async_playwright

            from tests.load.browsers import launch

            playwright_cm = async_playwright()
            playwright = await playwright_cm.__aenter__()
            browser = await launch(playwright)
        except Exception as exc:
            config.log(f"no browser ({exc}): no Chromium phone; bare page files from its HTML")
            browser = None
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    try:
        results = Results(await run_target("app", config, workdir / "app", browser))
        if config.floor:
            results.floor = await run_target("floor", config, workdir / "floor", None)
        if config.bare and config.bare_respondents > 0:
            settings = BareSettings(
                respondents=min(config.bare_respondents, config.phones),
                join_window=config.join_window,
                think=config.bare_think,
                calibration=config.bare_calibration,
                replicas=config.replicas,
                refresh=config.refresh or 3,
                langs=config.langs,
                seed=config.seed,
            )
            results.bare = await run_bare(settings, workdir / "bare", browser, config.log)
            results.bare.asked = config.phones
    finally:
        if browser is not None:
            await browser.close()
        if playwright_cm is not None:
            await playwright_cm.__aexit__(None, None, None)
        if config.keep:
            config.log(f"databases and server logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


__all__ = ["Config", "Figures", "Results", "run_all", "run_target"]
