"""A small asyncio HTTP/1.1 client (h11): keep-alive GETs and POSTs as a browser sends them,
the bytes each costs on the wire, and event streams."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import h11

BROWSER_HEADERS = [
    ("User-Agent", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/141 Mobile"),
    ("Accept-Encoding", "gzip, deflate, br"),
]
CONNECTIONS_PER_HOST = 6  # what a browser opens to one origin over HTTP/1.1


@dataclass
class Response:
    """Status, headers (lower-case names), body and Set-Cookie values of one request, and the
    bytes it took on the wire (request and response, headers included)."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    set_cookies: list[str] = field(default_factory=list)
    sent: int = 0
    received: int = 0

    def text(self) -> str:
        """The body decoded (gunzipped first when the server compressed it)."""
        body = self.body
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")


def _response(event: h11.Response) -> Response:
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in event.headers:
        key, text = name.decode().lower(), value.decode("latin-1")
        if key == "set-cookie":
            cookies.append(text)
        headers[key] = text
    return Response(event.status_code, headers, set_cookies=cookies)


@dataclass
class Connection:
    """One keep-alive HTTP/1.1 connection; `sent` and `received` count its bytes."""

    host: str
    port: int
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    conn: h11.Connection = field(default_factory=lambda: h11.Connection(h11.CLIENT))
    sent: int = 0
    received: int = 0
    opened: int = 0  # TCP connections made (a reconnect after the server closed one counts)
    language: str = "en"  # the browser's Accept-Language

    def _headers(self, extra: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        return [
            ("Host", f"{self.host}:{self.port}"),
            *BROWSER_HEADERS,
            ("Accept-Language", self.language),
            *extra,
        ]

    async def _ensure(self) -> bool:
        """Connect, or reconnect after the server closed the previous cycle or the idle
        socket (as a browser notices before reusing it). True when an open one is reused."""
        idle_closed = self.reader is not None and self.reader.at_eof()
        if self.writer is None or self.conn.our_state is not h11.IDLE or idle_closed:
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.conn = h11.Connection(h11.CLIENT)
            self.opened += 1
            return False
        return True

    async def _next_event(self) -> object:
        """The next h11 event, reading from the socket as needed."""
        assert self.reader is not None
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(65536)
                self.received += len(data)
                self.conn.receive_data(data)
                continue
            return event

    async def get(self, target: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
        """GET `target` (a path with its query) and read the whole body."""
        return await self.request("GET", target, headers)

    async def post(
        self, target: str, body: bytes, headers: Iterable[tuple[str, str]] = ()
    ) -> Response:
        """POST `body` to `target` and read the whole reply."""
        return await self.request("POST", target, headers, body)

    async def request(
        self,
        method: str,
        target: str,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        *,
        read_reply: bool = True,
    ) -> Response:
        """One request, its whole reply read. A kept-alive connection that fails before any
        byte of the reply came back is reopened once and the request sent again, as browsers
        do (for a POST too). With `read_reply=False` the request is sent and the connection
        dropped at once: a phone that lost its Wi-Fi before the reply came."""
        headers = list(headers)
        reused = await self._ensure()
        before = self.received
        try:
            return await self._exchange(method, target, headers, body, read_reply)
        except (h11.ProtocolError, ConnectionError, OSError):
            await self.close()
            if not reused or self.received > before:
                raise
            await self._ensure()
            return await self._exchange(method, target, headers, body, read_reply)

    async def _exchange(
        self,
        method: str,
        target: str,
        headers: list[tuple[str, str]],
        body: bytes,
        read_reply: bool,
    ) -> Response:
        assert self.writer is not None
        sent_before, received_before = self.sent, self.received
        all_headers = self._headers(headers)
        if method != "GET" or body:
            all_headers.append(("Content-Length", str(len(body))))
        data = self.conn.send(h11.Request(method=method, target=target, headers=all_headers))
        if body:
            data += self.conn.send(h11.Data(data=body))
        data += self.conn.send(h11.EndOfMessage())
        self.writer.write(data)
        self.sent += len(data)
        await self.writer.drain()
        if not read_reply:
            await self.close()
            return Response(0, {}, sent=len(data))
        response: Response | None = None
        chunks: list[bytes] = []
        while True:
            event = await self._next_event()
            if isinstance(event, h11.Response):
                response = _response(event)
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                break
        if response is None:
            raise _NoReply(f"{method} {target}: the server closed the connection")
        response.body = b"".join(chunks)
        response.sent = self.sent - sent_before
        response.received = self.received - received_before
        if self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE:
            self.conn.start_next_cycle()
        else:
            await self.close()
        return response

    async def stream(
        self,
        target: str,
        on_data: Callable[[bytes], None],
        headers: Iterable[tuple[str, str]] = (),
        on_response: Callable[[Response], None] | None = None,
    ) -> Response:
        """GET a streaming response (server-sent events) and hand each decoded chunk to
        `on_data` until the server ends it or the task is cancelled."""
        await self._ensure()
        assert self.writer is not None
        request = h11.Request(method="GET", target=target, headers=self._headers(headers))
        self.writer.write(self.conn.send(request) + self.conn.send(h11.EndOfMessage()))
        await self.writer.drain()
        response: Response | None = None
        decoder: zlib._Decompress | None = None
        try:
            while True:
                event = await self._next_event()
                if isinstance(event, h11.Response):
                    response = _response(event)
                    if response.headers.get("content-encoding") == "gzip":
                        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    if on_response is not None:
                        on_response(response)
                elif isinstance(event, h11.Data):
                    data = bytes(event.data)
                    on_data(decoder.decompress(data) if decoder else data)
                elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                    break
        finally:
            await self.close()
        return response or Response(0, {})

    async def close(self) -> None:
        """Close the socket (quietly)."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


class _NoReply(ConnectionError):
    """The server closed the connection before a reply began."""


def split_url(url: str) -> tuple[str, int, str]:
    """(host, port, path with query) of an http:// URL."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return parts.hostname or "127.0.0.1", parts.port or 80, target


async def fetch_all(
    host: str,
    port: int,
    targets: list[str],
    on_response: Callable[[str, Response], Awaitable[None] | None] | None = None,
) -> int:
    """GET every target over up to six keep-alive connections, as a browser with an empty
    cache loads a page's assets; returns the bytes received."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for target in targets:
        queue.put_nowait(target)
    received = 0

    async def worker() -> None:
        nonlocal received
        connection = Connection(host, port)
        try:
            while True:
                try:
                    target = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                response = await connection.get(target)
                received += len(response.body)
                if on_response is not None:
                    result = on_response(target, response)
                    if asyncio.iscoroutine(result):
                        await result
        finally:
            await connection.close()

    workers = min(CONNECTIONS_PER_HOST, len(targets))
    if workers:
        await asyncio.gather(*(worker() for _ in range(workers)))
    return received
