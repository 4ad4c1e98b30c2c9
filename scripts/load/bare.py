"""The bare Streamlit page (scripts/loadtest_bare.py): the old survey's widgets and nothing else,
answered over Streamlit's own websocket protocol (scripts/load/protocol.py), one tap at a time.

It is what a Streamlit form costs with no app around it, measured in the same run as the light
form and the floor: a quiet server's CPU per respondent (page, its files, every tap, send), then
respondents joining within the window as the phones do.
"""

from __future__ import annotations

import asyncio
import random
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.load.deployment import start_deployment, stop_deployment
from scripts.load.http import fetch_all, split_url
from scripts.load.measure import Sampler, Window, cpu_seconds, rss_mb
from scripts.load.protocol import StreamlitSession
from scripts.load.reconcile import Reconciliation, reconcile_jsonl
from scripts.load.respondent import (
    LOCALES,
    RespondentResult,
    answer_survey,
    drive,
    respondent_token,
    token_pattern,
)
from scripts.load.survey import load_questions, make_plan

SCRIPT = "scripts/loadtest_bare.py"


@dataclass
class BareSettings:
    """What the bare page's run is asked to do (scripts/loadtest.py sets them)."""

    respondents: int = 100
    join_window: float = 60.0
    think: tuple[float, float] = (1.0, 3.0)  # between taps
    calibration: int = 5
    replicas: int = 1
    refresh: int = 3
    langs: tuple[str, ...] = ("en",)
    seed: int = 1
    timeout: float = 180.0
    load_timeout: float = 900.0


@dataclass
class BareFigures:
    """Everything measured against the bare page."""

    replicas: int = 1
    asked: int = 0  # phones of the run, of which `respondents` were driven here
    quiet_cores: float = 0.0
    baseline_rss: float = 0.0
    assets: int = 0  # files per page load
    calibration_cpu: list[float] = field(default_factory=list)  # per whole respondent, quiet
    calibration_open: list[float] = field(default_factory=list)  # page run over the websocket
    calibration_files: list[float] = field(default_factory=list)
    calibration_send: list[float] = field(default_factory=list)
    interactions: int = 0
    interaction_cpu: float = 0.0
    respondents: list[RespondentResult] = field(default_factory=list)
    load: Window | None = None
    load_peak_rss: float = 0.0
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    load_average: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _index_assets(html: str) -> list[str]:
    """Scripts, styles and icons named by a page's HTML (when no browser recorded them)."""
    found = re.findall(r"""(?:src|href)=["'](/?[^"':]+\.(?:js|css|png|ico|woff2?))["']""", html)
    return list(dict.fromkeys("/" + f.lstrip("./") for f in found))


async def page_assets(url: str, browser: Any) -> list[str]:
    """What a browser with an empty cache loads for a page (recorded by Chromium if there is
    one, else the files its HTML names)."""
    if browser is not None:
        from scripts.load.browsers import record_assets

        return await record_assets(browser, url)
    host, port, target = split_url(url)
    pages: list[str] = []

    def keep(_: str, response: Any) -> None:
        pages.append(response.body.decode("utf-8", "replace"))

    await fetch_all(host, port, [target], keep)
    return _index_assets(pages[0]) if pages else []


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


async def run_bare(
    settings: BareSettings, workdir: Path, browser: Any, log: Any = print
) -> BareFigures:
    """Start the bare page, calibrate, let the respondents join, stop, reconcile."""
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / "bare.jsonl"
    env = {
        "LOADTEST_BARE_OUT": str(out),
        "LOADTEST_BARE_REFRESH": str(settings.refresh),
        "INCLUCITIES_REFRESH_SECONDS": str(settings.refresh),
    }
    where = " behind Caddy" if settings.replicas > 1 else ""
    log(f"[bare] starting {settings.replicas} x `streamlit run {SCRIPT}`{where}")
    server = start_deployment(SCRIPT, settings.replicas, env, workdir, workdir / "unused.duckdb")
    figures = BareFigures(replicas=server.replicas, load_average=[_loadavg()])
    questions = load_questions()
    rng = random.Random(settings.seed)
    run_id = uuid.uuid4().hex[:8]
    counter = 0

    def next_token() -> str:
        nonlocal counter
        counter += 1
        return respondent_token(run_id, counter)

    acknowledged: set[str] = set()
    try:
        figures.baseline_rss = rss_mb(server.app_pids)
        lang = settings.langs[0]
        assets = await page_assets(server.page_url("survey", survey="resident", lang=lang), browser)
        figures.assets = len(assets)
        for replica in server.servers:  # every replica runs the page once, not when measured
            plan = make_plan(questions, lang, next_token(), rng, full=True)
            warm = await answer_survey(replica.url, plan, questions, timeout=settings.timeout)
            if warm.acknowledged:
                acknowledged.add(plan.token)
            else:
                figures.notes.append(f"warm-up respondent: {warm.error}")
        with Window(server.pids) as quiet:
            await asyncio.sleep(3)
        figures.quiet_cores = quiet.cores
        await _calibrate(
            settings, server, questions, rng, assets, next_token, acknowledged, figures
        )
        await _load(settings, server, questions, rng, assets, next_token, figures, log)
        acknowledged |= {r.token for r in figures.respondents if r.acknowledged}
    finally:
        stop_deployment(server)
        log("[bare] server stopped")
        figures.load_average.append(_loadavg())
    figures.reconciliation = reconcile_jsonl(out, token_pattern(run_id), acknowledged)
    return figures


async def _calibrate(
    settings: BareSettings,
    server: Any,
    questions: list[Any],
    rng: random.Random,
    assets: list[str],
    next_token: Any,
    acknowledged: set[str],
    figures: BareFigures,
) -> None:
    """Respondents one after another on a quiet server, no think time: CPU per whole
    respondent, and per page run, page files, tap and send."""
    pid = server.pids
    for i in range(settings.calibration):
        lang = settings.langs[(i + 1) % len(settings.langs)]
        plan = make_plan(questions, lang, next_token(), rng)
        session = StreamlitSession(
            server.url,
            "survey",
            f"survey=resident&lang={lang}",
            locale=LOCALES.get(lang, lang),
            timeout=settings.timeout,
        )
        outcome = RespondentResult(plan.token, lang)
        sends: list[float] = []
        try:
            first = cpu_seconds(pid)
            host, port, _ = split_url(server.url)
            await fetch_all(host, port, assets)
            start = cpu_seconds(pid)
            await session.open()
            after_open = cpu_seconds(pid)

            async def act(
                node: Any,
                state: Any,
                session: StreamlitSession = session,
                sends: list[float] = sends,
            ) -> Any:
                before = cpu_seconds(pid)
                run = await session.change(node, state)
                sends.append(cpu_seconds(pid) - before)
                return run

            await drive(session, act, plan, questions, (0.0, 0.0), rng, outcome, None)
            last = cpu_seconds(pid)
        finally:
            await session.close()
        if outcome.error or not outcome.acknowledged:
            figures.notes.append(f"calibration respondent {i + 1}: {outcome.error}")
            continue
        acknowledged.add(plan.token)
        figures.calibration_cpu.append(last - first)
        figures.calibration_files.append(start - first)
        figures.calibration_open.append(after_open - start)
        figures.calibration_send.append(sends[-1])
        figures.interaction_cpu += sum(sends[:-1])
        figures.interactions += len(sends) - 1


async def _load(
    settings: BareSettings,
    server: Any,
    questions: list[Any],
    rng: random.Random,
    assets: list[str],
    next_token: Any,
    figures: BareFigures,
    log: Any,
) -> None:
    """N respondents join at random moments within the window and answer, tap by tap."""
    count = settings.respondents
    if count <= 0:
        return
    offsets = sorted(rng.uniform(0, settings.join_window) for _ in range(count))
    langs = [settings.langs[i % len(settings.langs)] for i in range(count)]
    rng.shuffle(langs)
    sampler = Sampler(server.app_pids)
    sampler.start()
    started = asyncio.get_running_loop().time()

    async def one(i: int) -> RespondentResult:
        plan = make_plan(questions, langs[i], next_token(), random.Random(rng.random()))
        try:
            return await asyncio.wait_for(answer(i, plan), settings.load_timeout)
        except TimeoutError:
            result = RespondentResult(plan.token, langs[i])
            result.error = f"still answering after {settings.load_timeout:.0f} s: stopped"
            return result

    async def answer(i: int, plan: Any) -> RespondentResult:
        await asyncio.sleep(max(0.0, offsets[i] - (asyncio.get_running_loop().time() - started)))
        return await answer_survey(
            server.url,
            plan,
            questions,
            think=settings.think,
            rng=random.Random(i),
            assets=assets,
            timeout=settings.timeout,
        )

    log(
        f"  bare load: {count} respondents join within {settings.join_window:.0f} s, "
        f"think {settings.think[0]}-{settings.think[1]} s between taps"
    )
    with Window(server.pids) as window:
        figures.respondents = list(await asyncio.gather(*(one(i) for i in range(count))))
    await sampler.stop()
    figures.load = window
    figures.load_peak_rss = sampler.peak
    done = sum(r.acknowledged for r in figures.respondents)
    log(f"  bare load: {done}/{count} acknowledged in {window.wall:.0f} s")
