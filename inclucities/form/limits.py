"""Rate limits for what respondents send: a token bucket per device and one per network address.

A device is the browser's respondent cookie; an address is what `inclucities.network`
reports (a venue's Wi-Fi often puts a whole room behind one address, so the address limit is
a room's worth). Buckets live in memory, per process, and are forgotten oldest first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """`burst` requests at once, then `per_second` requests every second."""

    burst: float
    per_second: float


# A phone sends its answers once, perhaps again after a lost connection, then up to three
# supports and a few idea refreshes: twenty at once and one every three seconds is plenty.
DEVICE = Limit(burst=20, per_second=1 / 3)
# A room of 1,000 phones behind one Wi-Fi address, each sending about five requests in a minute.
ADDRESS = Limit(burst=600, per_second=100)
# Supporting, on top of the form's own budget: three ideas and a few retries or changes of mind.
SUPPORT_DEVICE = Limit(burst=10, per_second=1 / 6)
# Withdrawing answers by a receipt code: a person types their code once or twice.
WITHDRAW_DEVICE = Limit(burst=5, per_second=1 / 60)
WITHDRAW_ADDRESS = Limit(burst=60, per_second=1)
MAX_KEYS = 50_000  # buckets kept; the least recently used go first


class RateLimiter:
    """Token buckets keyed by any string; thread-safe."""

    def __init__(
        self, limit: Limit, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS
    ) -> None:
        self.limit = limit
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Take one request for `key`: 0.0 when allowed, else the seconds until it would be."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.limit.burst, now))
            tokens = min(self.limit.burst, tokens + (now - last) * self.limit.per_second)
            waited = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                waited = (1 - tokens) / self.limit.per_second
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return waited


@dataclass
class Limits:
    """The two limits every answers request passes."""

    device: RateLimiter
    address: RateLimiter

    @classmethod
    def default(cls) -> Limits:
        return cls(RateLimiter(DEVICE), RateLimiter(ADDRESS))

    @classmethod
    def for_supports(cls) -> Limits:
        """Supporting ideas, charged on top of `default` (the form's budget)."""
        return cls(RateLimiter(SUPPORT_DEVICE), RateLimiter(ADDRESS))

    @classmethod
    def for_withdrawals(cls) -> Limits:
        """Withdrawing answers by receipt code (the privacy page)."""
        return cls(RateLimiter(WITHDRAW_DEVICE), RateLimiter(WITHDRAW_ADDRESS))

    def wait(self, device: str | None, address: str | None) -> float:
        """Seconds this request must wait (0.0: go ahead); both buckets are charged."""
        waits = [0.0]
        if device:
            waits.append(self.device.wait(device))
        if address:
            waits.append(self.address.wait(address))
        return max(waits)
