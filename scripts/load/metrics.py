"""The app's own /metrics (Prometheus text) read from every replica, to say where the live
screens' time went during a phase: refreshes, summary and payload times, pushes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from scripts.load.http import Connection, split_url

HUB = {
    "refreshes": "inclucities_live_refreshes_total",
    "summary_seconds": "inclucities_summary_seconds_sum",
    "payloads": "inclucities_live_payload_build_seconds_count",
    "payload_seconds": "inclucities_live_payload_build_seconds_sum",
    "pushes": "inclucities_live_pushes_total",
    "connections": "inclucities_live_connections_total",
}


def parse(text: str) -> dict[str, float]:
    """`name{labels} value` lines, summed over label sets, by name."""
    found: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        name = name.split("{", 1)[0].strip()
        with contextlib.suppress(ValueError):
            found[name] = found.get(name, 0.0) + float(value)
    return found


async def scrape(urls: Iterable[str]) -> dict[str, float]:
    """The hub's counters, summed over the replicas (empty when /metrics cannot be read)."""
    total: dict[str, float] = {}
    for url in urls:
        host, port, _ = split_url(url)
        connection = Connection(host, port)
        try:
            response = await connection.get("/metrics")
        except OSError:
            continue
        finally:
            await connection.close()
        if response.status != 200:
            continue
        values = parse(response.text())
        for key, name in HUB.items():
            total[key] = total.get(key, 0.0) + values.get(name, 0.0)
    return total


def delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """What happened between two scrapes."""
    return {k: after[k] - before.get(k, 0.0) for k in after}
