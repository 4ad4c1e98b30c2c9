"""The figures of a run as text (or Markdown tables for docs/capacity.md): each of the app's
figures beside the floor's and the bare Streamlit page's, with their ratios, then the answers
acknowledged and stored, then the targets of issue 21, met or not."""

from __future__ import annotations

from collections.abc import Callable

from scripts.load.bare import BareFigures
from scripts.load.phones import PhoneResult
from scripts.load.report_figures import (
    KB,
    Row,
    _mean,
    _ms,
    _pct,
    bare_load_cpu,
    bare_opens,
    bare_sends,
    bare_taps,
    bare_whole,
    first_visits,
    fmt,
    hub_mean,
    hub_per_refresh,
    ideas,
    idle_screen_cores,
    load_cpu_per_phone,
    load_reach,
    open_screens,
    opens,
    pages,
    per_screen,
    probe_reach,
    rate_limited,
    same_steps,
    screen_mb,
    sends,
)
from scripts.load.report_targets import targets
from scripts.load.run_config import Config, Figures, Results

# -- tables --------------------------------------------------------------------------------------


def rows(results: Results) -> list[Row]:
    """Every figure of the run."""
    app, floor, bare = results.app, results.floor, results.bare

    def both(get: Callable[[Figures], float | None]) -> tuple[float | None, float | None]:
        return get(app), get(floor) if floor is not None else None

    def b(get: Callable[[BareFigures], float | None]) -> float | None:
        return get(bare) if bare is not None else None

    def visit(get: Callable[[PhoneResult], float], q: float) -> Callable[[Figures], float | None]:
        return lambda f: _pct([float(get(p)) for p in first_visits(f)], q)

    def step(name: str) -> Callable[[Figures], float | None]:
        return lambda f: _ms(f.calibration.cpu.get(name))

    def spread(
        label: str,
        detail: str,
        app_of: Callable[[Figures], list[float]],
        bare_of: Callable[[BareFigures], list[float]],
    ) -> list[Row]:
        """p50, p95 and max of one duration, for the app, the floor and the bare page."""
        rows = []
        for name, pick in (
            ("p50", lambda v: _pct(v, 50)),
            ("p95", lambda v: _pct(v, 95)),
            ("max", lambda v: max(v, default=None)),
        ):
            suffix = f" {detail}" if detail and name != "max" else ""
            rows.append(
                Row(
                    f"{label} {name}{suffix}",
                    "s",
                    *both(lambda f, pick=pick: pick(app_of(f))),
                    b(lambda x, pick=pick: pick(bare_of(x))),
                )
            )
        return rows

    reach_load, reach_probe = load_reach(app), probe_reach(app)
    return [
        *spread("Form open", "(page + files)", opens, bare_opens),
        Row("Page alone p95", "s", *both(lambda f: _pct(pages(f), 95))),
        *spread("Send → acknowledged", "", sends, bare_sends),
        Row("Ideas call p95 (thank-you page)", "s", *both(lambda f: _pct(ideas(f), 95))),
        Row(
            "Tap → rerun p95 (Streamlit only: the form's taps cost no request)",
            "s",
            None,
            None,
            b(lambda x: _pct(bare_taps(x), 95)),
        ),
        Row(
            "Server CPU per whole respondent (quiet, calibrated)",
            "ms",
            *both(lambda f: _ms(f.calibration.whole)),
            b(lambda x: _ms(bare_whole(x))),
            1,
        ),
        Row(
            "  the steps the floor has too (page + files + send)",
            "ms",
            _ms(same_steps(app, floor)[0]),
            _ms(same_steps(app, floor)[1]),
            None,
            1,
        ),
        Row(
            "  of which the page",
            "ms",
            *both(step("page")),
            b(lambda x: _ms(_mean(x.calibration_open))),
            1,
        ),
        Row(
            "  of which its files",
            "ms",
            *both(step("files")),
            b(lambda x: _ms(_mean(x.calibration_files))),
            1,
        ),
        Row(
            "  of which the send",
            "ms",
            *both(step("send")),
            b(lambda x: _ms(_mean(x.calibration_send))),
            1,
        ),
        Row("  of which the ideas call", "ms", *both(step("ideas")), None, 1),
        Row(
            "  taps (Streamlit: each a script run)",
            "ms",
            0.0,
            0.0,
            b(
                lambda x: (
                    _ms(x.interaction_cpu / len(x.calibration_cpu)) if x.calibration_cpu else None
                )
            ),
            1,
        ),
        Row(
            "Server CPU per phone in the load phase (app: with its screens)",
            "ms",
            *both(lambda f: _ms(load_cpu_per_phone(f))),
            b(lambda x: _ms(bare_load_cpu(x))),
            1,
        ),
        Row(
            "Server busy during the load phase",
            "cores",
            *both(lambda f: f.load.cores if f.load else None),
            b(lambda x: x.load.cores if x.load else None),
        ),
        Row(
            "First visit: bytes received p50",
            "KB",
            *both(visit(lambda p: p.received / KB, 50)),
            None,
            1,
        ),
        Row(
            "First visit: bytes received max",
            "KB",
            *both(lambda f: max((p.received / KB for p in first_visits(f)), default=None)),
            None,
            1,
        ),
        Row(
            "First visit: bytes sent max",
            "KB",
            *both(lambda f: max((p.sent / KB for p in first_visits(f)), default=None)),
            None,
            1,
        ),
        Row(
            "First visit: requests max",
            "requests",
            *both(lambda f: max((p.requests for p in first_visits(f)), default=None)),
            None,
            0,
        ),
        Row(
            "Replies 429 (rate limited)",
            "replies",
            *both(lambda f: float(rate_limited(f))),
            None,
            0,
        ),
        Row("Live screens open", "screens", float(open_screens(app)), None, None, 0),
        Row("New answer → live screens p50, load phase", "s", _pct(reach_load.delays, 50)),
        Row("New answer → live screens p95, load phase", "s", _pct(reach_load.delays, 95)),
        Row("New answer → live screens max, load phase", "s", max(reach_load.delays, default=None)),
        Row("  (answer, screen) pairs shown", "pairs", float(len(reach_load.delays)), digits=0),
        Row("  (answer, screen) pairs never shown", "pairs", float(reach_load.misses), digits=0),
        Row("New answer → live screens p95, quiet probes", "s", _pct(reach_probe.delays, 95)),
        Row("Server CPU per live screen opened on its stream", "ms", _ms(per_screen(app, False))),
        Row("Server CPU per live screen opened through its page", "ms", _ms(per_screen(app, True))),
        Row(
            "Live refreshes in the load phase (all replicas)",
            "refreshes",
            app.hub_load.get("refreshes"),
            digits=0,
        ),
        Row("  summary computed, mean per refresh", "ms", hub_mean(app, "summary_seconds")),
        Row(
            "  payloads built per refresh (language × screen kind)",
            "payloads",
            hub_per_refresh(app, "payloads"),
            digits=1,
        ),
        Row("  payload built, mean", "ms", hub_mean(app, "payload_seconds", "payloads")),
        Row("  pushes to screens", "events", app.hub_load.get("pushes"), digits=0),
        Row("Idle screens, all together", "cores", idle_screen_cores(app)),
        Row("Memory per open screen", "MB", screen_mb(app)),
        Row(
            "Server memory at start",
            "MB",
            *both(lambda f: f.baseline_rss),
            b(lambda x: x.baseline_rss),
            0,
        ),
        Row(
            "Server memory peak in the load phase",
            "MB",
            *both(lambda f: f.load_peak_rss),
            b(lambda x: x.load_peak_rss),
            0,
        ),
    ]


def answer_rows(results: Results) -> list[tuple[str, str, str, str]]:
    """Answers acknowledged, stored, lost, doubled, for each server."""

    def phone_side(f: Figures | None) -> dict[str, str]:
        if f is None:
            return {}
        r = f.reconciliation
        everyone = [*f.warm, *f.phones, *f.probes, *f.browser_phones]
        twice = [p for p in f.phones if p.resend]
        return {
            "acknowledged (200 stored or duplicate)": str(r.acknowledged),
            "stored": str(r.stored),
            "lost (acknowledged, not stored)": str(len(r.lost)),
            "doubled (stored twice)": str(len(r.doubled)),
            "acknowledged ids not stored under the id the phone's secret gives": (
                f"{len(r.missing_ids)} of {r.ids_checked}"
            ),
            "stored without an acknowledgement": str(len(r.unacknowledged_stored)),
            "stored, not from this run": str(r.unattributed),
            "phones without an acknowledgement": str(
                sum(not p.acknowledged for p in everyone) + f.calibration.failed
            ),
            "phones that sent twice (lost reply / resent after it)": (
                f"{sum(p.resend == 'lost' for p in twice)} / "
                f"{sum(p.resend == 'again' for p in twice)}"
            ),
            "  their second reply: duplicate": str(
                sum(p.status == "duplicate" for p in twice if p.resend == "lost")
                + sum(p.resend_status.endswith("duplicate") for p in twice if p.resend == "again")
            ),
        }

    def bare_side(x: BareFigures | None) -> dict[str, str]:
        if x is None:
            return {}
        r = x.reconciliation
        return {
            "acknowledged (200 stored or duplicate)": f"{r.acknowledged} (thank-you seen)",
            "stored": str(r.stored),
            "lost (acknowledged, not stored)": str(len(r.lost)),
            "doubled (stored twice)": str(len(r.doubled)),
            "stored without an acknowledgement": str(len(r.unacknowledged_stored)),
            "stored, not from this run": str(r.unattributed),
            "phones without an acknowledgement": str(
                sum(not p.acknowledged for p in x.respondents)
            ),
        }

    app, floor, bare = (
        phone_side(results.app),
        phone_side(results.floor),
        bare_side(results.bare),
    )
    return [(k, v, floor.get(k, "–"), bare.get(k, "–")) for k, v in app.items()]


def render(results: Results, config: Config, markdown: bool = False) -> str:
    """The whole report."""
    lines: list[str] = []
    head = ("Figure", "Unit", "App", "Floor", "App / floor", "Bare Streamlit", "App / bare")
    table = [
        (
            r.name,
            r.unit,
            fmt(r.app, r.digits),
            fmt(r.floor, r.digits),
            fmt(Row.ratio(r.app, r.floor)),
            fmt(r.bare, r.digits),
            fmt(Row.ratio(r.app, r.bare)),
        )
        for r in rows(results)
    ]
    answers_head = ("Answers", "App", "Floor", "Bare Streamlit")
    goal_head = ("Target (issue 21)", "Measured", "Verdict")
    goals = targets(results, config)
    lines += ["", "### Targets" if markdown else "== Targets (issue 21) ==", ""]
    if markdown:
        lines.extend(_table(goal_head, goals, markdown))
    else:
        for goal, measured, verdict in goals:
            lines += [f"- {goal}", f"    {measured}", f"    -> {verdict}"]
    for title, header, body in (
        ("Figures", head, table),
        ("Answers", answers_head, answer_rows(results)),
    ):
        lines.append("")
        lines.append(f"### {title}" if markdown else f"== {title} ==")
        lines.append("")
        lines.extend(_table(header, body, markdown))
    notes = run_notes(results)
    if notes:
        lines.append("")
        lines.append("### Notes" if markdown else "== Notes ==")
        lines.append("")
        lines.extend(f"- {n}" for n in notes)
    return "\n".join(lines)


def run_notes(results: Results) -> list[str]:
    """What went wrong or needs saying about the run."""
    notes: list[str] = []
    for f in (results.app, results.floor):
        if f is None:
            continue
        notes += [f"{f.name}: {n}" for n in f.notes]
        everyone = [*f.warm, *f.phones, *f.probes, *f.browser_phones]
        errors = sorted({p.error for p in everyone if p.error})
        if errors:
            notes.append(f"{f.name}: phone errors: " + " | ".join(e[:200] for e in errors[:5]))
        screen_errors = sorted({s.error for s in f.screens if s.error})
        if screen_errors:
            notes.append(
                f"{f.name}: screen errors: " + " | ".join(e[:200] for e in screen_errors[:5])
            )
        reconnects = sum(s.reconnects for s in f.screens)
        if reconnects:
            notes.append(f"{f.name}: live streams reopened {reconnects} times (as EventSource)")
        for p in f.browser_phones:
            verdict = "acknowledged" if p.acknowledged else f"NOT acknowledged ({p.error})"
            notes.append(
                f"{f.name}: Chromium phone on {p.entry}: {verdict}; "
                f"send → thank-you {fmt(p.send_seconds)} s; {p.requests} requests before send"
            )
        if f.load is not None:
            notes.append(
                f"{f.name}: the load generator used {f.load.own / max(f.load.wall, 1e-9):.2f} "
                "cores during the load phase (same machine)"
            )
        if f.load_average:
            notes.append(f"{f.name}: load average at start / end: " + " / ".join(f.load_average))
    bare = results.bare
    if bare is not None:
        notes += [f"bare: {n}" for n in bare.notes]
        if len(bare.respondents) < bare.asked:
            notes.append(
                f"bare: {len(bare.respondents)} respondents, not {bare.asked}: the bare Streamlit "
                "page is capped (--bare-respondents); its per-respondent figures compare, its "
                "latencies are at that smaller size"
            )
        errors = sorted({r.error for r in bare.respondents if r.error})
        if errors:
            notes.append("bare: respondent errors: " + " | ".join(e[:200] for e in errors[:5]))
        if bare.load_average:
            notes.append("bare: load average at start / end: " + " / ".join(bare.load_average))
    return notes


def _table(header: tuple[str, ...], body: list[tuple[str, ...]], markdown: bool) -> list[str]:
    if markdown:
        out = ["| " + " | ".join(header) + " |"]
        out.append(
            "| " + " | ".join("---" if i == 0 else "---:" for i in range(len(header))) + " |"
        )
        out += ["| " + " | ".join(row) + " |" for row in body]
        return out
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=False)]
    fmt_line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return [fmt_line.format(*header)] + [fmt_line.format(*row) for row in body]
