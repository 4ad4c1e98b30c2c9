"""The floor (scripts/loadtest_floor.py): started with uvicorn on a free port, one process, a
fresh DuckDB file; where its phones go, and the id it stores a submission under."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from scripts.load.deployment import Deployment
from scripts.support.browser_utils import ROOT, LiveServer, free_port, healthy_url, stop_server

SCRIPT = ROOT / "scripts" / "loadtest_floor.py"


def floor_entry(lang: str) -> str:
    """The floor's form page in one language (what its phones open)."""
    return f"/form?lang={lang}"


def floor_submission_id(secret: str) -> str:
    """The id the floor stores a submission under (`submission_id` of the floor's script)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:40]


def start_floor(db_path: Path, log: Path) -> Deployment:
    """`python -m uvicorn loadtest_floor:app` on a free loopback port, once it answers."""
    port = free_port()
    output = log.open("ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "loadtest_floor:app",
            "--app-dir",
            str(SCRIPT.parent),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "LOADTEST_FLOOR_DB": str(db_path)},
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    output.close()
    url = healthy_url(process, port)
    return Deployment(url, [LiveServer(url, port, db_path, process)])


def stop_floor(deployment: Deployment) -> None:
    """Stop it (its last INSERT is committed before its reply, so nothing is pending)."""
    for server in deployment.servers:
        stop_server(server)
