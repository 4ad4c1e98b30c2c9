"""Run a coroutine to completion from a test, even when Playwright's loop runs in this thread."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a fresh thread.

    Playwright's session-wide sync browser keeps an event loop marked as running in the main
    thread, and `asyncio.run` refuses to start a second loop there. Tests that follow a browser
    test in the same pytest run would fail only when the whole suite runs, as in CI.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
