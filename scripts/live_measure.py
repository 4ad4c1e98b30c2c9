"""Measure the live screens: idle server CPU per viewer, and how fast a change reaches them.

    python -m scripts.live_measure [--browsers 10] [--streams 300] [--quiet 60] [--bare]

Starts the app as the README says (`streamlit run app.py`, its own temporary database with
30 resident and 12 academy answers), then:

1. opens `--browsers` real Chromium pages (half results, half presenter) and `--streams` raw
   live subscribers (the protocol of inclucities/web/live.py, as a browser's EventSource uses
   it), waits until all have their first summary, and reads the server's CPU time
   (/proc/<pid>/stat, user + system) before and after `--quiet` seconds without any change;
2. answers the academy poll on a phone page and times, for every viewer, the moment the new
   count arrives (subscribers: the event; browsers: the count on screen), from the press of
   Send (so the time includes storing the answer);
3. reveals the results from a presenter page and times the moment every presenter
   subscriber receives `revealed: true`.
With `--bare`, also reads the CPU of a bare Streamlit page (a title and one chart) with the
same number of browser pages open, for comparison. Prints one table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from scripts.support.browser_utils import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    chromium_path,
    start_server,
    stop_server,
    wait_healthy,
)
from scripts.support.e2e_utils import (
    fill_academy,
    key,
    open_page,
    settle,
    submit,
    survey_ready,
    wait_thank_you,
)
from scripts.support.seed import seed

TICKS = os.sysconf("SC_CLK_TCK")
BARE_APP = """import streamlit as st
st.title("Bare page")
st.bar_chart({"a": [1, 3, 2], "b": [2, 1, 3]})
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Subscriber:
    """One raw live subscriber: an HTTP/1.1 GET kept open, events parsed as they come."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self.total: int | None = None
        self.revealed: bool | None = None
        self.first = asyncio.Event()
        self.times: dict[str, float] = {}
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        request = f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        writer.write(request.encode() + b"\r\n")
        await writer.drain()
        event = ""
        try:
            while line := await reader.readline():
                text = line.decode("utf-8", "replace").rstrip("\r\n")
                if text.startswith("event: "):
                    event = text[7:]
                elif text.startswith("data: ") and event == "summary":
                    data = json.loads(text[6:].split("\r\n")[0])
                    now = time.time()
                    if self.total is not None and data["total"] != self.total:
                        self.times.setdefault(f"total:{data['total']}", now)
                    if self.revealed is not None and data["revealed"] != self.revealed:
                        self.times.setdefault(f"revealed:{data['revealed']}", now)
                    self.total, self.revealed = data["total"], data["revealed"]
                    self.first.set()
        finally:
            writer.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    return (
        f"p50 {statistics.median(values):.2f} s, p95 {percentile(values, 0.95):.2f} s, "
        f"max {max(values):.2f} s (n={len(values)})"
    )


COUNT_WATCH_JS = """() => { const el = document.querySelector('[data-testid="live-count"]');
  window.__countChanged = null; const start = el.innerText;
  new MutationObserver(() => { if (el.innerText !== start && !window.__countChanged)
    window.__countChanged = Date.now() / 1000; }).observe(el, {childList: true,
    characterData: true, subtree: true}); }"""


def run(args: argparse.Namespace) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    results: dict[str, object] = {}
    workdir = Path(tempfile.mkdtemp(prefix="live-measure-"))
    db = workdir / "live.duckdb"
    seed(db, resident=30, academy=12)
    server = start_server(db, address="0.0.0.0")
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            pages = []
            for i in range(args.browsers):
                # one context each, like separate devices (a browser keeps at most 6 open
                # connections per server, and every live screen holds one)
                page = browser.new_context(viewport=DESKTOP).new_page()
                url = (
                    server.page_url("results", lang="en", survey="academy")
                    if i % 2 == 0
                    else server.page_url("presenter", lang="en")
                )
                open_page(page, url, ".live[data-live-ready]")
                pages.append(page)
            subs = [
                Subscriber(
                    server.port,
                    f"/live/academy/events?lang={'en' if i % 3 else 'fr'}"
                    f"&mode={'presenter' if i % 2 else 'results'}",
                )
                for i in range(args.streams)
            ]
            for sub in subs:
                sub.task = asyncio.run_coroutine_threadsafe(sub.run(), loop)  # type: ignore[assignment]
            started = time.time()
            while not all(s.first.is_set() for s in subs) and time.time() - started < 120:
                time.sleep(0.2)
            results["subscribers connected"] = sum(s.first.is_set() for s in subs)
            time.sleep(3)
            pid = server.process.pid
            before, wall = cpu_seconds(pid), time.monotonic()
            time.sleep(args.quiet)
            used, elapsed = cpu_seconds(pid) - before, time.monotonic() - wall
            viewers = args.browsers + args.streams
            results["idle server CPU (share of one core)"] = round(used / elapsed, 4)
            results["idle CPU per viewer (share of one core)"] = round(used / elapsed / viewers, 6)
            # a new answer, from a phone, to every viewer
            for page in pages:
                page.evaluate(COUNT_WATCH_JS)
            phone = browser.new_context(viewport=PHONE).new_page()
            open_page(
                phone,
                server.page_url("survey", lang="en", survey="academy"),
                survey_ready("academy"),
            )
            fill_academy(phone, word="Measure")
            stored = time.time()  # the press of Send: the times below include the send itself
            submit(phone, "academy")
            wait_thank_you(phone, "academy")
            results["send -> thank-you on the phone"] = f"{time.time() - stored:.2f} s"
            deadline = stored + 30
            while time.time() < deadline and not all("total:13" in s.times for s in subs):
                time.sleep(0.1)
            for page in pages:
                page.wait_for_function("() => window.__countChanged !== null", timeout=30_000)
            sub_lat = [s.times["total:13"] - stored for s in subs if "total:13" in s.times]
            page_lat = [page.evaluate("() => window.__countChanged") - stored for page in pages]
            results["new answer -> subscribers"] = spread(sub_lat)
            results["new answer -> browser screens"] = spread(page_lat)
            # reveal from the presenter's own device
            controls = browser.new_context(viewport=DESKTOP).new_page()
            open_page(
                controls, server.page_url("presenter", lang="en"), key("presenter_hide_results")
            )
            controls.locator(f"{key('presenter_hide_results')} label").first.click()
            clicked = time.time()
            settle(controls)
            presenters = [s for s in subs if "mode=presenter" in s.path]
            deadline = clicked + 30
            while time.time() < deadline and not all(
                "revealed:True" in s.times for s in presenters
            ):
                time.sleep(0.1)
            reveal = [
                s.times["revealed:True"] - clicked for s in presenters if "revealed:True" in s.times
            ]
            results["reveal click -> presenter subscribers"] = spread(reveal)
            browser.close()
        if args.bare:
            results.update(bare_page(args, workdir))
    finally:
        for sub in subs if "subs" in locals() else []:
            if sub.task is not None:
                sub.task.cancel()  # type: ignore[attr-defined]
        stop_server(server)
        loop.call_soon_threadsafe(loop.stop)
    return results


def bare_page(args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    """CPU of a bare Streamlit page held open by the same number of browser pages."""
    import subprocess

    from playwright.sync_api import sync_playwright

    from scripts.support.browser_utils import free_port

    script = workdir / "bare.py"
    script.write_text(BARE_APP)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            for _ in range(args.browsers):
                page = browser.new_context(viewport=DESKTOP).new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector("h1")
            time.sleep(3)
            before, wall = cpu_seconds(process.pid), time.monotonic()
            time.sleep(args.quiet)
            used, elapsed = cpu_seconds(process.pid) - before, time.monotonic() - wall
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    return {
        "bare page: idle server CPU (share of one core)": round(used / elapsed, 4),
        "bare page: idle CPU per browser page": round(used / elapsed / args.browsers, 6),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument("--streams", type=int, default=300)
    parser.add_argument("--quiet", type=float, default=60.0)
    parser.add_argument("--bare", action="store_true")
    args = parser.parse_args()
    results = run(args)
    width = max(len(k) for k in results)
    print(f"Live screens: {args.browsers} browser pages + {args.streams} live subscribers")
    for name, value in results.items():
        print(f"  {name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
