"""Server CPU per survey interaction, against a bare Streamlit page with the same widgets.

    python scripts/survey_cpu.py [--interactions 40]

Starts the app as the README says and, beside it, a bare Streamlit script holding the resident
survey's widgets on one page (radios, tick boxes, place rows, a text box, a button: no frame,
no fragments, no translations). In headless Chromium it picks answers one at a time, each time
waiting for the page to settle, and reads each server's CPU time (user + system, all threads)
from /proc/<pid>/stat before and after. It prints CPU per page load and per interaction, and the
ratio (issue 9 asks for at most 1.5x the bare page). The bare page runs twice: with Streamlit's
defaults, and with the app's own .streamlit/config.toml (the fair comparison). Timings belong
here, never in the tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_utils import (  # noqa: E402
    CHROMIUM_ARGS,
    PHONE,
    chromium_path,
    free_port,
    start_server,
    stop_server,
    wait_healthy,
)
from tests.e2e_utils import settle  # noqa: E402

BARE = """
import streamlit as st

st.title("Bare page")
for q in ("welcome", "belonging", "information"):
    st.radio(q, ["1", "2", "3", "4", "5"], index=None, key=f"q_{q}", horizontal=True)
for o in range(6):
    st.checkbox(f"source {o}", key=f"q_info_sources__{o}")
for item in range(5):
    st.radio(f"access {item}", ["1", "2", "3", "4", "5"], index=None, key=f"q_access__{item}")
st.radio("voice", ["1", "2", "3", "4", "5"], index=None, key="q_voice", horizontal=True)
st.radio("contact", ["a", "b", "c", "d", "e"], index=None, key="q_contact")
for o in range(7):
    st.segmented_control(f"recommendation {o}", [1, 2, 3], key=f"q_recommendations__{o}")
st.text_area("idea", key="q_idea", max_chars=500)
st.radio("relationship", ["a", "b", "c", "d", "e"], index=None, key="q_relationship")
st.radio("city", list("abcdefghi"), index=None, key="q_city")
st.radio("age", list("abcde"), index=None, key="q_age")
st.radio("gender", list("abcd"), index=None, key="q_gender")
st.checkbox("consent", key="consent")
st.button("Send", key="submit")
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_bare(folder: Path, app_config: bool) -> tuple[subprocess.Popen, str]:
    """The bare page, with Streamlit's defaults or with the app's `.streamlit/config.toml`
    (no garbage collection after each run, no file watcher), in a folder of its own."""
    folder.mkdir()
    if app_config:
        (folder / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    script = folder / "bare.py"
    script.write_text(BARE, "utf-8")
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)),
            *("--server.address", "127.0.0.1", "--server.headless", "true"),
            *("--browser.gatherUsageStats", "false"),
        ],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url)
    return process, url


def measure(browser, pid: int, url: str, radios: list[str], ready: str, count: int) -> dict:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(120_000)
    page = context.new_page()
    before_load = cpu_seconds(pid)
    page.goto(url)
    page.wait_for_selector(ready)
    settle(page)
    page.wait_for_timeout(1500)  # let the page's own follow-up requests finish
    settle(page)
    load = cpu_seconds(pid) - before_load
    before = cpu_seconds(pid)
    started = time.monotonic()
    for n in range(count):
        selector = radios[n % len(radios)]
        option = page.locator(f"{selector} [data-testid='stRadioOption']").nth(n % 5)
        option.click()
        page.wait_for_function(
            "([s, i]) => { const r = document.querySelectorAll(s + ' input[type=radio]');"
            " return r.length > i && r[i].checked; }",
            arg=[selector, n % 5],
        )
        settle(page)
    spent = cpu_seconds(pid) - before
    wall = time.monotonic() - started
    context.close()
    return {"load": load, "per_interaction": spent / count, "wall": wall / count}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=40)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    questions = ("welcome", "belonging", "information")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = start_server(folder / "cpu.duckdb")
        bares = {
            "bare (Streamlit defaults)": start_bare(folder / "defaults", app_config=False),
            "bare (app's config.toml)": start_bare(folder / "same", app_config=True),
        }
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
                )
                results = {}
                for name, pid, url, prefix, ready in (
                    *(
                        (name, process.pid, url, ".st-key-q_", ".st-key-submit button")
                        for name, (process, url) in bares.items()
                    ),
                    (
                        "survey",
                        app.process.pid,
                        app.page_url("survey", lang="fr"),
                        ".st-key-survey_resident_q_",
                        ".st-key-survey_resident_nav button",
                    ),
                ):
                    radios = [f"{prefix}{q}" for q in questions]
                    measure(browser, pid, url, radios, ready, 5)  # warm up: imports, caches
                    results[name] = measure(browser, pid, url, radios, ready, args.interactions)
                browser.close()
        finally:
            stop_server(app)
            for process, _ in bares.values():
                process.terminate()
                process.wait(timeout=10)
    for name, figures in results.items():
        print(
            f"{name:26} page load {figures['load'] * 1000:6.0f} ms CPU   "
            f"per interaction {figures['per_interaction'] * 1000:5.1f} ms CPU "
            f"({figures['wall'] * 1000:4.0f} ms wall, machine shared)"
        )
    survey = results["survey"]["per_interaction"]
    for name in bares:
        ratio = survey / results[name]["per_interaction"]
        print(f"survey / {name} per interaction: {ratio:.2f} (issue 9: at most 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
