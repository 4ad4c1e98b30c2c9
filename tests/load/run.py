"""The phases of one load run against one server (the app, then the bare page).

1. Start the server as the README says, on a free port, with a fresh database.
2. Warm up: a browser records the files each page loads; one respondent answers the whole
   survey (every conditional branch) and its widgets are recorded for the bare page.
3. Calibration, on a quiet server: a few respondents one after another; server CPU per page
   load, per interaction and per send.
4. Load: N respondents join at random moments within the join window (a few in Chromium, the
   rest over the protocol), answer with think times, send; a presenter screen stays open.
5. Viewers: V screens (results and presenter) open; server memory before and after; a quiet
   window gives the idle cost; then probe answers are sent one at a time and every screen's
   time to show the new count is taken.
6. Stop the server; compare what clients saw acknowledged with what was stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.browser_utils import ROOT
from tests.load.deployment import Deployment, start_deployment, stop_deployment
from tests.load.http import fetch_all, split_url
from tests.load.measure import Sampler, Window, rss_mb
from tests.load.protocol import StreamlitSession
from tests.load.reconcile import (
    Reconciliation,
    reconcile_duckdb,
    reconcile_jsonl,
    reconcile_postgres,
)
from tests.load.respondent import (
    ManifestRecorder,
    RespondentResult,
    answer_survey,
    respondent_token,
    save_manifest,
    token_pattern,
)
from tests.load.survey import LANGS, load_questions, make_plan
from tests.load.viewer import Viewer, ViewerResult

BARE_SCRIPT = "scripts/loadtest_bare.py"


@dataclass
class Config:
    """Every knob of a run (scripts/loadtest.py sets them from the command line)."""

    respondents: int = 200
    join_window: float = 60.0
    viewers: int = 300
    presenter_share: float = 0.1
    think: tuple[float, float] = (1.0, 3.0)
    idle_window: float = 30.0
    probes: int = 3
    probe_timeout: float = 60.0
    calibration: int = 5
    browser_respondents: int = 2
    browser_viewers: int = 1
    viewer_open_concurrency: int = 10
    viewer_open_timeout: float = 600.0
    load_timeout: float = 1200.0  # respondents still answering then are stopped and counted
    refresh: int | None = None  # the app's default when None
    replicas: int = 1  # more: that many servers on PostgreSQL behind Caddy (docs/deploy.md)
    assets: bool = True
    bare: bool = True
    keep: bool = False  # keep the temporary folder (databases, server logs)
    seed: int = 1
    timeout: float = 180.0
    langs: tuple[str, ...] = LANGS
    log: Callable[[str], None] = print


@dataclass
class Calibration:
    """Server CPU of single respondents on a quiet server."""

    respondents: int = 0
    open_cpu: list[float] = field(default_factory=list)  # the page's run over the websocket
    assets_cpu: list[float] = field(default_factory=list)  # its HTML, scripts, styles, fonts
    interaction_cpu: float = 0.0
    interactions: int = 0
    send_cpu: list[float] = field(default_factory=list)
    open_seconds: list[float] = field(default_factory=list)
    screen_cpu: dict[str, float] = field(default_factory=dict)  # results/presenter first run
    interaction_seconds: list[float] = field(default_factory=list)


@dataclass
class Probe:
    """One answer sent while the screens were open, and when each screen showed it."""

    expected: int
    acknowledged_at: float | None
    delays: list[float] = field(default_factory=list)  # per screen that showed it
    presenter_delays: list[float] = field(default_factory=list)  # presenter screens only
    from_send: list[float] = field(default_factory=list)  # from pressing send, per screen
    missed: int = 0
    missed_screens: list[str] = field(default_factory=list)  # "kind page lang: last count"
    error: str | None = None


@dataclass
class Figures:
    """Everything measured against one server."""

    name: str
    script: str
    refresh: int | None = None
    replicas: int = 1
    baseline_rss: float = 0.0
    quiet_cores: float = 0.0
    load_average: list[str] = field(default_factory=list)  # /proc/loadavg at start and end
    calibration: Calibration = field(default_factory=Calibration)
    respondents: list[RespondentResult] = field(default_factory=list)
    load: Window | None = None
    load_peak_rss: float = 0.0
    projector: ViewerResult | None = None  # the presenter screen open during the load phase
    viewers: list[ViewerResult] = field(default_factory=list)
    viewer_open: Window | None = None
    rss_before_viewers: float = 0.0
    rss_after_viewers: float = 0.0
    idle: Window | None = None
    idle_requested: int = 0  # run_every reruns the screens asked for in the quiet window
    idle_served: int = 0  # runs the server finished for them in that window
    probes: list[Probe] = field(default_factory=list)
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    unmatched: list[str] = field(default_factory=list)
    streams: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    manifest: Path | None = None


def app_refresh_default() -> int | None:
    """The app's own default refresh interval (inclucities.settings), if it still has one."""
    try:
        from inclucities.settings import Settings

        field_info = Settings.model_fields.get("refresh_seconds")
        return int(field_info.default) if field_info is not None else None
    except Exception:
        return None


def _index_assets(html: str) -> list[str]:
    """Scripts, styles and icons named by a page's HTML (when no browser recorded them)."""
    found = re.findall(r"""(?:src|href)=["'](/?[^"':]+\.(?:js|css|png|ico|woff2?))["']""", html)
    return list(dict.fromkeys("/" + f.lstrip("./") for f in found))


async def page_assets(config: Config, url: str, browser: Any) -> list[str]:
    """What a browser with an empty cache loads for a page."""
    if not config.assets:
        return []
    if browser is not None:
        from tests.load.browsers import record_assets

        return await record_assets(browser, url)
    host, port, target = split_url(url)
    pages: list[str] = []

    def keep(_: str, response: Any) -> None:
        pages.append(response.body.decode("utf-8", "replace"))

    await fetch_all(host, port, [target], keep)
    return _index_assets(pages[0]) if pages else []


def _langs(config: Config, rng: random.Random, count: int) -> list[str]:
    return [config.langs[i % len(config.langs)] for i in rng.sample(range(count * 9), count)]


async def run_target(
    name: str,
    config: Config,
    *,
    script: str = "app.py",
    manifest: Path | None = None,
    recorder: ManifestRecorder | None = None,
    browser: Any = None,
    workdir: Path | None = None,
) -> Figures:
    """Run every phase against one server and return its figures."""
    log = config.log
    run_id = uuid.uuid4().hex[:8]
    pattern = token_pattern(run_id)
    questions = load_questions()
    rng = random.Random(config.seed)
    workdir = workdir or Path(tempfile.mkdtemp(prefix=f"loadtest-{name}-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / "loadtest.duckdb"
    bare_out = workdir / "bare.jsonl"
    refresh = config.refresh if config.refresh is not None else app_refresh_default()
    env = {"INCLUCITIES_REFRESH_SECONDS": str(refresh or 3)}
    if script != "app.py":
        env |= {"LOADTEST_BARE_OUT": str(bare_out), "LOADTEST_BARE_REFRESH": str(refresh or 3)}
        if manifest is not None:
            env["LOADTEST_BARE_MANIFEST"] = str(manifest)
    figures = Figures(name, script, refresh=refresh)
    if config.replicas > 1:
        where = "on PostgreSQL, behind Caddy" if script == "app.py" else "behind Caddy"
        log(f"[{name}] starting {config.replicas} x `streamlit run {script}` {where}")
    else:
        log(f"[{name}] starting `streamlit run {script}` (database {db_path})")
    server = start_deployment(script, config.replicas, env, workdir, db_path)
    figures.replicas = server.replicas
    counter = 0

    def next_token() -> str:
        nonlocal counter
        counter += 1
        return respondent_token(run_id, counter)

    acknowledged: set[str] = set()
    figures.load_average.append(" ".join(Path("/proc/loadavg").read_text().split()[:3]))
    try:
        pid = server.pids
        figures.baseline_rss = rss_mb(server.app_pids)
        with Window(pid) as quiet:
            await asyncio.sleep(3)
        figures.quiet_cores = quiet.cores
        assets = await _warm_up(config, server, browser, questions, rng, recorder, next_token)
        survey_assets, results_assets, presenter_assets, warm = assets
        if warm.acknowledged:
            acknowledged.add(warm.token)
        figures.unmatched = sorted(set(warm.unmatched))
        if warm.error:
            figures.notes.append(f"warm-up respondent: {warm.error}")
        figures.calibration = await _calibrate(
            config, server, questions, rng, survey_assets, next_token, acknowledged
        )
        await _load(config, server, questions, rng, survey_assets, next_token, figures, browser)
        acknowledged |= {r.token for r in figures.respondents if r.acknowledged}
        await _viewers(
            config,
            server,
            questions,
            rng,
            (results_assets, presenter_assets),
            next_token,
            figures,
            browser,
            acknowledged,
        )
    finally:
        stop_deployment(server)
        log(f"[{name}] server stopped")
        figures.load_average.append(" ".join(Path("/proc/loadavg").read_text().split()[:3]))
    if script != "app.py":  # the bare page keeps no database, only its JSON lines
        figures.reconciliation = reconcile_jsonl(bare_out, pattern, acknowledged)
    elif server.database_url is not None:
        figures.reconciliation = reconcile_postgres(server.database_url, pattern, acknowledged)
        server.postgres.stop()  # read, so done with (atexit stops it if the run failed before)
    else:
        figures.reconciliation = reconcile_duckdb(db_path, pattern, acknowledged)
    return figures


async def _warm_up(
    config: Config,
    server: Deployment,
    browser: Any,
    questions: list[Any],
    rng: random.Random,
    recorder: ManifestRecorder | None,
    next_token: Callable[[], str],
) -> tuple[list[str], list[str], list[str], RespondentResult]:
    """First page loads (imports, caches) happen here, not in a measured phase."""
    lang = config.langs[0]
    survey_assets = await page_assets(
        config, server.page_url("survey", survey="resident", lang=lang), browser
    )
    results_assets = await page_assets(
        config, server.page_url("results", survey="resident", lang=lang), browser
    )
    presenter_assets = await page_assets(config, server.page_url("presenter", lang=lang), browser)
    for replica in server.servers:  # every replica runs its pages once here, not when measured
        for page in ("results", "presenter"):
            viewer = Viewer(replica.url, page, lang, timeout=config.timeout)
            await viewer.open()
            await viewer.close()
        if server.replicas > 1:  # the warm-up respondent below reaches only one of them
            session = StreamlitSession(replica.url, "survey", f"survey=resident&lang={lang}")
            await session.open()
            await session.close()
    plan = make_plan(questions, lang, next_token(), rng, full=True)
    warm = await answer_survey(
        server.url, plan, questions, recorder=recorder, rng=rng, timeout=config.timeout
    )
    verdict = "acknowledged" if warm.acknowledged else f"NOT acknowledged: {warm.error}"
    config.log(f"  warm-up: {len(survey_assets)} files per survey page load; respondent {verdict}")
    return survey_assets, results_assets, presenter_assets, warm


async def _calibrate(
    config: Config,
    server: Deployment,
    questions: list[Any],
    rng: random.Random,
    assets: list[str],
    next_token: Callable[[], str],
    acknowledged: set[str],
) -> Calibration:
    """Respondents one after another on a quiet server: CPU per page load and per interaction."""
    from tests.load.measure import cpu_seconds
    from tests.load.respondent import LOCALES, RespondentResult, drive

    result = Calibration()
    pid = server.pids
    for i in range(config.calibration):
        lang = config.langs[(i + 1) % len(config.langs)]
        plan = make_plan(questions, lang, next_token(), rng)
        session = StreamlitSession(
            server.url,
            "survey",
            f"survey=resident&lang={lang}",
            locale=LOCALES.get(lang, lang),
            timeout=config.timeout,
        )
        outcome = RespondentResult(plan.token, lang)
        try:
            before_assets = cpu_seconds(pid)
            host, port, _ = split_url(server.url)
            await fetch_all(host, port, assets)
            start = cpu_seconds(pid)
            opened = await session.open()
            after_open = cpu_seconds(pid)
            sends: list[float] = []

            async def act(
                node: Any,
                state: Any,
                sends: list[float] = sends,
                session: StreamlitSession = session,
            ) -> Any:
                before = cpu_seconds(pid)
                run = await session.change(node, state)
                sends.append(cpu_seconds(pid) - before)
                return run

            await drive(session, act, plan, questions, (0.0, 0.0), rng, outcome, None)
        finally:
            await session.close()
        if outcome.error or not outcome.acknowledged:
            config.log(f"  calibration respondent {i + 1}: {outcome.error}")
            continue
        acknowledged.add(plan.token)
        result.respondents += 1
        result.open_cpu.append(after_open - start)
        result.assets_cpu.append(start - before_assets)
        result.open_seconds.append(opened.seconds)
        result.send_cpu.append(sends[-1])
        result.interaction_cpu += sum(sends[:-1])
        result.interactions += len(sends) - 1
        result.interaction_seconds += outcome.interactions
    for page in ("results", "presenter") if config.calibration else ():
        viewer = Viewer(server.url, page, config.langs[0], reveal=False, timeout=config.timeout)
        before = cpu_seconds(pid)
        await viewer.open()
        result.screen_cpu[page] = cpu_seconds(pid) - before
        await viewer.close()
        await asyncio.sleep(1)
    if result.respondents:
        config.log(
            f"  calibration: {result.respondents} respondents, "
            f"{result.interactions} interactions, "
            f"{1000 * result.interaction_cpu / max(result.interactions, 1):.0f} ms CPU each"
        )
    return result


async def _load(
    config: Config,
    server: Deployment,
    questions: list[Any],
    rng: random.Random,
    assets: list[str],
    next_token: Callable[[], str],
    figures: Figures,
    browser: Any,
) -> None:
    """N respondents join within the window and answer; a presenter screen stays open."""
    if config.respondents <= 0:
        return
    pid = server.pids
    count = config.respondents
    offsets = sorted(rng.uniform(0, config.join_window) for _ in range(count))
    langs = _langs(config, rng, count)
    in_browser = set(rng.sample(range(count), min(config.browser_respondents, count)))
    if browser is None:
        in_browser = set()
    projector = None
    if browser is not None and config.browser_viewers > 0:
        from tests.load.browsers import BrowserViewer

        projector = BrowserViewer(browser, server.url, "presenter", config.langs[0])
        await projector.open()
    sampler = Sampler(server.app_pids)
    sampler.start()
    started = asyncio.get_running_loop().time()

    async def one(i: int) -> RespondentResult:
        try:
            return await asyncio.wait_for(answer(i), config.load_timeout)
        except TimeoutError:
            result = RespondentResult(f"unfinished-{i}", langs[i])
            result.error = f"still answering after {config.load_timeout:.0f} s: stopped"
            return result

    async def answer(i: int) -> RespondentResult:
        await asyncio.sleep(max(0.0, offsets[i] - (asyncio.get_running_loop().time() - started)))
        plan = make_plan(questions, langs[i], next_token(), random.Random(rng.random()))
        own_rng = random.Random(i)
        if i in in_browser:
            from tests.load.browsers import browser_respondent

            return await browser_respondent(
                browser,
                server.url,
                plan,
                questions,
                think=config.think,
                rng=own_rng,
                timeout=config.timeout,
            )
        return await answer_survey(
            server.url,
            plan,
            questions,
            think=config.think,
            rng=own_rng,
            assets=assets,
            timeout=config.timeout,
        )

    config.log(
        f"  load: {count} respondents ({len(in_browser)} in Chromium) join within "
        f"{config.join_window:.0f} s, think {config.think[0]}-{config.think[1]} s"
    )
    with Window(pid) as window:
        figures.respondents = list(await asyncio.gather(*(one(i) for i in range(count))))
    await sampler.stop()
    figures.load = window
    figures.load_peak_rss = sampler.peak
    if projector is not None:
        figures.projector = projector.result
        await projector.close()
    done = sum(r.acknowledged for r in figures.respondents)
    config.log(f"  load: {done}/{count} acknowledged in {window.wall:.0f} s")


async def _viewers(
    config: Config,
    server: Deployment,
    questions: list[Any],
    rng: random.Random,
    assets: tuple[list[str], list[str]],
    next_token: Callable[[], str],
    figures: Figures,
    browser: Any,
    acknowledged: set[str],
) -> None:
    """Open the screens, measure memory and idle CPU, then time the probes."""
    if config.viewers <= 0:
        return
    pid = server.pids
    await asyncio.sleep(2)
    presenters = round(config.viewers * config.presenter_share)
    pages = ["presenter"] * presenters + ["results"] * (config.viewers - presenters)
    langs = _langs(config, rng, config.viewers)
    browser_count = min(config.browser_viewers, config.viewers) if browser is not None else 0
    screens: list[Any] = []
    for i, (page, lang) in enumerate(zip(pages, langs, strict=True)):
        if i < browser_count:
            from tests.load.browsers import BrowserViewer

            screens.append(BrowserViewer(browser, server.url, page, lang))
        else:
            page_assets_list = assets[0] if page == "results" else assets[1]
            screens.append(
                Viewer(server.url, page, lang, assets=page_assets_list, timeout=config.timeout)
            )
    gate = asyncio.Semaphore(config.viewer_open_concurrency)

    async def open_one(screen: Any) -> None:
        async with gate:
            try:
                await screen.open()
            except Exception as exc:  # recorded on the screen, never raised
                screen.result.error = f"harness: {type(exc).__name__}: {exc}"

    senders = [
        await _prepare_probe(config, server, questions, rng, next_token)
        for _ in range(config.probes)
    ]
    figures.rss_before_viewers = rss_mb(server.app_pids)
    config.log(f"  viewers: opening {config.viewers} screens ({presenters} presenter)")
    try:
        with Window(pid) as opening:
            try:
                await asyncio.wait_for(
                    asyncio.gather(*(open_one(s) for s in screens)), config.viewer_open_timeout
                )
            except TimeoutError:
                figures.notes.append(
                    f"not every screen opened within {config.viewer_open_timeout:.0f} s"
                )
        figures.viewer_open = opening
        await asyncio.sleep(5)
        figures.rss_after_viewers = rss_mb(server.app_pids)
        opened = sum(s.result.open_seconds is not None for s in screens)
        config.log(f"  viewers: {opened} open in {opening.wall:.0f} s")
        if config.idle_window > 0:
            protocol = [s.session for s in screens if isinstance(s, Viewer)]
            sent = sum(x.auto_reruns_sent for x in protocol)
            done = sum(x.runs_finished for x in protocol)
            with Window(pid) as idle:
                await asyncio.sleep(config.idle_window)
            figures.idle = idle
            figures.idle_requested = sum(x.auto_reruns_sent for x in protocol) - sent
            figures.idle_served = sum(x.runs_finished for x in protocol) - done
            config.log(
                f"  idle: {idle.cores:.2f} cores for {opened} screens; "
                f"{figures.idle_served} of {figures.idle_requested} timed reruns served"
            )
        for sender in senders:
            figures.probes.append(await _probe(config, sender, screens, acknowledged))
        for screen in screens:
            if isinstance(screen, Viewer):
                figures.streams += [u for u in screen.result.streams if u not in figures.streams]
    finally:
        for sender in senders:
            sender.go.set()
            sender.task.cancel()
            with contextlib.suppress(BaseException):
                await sender.task
        for screen in screens:
            with contextlib.suppress(Exception):
                await screen.close()
        figures.viewers += [s.result for s in screens]


@dataclass
class _Sender:
    """A respondent who has answered everything and waits to press send."""

    token: str
    go: asyncio.Event
    task: asyncio.Task[RespondentResult]


async def _prepare_probe(
    config: Config,
    server: Deployment,
    questions: list[Any],
    rng: random.Random,
    next_token: Callable[[], str],
) -> _Sender:
    """Open the survey and answer it before the screens open; send comes during the probe."""
    plan = make_plan(questions, config.langs[0], next_token(), rng)
    ready, go = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        answer_survey(
            server.url, plan, questions, rng=rng, timeout=config.timeout, ready=ready, go=go
        )
    )
    await ready.wait()
    return _Sender(plan.token, go, task)


async def _probe(
    config: Config,
    sender: _Sender,
    screens: list[Any],
    acknowledged: set[str],
) -> Probe:
    """Press send; how long until each open screen shows the new count."""
    live = [s for s in screens if s.result.open_seconds is not None and s.result.error is None]
    known = max((s.result.latest() or 0 for s in live), default=0)
    sender.go.set()
    answer = await sender.task
    probe = Probe(expected=known + 1, acknowledged_at=answer.acknowledged_at, error=answer.error)
    if not answer.acknowledged:
        config.log(f"  probe: not acknowledged ({answer.error})")
        return probe
    acknowledged.add(sender.token)
    deadline = asyncio.get_running_loop().time() + config.probe_timeout
    while asyncio.get_running_loop().time() < deadline:
        if all(s.result.first_at_least(probe.expected) is not None for s in live):
            break
        await asyncio.sleep(0.1)
    assert answer.acknowledged_at is not None
    for screen in live:
        seen = screen.result.first_at_least(probe.expected)
        if seen is None:
            probe.missed += 1
            result = screen.result
            probe.missed_screens.append(
                f"{result.kind} {result.page} {result.lang}: last count {result.latest()}"
            )
        else:
            probe.delays.append(max(0.0, seen - answer.acknowledged_at))
            if answer.sent_at is not None:
                probe.from_send.append(max(0.0, seen - answer.sent_at))
            if screen.result.page == "presenter":
                probe.presenter_delays.append(probe.delays[-1])
    slowest = max(probe.delays, default=float("nan"))
    config.log(
        f"  probe: count {probe.expected} reached {len(probe.delays)}/{len(live)} screens, "
        f"slowest after {slowest:.2f} s (send → thank-you {answer.send_seconds or 0:.2f} s)"
    )
    await asyncio.sleep(1)
    return probe


async def run_all(config: Config) -> tuple[Figures, Figures | None]:
    """The app, then the bare page with the widgets the app showed."""
    browser = None
    playwright_cm = None
    if config.browser_respondents > 0 or config.browser_viewers > 0 or config.assets:
        try:
            from playwright.async_api import async_playwright

            from tests.load.browsers import launch

            playwright_cm = async_playwright()
            playwright = await playwright_cm.__aenter__()
            browser = await launch(playwright)
        except Exception as exc:
            config.log(f"no browser ({exc}); protocol clients only, assets from the HTML")
            browser = None
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    recorder = ManifestRecorder()
    try:
        app = await run_target(
            "app", config, recorder=recorder, browser=browser, workdir=workdir / "app"
        )
        bare = None
        if config.bare:
            manifest = workdir / "bare-manifest.json"
            if recorder.widgets:
                save_manifest(recorder, manifest)
            bare = await run_target(
                "bare",
                config,
                script=BARE_SCRIPT,
                manifest=manifest if recorder.widgets else None,
                browser=browser,
                workdir=workdir / "bare",
            )
            bare.manifest = manifest if recorder.widgets else None
    finally:
        if browser is not None:
            await browser.close()
        if playwright_cm is not None:
            await playwright_cm.__aexit__(None, None, None)
        if config.keep:
            config.log(f"databases and server logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return app, bare


__all__ = ["ROOT", "Config", "Figures", "run_all", "run_target"]
