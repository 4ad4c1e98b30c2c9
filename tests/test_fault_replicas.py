"""Replica drill (issue 11, item 5; issue 21): three app processes (`streamlit run app.py` on
three ports) share one PostgreSQL database behind Caddy with the project's own
`deploy/Caddyfile` (only its port and upstreams changed): a sticky cookie keeps each browser on
one replica and moves it to another when that one is down.

Respondents in Chromium (the light page and the Streamlit survey page) are spread over the
replicas (each starts with the sticky cookie of its replica) and send the academy poll, each
with a unique word; one replica is killed with SIGKILL in the middle of the burst. Its
respondents stay on the same address: the load balancer moves them, and the form resends
whatever the kill caught. The victim is then started again. Afterwards:

- every answer sent is acknowledged (with its receipt) and stored exactly once, none
  half-written;
- closing the survey in the admin page of one replica refuses the next send on the others;
- every replica's results page shows the same total as the database.

Bounded: at most ATTEMPTS submissions or TIME_LIMIT seconds of sending (INCLUCITIES_DRILL_SCALE
multiplies both, for a longer run by hand).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import random
import secrets
import shutil
import signal
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
import pytest

from inclucities.receipt import normalise, receipt_hash
from scripts.load.deployment import start_caddy, stop_caddy
from scripts.support.browser_utils import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    TEST_ADMIN_PASSWORD,
    LiveServer,
    free_port,
    start_server,
    stop_server,
)
from scripts.support.e2e_utils import catalog_text, skey, write_artifact
from tests.async_utils import run_coroutine
from tests.conftest import require_program
from tests.test_fault_kill import answer_again, fill, form_url, send

pytestmark = pytest.mark.browser

SCALE = max(1, int(os.environ.get("INCLUCITIES_DRILL_SCALE", "1")))
REPLICAS = 3
CLIENTS = 3
ATTEMPTS = 36 * SCALE
TIME_LIMIT = 360.0 * SCALE  # a bound for a slow machine; the drill ends on ATTEMPTS
KILL_AT = 10 * SCALE  # acknowledged submissions after which one replica is SIGKILLed
STEP_TIMEOUT = 45_000
STICKY = "inclucities_replica"  # deploy/Caddyfile: lb_policy cookie inclucities_replica
S = "academy"
SETTLED_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')"""


def sticky_value(server: LiveServer) -> str:
    """The value of Caddy's sticky cookie for an upstream: HMAC-SHA256 of its address (no
    secret in deploy/Caddyfile), as Caddy's cookie policy writes it."""
    return hmac.new(b"", f"127.0.0.1:{server.port}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Drill:
    servers: list[LiveServer]
    url: str  # Caddy: the one address every browser uses
    database: str
    started: float = field(default_factory=time.monotonic)
    attempted: list[str] = field(default_factory=list)
    acked: dict[str, int] = field(default_factory=dict)  # token -> replica that acknowledged
    receipts: dict[str, str] = field(default_factory=dict)
    unacked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    moves: int = 0  # a browser's sticky replica changed (the load balancer moved it)
    submitting: dict[int, int] = field(default_factory=dict)  # replica -> sends in flight
    kill: dict[str, object] = field(default_factory=dict)

    def over(self) -> bool:
        return len(self.attempted) >= ATTEMPTS or time.monotonic() - self.started > TIME_LIMIT

    def replica_of(self, value: str | None) -> int:
        values = [sticky_value(server) for server in self.servers]
        return values.index(value) if value in values else -1


async def pinned_context(browser, drill: Drill, replica: int, viewport: dict):
    """A browser whose sticky cookie names `replica` (as if the balancer had chosen it)."""
    context = await browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(STEP_TIMEOUT)
    await context.add_cookies(
        [{"name": STICKY, "value": sticky_value(drill.servers[replica]), "url": drill.url}]
    )
    return context


async def _replica(context, drill: Drill) -> int:
    for cookie in await context.cookies(drill.url):
        if cookie["name"] == STICKY:
            return drill.replica_of(cookie["value"])
    return -1


async def _settle(page) -> None:
    await page.wait_for_timeout(120)
    await page.wait_for_function(SETTLED_JS)


async def _client(number: int, browser, drill: Drill) -> None:
    context = await pinned_context(browser, drill, number % REPLICAS, PHONE)
    page = await context.new_page()
    fresh, sequence, seen = True, 0, number % REPLICAS
    try:
        while not drill.over():
            token: str | None = None
            try:
                if fresh:
                    await page.goto(form_url(drill.url, number))
                    thanks = f"{skey(S, 'thanks')}:not([hidden]) .icf-receipt-code:not(:empty)"
                    await page.wait_for_selector(f".icf[data-survey='{S}'][data-ready]")
                    if await page.locator(thanks).count():
                        await answer_again(page)
                    fresh = False
                sequence += 1
                token = f"r{number}n{sequence}x{uuid.uuid4().hex[:10]}"
                drill.attempted.append(token)
                await fill(page, token, sequence)
                replica = await _replica(context, drill)
                if replica != seen:
                    drill.moves += 1
                    seen = replica
                drill.submitting[replica] = drill.submitting.get(replica, 0) + 1
                try:
                    receipt = await send(page)
                finally:
                    drill.submitting[replica] -= 1
                acked_by = await _replica(context, drill)
                drill.acked[token] = acked_by
                drill.receipts[token] = receipt
                if acked_by != seen:
                    drill.moves += 1
                    seen = acked_by
                token = None
                await answer_again(page)
            except Exception as exc:  # a timeout or a page error: note it, reopen, go on
                drill.errors.append(f"client {number}: {type(exc).__name__}: {str(exc)[:200]}")
                if token is not None:
                    drill.unacked.append(token)
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
    in_flight = drill.submitting.get(victim, 0)
    os.kill(server.process.pid, signal.SIGKILL)
    await asyncio.to_thread(server.process.wait, 10)
    drill.kill = {
        "replica": victim,
        "after_acknowledged": len(drill.acked),
        "in_flight": in_flight,
        "exit_code": server.process.returncode,
    }


def _balancer_uses(url: str, value: str, timeout: float = 60.0) -> None:
    """Wait until the balancer sends a browser with this sticky cookie to its replica again
    (it answers without writing a new cookie): its health check has seen the replica back."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = urllib.request.Request(
            f"{url}/_stcore/health", headers={"Cookie": f"{STICKY}={value}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if STICKY not in (response.headers.get("set-cookie") or ""):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the balancer never took the restarted replica back")


async def _admin_close(browser, drill: Drill, replica: int) -> float:
    """Sign in on one replica's admin page and close the survey; returns when it is closed."""
    context = await pinned_context(browser, drill, replica, DESKTOP)
    page = await context.new_page()
    try:
        await page.goto(f"{drill.url}/sign-in?next=admin&lang=en")
        await page.locator("#icf-signin-password").fill(TEST_ADMIN_PASSWORD)
        await page.locator("form button[type=submit]").click()
        await page.wait_for_selector(".st-key-admin_survey")
        await _settle(page)  # the sign-in reruns the page; a list opened mid-run can close
        await _pick_survey(page, S)
        await page.wait_for_selector(".st-key-admin_close button")
        await page.locator(".st-key-admin_close button").click()
        await page.locator(".st-key-admin_close_yes button").click()  # the confirmation
        await page.wait_for_selector(".st-key-admin_open button")
        assert await _replica(context, drill) == replica, "the admin was moved off its replica"
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


async def _prefilled(browser, drill: Drill, replica: int, token: str):
    context = await pinned_context(browser, drill, replica, PHONE)
    page = await context.new_page()
    await page.goto(f"{drill.url}/answer/{S}?lang=en")
    await page.wait_for_selector(f".icf[data-survey='{S}'][data-ready]")
    await fill(page, token, 2)
    return context, page


async def _total_on(browser, drill: Drill, replica: int) -> str:
    context = await pinned_context(browser, drill, replica, DESKTOP)
    page = await context.new_page()
    try:
        await page.goto(f"{drill.url}/results?survey={S}&lang=en")
        count = page.locator("[data-testid='live-count']").first  # drawn from the pushed summary
        await count.wait_for(timeout=STEP_TIMEOUT)
        await page.wait_for_function(
            "() => (document.querySelector('[data-testid=\"live-count\"]') || {}).innerText",
            timeout=STEP_TIMEOUT,
        )
        assert await _replica(context, drill) == replica, "moved off its replica"
        return (await count.inner_text()).strip()
    finally:
        await context.close()


async def _run(drill: Drill, env: dict[str, str], figures: dict) -> None:
    from playwright.async_api import async_playwright

    from scripts.support.browser_utils import chromium_path

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            killer = asyncio.ensure_future(_killer(drill))
            await asyncio.gather(*(_client(n, browser, drill) for n in range(CLIENTS)))
            await killer
            # the orchestrator starts the killed replica again, on its address
            victim = int(drill.kill["replica"])
            old = drill.servers[victim]
            drill.servers[victim] = await asyncio.to_thread(
                start_server, old.db_path, env, port=old.port
            )
            await asyncio.to_thread(_balancer_uses, drill.url, sticky_value(old))

            # respondents on the two other replicas have their answers ready to send
            waiting = [
                (r, *await _prefilled(browser, drill, r, f"late{r}x{uuid.uuid4().hex[:6]}"))
                for r in range(1, REPLICAS)
            ]
            closed_at = await _admin_close(browser, drill, 0)
            closed_text = catalog_text("en", "survey.closed")
            refusals = {}
            for replica, context, page in waiting:
                await page.locator(skey(S, "submit")).click()
                problem = page.locator(skey(S, "problem"))
                await problem.wait_for(state="visible")
                assert await problem.inner_text() == closed_text
                refusals[replica] = round(time.monotonic() - closed_at, 2)
                assert await page.locator(f"{skey(S, 'thanks')}:not([hidden])").count() == 0
                assert await _replica(context, drill) == replica, "refused elsewhere"
                await context.close()
            figures["closed_refused_after_seconds"] = refusals
            await asyncio.sleep(3)  # the results pages' shared summary refreshes every 2 s
            figures["totals_on_replicas"] = [
                await _total_on(browser, drill, r) for r in range(REPLICAS)
            ]
        finally:
            await browser.close()


def test_three_replicas_behind_caddy_share_one_postgresql(postgres_server, tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    require_program(
        shutil.which("caddy"), "Caddy is not installed (apt-get install caddy); .ci/run does"
    )
    database = postgres_server.create_database()
    url = postgres_server.url(database)
    env = {
        "INCLUCITIES_DATABASE_URL": url,
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),  # one secret, as deployed
    }
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=REPLICAS) as pool:  # all at once: migrations race
        servers = list(
            pool.map(lambda n: start_server(tmp_path / f"unused{n}.duckdb", env), range(REPLICAS))
        )
    port = free_port()
    caddy = None
    figures: dict[str, object] = {"replicas": REPLICAS, "clients": CLIENTS, "balancer": "caddy"}
    drill = Drill(servers=servers, url=f"http://127.0.0.1:{port}", database=url)
    try:
        caddy = start_caddy(port, [f"127.0.0.1:{s.port}" for s in servers], tmp_path)
        run_coroutine(_run(drill, env, figures))
    finally:
        if caddy is not None:
            stop_caddy(caddy)
        for server in drill.servers:
            if server.process.poll() is None:
                stop_server(server)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT i.text, r.receipt_hash FROM ideas i JOIN responses_academy r "
            "USING (submission_id) WHERE i.survey_id = %s",
            [S],
        ).fetchall()
        stored = conn.execute("SELECT count(*) FROM responses_academy").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM ideas i FULL JOIN responses_academy r USING (submission_id) "
            "WHERE r.submission_id IS NULL OR i.submission_id IS NULL"
        ).fetchone()[0]
    postgres_server.drop_database(database)
    counts: dict[str, int] = {}
    hashes: dict[str, str] = {}
    for text, hashed in rows:
        counts[text] = counts.get(text, 0) + 1
        hashes[text] = hashed
    missing = [t for t in drill.acked if counts.get(t, 0) == 0]
    twice = {t: n for t, n in counts.items() if n > 1}
    late = [t for t in counts if t.startswith("late")]
    wrong_receipt = [
        t
        for t, code in drill.receipts.items()
        if t in hashes and hashes[t] != receipt_hash(normalise(code) or code)
    ]
    victim = REPLICAS - 1
    figures.update(
        {
            "attempted": len(drill.attempted),
            "acknowledged": len(drill.acked),
            "acknowledged_per_replica": {
                r: sum(1 for v in drill.acked.values() if v == r) for r in range(-1, REPLICAS)
            },
            "kill": drill.kill,
            "clients_moved": drill.moves,
            "stored": stored,
            "unacknowledged": len(drill.unacked),
            "acknowledged_missing": len(missing),
            "stored_twice": len(twice),
            "receipt_mismatches": len(wrong_receipt),
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
    assert -1 not in drill.acked.values(), "an answer acknowledged by no known replica"
    assert any(r == victim for r in drill.acked.values()), "the victim took no answers"
    assert drill.moves >= 1, "no browser was moved off the killed replica"
    assert not missing, f"acknowledged but not stored: {missing[:10]}"
    assert not twice, f"stored more than once: {list(twice.items())[:10]}"
    assert not wrong_receipt, f"a thank-you showed another answer's receipt: {wrong_receipt[:5]}"
    assert not drill.unacked, f"sends never acknowledged: {figures}"
    assert stored == len(drill.acked), "a stored answer was never acknowledged to its phone"
    assert not late, f"stored after the survey was closed on another replica: {late}"
    assert orphans == 0, "a submission is only partly written"
    assert len(figures["closed_refused_after_seconds"]) == REPLICAS - 1
    totals = figures["totals_on_replicas"]
    assert len(set(totals)) == 1, totals
    digits = "".join(ch for ch in str(totals[0]) if ch.isdigit())
    assert int(digits) == stored, (totals, stored)
