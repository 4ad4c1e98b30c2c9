"""Replica drill (issue 11, item 5): three app processes (`streamlit run app.py` on three ports)
share one PostgreSQL database, as replicas behind a load balancer with sticky sessions would.

Respondents in Chromium are spread over the replicas and send the academy poll, each with a
unique word; one replica is killed with SIGKILL in the middle of the burst and its respondents
move to another replica (what the load balancer does), then it is started again. Afterwards:

- every acknowledged answer is stored exactly once, none half-written;
- closing the survey in the admin page of one replica refuses the next send on the others;
- every replica's results page shows the same total as the database.

Bounded: at most ATTEMPTS submissions or TIME_LIMIT seconds of sending (INCLUCITIES_DRILL_SCALE
multiplies both, for a longer run by hand).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
import pytest

from tests.async_utils import run_coroutine
from tests.browser_utils import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    TEST_ADMIN_PASSWORD,
    LiveServer,
    start_server,
    stop_server,
)
from tests.e2e_utils import catalog_text, skey, write_artifact
from tests.test_fault_kill import SETTLED_JS, Disconnected, _fill

pytestmark = pytest.mark.browser

SCALE = max(1, int(os.environ.get("INCLUCITIES_DRILL_SCALE", "1")))
REPLICAS = 3
CLIENTS = 3
ATTEMPTS = 36 * SCALE
TIME_LIMIT = 360.0 * SCALE  # a bound for a slow machine; the drill ends on ATTEMPTS
KILL_AT = 10 * SCALE  # acknowledged submissions after which one replica is SIGKILLed
STEP_TIMEOUT = 45_000
S = "academy"
SUBMIT = f"{skey(S, 'submit')} button"
NEW = f"{skey(S, 'new')} a, {skey(S, 'new')} button"


@dataclass
class Drill:
    servers: list[LiveServer]
    url: str
    started: float = field(default_factory=time.monotonic)
    alive: set[int] = field(default_factory=set)
    attempted: list[str] = field(default_factory=list)
    acked: dict[str, int] = field(default_factory=dict)  # token -> replica that acknowledged
    errors: list[str] = field(default_factory=list)
    moves: int = 0
    submitting: dict[int, int] = field(default_factory=dict)  # replica -> sends in flight
    killed: dict[int, asyncio.Event] = field(default_factory=dict)
    kill: dict[str, object] = field(default_factory=dict)

    def over(self) -> bool:
        return len(self.attempted) >= ATTEMPTS or time.monotonic() - self.started > TIME_LIMIT


async def _guarded(killed: asyncio.Event, awaitable) -> object:
    """Run a browser step, abandoning it the moment its replica is killed."""
    step = asyncio.ensure_future(awaitable)
    kill = asyncio.ensure_future(killed.wait())
    done, _ = await asyncio.wait({step, kill}, return_when=asyncio.FIRST_COMPLETED)
    if step in done:
        kill.cancel()
        return step.result()
    step.cancel()
    raise Disconnected()


async def _settle(page) -> None:
    await page.wait_for_timeout(120)
    await page.wait_for_function(SETTLED_JS)


async def _client(number: int, browser, drill: Drill) -> None:
    context = await browser.new_context(viewport=PHONE, locale="en-GB")
    context.set_default_timeout(STEP_TIMEOUT)
    page = await context.new_page()
    replica = number % REPLICAS  # the load balancer's sticky choice
    fresh, sequence = True, 0
    try:
        while not drill.over():
            if replica not in drill.alive:
                replica = min(drill.alive, key=lambda r: (r - replica) % REPLICAS)
                drill.moves += 1
                fresh = True
            event = drill.killed.setdefault(replica, asyncio.Event())
            try:
                if fresh:
                    url = f"{drill.servers[replica].url}/survey?survey={S}&lang=en"
                    await _guarded(event, page.goto(url))
                    await _guarded(event, page.wait_for_selector(f"{SUBMIT}, {NEW}"))
                    await _guarded(event, _settle(page))
                    if await page.locator(NEW).count():  # its send was stored after all
                        await _guarded(event, page.locator(NEW).first.click())
                        await _guarded(event, page.wait_for_selector(SUBMIT))
                        await _guarded(event, _settle(page))
                    fresh = False
                sequence += 1
                token = f"r{number}n{sequence}x{uuid.uuid4().hex[:10]}"
                drill.attempted.append(token)
                await _guarded(event, _fill(page, token, sequence % 7))
                drill.submitting[replica] = drill.submitting.get(replica, 0) + 1
                try:
                    await _guarded(event, page.locator(SUBMIT).click())
                    await _guarded(event, page.wait_for_selector(NEW))
                finally:
                    drill.submitting[replica] -= 1
                drill.acked[token] = replica
                await _guarded(event, page.locator(NEW).first.click())
                await _guarded(event, page.wait_for_selector(SUBMIT))
                await _guarded(event, _settle(page))
            except Disconnected:
                fresh = True
            except Exception as exc:  # a timeout or a page error: reload and go on
                drill.errors.append(f"client {number}: {type(exc).__name__}: {str(exc)[:200]}")
                fresh = True
    finally:
        await context.close()


async def _killer(drill: Drill) -> None:
    while len(drill.acked) < KILL_AT and not drill.over():
        await asyncio.sleep(0.2)
    victim = REPLICAS - 1
    deadline = time.monotonic() + 15  # strike while a send is on its way to the victim
    while not drill.submitting.get(victim) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    await asyncio.sleep(random.uniform(0.0, 0.15))
    server = drill.servers[victim]
    drill.alive.discard(victim)
    os.kill(server.process.pid, signal.SIGKILL)
    await asyncio.to_thread(server.process.wait, 10)
    drill.killed.setdefault(victim, asyncio.Event()).set()
    drill.kill = {
        "replica": victim,
        "after_acknowledged": len(drill.acked),
        "in_flight": drill.submitting.get(victim, 0),
        "exit_code": server.process.returncode,
    }


async def _admin_close(browser, server: LiveServer) -> float:
    """Sign in on one replica's admin page and close the survey; returns when it is closed."""
    context = await browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(STEP_TIMEOUT)
    page = await context.new_page()
    try:
        await page.goto(f"{server.url}/admin?lang=en")
        await page.wait_for_selector(".st-key-admin_pw input")
        await page.locator(".st-key-admin_pw input").fill(TEST_ADMIN_PASSWORD)
        await page.locator("[data-testid='stFormSubmitButton'] button").click()
        await page.wait_for_selector(".st-key-admin_survey")
        await _settle(page)  # the sign-in reruns the page; a list opened mid-run can close
        await _pick_survey(page, S)
        await page.wait_for_selector(".st-key-admin_close button")
        await page.locator(".st-key-admin_close button").click()
        await page.wait_for_selector(".st-key-admin_open button")
        return time.monotonic()
    finally:
        await context.close()


async def _pick_survey(page, survey_id: str, attempts: int = 3) -> None:
    """Open the admin's survey list and pick one; opens it again if a rerun closed it."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    from inclucities.survey.loader import load_survey_definitions

    title = load_survey_definitions().surveys[survey_id].title["en"]
    option = page.get_by_role("option", name=title)
    for attempt in range(attempts):
        await page.locator(".st-key-admin_survey input").click()
        try:
            await option.click(timeout=STEP_TIMEOUT / attempts)
            break
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            await page.keyboard.press("Escape")
            await _settle(page)
    await _settle(page)


async def _prefilled(browser, server: LiveServer, token: str):
    context = await browser.new_context(viewport=PHONE, locale="en-GB")
    context.set_default_timeout(STEP_TIMEOUT)
    page = await context.new_page()
    await page.goto(f"{server.url}/survey?survey={S}&lang=en")
    await page.wait_for_selector(SUBMIT)
    await _settle(page)
    await _fill(page, token, 2)
    return context, page


async def _total_on(browser, server: LiveServer) -> str:
    context = await browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = await context.new_page()
    try:
        await page.goto(f"{server.url}/results?survey={S}&lang=en")
        count = page.locator("[data-testid='live-count']").first  # drawn from the pushed summary
        await count.wait_for(timeout=STEP_TIMEOUT)
        await page.wait_for_function(
            "() => (document.querySelector('[data-testid=\"live-count\"]') || {}).innerText",
            timeout=STEP_TIMEOUT,
        )
        return (await count.inner_text()).strip()
    finally:
        await context.close()


async def _run(drill: Drill, figures: dict) -> None:
    from playwright.async_api import async_playwright

    from tests.browser_utils import chromium_path

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            killer = asyncio.ensure_future(_killer(drill))
            await asyncio.gather(*(_client(n, browser, drill) for n in range(CLIENTS)))
            await killer
            # the orchestrator starts the killed replica again
            victim = int(drill.kill["replica"])
            old = drill.servers[victim]
            drill.servers[victim] = await asyncio.to_thread(
                start_server, old.db_path, {"INCLUCITIES_DATABASE_URL": drill.url}
            )
            drill.alive.add(victim)

            # respondents on the two other replicas have their answers ready to send
            waiting = [
                (r, *await _prefilled(browser, drill.servers[r], f"late{r}x{uuid.uuid4().hex[:6]}"))
                for r in range(1, REPLICAS)
            ]
            closed_at = await _admin_close(browser, drill.servers[0])
            closed_text = catalog_text("en", "survey.closed")
            refusals = {}
            for replica, context, page in waiting:
                await page.locator(SUBMIT).click()
                await page.wait_for_selector(f"text={closed_text}")
                refusals[replica] = round(time.monotonic() - closed_at, 2)
                assert await page.locator(NEW).count() == 0
                await context.close()
            figures["closed_refused_after_seconds"] = refusals
            await asyncio.sleep(3)  # the results pages' shared summary refreshes every 2 s
            figures["totals_on_replicas"] = [
                await _total_on(browser, server) for server in drill.servers
            ]
        finally:
            await browser.close()


def test_three_replicas_share_one_postgresql(postgres_server, tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    database = postgres_server.create_database()
    url = postgres_server.url(database)
    env = {"INCLUCITIES_DATABASE_URL": url}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=REPLICAS) as pool:  # all at once: migrations race
        servers = list(
            pool.map(lambda n: start_server(tmp_path / f"unused{n}.duckdb", env), range(REPLICAS))
        )
    drill = Drill(servers=servers, alive=set(range(REPLICAS)), url=url)
    figures: dict[str, object] = {"replicas": REPLICAS, "clients": CLIENTS}
    try:
        run_coroutine(_run(drill, figures))
    finally:
        for server in drill.servers:
            if server.process.poll() is None:
                stop_server(server)
    with psycopg.connect(url) as conn:
        counts = dict(
            conn.execute(
                "SELECT text, count(*) FROM ideas WHERE survey_id = %s GROUP BY text", [S]
            ).fetchall()
        )
        stored = conn.execute("SELECT count(*) FROM responses_academy").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM ideas i FULL JOIN responses_academy r USING (submission_id) "
            "WHERE r.submission_id IS NULL OR i.submission_id IS NULL"
        ).fetchone()[0]
    postgres_server.drop_database(database)
    missing = [t for t in drill.acked if counts.get(t, 0) == 0]
    twice = {t: n for t, n in counts.items() if n > 1}
    late = [t for t in counts if t.startswith("late")]
    figures.update(
        {
            "attempted": len(drill.attempted),
            "acknowledged": len(drill.acked),
            "acknowledged_per_replica": {
                r: sum(1 for v in drill.acked.values() if v == r) for r in range(REPLICAS)
            },
            "kill": drill.kill,
            "clients_moved": drill.moves,
            "stored": stored,
            "acknowledged_missing": len(missing),
            "stored_twice": len(twice),
            "stored_after_close": len(late),
            "half_written": orphans,
            "client_errors": len(drill.errors),
            "client_error_samples": drill.errors[:5],
            "seconds": round(time.monotonic() - started, 1),
            "bounds": {"attempts": ATTEMPTS, "time_limit_seconds": TIME_LIMIT},
        }
    )
    write_artifact("fault_replicas", figures)
    assert drill.kill.get("exit_code") == -signal.SIGKILL, drill.kill
    assert len(drill.acked) >= KILL_AT, figures
    assert any(r == REPLICAS - 1 for r in drill.acked.values()), "the victim took no answers"
    assert not missing, f"acknowledged but not stored: {missing[:10]}"
    assert not twice, f"stored more than once: {list(twice.items())[:10]}"
    assert not late, f"stored after the survey was closed on another replica: {late}"
    assert orphans == 0, "a submission is only partly written"
    assert len(figures["closed_refused_after_seconds"]) == REPLICAS - 1
    totals = figures["totals_on_replicas"]
    assert len(set(totals)) == 1, totals
    digits = "".join(ch for ch in str(totals[0]) if ch.isdigit())
    assert int(digits) == stored, (totals, stored)
