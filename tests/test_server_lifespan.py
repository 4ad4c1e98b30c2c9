"""Issue 27: the server's shared objects end with it: its lifespan closes the store on shutdown."""

from __future__ import annotations

import signal
import threading
import urllib.request
from pathlib import Path

import duckdb

from scripts.support.browser_utils import start_server, stop_server


def test_a_stopped_server_closes_its_store_and_leaves_no_write_ahead_log(tmp_path: Path):
    db_path = tmp_path / "life.duckdb"
    server = start_server(db_path)
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=30) as reply:
            assert reply.status == 200  # a heartbeat row written: the store is open
        wal = Path(f"{db_path}.wal")
        assert wal.exists() and wal.stat().st_size > 0, "the write is in the log until a close"
    finally:
        stop_server(server)  # SIGTERM, as a service manager stops it
    # uvicorn shuts down gracefully, then raises the signal again: the exit status is SIGTERM's
    assert not wal.exists(), "the lifespan closed the store: its last checkpoint was written"
    with duckdb.connect(str(db_path), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM heartbeat").fetchone()[0] >= 1


def test_a_stop_ends_the_open_live_streams_so_the_server_exits_and_closes_its_store(
    tmp_path: Path,
):
    """uvicorn waits for every open response before the lifespan's shutdown: without the
    runtime's stop signal a live screen would hold the server (and its store) open forever."""
    db_path = tmp_path / "streams.duckdb"
    server = start_server(db_path)
    wal = Path(f"{db_path}.wal")
    try:
        urllib.request.urlopen(f"{server.url}/healthz", timeout=30).close()  # a write: a log
        assert wal.exists()
        stream = urllib.request.urlopen(f"{server.url}/live/resident/events?lang=en", timeout=30)
        assert stream.readline().startswith(b"retry:"), "the stream is open"
        reader = threading.Thread(target=stream.read, daemon=True)  # ends with the stream
        reader.start()
        server.process.send_signal(signal.SIGTERM)
        reader.join(timeout=30)  # a stream ends by itself only after 4 to 6 minutes
        assert not reader.is_alive(), "the stop did not end the live stream"
        server.process.wait(timeout=30)  # raises TimeoutExpired if the server hangs on
    finally:
        stop_server(server)
    assert not wal.exists(), "the lifespan ran: the store was closed"
