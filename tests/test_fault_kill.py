"""SIGKILL drill: concurrent browser clients send the academy poll while the server is killed
with SIGKILL and restarted on the same database.

Each client types a unique token as its "one word" and counts a submission as acknowledged only
when the thank-you view appears. After the run the database is opened read-only: every
acknowledged token must be stored exactly once, no token twice, no submission half-written.
It ends after ENOUGH acknowledged submissions, at most ATTEMPTS submissions or TIME_LIMIT seconds.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
import uuid
from dataclasses import dataclass, field

import duckdb
import pytest

from inclucities.store import quote
from inclucities.survey.loader import load_survey_definitions
from tests.async_utils import run_coroutine
from tests.browser_utils import CHROMIUM_ARGS, PHONE, start_server, stop_server
from tests.e2e_utils import ACADEMY_READINESS, SETTLED_JS, qkey, skey, write_artifact

pytestmark = pytest.mark.browser

CLIENTS = 4
ENOUGH = 60  # acknowledged submissions after which the drill ends
ATTEMPTS = 200
TIME_LIMIT = 480.0  # seconds of submitting, a bound for a slow machine (the drill ends on ENOUGH)
KILL_AT = (15, 35)  # acknowledged submissions after which the server is SIGKILLed
STEP_TIMEOUT = 30_000  # ms for one browser step
S = "academy"
SUBMIT = f"{skey(S, 'submit')} button"
NEW = f"{skey(S, 'new')} a, {skey(S, 'new')} button"  # a link with the respondent cookie


class Disconnected(Exception):
    """The server was killed while this step was under way."""


@dataclass
class Drill:
    url: str
    started: float = field(default_factory=time.monotonic)
    attempted: list[str] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    unacked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kills: list[dict] = field(default_factory=list)
    generation: int = 0
    submitting: int = 0  # clients between the submit click and the thank-you view
    interrupted_submits: int = 0  # of those, how many the kill caught
    up: asyncio.Event = field(default_factory=asyncio.Event)
    killed: dict[int, asyncio.Event] = field(default_factory=dict)

    def over(self) -> bool:
        return (
            len(self.acked) >= ENOUGH
            or len(self.attempted) >= ATTEMPTS
            or time.monotonic() - self.started > TIME_LIMIT
        )

    def kill_event(self, generation: int) -> asyncio.Event:
        return self.killed.setdefault(generation, asyncio.Event())


async def _guarded(drill: Drill, generation: int, awaitable) -> object:
    """Run a browser step, abandoning it the moment the server is killed."""
    step = asyncio.ensure_future(awaitable)
    kill = asyncio.ensure_future(drill.kill_event(generation).wait())
    done, _ = await asyncio.wait({step, kill}, return_when=asyncio.FIRST_COMPLETED)
    if step in done:
        kill.cancel()
        return step.result()
    step.cancel()
    raise Disconnected()


async def _settle(page) -> None:
    await page.wait_for_timeout(120)
    await page.wait_for_function(SETTLED_JS)


async def _radio(page, selector: str, index: int) -> None:
    await page.locator(f"{selector} [data-testid='stRadioOption']").nth(index).click()


async def _checked(page, selector: str) -> int:
    return await page.evaluate(
        "(s) => document.querySelectorAll(s + ' input:checked').length", selector
    )


async def _fill(page, token: str, choice: int) -> None:
    """Answer quickly (clicks may overlap reruns), then check every answer took."""
    groups = [(qkey(S, "first_recommendation"), choice)] + [
        (qkey(S, "readiness", item), (i + choice) % 5) for i, item in enumerate(ACADEMY_READINESS)
    ]
    for selector, index in groups:
        await _radio(page, selector, index)
    field_ = page.locator(f"{qkey(S, 'one_word')} input")
    await field_.fill(token)
    await field_.press("Tab")
    await _settle(page)
    await page.locator(f"{skey(S, 'consent')} label").click()
    await _settle(page)
    for selector, index in groups:  # a click lost to a redraw is simply made again
        if not await _checked(page, selector):
            await _radio(page, selector, index)
            await _settle(page)
    if await field_.input_value() != token:
        await field_.fill(token)
        await field_.press("Tab")
        await _settle(page)
    if not await _checked(page, skey(S, "consent")):
        await page.locator(f"{skey(S, 'consent')} label").click()
        await _settle(page)


async def _answer_again(page) -> None:
    """'Start a new response': a new respondent on this device, then a blank form."""
    await page.locator(NEW).first.click()
    await page.wait_for_selector(NEW, state="detached")
    await page.wait_for_selector(SUBMIT)
    await _settle(page)


async def _client(number: int, browser, drill: Drill) -> None:
    context = await browser.new_context(viewport=PHONE, locale="en-GB")
    context.set_default_timeout(STEP_TIMEOUT)
    page = await context.new_page()
    fresh = True  # a reload is needed (first visit, or after a disconnect)
    sequence = 0
    token: str | None = None  # this client's submission under way, until acknowledged
    try:
        while not drill.over():
            await drill.up.wait()
            generation = drill.generation
            try:
                if fresh:
                    url = f"{drill.url}/survey?survey={S}&lang=en"
                    await _guarded(drill, generation, page.goto(url))
                    await _guarded(drill, generation, page.wait_for_selector(f"{SUBMIT}, {NEW}"))
                    await _guarded(drill, generation, _settle(page))
                    if await page.locator(NEW).count():  # its last answer was stored after all
                        await _guarded(drill, generation, _answer_again(page))
                    fresh = False
                if drill.over():
                    break
                sequence += 1
                token = f"k{number}n{sequence}x{uuid.uuid4().hex[:10]}"
                drill.attempted.append(token)
                await _guarded(drill, generation, _fill(page, token, sequence % 7))
                drill.submitting += 1
                try:
                    await _guarded(drill, generation, page.locator(SUBMIT).click())
                    await _guarded(drill, generation, page.wait_for_selector(NEW))
                except Disconnected:
                    drill.interrupted_submits += 1
                    raise
                finally:
                    drill.submitting -= 1
                drill.acked.append(token)  # the thank-you view: acknowledged
                token = None
                await _guarded(drill, generation, _answer_again(page))
            except Disconnected:
                if token is not None:
                    drill.unacked.append(token)
                token, fresh = None, True
            except Exception as exc:  # a timeout or a page error: reload and go on
                drill.errors.append(f"client {number}: {type(exc).__name__}: {str(exc)[:200]}")
                if token is not None:
                    drill.unacked.append(token)
                token, fresh = None, True
    finally:
        await context.close()


async def _controller(drill: Drill, holder: dict) -> None:
    """SIGKILL the server after KILL_AT acknowledgements, then restart it on the same file."""
    for threshold in KILL_AT:
        while len(drill.acked) < threshold and not drill.over():
            await asyncio.sleep(0.2)
        # strike while a submission is on its way to the server, at most 15 s later
        deadline = time.monotonic() + 15
        while drill.submitting == 0 and time.monotonic() < deadline and not drill.over():
            await asyncio.sleep(0.01)
        await asyncio.sleep(random.uniform(0.0, 0.15))
        if drill.over():
            return
        server = holder["server"]
        drill.up.clear()
        killed_at = time.monotonic()
        os.kill(server.process.pid, signal.SIGKILL)
        await asyncio.to_thread(server.process.wait, 10)
        drill.kill_event(drill.generation).set()
        acked_before = len(drill.acked)
        restarted = await asyncio.to_thread(start_server, server.db_path)
        holder["server"] = restarted
        drill.url = restarted.url
        drill.generation += 1
        drill.up.set()
        drill.kills.append(
            {
                "after_acknowledged": acked_before,
                "at_second": round(killed_at - drill.started, 1),
                "downtime_seconds": round(time.monotonic() - killed_at, 1),
                "exit_code": server.process.returncode,
            }
        )


async def _run(db_path) -> tuple[Drill, dict]:
    from playwright.async_api import async_playwright

    from tests.browser_utils import chromium_path

    holder = {"server": await asyncio.to_thread(start_server, db_path)}
    drill = Drill(url=holder["server"].url)
    drill.up.set()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            try:
                controller = asyncio.ensure_future(_controller(drill, holder))
                await asyncio.gather(*(_client(n, browser, drill) for n in range(CLIENTS)))
                controller.cancel()
            finally:
                await browser.close()
    finally:
        stop_server(holder["server"])
    return drill, holder


def test_sigkill_during_concurrent_submissions_loses_and_duplicates_nothing(tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    db_path = tmp_path / "kill.duckdb"
    started = time.monotonic()
    drill, _ = run_coroutine(_run(db_path))
    elapsed = time.monotonic() - started

    survey = load_survey_definitions().surveys[S]
    with duckdb.connect(str(db_path), read_only=True) as conn:
        counts = dict(
            conn.execute(
                "SELECT text, count(*) FROM ideas WHERE survey_id = ? GROUP BY text", [S]
            ).fetchall()
        )
        # one row per submission in the survey's answer table (its only copy), ideas beside it
        submissions, distinct = conn.execute(
            f"SELECT count(*), count(DISTINCT submission_id) FROM {quote(survey.table_name)}"
        ).fetchone()
        answer_rows, answer_distinct = conn.execute(
            "SELECT count(*), count(DISTINCT submission_id) FROM ideas WHERE survey_id = ?", [S]
        ).fetchone()
        orphans = conn.execute(
            f"SELECT count(*) FROM {quote(survey.table_name)} r FULL JOIN ideas i "
            "USING (submission_id) WHERE r.submission_id IS NULL OR i.submission_id IS NULL"
        ).fetchone()[0]

    acked = drill.acked
    missing = [t for t in acked if counts.get(t, 0) == 0]
    twice = {t: n for t, n in counts.items() if n > 1}
    strangers = [t for t in counts if t not in set(drill.attempted)]
    unacked_stored = [t for t in drill.unacked if counts.get(t, 0) == 1]
    figures = {
        "clients": CLIENTS,
        "attempted": len(drill.attempted),
        "acknowledged": len(acked),
        "unacknowledged": len(drill.unacked),
        "unacknowledged_but_stored": len(unacked_stored),
        "submits_in_flight_at_kill": drill.interrupted_submits,
        "stored_submissions": submissions,
        "kills": drill.kills,
        "acknowledged_missing": len(missing),
        "stored_twice": len(twice),
        "half_written": orphans,
        "client_errors": len(drill.errors),
        "client_error_samples": drill.errors[:5],
        "seconds": round(elapsed, 1),
        "bounds": {"enough": ENOUGH, "attempts": ATTEMPTS, "time_limit_seconds": TIME_LIMIT},
    }
    write_artifact("fault_kill", figures)

    assert len(drill.kills) >= 1, f"the server was never killed: {figures}"
    assert all(k["exit_code"] == -signal.SIGKILL for k in drill.kills), drill.kills
    # answers sent and acknowledged after a restart: the drill judged more than one server life
    assert len(acked) > KILL_AT[0], f"too few acknowledged submissions to judge: {figures}"
    assert not missing, f"acknowledged but not stored: {missing[:10]}"
    assert not twice, f"stored more than once: {list(twice.items())[:10]}"
    assert not strangers, f"stored tokens no client sent: {strangers[:10]}"
    assert submissions == distinct == answer_rows == answer_distinct == len(counts)
    assert orphans == 0, "a submission is only partly written"
    acked_after_restart = len(acked) - drill.kills[0]["after_acknowledged"]
    assert acked_after_restart > 0, "no client got an answer through after the restart"
