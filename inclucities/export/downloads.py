"""One-time download links of the admin's exports: issued by a page, served by a route."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

TOKEN_SECONDS = 10 * 60  # a link shown on the admin page stays usable this long


@dataclass(frozen=True)
class Download:
    """What one token serves: a file made on request by `produce` (which checks the admin)."""

    filename: str
    media_type: str
    produce: Callable[[], bytes]
    browser_key: str
    expires: float


class DownloadRegistry:
    """Tokens issued in this process (sticky sessions keep an admin on one replica)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._downloads: dict[str, Download] = {}
        self._lock = threading.Lock()

    def issue(
        self, filename: str, media_type: str, produce: Callable[[], bytes], browser_key: str
    ) -> str:
        """A fresh token for one download by the browser holding `browser_key`."""
        token = secrets.token_urlsafe(24)
        now = self._clock()
        with self._lock:
            self._downloads = {k: d for k, d in self._downloads.items() if d.expires > now}
            self._downloads[token] = Download(
                filename, media_type, produce, browser_key, now + TOKEN_SECONDS
            )
        return token

    def get(self, token: str) -> Download | None:
        with self._lock:
            download = self._downloads.get(token)
        if download is None or download.expires <= self._clock():
            return None
        return download

    def revoke(self, browser_key: str) -> None:
        """Forget every link of one admin browser (on sign-out)."""
        with self._lock:
            self._downloads = {
                k: d for k, d in self._downloads.items() if d.browser_key != browser_key
            }
