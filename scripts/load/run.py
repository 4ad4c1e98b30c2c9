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

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from scripts.load.bare import BareSettings, run_bare
from scripts.load.deployment import Deployment, start_deployment, stop_deployment
from scripts.load.floor import floor_entry, floor_submission_id, start_floor, stop_floor
from scripts.load.measure import rss_mb
from scripts.load.reconcile import reconcile_duckdb, reconcile_postgres
from scripts.load.respondent import token_pattern
from scripts.load.run_config import SURVEY, Config, Figures, Results, Target
from scripts.load.run_phases import (
    Run,
    _browser_phones,
    _calibrate,
    _load,
    _open_screens,
    _probes,
    _warm_up,
)


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def open_session(database_url: str | None, db_path: Path) -> tuple[str, str]:
    """A live session of the survey, made through the app's own store: (id, join code), with its
    results revealed as a presenter would (the screens then carry figures, not only the count;
    a presenter's reveal needs a sign-in the harness has not). On a DuckDB file it is made
    before the server opens the file (one process holds it)."""
    from inclucities.runtime import survey_registry
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


async def run_all(config: Config) -> Results:
    """The app, then the floor, then the bare Streamlit page, one after another."""
    browser = None
    playwright_cm = None
    if config.browser_phones > 0 or config.bare:
        try:
            from playwright.async_api import async_playwright

            from scripts.load.browsers import launch

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


__all__ = ["run_all", "run_target"]
