"""Storage faults for drills: a size-limited tmpfs to fill, and files made read-only under a
running process (`chattr +i`, which binds root too; on ext4, xfs or btrfs it also refuses writes
through files already open, which tmpfs does not, so that drill uses the ordinary disk).

Both need root (CI runs as root); elsewhere the drills skip locally and fail in CI.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def require_root() -> None:
    if os.geteuid() == 0 and shutil.which("mount") and shutil.which("chattr"):
        return
    message = "storage fault drills mount a small tmpfs and use chattr: they need root"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextlib.contextmanager
def small_disk(size: str = "16m") -> Iterator[Path]:
    """A fresh tmpfs of `size`, unmounted afterwards (whatever is left in it goes with it)."""
    require_root()
    folder = Path(tempfile.mkdtemp(prefix="inclucities-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        message = f"cannot mount a tmpfs: {mounted.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            set_immutable([path], False)
        set_immutable([folder], False)
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def fill_disk(folder: Path, name: str = "filler.bin") -> Path:
    """Write a file until the file system is full; returns it (delete it to free the space)."""
    filler = folder / name
    chunk = b"\0" * 65536
    with open(filler, "ab") as handle:
        try:
            while True:
                handle.write(chunk)
                handle.flush()
        except OSError:
            pass
    with contextlib.suppress(OSError), open(filler, "ab") as handle:  # small leftovers too
        try:
            while True:
                handle.write(b"\0" * 512)
                handle.flush()
        except OSError:
            pass
    return filler


def _unsupported(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_freezable(folder: Path) -> None:
    """Check that files in `folder` can be made read-only under an open writer."""
    require_root()
    probe = folder / ".freeze-probe"
    handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        os.write(handle, b"x")
        done = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, text=True)
        if done.returncode != 0:
            os.close(handle)
            probe.unlink()
            _unsupported(f"chattr +i is not supported here: {done.stderr.strip()}")
        try:
            os.write(handle, b"y")
            refused = False
        except OSError:
            refused = True
    finally:
        with contextlib.suppress(OSError):
            os.close(handle)
    set_immutable([probe], False)
    probe.unlink()
    if not refused:
        _unsupported("this file system lets open files be written after chattr +i")


def set_immutable(paths: list[Path], on: bool) -> None:
    """Make files (and folders: nothing can be created in them) read-only, even for root."""
    for path in paths:
        if path.exists():
            subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
