"""The measured phases of one server's run: warm-up, calibration, screens, load, probes."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable
from typing import Any

from scripts.load.deployment import Deployment
from scripts.load.measure import Sampler, Window, rss_mb
from scripts.load.metrics import delta, scrape
from scripts.load.phones import Phone, PhoneResult, choose_resends, run_phone
from scripts.load.respondent import respondent_token
from scripts.load.run_config import SURVEY, Calibration, Config, Figures, Target
from scripts.load.viewer import StreamScreen, Viewer


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
    from scripts.load.browsers import browser_phone

    for _ in range(run.config.browser_phones):
        card = run.phone("en")
        result = await browser_phone(browser, run.server.url, card)
        run.figures.browser_phones.append(result)
        verdict = "acknowledged" if result.acknowledged else f"NOT acknowledged: {result.error}"
        run.config.log(f"  Chromium phone: {verdict} (receipt {result.receipt or '–'})")
