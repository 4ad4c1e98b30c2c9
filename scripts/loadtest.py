"""Load test of the light survey form (issue 21): a room of phones answering, screens watching.

    python -m scripts.loadtest                              # 300 phones within 60 s, one process
    python -m scripts.loadtest --replicas 2 --phones 1000   # 2 replicas, PostgreSQL, Caddy
    python -m scripts.loadtest --short                      # 20 phones, 20 screens: a minute
    python -m scripts.loadtest --markdown                   # tables for docs/capacity.md

Starts the real server (`streamlit run app.py`, free port, fresh database), opens the live
screens (server-sent events), and lets plain HTTP phones join within the window: each opens the
join link (the page and its two files), answers in the phone (no request), sends, and loads
the ideas; some send the same submission twice. Then the same phones against the floor (a bare
Starlette page with one form and one POST handler, scripts/loadtest_floor.py) and respondents
against the bare Streamlit page (scripts/loadtest_bare.py, over Streamlit's own protocol).
Every figure is printed beside the floor's and the bare page's, then the issue's targets, met
or not. Method and latest figures: docs/capacity.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import asdict
from pathlib import Path

from scripts.load.measure import machine
from scripts.load.report import render
from scripts.load.run import run_all
from scripts.load.run_config import Config, Results
from scripts.load.survey import LANGS

SHORT = {
    "phones": 20,
    "join_window": 10.0,
    "think": (0.5, 2.0),
    "screens": 20,
    "page_screens": 1,
    "idle_window": 3.0,
    "probes": 1,
    "calibration": 10,
    "bare_respondents": 5,
    "bare_think": (0.1, 0.3),
    "bare_calibration": 2,
}
NUMBERS = (
    "phones",
    "join_window",
    "resend_share",
    "session_share",
    "link_share",
    "screens",
    "page_screens",
    "presenter_share",
    "idle_window",
    "probes",
    "probe_timeout",
    "calibration",
    "browser_phones",
    "bare_respondents",
    "bare_calibration",
    "replicas",
    "refresh",
    "seed",
    "timeout",
)


def parse_range(text: str) -> tuple[float, float]:
    """'10-40' -> (10.0, 40.0); '0.5' -> (0.5, 0.5)."""
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def config_from(args: argparse.Namespace) -> Config:
    """The run's settings: defaults, then --short, then every option given."""
    config = Config()
    if args.short:
        for name, value in SHORT.items():
            setattr(config, name, value)
    for name in NUMBERS:
        value = getattr(args, name)
        if value is not None:
            setattr(config, name, value)
    if args.think is not None:
        config.think = parse_range(args.think)
    if args.bare_think is not None:
        config.bare_think = parse_range(args.bare_think)
    config.floor = not args.no_floor
    config.bare = not args.no_bare
    config.keep = args.keep
    if args.langs:
        config.langs = tuple(args.langs.split(","))
    return config


def parser() -> argparse.ArgumentParser:
    """Every option, with the full run's defaults."""
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    d = Config()
    add = p.add_argument
    add("--short", action="store_true", help="a quick run (20 phones, 20 screens)")
    add("--phones", type=int, help=f"phones in the load phase ({d.phones})")
    add("--join-window", type=float, help=f"seconds within which they join ({d.join_window:.0f})")
    add("--think", help=f"seconds answering in the phone, e.g. {d.think[0]:.0f}-{d.think[1]:.0f}")
    add("--resend-share", type=float, help=f"phones that send twice ({d.resend_share})")
    add("--session-share", type=float, help=f"phones joining a live session ({d.session_share})")
    add("--link-share", type=float, help=f"phones opening /answer/<survey> ({d.link_share})")
    add("--screens", type=int, help=f"live screens open during the load ({d.screens})")
    add("--page-screens", type=int, help=f"of them, through the results page ({d.page_screens})")
    add("--presenter-share", type=float, help=f"presenter screens ({d.presenter_share})")
    add("--idle-window", type=float, help=f"quiet seconds with screens open ({d.idle_window:.0f})")
    add("--probes", type=int, help=f"single answers timed to every screen ({d.probes})")
    add("--probe-timeout", type=float, help=f"seconds to wait for every screen ({d.probe_timeout})")
    add("--calibration", type=int, help=f"phones one after another, quiet ({d.calibration})")
    add("--browser-phones", type=int, help=f"phones in Chromium, end to end ({d.browser_phones})")
    add("--bare-respondents", type=int, help=f"bare Streamlit respondents ({d.bare_respondents})")
    add("--bare-think", help="bare page: seconds between taps (1-3)")
    add("--bare-calibration", type=int, help=f"bare page: quiet respondents ({d.bare_calibration})")
    add("--replicas", type=int, help="app servers on PostgreSQL behind Caddy (1: one process)")
    add("--refresh", type=int, help="INCLUCITIES_REFRESH_SECONDS (the app's default)")
    add("--langs", help=f"comma-separated languages ({','.join(LANGS)})")
    add("--seed", type=int, help=f"random seed ({d.seed})")
    add("--timeout", type=float, help=f"a phone's wait for one reply, s ({d.timeout:.0f})")
    add("--no-floor", action="store_true", help="skip the bare Starlette floor")
    add("--no-bare", action="store_true", help="skip the bare Streamlit page")
    add("--keep", action="store_true", help="keep the databases and server logs")
    add("--markdown", action="store_true", help="print Markdown tables")
    add("--json", type=Path, help="also write every raw figure to this file")
    return p


def settings(config: Config, results: Results, minutes: float) -> dict[str, object]:
    """What the run was, for the report's head."""
    app = results.app
    servers = (
        f"{config.replicas} replicas of `streamlit run app.py` on PostgreSQL behind Caddy "
        "(deploy/Caddyfile); server CPU includes Caddy's and PostgreSQL's"
        if config.replicas > 1
        else "one `streamlit run app.py` on a DuckDB file (the README's quick start)"
    )
    bare = results.bare
    return {
        "phones": f"{len(app.phones)} within {config.join_window:.0f} s",
        "think time (s)": f"{config.think[0]:g}-{config.think[1]:g}",
        "joining by": (
            f"survey code /j/<code> {1 - config.session_share - config.link_share:.0%}, "
            f"live session code {config.session_share:.0%}, /answer/<survey> link "
            f"{config.link_share:.0%}"
        ),
        "sending twice": f"{config.resend_share:.0%} (half a lost reply, half a resend)",
        "live screens": (
            f"{len(app.screens)} ({config.page_screens} through the results page, "
            f"{config.presenter_share:.0%} presenter)"
        ),
        "calibration": f"{config.calibration} phones one after another, quiet server",
        "servers": servers,
        "floor": (
            "scripts/loadtest_floor.py: one uvicorn process, one INSERT into a DuckDB file"
            if results.floor is not None
            else "skipped"
        ),
        "bare Streamlit page": (
            f"{len(bare.respondents)} respondents within {config.join_window:.0f} s, "
            f"{config.bare_think[0]:g}-{config.bare_think[1]:g} s between taps"
            + (f", {bare.replicas} replicas behind Caddy" if bare.replicas > 1 else "")
            if bare is not None
            else "skipped"
        ),
        "duration (min)": f"{minutes:.1f}",
    }


def main() -> int:
    """Run, print, exit 1 if an answer was lost or doubled."""
    args = parser().parse_args()
    config = config_from(args)
    started = time.time()
    results = asyncio.run(run_all(config))
    minutes = (time.time() - started) / 60
    print()
    print("## Load test", time.strftime("%Y-%m-%d %H:%M", time.localtime(started)))
    print()
    for name, value in {**machine(), **settings(config, results, minutes)}.items():
        print(f"- {name}: {value}")
    print(render(results, config, markdown=args.markdown))
    if args.json:
        args.json.write_text(json.dumps(asdict(results), default=str, indent=1))
    bad = False
    for f in (results.app, results.floor):
        if f is not None:
            r = f.reconciliation
            bad = bad or bool(r.lost or r.doubled or r.missing_ids)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
