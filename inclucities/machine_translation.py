"""Machine translation of an idea for a moderator who cannot read it: a self-hosted LibreTranslate.

Off unless `libretranslate_url` is set. The request goes to that server alone (POST /translate,
LibreTranslate's HTTP API), never to a third party; the moderator sees the translation under the
original, which stays the text that is judged and published. A translation is kept in memory
(the same idea is not sent twice); a failure is not kept, so a later try can succeed.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Literal

from inclucities.memo import Memo

LOG = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
CACHE_SIZE = 1000
MAX_REPLY_BYTES = 1_000_000

Failure = Literal["timeout", "failed"]


class TranslationError(Exception):
    """The translation could not be had: the server did not answer in time, or failed."""

    def __init__(self, reason: Failure, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason: Failure = reason


@dataclass(frozen=True)
class LibreTranslate:
    """One LibreTranslate server: its base URL and, if it asks for one, its API key."""

    url: str
    api_key: str | None = None
    timeout: float = TIMEOUT_SECONDS

    def translate(self, text: str, source: str, target: str) -> str:
        """`text` from `source` into `target` (language codes such as fr, ar, uk), cached."""
        if source == target or not text.strip():
            return text
        key = (self.url, source, target, text)
        return _CACHE.get(key, lambda: self._request(text, source, target))

    def _request(self, text: str, source: str, target: str) -> str:
        body: dict[str, str] = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        request = urllib.request.Request(
            self.url.rstrip("/") + "/translate",
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                raw = reply.read(MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as exc:
            LOG.warning("LibreTranslate answered %s for %s -> %s", exc.code, source, target)
            raise TranslationError("failed", f"HTTP {exc.code}") from None
        except TimeoutError as exc:
            raise TranslationError("timeout", str(exc)) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TranslationError("timeout", str(exc.reason)) from None
            LOG.warning("LibreTranslate unreachable: %s", exc.reason)
            raise TranslationError("failed", str(exc.reason)) from None
        except OSError as exc:
            LOG.warning("LibreTranslate unreachable: %s", exc)
            raise TranslationError("failed", str(exc)) from None
        return _translated_text(raw)


def _translated_text(raw: bytes) -> str:
    """The `translatedText` of LibreTranslate's JSON reply."""
    if len(raw) > MAX_REPLY_BYTES:
        raise TranslationError("failed", "reply too large")
    try:
        reply = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TranslationError("failed", "reply is not JSON") from None
    translated = reply.get("translatedText") if isinstance(reply, dict) else None
    if not isinstance(translated, str):
        raise TranslationError("failed", "no translatedText in the reply")
    return translated


_CACHE: Memo[tuple[str, str, str, str], str] = Memo(CACHE_SIZE)


def clear_cache() -> None:
    """Forget every translation (tests, or after the server changes)."""
    _CACHE.clear()


def translator_from(url: str | None, api_key: str | None) -> LibreTranslate | None:
    """The configured server, or None when machine translation is off."""
    return LibreTranslate(url, api_key or None) if url else None
