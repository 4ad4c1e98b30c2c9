"""Server-side figures read from /proc: CPU time (utime + stime) and resident memory."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


Pids = int | Sequence[int]  # one server process, or every process of a deployment


def _as_list(pids: Pids) -> list[int]:
    return [pids] if isinstance(pids, int) else list(pids)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in task.read_text().split()]
    return found


def _own_cpu(pid: int) -> float:
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text.rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3); utime is field 14, stime 15, cutime 16, cstime 17
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICKS


def _tree_cpu(pid: int) -> float:
    """The process's CPU, its reaped children's (cutime, cstime) and its live children's.

    PostgreSQL runs a process per connection: a backend still running counts through the
    walk, one that has exited through its parent's cutime/cstime, so nothing counts twice.
    """
    total = _own_cpu(pid)
    for child in _children(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += _tree_cpu(child)
    return total


def cpu_seconds(pids: Pids) -> float:
    """CPU time the processes (with their children) have used: utime+stime+cutime+cstime."""
    return sum(_tree_cpu(pid) for pid in _as_list(pids))


def rss_mb(pids: Pids) -> float:
    """Resident set size of the processes (not their children), in MB (VmRSS)."""
    total = 0.0
    for pid in _as_list(pids):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def own_cpu_seconds() -> float:
    """CPU time of this process (the load generator), to show what it took from the machine."""
    times = os.times()
    return times.user + times.system


@dataclass
class Window:
    """CPU and wall time of the server over one phase."""

    pid: Pids
    start_cpu: float = 0.0
    start_wall: float = 0.0
    start_own: float = 0.0
    cpu: float = 0.0
    wall: float = 0.0
    own: float = 0.0

    def __enter__(self) -> Window:
        import time

        self.start_cpu, self.start_wall = cpu_seconds(self.pid), time.perf_counter()
        self.start_own = own_cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        import time

        self.cpu = cpu_seconds(self.pid) - self.start_cpu
        self.wall = time.perf_counter() - self.start_wall
        self.own = own_cpu_seconds() - self.start_own

    @property
    def cores(self) -> float:
        """Average number of cores the server kept busy."""
        return self.cpu / self.wall if self.wall > 0 else 0.0


@dataclass
class Sampler:
    """Samples the server's RSS (and CPU use) every second while a phase runs."""

    pid: Pids
    interval: float = 1.0
    rss: list[float] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(OSError):
                self.rss.append(rss_mb(self.pid))
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        """Begin sampling."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop sampling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @property
    def peak(self) -> float:
        """Largest RSS seen, MB."""
        return max(self.rss) if self.rss else 0.0


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def machine() -> dict[str, str]:
    """CPU count and model, RAM, OS and the versions that matter, for docs/capacity.md."""
    import platform

    import duckdb
    import streamlit

    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ram = 0.0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    chromium = "not installed"
    with contextlib.suppress(Exception):
        import subprocess

        from scripts.support.browser_utils import chromium_path

        path = chromium_path()
        if path:
            chromium = subprocess.run(
                [path, "--version"], capture_output=True, text=True, timeout=20
            ).stdout.strip()
    return {
        "CPUs": str(os.cpu_count()),
        "CPU model": model,
        "RAM": f"{ram:.1f} GB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Streamlit": streamlit.__version__,
        "DuckDB": duckdb.__version__,
        "Chromium": chromium,
    }
