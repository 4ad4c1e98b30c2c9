"""The deployment's proxy (deploy/Caddyfile, run by Caddy) passes live screens' events through.

A live screen's browser asks for its event stream with `Accept-Encoding: gzip`, as every browser
does. Caddy's `encode gzip` used to hold those events in its compressor, so screens behind it
froze; this runs the real Caddy with the project's Caddyfile in front of the real app and reads
the stream as a browser would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil

from scripts.load.deployment import start_caddy, stop_caddy
from scripts.load.http import Connection
from scripts.load.viewer import EventParser
from scripts.support.browser_utils import free_port, running_server
from tests.async_utils import run_coroutine
from tests.conftest import require_program

STREAM = "/live/resident/events?lang=fr&mode=results"


def _require_caddy() -> str:
    return require_program(
        shutil.which("caddy"), "Caddy is not installed (apt-get install caddy); .ci/run installs it"
    )


async def _first_summary(port: int, seconds: float) -> dict:
    """The first `summary` event of the stream (gzip accepted, as browsers do)."""
    connection = Connection("127.0.0.1", port)
    parser = EventParser()
    found: asyncio.Future[dict] = asyncio.get_running_loop().create_future()

    def on_data(chunk: bytes) -> None:
        for name, data in parser.feed(chunk):
            if name == "summary" and not found.done():
                found.set_result(json.loads(data))

    reading = asyncio.ensure_future(
        connection.stream(STREAM, on_data, headers=[("Accept", "text/event-stream")])
    )
    try:
        # the app sends its first summary at once; a buffering proxy sends nothing for minutes
        return await asyncio.wait_for(found, seconds)
    finally:
        reading.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reading


def test_live_events_pass_through_the_deploy_proxy_to_a_browser_that_accepts_gzip(tmp_path):
    _require_caddy()
    with running_server(tmp_path / "app.duckdb") as server:
        port = free_port()
        proxy = start_caddy(port, [f"127.0.0.1:{server.port}"], tmp_path)
        try:
            summary = run_coroutine(_first_summary(port, 30.0))
        finally:
            stop_caddy(proxy)
    assert summary["type"] == "summary"
    assert summary["total"] == 0
