"""Start the real app with `streamlit run app.py` and drive it with Playwright in Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
TEST_ADMIN_PASSWORD = "correct horse battery staple"
TEST_PRESENTER_PASSWORD = "the room is ours tonight"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}  # a projector or a big screen in a room


def chromium_path() -> str | None:
    """Debian's Chromium, or None when it is not installed."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """A running `streamlit run app.py` on loopback."""

    url: str
    port: int
    db_path: Path
    process: subprocess.Popen

    def page_url(self, path: str = "", **query: str) -> str:
        return page_url(self.url, path, **query)


def page_url(base: str, path: str = "", **query: str) -> str:
    """A page of the app at `base` (scheme://host:port), with its query."""
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"{base}/{path}" + (f"?{params}" if params else "")


def wait_healthy(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app at {url} did not become healthy within {timeout} s")


def healthy_url(process: subprocess.Popen, port: int) -> str:
    """The loopback URL of a server just started on `port`, once it answers its health check;
    the process is killed if it never does."""
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
    except RuntimeError:
        process.kill()
        raise
    return url


# a venue's server names who holds the answers and why (without it no session starts)
PRIVACY_NOTICE_ENV = {
    "INCLUCITIES_CONTROLLER_NAME": "Ville de Malines, service Intégration",
    "INCLUCITIES_CONTROLLER_CONTACT": "privacy@example.org",
    "INCLUCITIES_LEGAL_BASIS": "public_task",
}


def start_server(
    db_path: Path,
    extra_env: dict[str, str] | None = None,
    root: Path = ROOT,
    address: str = "127.0.0.1",
    port: int | None = None,
    script: str = "app.py",
    log: Path | None = None,
) -> LiveServer:
    """Run the app exactly as the README says, on a free port, with its own database file.

    `root` is the project tree to run from (a copy, for drills that break a file); `address`
    is where it listens ("0.0.0.0": on the network too, as at a venue); `port` reuses a port
    (a restart); `script` another Streamlit script run the same way (the load test's bare
    page); `log` a file for the server's output.
    """
    port = port or free_port()
    env = {
        **os.environ,
        "INCLUCITIES_DB_PATH": str(db_path),
        "INCLUCITIES_ADMIN_PASSWORD": TEST_ADMIN_PASSWORD,
        "INCLUCITIES_PRESENTER_PASSWORD": TEST_PRESENTER_PASSWORD,
        "INCLUCITIES_REFRESH_SECONDS": "2",
        **PRIVACY_NOTICE_ENV,
        **(extra_env or {}),
    }
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.port",
            str(port),
            "--server.address",
            address,
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=root,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
    )
    if log is not None:
        output.close()  # the child has its own copy
    return LiveServer(url=healthy_url(process, port), port=port, db_path=db_path, process=process)


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@contextmanager
def running_server(db_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    server = start_server(db_path, extra_env)
    try:
        yield server
    finally:
        stop_server(server)


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has rendered the page's main heading and finished running."""
    page.wait_for_selector("h1", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )
