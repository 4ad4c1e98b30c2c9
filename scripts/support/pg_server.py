"""A throwaway PostgreSQL server for tests, drills and the benchmark: its own data folder, a free
loopback port, started as an unprivileged user when run as root (PostgreSQL refuses root)."""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

UNPRIVILEGED_USER = "postgres"
SUPERUSER = "postgres"
FAST_SETTINGS = {  # a test server: losing it in a power cut costs nothing
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the server would not start (the message says which)."""


def bin_dir() -> Path:
    """The newest PostgreSQL's bin folder (Debian's /usr/lib/postgresql/<n>/bin, or PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bindir: Path
    run_as: list[str]
    options: dict[str, str] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def execute(self, sql: str, dbname: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.url(dbname), autocommit=True) as conn:
            cur = conn.execute(sql)
            return list(cur.fetchall()) if cur.description else []

    def create_database(self, name: str | None = None) -> str:
        name = name or "t_" + uuid.uuid4().hex[:16]
        self.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def pg_ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self) -> None:
        """Start (or start again, after `kill`) on the same port with the same settings."""
        flags = " ".join(f"-c {k}={v}" for k, v in self.options.items())
        log = self.folder / "server.log"
        started = self.pg_ctl(
            "-l", str(log), "-w", "-t", "60", "-o", f"-p {self.port} {flags}", "start"
        )
        if started.returncode != 0:
            tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
            raise PostgresUnavailable(f"PostgreSQL did not start: {started.stderr.strip()} {tail}")

    def kill(self) -> None:
        """Stop the server at once, as a crash or a lost network would (no shutdown)."""
        self.pg_ctl("-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        if self.data.exists():
            self.pg_ctl("-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres(settings: dict[str, str] | None = None) -> PostgresServer:
    """initdb a fresh cluster in a temporary folder and start it on a free loopback port.

    Raises PostgresUnavailable with the reason when that is not possible here.
    """
    bindir = bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="inclucities-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam(UNPRIVILEGED_USER)
        except KeyError as exc:
            raise PostgresUnavailable(f"no '{UNPRIVILEGED_USER}' user to run PostgreSQL") from exc
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", UNPRIVILEGED_USER, "--"]
    server = PostgresServer(folder, free_port(), bindir, run_as)
    init = subprocess.run(
        [
            *run_as,
            str(bindir / "initdb"),
            "-D",
            str(server.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-N",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
    server.options = {
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": "''",
        "max_connections": "200",
        **(FAST_SETTINGS if settings is None else settings),
    }
    try:
        server.start()
    except PostgresUnavailable:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    atexit.register(server.stop)  # also when the test run is interrupted
    return server
