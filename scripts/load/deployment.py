"""What the load test runs against: one server as the README says, or replicas as docs/deploy.md.

One replica is `streamlit run <script>` on a DuckDB file (the quick start). Several replicas
are that same command started N times on one PostgreSQL database, behind Caddy with the
project's own `deploy/Caddyfile` (only its port and upstream addresses replaced): sticky
cookie, health checks, unbuffered streams. The harness then talks to Caddy only, as phones do.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.support.browser_utils import (
    ROOT,
    LiveServer,
    free_port,
    page_url,
    start_server,
    stop_server,
    wait_healthy,
)

CADDYFILE = ROOT / "deploy" / "Caddyfile"


@dataclass
class Deployment:
    """Where clients connect, and which processes do the work."""

    url: str
    servers: list[LiveServer]
    database_url: str | None = None  # PostgreSQL, when there are replicas
    caddy: subprocess.Popen[bytes] | None = None
    postgres: Any = None  # scripts.support.pg_server.PostgresServer
    extra_pids: list[int] = field(default_factory=list)  # Caddy, PostgreSQL

    @property
    def replicas(self) -> int:
        return len(self.servers)

    @property
    def app_pids(self) -> list[int]:
        """The Streamlit processes (memory per session is theirs)."""
        return [s.process.pid for s in self.servers]

    @property
    def pids(self) -> list[int]:
        """Every process that serves a phone: replicas, and Caddy and PostgreSQL with them."""
        return self.app_pids + self.extra_pids

    def page_url(self, path: str = "", **query: str) -> str:
        return page_url(self.url, path, **query)


def caddy_config(port: int, upstreams: list[str]) -> str:
    """deploy/Caddyfile listening on `port` and balancing over `upstreams` (host:port)."""
    text = CADDYFILE.read_text(encoding="utf-8")
    text, listens = re.subn(r"^:80 \{", f"http://127.0.0.1:{port} {{", text, flags=re.M)
    text, proxies = re.subn(
        r"reverse_proxy [^{\n]+\{", f"reverse_proxy {' '.join(upstreams)} {{", text
    )
    if listens != 1 or proxies != 1:
        raise RuntimeError(f"{CADDYFILE} changed shape: cannot set its port and upstreams")
    return text


def start_caddy(port: int, upstreams: list[str], workdir: Path) -> subprocess.Popen[bytes]:
    """Caddy with deploy/Caddyfile on `port`, once it answers the app's health check."""
    caddy = shutil.which("caddy")
    if caddy is None:
        raise RuntimeError("replicas need Caddy (apt-get install caddy), as docs/deploy.md says")
    config = workdir / "Caddyfile"
    config.write_text(caddy_config(port, upstreams), encoding="utf-8")
    log = (workdir / "caddy.log").open("ab")
    process = subprocess.Popen(
        [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    wait_healthy(f"http://127.0.0.1:{port}")
    return process


def _postmaster_pid(postgres: Any) -> int:
    return int((postgres.data / "postmaster.pid").read_text().split()[0])


def start_deployment(
    script: str, replicas: int, env: dict[str, str], workdir: Path, db_path: Path
) -> Deployment:
    """Start one server (DuckDB file) or `replicas` servers on PostgreSQL behind Caddy."""
    log = workdir / "server.log"
    if replicas <= 1:
        server = start_server(db_path, env, script=script, log=log)
        return Deployment(server.url, [server])
    shared = {**env, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    postgres, database_url = None, None
    if script == "app.py":  # the bare page keeps no database
        from scripts.support.pg_server import start_postgres

        # docs/deploy.md's settings: durable writes (fsync on), unlike the test suite's server
        postgres = start_postgres({"max_connections": "300"})
        database_url = postgres.url(postgres.create_database())
        shared["INCLUCITIES_DATABASE_URL"] = database_url
    with ThreadPoolExecutor(max_workers=replicas) as pool:
        servers = list(
            pool.map(
                lambda n: start_server(
                    db_path, shared, script=script, log=workdir / f"server{n}.log"
                ),
                range(replicas),
            )
        )
    port = free_port()
    caddy = start_caddy(port, [f"127.0.0.1:{s.port}" for s in servers], workdir)
    time.sleep(6)  # let Caddy's active health checks (every 5 s) run once before measuring
    return Deployment(
        f"http://127.0.0.1:{port}",
        servers,
        database_url=database_url,
        caddy=caddy,
        postgres=postgres,
        extra_pids=[caddy.pid] + ([_postmaster_pid(postgres)] if postgres else []),
    )


def stop_deployment(deployment: Deployment) -> None:
    """Stop the servers (so their last writes land), then Caddy; PostgreSQL stays for reading."""
    for server in deployment.servers:
        stop_server(server)
    if deployment.caddy is not None:
        stop_caddy(deployment.caddy)


def stop_caddy(process: subprocess.Popen[bytes]) -> None:
    """Ask Caddy to stop; it waits for open streams without end, so then make it."""
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
