"""The load harness, short (issue 9): 20 respondents and 50 live screens against the real server.

It asserts what must hold on any machine: every respondent got the thank-you, nothing
acknowledged was lost or stored twice, every screen opened and showed each new answer. The
timings it measures are printed (and written to tests/.artifacts/loadtest_short.txt), never
asserted: slow or shared machines change them. The full run is `python scripts/loadtest.py`.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.browser_utils import chromium_path
from tests.e2e_utils import ARTIFACTS
from tests.load.report import open_screens, render
from tests.load.run import Config, run_all

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if chromium_path():
        return
    message = "Debian chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
    pytest.skip(message)


SHORT = Config(
    respondents=20,
    join_window=10.0,
    viewers=50,
    think=(0.1, 0.3),
    idle_window=5.0,
    probes=1,
    probe_timeout=300.0,
    calibration=0,
    browser_respondents=1,
    browser_viewers=1,
    bare=False,
    timeout=300.0,
    viewer_open_timeout=1800.0,
    load_timeout=1800.0,
)


def test_short_load_loses_nothing_and_every_screen_sees_the_new_answer():
    _require_chromium()
    lines: list[str] = []

    def log(line: str) -> None:
        lines.append(line)
        print(line, flush=True)  # progress, with pytest -s

    SHORT.log = log
    app, _ = asyncio.run(run_all(SHORT))
    report = "\n".join([*lines, render(app, None, SHORT)])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "loadtest_short.txt").write_text(report, encoding="utf-8")
    print(report)

    failed = [f"{r.kind} {r.lang}: {r.error}" for r in app.respondents if not r.acknowledged]
    assert not failed, f"respondents without a thank-you: {failed}\n{report}"
    assert any(r.kind == "browser" for r in app.respondents), "no Chromium respondent ran"
    rec = app.reconciliation
    assert rec.acknowledged >= SHORT.respondents, report
    assert not rec.lost, f"acknowledged but not stored: {rec.lost}\n{report}"
    assert not rec.doubled, f"stored twice: {rec.doubled}\n{report}"
    assert not rec.unacknowledged_stored, f"stored without a thank-you: {rec.unacknowledged_stored}"
    assert open_screens(app) == SHORT.viewers, f"not every screen opened\n{report}"
    assert app.probes and all(p.acknowledged_at is not None for p in app.probes), report
    for probe in app.probes:
        assert probe.missed == 0, (
            f"screens that never showed {probe.expected}: {probe.missed_screens}"
        )
        assert len(probe.delays) == SHORT.viewers
