"""The figures of a run as text (or Markdown tables for docs/capacity.md): each of the app's
figures beside the floor's and the bare Streamlit page's, with their ratios, then the answers
acknowledged and stored, then the targets of issue 21, met or not."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from tests.load.bare import BareFigures
from tests.load.measure import percentile
from tests.load.phones import PhoneResult
from tests.load.reach import Reach, reach
from tests.load.run import Config, Figures, Results

KB = 1000
TARGET_OPEN = 0.5  # s, form open p95 (page + files), 300 phones in 60 s, one process
TARGET_SEND = 0.5  # s, send → acknowledged p95, same
TARGET_CPU = 0.020  # s of server CPU per whole respondent
TARGET_FLOOR_RATIO = 3.0
TARGET_SEND_REPLICAS = 1.0  # s, send p95, 1,000 phones in 60 s, 2 replicas behind Caddy
TARGET_BYTES = 150 * KB
TARGET_REQUESTS = 10
TARGET_REACH = 1.0  # s, a new answer to 300 live screens, p95
FULL_PHONES, FULL_REPLICA_PHONES, FULL_SCREENS = 300, 1000, 300


@dataclass
class Row:
    """One figure for the app, the floor and the bare Streamlit page."""

    name: str
    unit: str
    app: float | None
    floor: float | None = None
    bare: float | None = None
    digits: int = 2

    @staticmethod
    def ratio(a: float | None, b: float | None) -> float | None:
        if a is None or b is None or b == 0 or math.isnan(a) or math.isnan(b):
            return None
        return a / b


def fmt(value: float | None, digits: int = 2) -> str:
    """A number for a table ('–' for none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _pct(values: list[float], q: float) -> float | None:
    return percentile(values, q)


def _ms(value: float | None) -> float | None:
    return None if value is None else 1000 * value


# -- what phones saw ------------------------------------------------------------------------------


def opens(f: Figures) -> list[float]:
    return [p.open_seconds for p in f.phones if p.open_seconds is not None]


def pages(f: Figures) -> list[float]:
    return [p.page_seconds for p in f.phones if p.page_seconds is not None]


def sends(f: Figures) -> list[float]:
    return [p.send_seconds for p in f.phones if p.acknowledged and p.send_seconds is not None]


def ideas(f: Figures) -> list[float]:
    return [p.ideas_seconds for p in f.phones if p.ideas_seconds is not None]


def first_visits(f: Figures) -> list[PhoneResult]:
    """Phones whose visit went as planned (no second send): what a first visit costs."""
    return [p for p in f.phones if p.acknowledged and not p.resend and p.attempts == 1]


def rate_limited(f: Figures) -> int:
    return sum(p.rate_limited for p in [*f.phones, *f.probes, *f.warm])


def load_reach(f: Figures) -> Reach:
    """Every answer of the load phase (first stored, outside a live session) to every screen."""
    acks = [
        (p.acknowledged_at, p.count)
        for p in f.phones
        if p.acknowledged_at is not None
        and p.count is not None
        and p.status == "stored"
        and p.session is None
    ]
    return reach(f.screens, acks)


def probe_reach(f: Figures) -> Reach:
    acks = [
        (p.acknowledged_at, p.count)
        for p in f.probes
        if p.acknowledged_at is not None and p.count is not None
    ]
    return reach(f.screens, acks)


def open_screens(f: Figures) -> int:
    """Screens that opened without error."""
    return sum(1 for s in f.screens if s.open_seconds is not None and s.error is None)


def load_cpu_per_phone(f: Figures) -> float | None:
    """Server CPU of the load phase per phone (the screens' pushes included for the app)."""
    return f.load.cpu / len(f.phones) if f.load and f.phones else None


def per_screen(f: Figures, pages: bool) -> float | None:
    """Server CPU per screen opened through the results page, or on its stream alone."""
    window = f.pages_open if pages else f.streams_open
    count = sum(
        1
        for s in f.screens
        if s.open_seconds is not None and s.error is None and (s.kind == "stream") != pages
    )
    return window.cpu / count if window is not None and count else None


def hub_mean(f: Figures, seconds: str, count: str = "refreshes") -> float | None:
    """Mean wall time of one hub step in the load phase (from the app's /metrics), ms."""
    n = f.hub_load.get(count)
    return 1000 * f.hub_load.get(seconds, 0.0) / n if n else None


def hub_per_refresh(f: Figures, what: str) -> float | None:
    n = f.hub_load.get("refreshes")
    return f.hub_load.get(what, 0.0) / n if n else None


def same_steps(app: Figures, floor: Figures | None) -> tuple[float | None, float | None]:
    """Calibrated server CPU of the steps the floor has too (page, files, send): app, floor."""
    if floor is None or not app.calibration.cpu or not floor.calibration.cpu:
        return None, None
    steps = [s for s in floor.calibration.cpu if s in app.calibration.cpu]
    return (
        sum(app.calibration.cpu[s] for s in steps),
        sum(floor.calibration.cpu[s] for s in steps),
    )


def idle_screen_cores(f: Figures) -> float | None:
    if f.idle is None:
        return None
    return max(0.0, f.idle.cores - f.calibration.quiet_cores)


def screen_mb(f: Figures) -> float | None:
    screens = open_screens(f)
    if not screens or not f.rss_after_screens:
        return None
    return (f.rss_after_screens - f.rss_before_screens) / screens


# -- the bare page -------------------------------------------------------------------------------


def bare_opens(b: BareFigures) -> list[float]:
    return [r.open_seconds for r in b.respondents if r.open_seconds is not None]


def bare_sends(b: BareFigures) -> list[float]:
    return [r.send_seconds for r in b.respondents if r.acknowledged and r.send_seconds is not None]


def bare_taps(b: BareFigures) -> list[float]:
    return [x for r in b.respondents for x in r.interactions]


def _mean(values: list[float]) -> float | None:
    """A mean, not a median: one /proc reading counts whole 10 ms ticks."""
    return sum(values) / len(values) if values else None


def bare_whole(b: BareFigures) -> float | None:
    return _mean(b.calibration_cpu)


def bare_load_cpu(b: BareFigures) -> float | None:
    return b.load.cpu / len(b.respondents) if b.load and b.respondents else None


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


def _verdict(ok: bool | None, qualifier: str = "") -> str:
    if ok is None:
        return "not measured" + qualifier
    return ("met" if ok else "NOT met") + qualifier


def targets(results: Results, config: Config) -> list[tuple[str, str, str]]:
    """The issue's figures to reach: (target, measured, verdict)."""
    app, floor = results.app, results.floor
    phones, replicas = len(app.phones), app.replicas
    one_process = replicas == 1
    scale = f"{phones} phones within {config.join_window:.0f} s"
    full = phones >= FULL_PHONES and config.join_window <= 60
    where = "one process" if one_process else f"{replicas} replicas on PostgreSQL behind Caddy"
    measured_at = "" if full and one_process else f" (measured at {scale}, {where})"
    if not one_process:
        measured_at = f" here, at {scale} on {where}: the target is for one process"
    out: list[tuple[str, str, str]] = []

    o95 = _pct(opens(app), 95)
    out.append(
        (
            "300 phones joining within 60 s, one process: form open p95 (page + files) ≤ 0.5 s",
            f"{fmt(o95)} s",
            _verdict(None if o95 is None else o95 <= TARGET_OPEN, measured_at),
        )
    )
    s95 = _pct(sends(app), 95)
    out.append(
        (
            "same: send → acknowledged p95 ≤ 0.5 s",
            f"{fmt(s95)} s",
            _verdict(None if s95 is None else s95 <= TARGET_SEND, measured_at),
        )
    )
    whole = app.calibration.whole
    floor_whole = floor.calibration.whole if floor is not None else None
    ratio = Row.ratio(whole, floor_whole)
    cpu_ok = (
        None
        if whole is None or (ratio is None and whole <= TARGET_CPU)  # no floor: half measured
        else whole <= TARGET_CPU and (ratio is not None and ratio <= TARGET_FLOOR_RATIO)
    )
    note = "" if one_process else f" ({where}: Caddy's and PostgreSQL's CPU included)"
    if ratio is None and cpu_ok is None and whole is not None:
        note += " (≤ 20 ms met; no floor in this run for the ratio: drop --no-floor)"
    same = same_steps(app, floor)
    out.append(
        (
            "server CPU per whole respondent (open + files + send, and any ideas call) ≤ 20 ms, "
            "and ≤ 3× the bare Starlette floor",
            f"{fmt(_ms(whole), 1)} ms; floor {fmt(_ms(floor_whole), 1)} ms: {fmt(ratio)} ×"
            + (
                f" (the floor has no ideas call; the steps it has, page + files + send: "
                f"{fmt(_ms(same[0]), 1)} ms, {fmt(Row.ratio(*same))} ×)"
                if same[0] is not None
                and floor_whole is not None
                and whole is not None
                and whole - same[0] >= 0.00005  # an ideas call the app's phones made
                else ""
            ),
            _verdict(cpu_ok, note),
        )
    )
    if not one_process:
        full_replicas = phones >= FULL_REPLICA_PHONES and config.join_window <= 60
        qualifier = "" if full_replicas and replicas == 2 else f" (measured at {scale}, {where})"
        out.append(
            (
                "1,000 phones within 60 s, 2 replicas on PostgreSQL behind Caddy: send p95 ≤ 1 s",
                f"{fmt(s95)} s",
                _verdict(None if s95 is None else s95 <= TARGET_SEND_REPLICAS, qualifier),
            )
        )
    else:
        out.append(
            (
                "1,000 phones within 60 s, 2 replicas on PostgreSQL behind Caddy: send p95 ≤ 1 s",
                "–",
                "not this run (`--replicas 2 --phones 1000`)",
            )
        )
    visits = first_visits(app)
    most_bytes = max((p.received + p.sent for p in visits), default=None)
    most_requests = max((p.requests for p in visits), default=None)
    out.append(
        (
            "phone's first visit, bytes on the wire / requests ≤ 150 KB / ≤ 10",
            f"{fmt(None if most_bytes is None else most_bytes / KB, 1)} KB / "
            f"{fmt(most_requests, 0)} requests (the largest of {len(visits)} first visits, "
            "both directions, headers included)",
            _verdict(
                None
                if most_bytes is None or most_requests is None
                else most_bytes <= TARGET_BYTES and most_requests <= TARGET_REQUESTS
            ),
        )
    )
    sizes = [("app", app), ("floor", floor)]
    parts, ok = [], True
    for name, f in sizes:
        if f is None:
            continue
        r = f.reconciliation
        without = sum(not p.acknowledged for p in [*f.phones, *f.probes, *f.warm])
        parts.append(
            f"{name}: {r.acknowledged} acknowledged, {r.stored} stored, {len(r.lost)} lost, "
            f"{len(r.doubled)} doubled, {len(r.missing_ids)} ids missing, {without} without ack"
        )
        ok = ok and not r.lost and not r.doubled and not r.missing_ids and without == 0
    out.append(
        (
            "answers acknowledged, stored, lost, doubled: 0 lost, 0 doubled, at every size",
            "; ".join(parts),
            _verdict(ok, f" (at {scale}, {where})"),
        )
    )
    found = load_reach(app)
    r95 = _pct(found.delays, 95)
    screens = open_screens(app)
    screen_note = "" if screens >= FULL_SCREENS else f" ({screens} screens, not 300)"
    out.append(
        (
            "a new answer reaches 300 live screens during the joining minute, p95 ≤ 1 s",
            f"p95 {fmt(r95)} s over {found.answers} answers × {found.screens} screens, "
            f"{found.misses} never shown",
            _verdict(
                None if r95 is None else r95 <= TARGET_REACH and not found.misses, screen_note
            ),
        )
    )
    return out


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
