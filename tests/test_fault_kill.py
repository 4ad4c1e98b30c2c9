"""SIGKILL drill: concurrent browser clients send the academy poll while the server is killed
with SIGKILL and restarted on the same port and database file.

Each client types a unique token as its "one word", presses Send and counts the submission as
acknowledged only when the thank-you shows its receipt. The form keeps unsent answers on the
phone and resends the same submission until it is acknowledged, so a client never reloads or
presses anything again: a send the kill caught goes through on its own once the server is back.
Half the clients answer on the light page (/answer/academy), half in the Streamlit survey page.

After the run the database is opened read-only: every token sent is acknowledged and stored
exactly once, with the receipt the phone showed; no token twice, no submission half-written.
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

from inclucities.receipt import normalise, receipt_hash
from inclucities.store import quote
from inclucities.survey.loader import load_survey_definitions
from scripts.support.browser_utils import CHROMIUM_ARGS, PHONE, start_server, stop_server
from scripts.support.e2e_utils import ACADEMY_READINESS, qkey, skey, survey_ready, write_artifact
from tests.async_utils import run_coroutine

pytestmark = pytest.mark.browser

CLIENTS = 4
ENOUGH = 60  # acknowledged submissions after which the drill ends
ATTEMPTS = 200
TIME_LIMIT = 480.0  # seconds of submitting, a bound for a slow machine (the drill ends on ENOUGH)
KILL_AT = (15, 35)  # acknowledged submissions after which the server is SIGKILLed
STEP_TIMEOUT = 30_000  # ms for one browser step
ACK_TIMEOUT = 180_000  # ms from Send to the thank-you: a restart, then the phone's next retry
S = "academy"
SEND = skey(S, "submit")
THANKS = f"{skey(S, 'thanks')}:not([hidden]) .icf-receipt-code:not(:empty)"
RECEIPT = f"{skey(S, 'thanks')} .icf-receipt-code"


@dataclass
class Drill:
    started: float = field(default_factory=time.monotonic)
    attempted: list[str] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    receipts: dict[str, str] = field(default_factory=dict)  # token -> receipt the phone showed
    unacked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kills: list[dict] = field(default_factory=list)
    generation: int = 0  # server lives so far, minus one
    down: bool = False  # between a kill and the restart
    submitting: int = 0  # clients between the Send press and the thank-you
    across_kill: list[str] = field(default_factory=list)  # acked sends a kill got in the way of

    def over(self) -> bool:
        return (
            len(self.acked) >= ENOUGH
            or len(self.attempted) >= ATTEMPTS
            or time.monotonic() - self.started > TIME_LIMIT
        )


def form_url(base: str, number: int) -> str:
    """The light page for even clients, the Streamlit survey page for odd ones."""
    if number % 2 == 0:
        return f"{base}/answer/{S}?lang=en"
    return f"{base}/survey?survey={S}&lang=en"


async def _open(page, url: str) -> None:
    """Open the form; it shows either a blank form or (an answer acknowledged while the page
    was away) its thank-you, which 'answer again' turns into a blank form."""
    await page.goto(url)
    await page.wait_for_selector(f"{survey_ready(S)}, {THANKS}")
    if await page.locator(THANKS).count():
        await answer_again(page)


async def fill(page, token: str, choice: int) -> None:
    """Answer the academy poll in the page (no server involved): one choice, the grid, the
    word, the consent."""
    await page.locator(f"{qkey(S, 'first_recommendation')} input").nth(choice % 7).check()
    for i, item in enumerate(ACADEMY_READINESS):
        await page.locator(f"{qkey(S, 'readiness', item)} input").nth((i + choice) % 5).check()
    await page.locator(f"{qkey(S, 'one_word')} input").fill(token)
    await page.locator(f"{skey(S, 'consent')} input").check()


async def send(page, timeout: float = ACK_TIMEOUT) -> str:
    """Press Send and wait for the thank-you; returns the receipt code shown."""
    await page.locator(SEND).click()
    await page.wait_for_selector(THANKS, timeout=timeout)
    return (await page.locator(RECEIPT).inner_text()).strip()


async def answer_again(page) -> None:
    """'Start a new response': a new respondent on this device, then a blank form."""
    await page.locator(skey(S, "new")).click()
    await page.wait_for_selector(survey_ready(S))


async def _client(number: int, browser, drill: Drill, base: str) -> None:
    context = await browser.new_context(viewport=PHONE, locale="en-GB")
    context.set_default_timeout(STEP_TIMEOUT)
    page = await context.new_page()
    fresh = True  # the page must be (re)opened: first visit, or after an error
    sequence = 0
    try:
        while not drill.over():
            token: str | None = None
            try:
                if fresh:
                    await _open(page, form_url(base, number))
                    fresh = False
                sequence += 1
                token = f"k{number}n{sequence}x{uuid.uuid4().hex[:10]}"
                drill.attempted.append(token)
                await fill(page, token, sequence)
                life, pressed_while_down = drill.generation, drill.down
                drill.submitting += 1
                try:
                    receipt = await send(page)
                finally:
                    drill.submitting -= 1
                drill.acked.append(token)  # the thank-you with its receipt: acknowledged
                drill.receipts[token] = receipt
                if pressed_while_down or drill.generation != life:
                    drill.across_kill.append(token)  # it waited for the server to come back
                token = None
                await answer_again(page)
            except Exception as exc:  # a timeout or a page error: note it, reopen, go on
                drill.errors.append(f"client {number}: {type(exc).__name__}: {str(exc)[:200]}")
                if token is not None:
                    drill.unacked.append(token)
                fresh = True
    finally:
        await context.close()


async def _controller(drill: Drill, holder: dict) -> None:
    """SIGKILL the server after KILL_AT acknowledgements, then restart it on the same port."""
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
        killed_at = time.monotonic()
        in_flight = drill.submitting
        drill.down = True
        os.kill(server.process.pid, signal.SIGKILL)
        await asyncio.to_thread(server.process.wait, 10)
        drill.generation += 1
        acked_before = len(drill.acked)
        holder["server"] = await asyncio.to_thread(
            start_server, server.db_path, None, port=server.port
        )
        drill.down = False
        drill.kills.append(
            {
                "after_acknowledged": acked_before,
                "at_second": round(killed_at - drill.started, 1),
                "downtime_seconds": round(time.monotonic() - killed_at, 1),
                "sends_in_flight": in_flight,
                "exit_code": server.process.returncode,
            }
        )


async def _run(db_path) -> Drill:
    from playwright.async_api import async_playwright

    from scripts.support.browser_utils import chromium_path

    holder = {"server": await asyncio.to_thread(start_server, db_path)}
    base = holder["server"].url  # the same address all along: restarts reuse the port
    drill = Drill()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            try:
                controller = asyncio.ensure_future(_controller(drill, holder))
                await asyncio.gather(*(_client(n, browser, drill, base) for n in range(CLIENTS)))
                controller.cancel()
            finally:
                await browser.close()
    finally:
        stop_server(holder["server"])
    return drill


def test_sigkill_during_concurrent_submissions_loses_and_duplicates_nothing(tmp_path):
    from tests.conftest import _require_chromium

    _require_chromium()
    db_path = tmp_path / "kill.duckdb"
    started = time.monotonic()
    drill = run_coroutine(_run(db_path))
    elapsed = time.monotonic() - started

    survey = load_survey_definitions().surveys[S]
    with duckdb.connect(str(db_path), read_only=True) as conn:
        rows = conn.execute(
            f"SELECT i.text, r.receipt_hash FROM ideas i JOIN {quote(survey.table_name)} r "
            "USING (submission_id) WHERE i.survey_id = ?",
            [S],
        ).fetchall()
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

    counts: dict[str, int] = {}
    hashes: dict[str, str] = {}
    for text, hashed in rows:
        counts[text] = counts.get(text, 0) + 1
        hashes[text] = hashed
    acked = drill.acked
    missing = [t for t in acked if counts.get(t, 0) == 0]
    twice = {t: n for t, n in counts.items() if n > 1}
    strangers = [t for t in counts if t not in set(drill.attempted)]
    unacked_stored = [t for t in drill.unacked if counts.get(t, 0) == 1]
    wrong_receipt = [
        t
        for t, code in drill.receipts.items()
        if t in hashes and hashes[t] != receipt_hash(normalise(code) or code)
    ]
    figures = {
        "clients": CLIENTS,
        "attempted": len(drill.attempted),
        "acknowledged": len(acked),
        "acknowledged_across_a_kill": len(drill.across_kill),
        "unacknowledged": len(drill.unacked),
        "unacknowledged_but_stored": len(unacked_stored),
        "submits_in_flight_at_kill": sum(k["sends_in_flight"] for k in drill.kills),
        "stored_submissions": submissions,
        "kills": drill.kills,
        "acknowledged_missing": len(missing),
        "stored_twice": len(twice),
        "receipt_mismatches": len(wrong_receipt),
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
    assert not wrong_receipt, f"a thank-you showed another answer's receipt: {wrong_receipt[:5]}"
    assert submissions == distinct == answer_rows == answer_distinct == len(counts)
    assert orphans == 0, "a submission is only partly written"
    # the form resends on its own: a send the kill caught is acknowledged, never given up
    assert not drill.unacked, f"sends never acknowledged: {figures}"
    assert drill.across_kill, f"no send waited for a restart and got through: {figures}"
    assert len(acked) == submissions, "a stored answer was never acknowledged to its phone"
