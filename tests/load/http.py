"""A small asyncio HTTP/1.1 client (h11): page assets with keep-alive, and event streams."""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import h11

BROWSER_HEADERS = [
    ("User-Agent", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/141 Mobile"),
    ("Accept-Encoding", "gzip, deflate, br"),
    ("Accept-Language", "en"),
]
CONNECTIONS_PER_HOST = 6  # what a browser opens to one origin over HTTP/1.1


@dataclass
class Response:
    """Status, headers (lower-case names) and body of one GET."""

    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Connection:
    """One keep-alive HTTP/1.1 connection."""

    host: str
    port: int
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    conn: h11.Connection = field(default_factory=lambda: h11.Connection(h11.CLIENT))

    async def _ensure(self) -> None:
        """Connect, or reconnect after the server closed the previous cycle."""
        if self.writer is None or self.conn.our_state is not h11.IDLE:
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.conn = h11.Connection(h11.CLIENT)

    async def _next_event(self) -> object:
        """The next h11 event, reading from the socket as needed."""
        assert self.reader is not None
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(65536)
                self.conn.receive_data(data)
                continue
            return event

    async def get(self, target: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
        """GET `target` (a path with its query) and read the whole body. A kept-alive
        connection the server closed meanwhile is reopened once, as browsers do for a GET."""
        reused = self.writer is not None
        try:
            return await self._get(target, headers)
        except (h11.ProtocolError, ConnectionError, OSError):
            await self.close()
            if not reused:
                raise
            return await self._get(target, headers)

    async def _get(self, target: str, headers: Iterable[tuple[str, str]]) -> Response:
        await self._ensure()
        assert self.writer is not None
        request = h11.Request(
            method="GET",
            target=target,
            headers=[("Host", f"{self.host}:{self.port}"), *BROWSER_HEADERS, *headers],
        )
        self.writer.write(self.conn.send(request) + self.conn.send(h11.EndOfMessage()))
        await self.writer.drain()
        response: Response | None = None
        chunks: list[bytes] = []
        while True:
            event = await self._next_event()
            if isinstance(event, h11.Response):
                response = Response(
                    event.status_code,
                    {k.decode().lower(): v.decode("latin-1") for k, v in event.headers},
                )
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                break
        assert response is not None
        response.body = b"".join(chunks)
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
    ) -> Response:
        """GET a streaming response (server-sent events) and hand each decoded chunk to
        `on_data` until the server ends it or the task is cancelled."""
        await self._ensure()
        assert self.writer is not None
        request = h11.Request(
            method="GET",
            target=target,
            headers=[("Host", f"{self.host}:{self.port}"), *BROWSER_HEADERS, *headers],
        )
        self.writer.write(self.conn.send(request) + self.conn.send(h11.EndOfMessage()))
        await self.writer.drain()
        response: Response | None = None
        decoder: zlib._Decompress | None = None
        try:
            while True:
                event = await self._next_event()
                if isinstance(event, h11.Response):
                    response = Response(
                        event.status_code,
                        {k.decode().lower(): v.decode("latin-1") for k, v in event.headers},
                    )
                    if response.headers.get("content-encoding") == "gzip":
                        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
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
