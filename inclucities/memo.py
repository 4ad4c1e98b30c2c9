"""A bounded, thread-safe memo for pure functions whose arguments cannot be hashed whole."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Results by key, the least recently used forgotten beyond `size`.

    Only for what a pure function derives from its key (rendered pages, chart specs, a
    translation): never for state, which belongs to `inclucities.runtime.Runtime`. A `make()`
    that raises stores nothing, so a later call tries again.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value for `key`, made by `make()` the first time (outside the lock: a race
        makes it twice, which is harmless for a pure function)."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        made = make()
        with self._lock:
            self._items[key] = made
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
