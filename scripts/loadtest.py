"""Load test of the live loop (issue 9): a room of phones answering, screens watching.

    python scripts/loadtest.py              # 200 respondents within 60 s, 300 screens (long)
    python scripts/loadtest.py --short      # 20 respondents, 50 screens: a few minutes
    python scripts/loadtest.py --markdown   # tables ready for docs/capacity.md

Starts the real server (`streamlit run app.py`, free port, fresh database), drives respondents
and live screens against it (a few in Chromium, the rest over Streamlit's own websocket
protocol), then does the same against a bare Streamlit page with the same widgets
(scripts/loadtest_bare.py) and prints every figure beside its bare-page figure. Method and
latest figures: docs/capacity.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.load.measure import machine  # noqa: E402
from tests.load.report import render  # noqa: E402
from tests.load.run import Config, run_all  # noqa: E402
from tests.load.survey import LANGS  # noqa: E402

SHORT = {
    "respondents": 20,
    "join_window": 10.0,
    "viewers": 50,
    "think": (0.2, 0.6),
    "idle_window": 10.0,
    "probes": 2,
    "calibration": 3,
    "browser_respondents": 1,
    "browser_viewers": 1,
}


def parse_think(text: str) -> tuple[float, float]:
    """'1-3' -> (1.0, 3.0); '0.5' -> (0.5, 0.5)."""
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def config_from(args: argparse.Namespace) -> Config:
    """The run's settings: defaults, then --short, then every option given."""
    config = Config()
    if args.short:
        for name, value in SHORT.items():
            setattr(config, name, value)
    for name in (
        "respondents",
        "join_window",
        "viewers",
        "presenter_share",
        "idle_window",
        "probes",
        "probe_timeout",
        "calibration",
        "browser_respondents",
        "browser_viewers",
        "refresh",
        "replicas",
        "seed",
        "timeout",
    ):
        value = getattr(args, name)
        if value is not None:
            setattr(config, name, value)
    if args.think is not None:
        config.think = parse_think(args.think)
    if args.no_bare:
        config.bare = False
    if args.no_assets:
        config.assets = False
    if args.keep:
        config.keep = True
    if args.langs:
        config.langs = tuple(args.langs.split(","))
    return config


def main() -> int:
    """Run, print, exit 1 if an answer was lost or doubled."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--short", action="store_true", help="a quick run (20 respondents, 50 screens)"
    )
    parser.add_argument("--respondents", type=int, help="respondents in the load phase (200)")
    parser.add_argument("--join-window", type=float, help="seconds within which they join (60)")
    parser.add_argument("--viewers", type=int, help="live screens opened together (300)")
    parser.add_argument(
        "--presenter-share", type=float, help="share of screens on the presenter page (0.1)"
    )
    parser.add_argument("--think", help="think time between taps, seconds, e.g. 1-3 (default)")
    parser.add_argument(
        "--idle-window", type=float, help="quiet seconds to measure idle screens (30)"
    )
    parser.add_argument("--probes", type=int, help="answers sent while the screens watch (3)")
    parser.add_argument("--probe-timeout", type=float, help="seconds to wait for every screen (60)")
    parser.add_argument("--calibration", type=int, help="respondents on a quiet server (5)")
    parser.add_argument("--browser-respondents", type=int, help="respondents in Chromium (2)")
    parser.add_argument("--browser-viewers", type=int, help="screens in Chromium (1)")
    parser.add_argument(
        "--refresh", type=int, help="INCLUCITIES_REFRESH_SECONDS (the app's default)"
    )
    parser.add_argument(
        "--replicas",
        type=int,
        help="servers on PostgreSQL behind Caddy, as docs/deploy.md (1: the quick start)",
    )
    parser.add_argument("--langs", help=f"comma-separated languages ({','.join(LANGS)})")
    parser.add_argument("--seed", type=int, help="random seed (1)")
    parser.add_argument("--timeout", type=float, help="seconds a client waits for a rerun (180)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare page")
    parser.add_argument(
        "--no-assets", action="store_true", help="protocol clients skip JS/CSS files"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and server logs")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--json", type=Path, help="also write every raw figure to this file")
    args = parser.parse_args()
    config = config_from(args)
    started = time.time()
    app, bare = asyncio.run(run_all(config))
    print()
    print("## Load test", time.strftime("%Y-%m-%d %H:%M", time.localtime(started)))
    print()
    settings = {
        "respondents": config.respondents,
        "join window (s)": config.join_window,
        "think time (s)": f"{config.think[0]}-{config.think[1]}",
        "screens": config.viewers,
        "presenter share": config.presenter_share,
        "in Chromium": (
            f"{config.browser_respondents} respondents, {config.browser_viewers} screens"
        ),
        "refresh (s)": app.refresh,
        "servers": (
            f"{config.replicas} replicas of `streamlit run` behind Caddy (deploy/Caddyfile), the"
            " app's on PostgreSQL; server CPU includes Caddy's and PostgreSQL's"
            if config.replicas > 1
            else "one `streamlit run` on a DuckDB file (the README's quick start)"
        ),
        "duration (min)": f"{(time.time() - started) / 60:.1f}",
    }
    for name, value in {**machine(), **settings}.items():
        print(f"- {name}: {value}")
    print(render(app, bare, config, markdown=args.markdown))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"app": asdict(app), "bare": asdict(bare) if bare else None}, default=str, indent=1
            )
        )
    r = app.reconciliation
    return 1 if r.lost or r.doubled else 0


if __name__ == "__main__":
    raise SystemExit(main())
