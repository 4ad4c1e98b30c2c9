"""The figures of a run as text (or Markdown tables for docs/capacity.md), each app figure beside
the same figure for the bare page and their ratio, then the issue's targets, met or not."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from tests.load.measure import percentile
from tests.load.run import Config, Figures

MEMORY_BUDGET_MB = 24 * 1024


@dataclass
class Row:
    """One figure: its name, unit, value for the app and for the bare page."""

    name: str
    unit: str
    app: float | None
    bare: float | None
    digits: int = 2

    @property
    def ratio(self) -> float | None:
        """App / bare."""
        if self.app is None or self.bare is None or self.bare == 0:
            return None
        return self.app / self.bare


def _fmt(value: float | None, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _interactions(f: Figures) -> list[float]:
    return [x for r in f.respondents for x in r.interactions]


def _sends(f: Figures) -> list[float]:
    return [r.send_seconds for r in f.respondents if r.send_seconds is not None and r.acknowledged]


def _opens(f: Figures) -> list[float]:
    return [r.open_seconds for r in f.respondents if r.open_seconds is not None]


def _delays(f: Figures) -> list[float]:
    return [d for p in f.probes for d in p.delays]


def _presenter_delays(f: Figures) -> list[float]:
    return [d for p in f.probes for d in p.presenter_delays]


def open_screens(f: Figures) -> int:
    """Screens open during the viewer phase."""
    return sum(1 for v in f.viewers if v.open_seconds is not None and v.error is None)


def per_session_mb(f: Figures) -> float | None:
    """Server memory per open screen, MB."""
    screens = open_screens(f)
    if not screens or not f.rss_after_viewers:
        return None
    return (f.rss_after_viewers - f.rss_before_viewers) / screens


def sessions_to_budget(f: Figures) -> float | None:
    """Sessions at which the server would use 24 GB, at that memory per session."""
    per = per_session_mb(f)
    if not per or per <= 0:
        return None
    return (MEMORY_BUDGET_MB - f.baseline_rss) / per


def idle_cores(f: Figures) -> float | None:
    """Cores the server used while the screens sat idle (quiet server subtracted)."""
    if f.idle is None:
        return None
    return max(0.0, f.idle.cores - f.quiet_cores)


def _pct(values: list[float], q: float) -> float | None:
    return percentile(values, q)


def _screen(f: Figures, page: str) -> float | None:
    return f.calibration.screen_cpu.get(page)


def _max(values: list[float]) -> float | None:
    return max(values, default=None)


def _load_cores(f: Figures) -> float | None:
    return f.load.cores if f.load else None


def rows(app: Figures, bare: Figures | None) -> list[Row]:
    """Every figure of the run."""

    def both(get: Callable[[Figures], float | None]) -> tuple[float | None, float | None]:
        return get(app), get(bare) if bare is not None else None

    def cal(f: Figures, what: str) -> float | None:
        c = f.calibration
        if what == "interaction":
            return 1000 * c.interaction_cpu / c.interactions if c.interactions else None
        if what == "open":
            return _pct(c.open_cpu, 50)
        if what == "assets":
            return _pct(c.assets_cpu, 50)
        if what == "send":
            return _pct([1000 * x for x in c.send_cpu], 50)
        return None

    def per_respondent(f: Figures) -> float | None:
        return f.load.cpu / len(f.respondents) if f.load and f.respondents else None

    def per_viewer(f: Figures) -> float | None:
        cores, screens = idle_cores(f), open_screens(f)
        return 100 * cores / screens if cores is not None and screens else None

    def viewer_open(f: Figures) -> float | None:
        screens = open_screens(f)
        return f.viewer_open.cpu / screens if f.viewer_open and screens else None

    def from_send_p95(f: Figures) -> float | None:
        return _pct([d for p in f.probes for d in p.from_send], 95)

    def presenter_p95(f: Figures) -> float | None:
        return _pct(_presenter_delays(f), 95)

    def served(f: Figures) -> float | None:
        return 100 * f.idle_served / f.idle_requested if f.idle_requested else None

    def demand(f: Figures) -> float | None:
        cores = idle_cores(f)
        if cores is None or not f.idle_served:
            return None
        return cores * max(f.idle_requested, f.idle_served) / f.idle_served

    def reached(f: Figures) -> float | None:
        total = sum(len(p.delays) + p.missed for p in f.probes)
        return 100 * sum(len(p.delays) for p in f.probes) / total if total else None

    return [
        Row("Interaction latency p50", "s", *both(lambda f: _pct(_interactions(f), 50))),
        Row("Interaction latency p95", "s", *both(lambda f: _pct(_interactions(f), 95))),
        Row("Interaction latency max", "s", *both(lambda f: _max(_interactions(f)))),
        Row("Send → thank-you p50", "s", *both(lambda f: _pct(_sends(f), 50))),
        Row("Send → thank-you p95", "s", *both(lambda f: _pct(_sends(f), 95))),
        Row("Survey page open p50", "s", *both(lambda f: _pct(_opens(f), 50))),
        Row("Survey page open p95", "s", *both(lambda f: _pct(_opens(f), 95))),
        Row("Answer → visible on every screen p50", "s", *both(lambda f: _pct(_delays(f), 50))),
        Row("Answer → visible on every screen p95", "s", *both(lambda f: _pct(_delays(f), 95))),
        Row(
            "Answer → visible on every screen max",
            "s",
            *both(lambda f: max(_delays(f), default=None)),
        ),
        Row("Answer → visible on presenter screens p95", "s", *both(presenter_p95)),
        Row("Send pressed → visible on every screen p95", "s", *both(from_send_p95)),
        Row("Screens that showed each new answer", "%", *both(reached), 1),
        Row("Server CPU per respondent (load phase)", "s", *both(per_respondent)),
        Row(
            "Server busy during the load phase",
            "cores",
            *both(lambda f: f.load.cores if f.load else None),
        ),
        Row("Server CPU per survey page run (quiet)", "s", *both(lambda f: cal(f, "open"))),
        Row("Server CPU per survey page files (quiet)", "s", *both(lambda f: cal(f, "assets"))),
        Row("Server CPU per interaction (quiet)", "ms", *both(lambda f: cal(f, "interaction")), 0),
        Row("Server CPU per send (quiet)", "ms", *both(lambda f: cal(f, "send")), 0),
        Row(
            "Server CPU per results page load (quiet)", "s", *both(lambda f: _screen(f, "results"))
        ),
        Row(
            "Server CPU per presenter page load (quiet)",
            "s",
            *both(lambda f: _screen(f, "presenter")),
        ),
        Row("Server CPU while the screens opened, per screen", "s", *both(viewer_open)),
        Row("Idle screens, all together", "cores", *both(idle_cores)),
        Row("Idle screen, each", "% of a core", *both(per_viewer)),
        Row("Timed reruns served in the quiet window", "%", *both(served), 1),
        Row("Cores the idle screens would need (if all served)", "cores", *both(demand)),
        Row("Memory per open session", "MB", *both(per_session_mb)),
        Row("Sessions until 24 GB", "sessions", *both(sessions_to_budget), 0),
        Row("Server memory at start", "MB", *both(lambda f: f.baseline_rss), 0),
        Row("Server memory peak in the load phase", "MB", *both(lambda f: f.load_peak_rss), 0),
    ]


def answer_rows(f: Figures) -> list[tuple[str, int]]:
    """Answers acknowledged, stored, lost, doubled and what went wrong, for one server."""
    r = f.reconciliation
    failed = [x for x in f.respondents if not x.acknowledged]
    return [
        ("acknowledged (thank-you seen)", r.acknowledged),
        ("stored", r.stored),
        ("lost (acknowledged, not stored)", len(r.lost)),
        ("doubled (stored twice)", len(r.doubled)),
        ("stored without a thank-you", len(r.unacknowledged_stored)),
        ("stored, not from this run", r.unattributed),
        ("respondents who got no thank-you", len(failed)),
        ("screens asked for", len(f.viewers)),
        ("screens opened (without error)", open_screens(f)),
    ]


def targets(app: Figures, bare: Figures | None, config: Config) -> list[tuple[str, str, str]]:
    """The issue's figures to reach: (target, measured, verdict)."""
    out: list[tuple[str, str, str]] = []
    scale = (
        f"{len(app.respondents)} respondents joining within {config.join_window:.0f} s"
        if app.respondents
        else "no load phase"
    )
    full = len(app.respondents) >= 200 and config.join_window <= 60
    qualifier = "" if full else f" (measured at {scale}, not 200 in 60 s)"
    if app.replicas > 1:
        qualifier += f" ({app.replicas} replicas on PostgreSQL behind Caddy, not one process)"

    def verdict(ok: bool | None) -> str:
        if ok is None:
            return "not measured"
        return ("met" if ok else "NOT met") + qualifier

    p95 = _pct(_interactions(app), 95)
    out.append(
        (
            "p95 interaction latency ≤ 1 s",
            _fmt(p95, 2) + " s",
            verdict(None if p95 is None else p95 <= 1.0),
        )
    )
    s95 = _pct(_sends(app), 95)
    out.append(
        (
            "p95 send → thank-you ≤ 1.5 s",
            _fmt(s95, 2) + " s",
            verdict(None if s95 is None else s95 <= 1.5),
        )
    )
    r = app.reconciliation
    failed = sum(not x.acknowledged for x in app.respondents)
    ok = not r.lost and not r.doubled and failed == 0
    out.append(
        (
            "0 lost, 0 doubled (and every respondent acknowledged)",
            f"{len(r.lost)} lost, {len(r.doubled)} doubled, {failed} without thank-you",
            verdict(ok),
        )
    )
    screens = open_screens(app)
    cores = idle_cores(app)
    if cores is not None and app.idle_served and app.idle_requested > app.idle_served * 1.05:
        cores = cores * app.idle_requested / app.idle_served  # what serving them all would take
    screen_note = "" if screens >= 300 else f" (measured with {screens} screens, not 300)"
    measured = f"{_fmt(cores, 2)} cores for {screens} screens"
    if app.idle_requested > app.idle_served * 1.05:
        share = 100 * app.idle_served / max(app.idle_requested, 1)
        measured += f" (projected: the server kept up with only {share:.0f} % of their reruns)"
    out.append(
        (
            "300 idle screens ≤ 0.3 of a core",
            measured,
            ("not measured" if cores is None else ("met" if cores <= 0.3 else "NOT met"))
            + screen_note,
        )
    )
    d95 = _pct(_delays(app), 95)
    missed = sum(p.missed for p in app.probes)
    reach_ok = None if d95 is None else (d95 <= 2.0 and missed == 0)
    out.append(
        (
            "new answer on every screen within 2 s (p95)",
            f"p95 {_fmt(d95, 2)} s, {missed} screen misses",
            ("not measured" if reach_ok is None else ("met" if reach_ok else "NOT met"))
            + screen_note,
        )
    )
    ratio = None
    if bare is not None:
        a, b = app.calibration, bare.calibration
        if a.interactions and b.interactions and b.interaction_cpu:
            ratio = (a.interaction_cpu / a.interactions) / (b.interaction_cpu / b.interactions)
    out.append(
        (
            "survey CPU per interaction ≤ 1.5 × bare page",
            f"{_fmt(ratio, 2)} ×",
            "not measured" if ratio is None else ("met" if ratio <= 1.5 else "NOT met"),
        )
    )
    per = per_session_mb(app)
    out.append(
        (
            "memory per idle session, sessions until 24 GB",
            f"{_fmt(per, 2)} MB, {_fmt(sessions_to_budget(app), 0)} sessions",
            "reported" if per is not None else "not measured",
        )
    )
    return out


def render(app: Figures, bare: Figures | None, config: Config, markdown: bool = False) -> str:
    """The whole report."""
    lines: list[str] = []
    head = ("Figure", "Unit", "App", "Bare page", "App / bare")
    table = [
        (r.name, r.unit, _fmt(r.app, r.digits), _fmt(r.bare, r.digits), _fmt(r.ratio, 2))
        for r in rows(app, bare)
    ]
    answers_head = ("Answers", "App", "Bare page")
    bare_answers = dict(answer_rows(bare)) if bare is not None else {}
    answers = [(k, str(v), str(bare_answers.get(k, "–"))) for k, v in answer_rows(app)]
    goal_head = ("Target (issue 9)", "Measured", "Verdict")
    goals = targets(app, bare, config)
    for title, header, body in (
        ("Figures", head, table),
        ("Answers", answers_head, answers),
        ("Targets", goal_head, goals),
    ):
        lines.append("")
        lines.append(f"### {title}" if markdown else f"== {title} ==")
        lines.extend(_table(header, body, markdown))
    notes: list[str] = []
    for f in (app, bare):
        if f is not None:
            notes += figure_notes(f)
    if notes:
        lines.append("")
        lines.append("### Notes" if markdown else "== Notes ==")
        lines.extend(f"- {n}" for n in notes)
    return "\n".join(lines)


def figure_notes(f: Figures) -> list[str]:
    """What went wrong or needs saying about one server's run."""
    notes = [f"{f.name}: {n}" for n in f.notes]
    if f.unmatched:
        notes.append(f"{f.name}: widgets not matched to a question: " + ", ".join(f.unmatched))
    if f.streams:
        notes.append(f"{f.name}: event streams the screens followed: " + ", ".join(f.streams))
    errors = sorted({r.error for r in f.respondents if r.error})
    if errors:
        notes.append(f"{f.name}: respondent errors: " + " | ".join(e[:200] for e in errors[:5]))
    screen_errors = sorted({v.error for v in f.viewers if v.error})
    if screen_errors:
        notes.append(f"{f.name}: screen errors: " + " | ".join(e[:200] for e in screen_errors[:5]))
    missed = [m for p in f.probes for m in p.missed_screens]
    if missed:
        notes.append(f"{f.name}: screens that missed a probe: " + "; ".join(missed[:8]))
    if f.load is not None:
        share = f.load.own / max(f.load.wall, 1e-9)
        notes.append(
            f"{f.name}: the load generator used {share:.2f} cores during the load phase "
            "(same machine)"
        )
    if f.load_average:
        notes.append(
            f"{f.name}: machine load average at start / end: " + " / ".join(f.load_average)
        )
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
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return [fmt.format(*header)] + [fmt.format(*row) for row in body]
