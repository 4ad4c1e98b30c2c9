"""Issue 27: the server's shared objects end with it: its lifespan closes the store on shutdown."""

from __future__ import annotations

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
