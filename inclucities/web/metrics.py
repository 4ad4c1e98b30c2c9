"""`/metrics` in the Prometheus text format: sessions, answers, summary time, live fan-out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from inclucities import runtime
from inclucities.live.hub import HubStats
from inclucities.results.payload import MODES
from inclucities.store import StoreUnavailable

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # gauge | counter | summary
    help: str
    samples: tuple[tuple[str, Mapping[str, str], float], ...]  # (suffix, labels, value)


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    escaped = (
        f'{key}="{value.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
        for key, value in sorted(labels.items())
    )
    return "{" + ",".join(escaped) + "}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render(metrics: Iterable[Metric]) -> str:
    """The exposition text: HELP and TYPE lines, then one line per sample."""
    lines: list[str] = []
    for metric in metrics:
        lines.append(f"# HELP {metric.name} {metric.help}")
        lines.append(f"# TYPE {metric.name} {metric.kind}")
        for suffix, labels, value in metric.samples:
            lines.append(f"{metric.name}{suffix}{_labels(labels)} {_number(value)}")
    return "\n".join(lines) + "\n"


def collect(
    *,
    sessions: int | None,
    answers: Mapping[str, int] | None,
    stats: HubStats,
    subscribers: Mapping[str, int],
    modes: Iterable[str],
) -> list[Metric]:
    metrics: list[Metric] = []
    if sessions is not None:
        metrics.append(
            Metric(
                "inclucities_sessions",
                "gauge",
                "Streamlit sessions (open browser tabs) on this server.",
                (("", {}, sessions),),
            )
        )
    metrics.append(
        Metric(
            "inclucities_database_up",
            "gauge",
            "1 when the answers database could be read for this scrape, else 0.",
            (("", {}, 0 if answers is None else 1),),
        )
    )
    if answers is not None:
        metrics.append(
            Metric(
                "inclucities_answers",
                "gauge",
                "Stored answers (submissions, not deleted) per survey.",
                tuple(("", {"survey": survey}, n) for survey, n in sorted(answers.items())),
            )
        )
    metrics += [
        Metric(
            "inclucities_summary_seconds",
            "summary",
            "Time to compute a survey's suppressed summary for the live screens.",
            (
                ("_sum", {}, stats.summary_seconds_total),
                ("_count", {}, stats.refreshes),
            ),
        ),
        Metric(
            "inclucities_summary_last_seconds",
            "gauge",
            "Time the latest summary took.",
            (("", {}, stats.summary_seconds_last),),
        ),
        Metric(
            "inclucities_live_payload_build_seconds",
            "summary",
            "Time to build one live payload (one language and screen kind, shared by its screens).",
            (
                ("_sum", {}, stats.build_seconds_total),
                ("_count", {}, stats.payloads_built),
            ),
        ),
        Metric(
            "inclucities_live_payload_bytes",
            "gauge",
            "Size of the latest live payload built.",
            (("", {}, stats.payload_bytes_last),),
        ),
        Metric(
            "inclucities_live_subscribers",
            "gauge",
            "Open live screens (server-sent event streams) by kind.",
            tuple(("", {"mode": mode}, subscribers.get(mode, 0)) for mode in modes),
        ),
        Metric(
            "inclucities_live_pushes_total",
            "counter",
            "Summaries handed to live screens (refresh fan-out: screens times refreshes).",
            (("", {}, stats.pushes),),
        ),
        Metric(
            "inclucities_live_refreshes_total",
            "counter",
            "Summary recomputations after a change of the data.",
            (("", {}, stats.refreshes),),
        ),
        Metric(
            "inclucities_live_polls_total",
            "counter",
            "Reads of the change token (one per watched survey and tick, whatever the audience).",
            (("", {}, stats.polls),),
        ),
        Metric(
            "inclucities_live_connections_total",
            "counter",
            "Live streams opened since the server started (reconnections included).",
            (("", {}, stats.connections_total),),
        ),
    ]
    return metrics


def _answers() -> dict[str, int] | None:
    try:
        store = runtime.get_store()
        return {survey: store.count(survey) for survey in runtime.survey_registry().surveys}
    except StoreUnavailable:
        return None


def metrics_endpoint(
    session_count: Callable[[], int] | None,
) -> Callable[[Request], Awaitable[Response]]:
    """The /metrics handler; `session_count` reads Streamlit's runtime (given by app.py)."""

    async def metrics(request: Request) -> Response:
        live = runtime.current().hub()
        sessions = None
        if session_count is not None:
            try:
                sessions = session_count()
            except Exception:  # the runtime may be starting or stopping
                sessions = None
        body = render(
            collect(
                sessions=sessions,
                answers=await run_in_threadpool(_answers),
                stats=live.stats,
                subscribers=live.subscriber_counts(),
                modes=MODES,
            )
        )
        return PlainTextResponse(body, media_type=CONTENT_TYPE)

    return metrics
