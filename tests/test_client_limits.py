"""Limits on what a client sends (issue 23), against the real server on raw sockets: headers
sent slowly are cut off, oversized headers and cookies are refused, an oversized websocket frame
is refused from its header (not read whole), and a live websocket outlives the header timeout."""

from __future__ import annotations

import base64
import os
import socket
import struct
import time
from collections.abc import Iterator

import pytest

from inclucities.web.connections import (
    HEADER_TIMEOUT_SECONDS,
    MAX_COOKIE_BYTES,
    MAX_HEADER_BYTES,
    headers_too_large,
)
from scripts.support.browser_utils import LiveServer, running_server

MB = 1 << 20


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    with running_server(tmp_path_factory.mktemp("limits") / "limits.duckdb") as live:
        yield live


def _connect(server: LiveServer, timeout: float = 5) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def _get(server: LiveServer, extra: bytes = b"") -> bytes:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + extra + b"\r\n")
        return sock.recv(200)


def _rss_mb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        line = next(x for x in status if x.startswith("VmRSS"))
    return int(line.split()[1]) // 1024


def _websocket(server: LiveServer) -> socket.socket:
    sock = _connect(server)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: streamlit\r\n"
            f"Origin: http://127.0.0.1:{server.port}\r\n\r\n"
        ).encode()
    )
    assert b" 101 " in sock.recv(4096).split(b"\r\n")[0]
    return sock


def _frame_header(opcode: int, length: int) -> bytes:
    """A masked client frame header announcing `length` bytes (the mask key included)."""
    if length < 126:
        return bytes([0x80 | opcode, 0x80 | length]) + os.urandom(4)
    return bytes([0x80 | opcode, 0xFF]) + struct.pack("!Q", length) + os.urandom(4)


def test_headers_sent_slowly_are_cut_off_and_a_live_websocket_is_not(server):
    live = _websocket(server)
    slow = _connect(server, timeout=1)
    started = time.monotonic()
    slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
    closed_after = None
    for n in range(int(HEADER_TIMEOUT_SECONDS * 3)):
        try:
            slow.sendall(f"X-Slow-{n}: a\r\n".encode())  # never the blank line
            if slow.recv(100) == b"":
                closed_after = time.monotonic() - started
                break
        except TimeoutError:
            continue
        except OSError:
            closed_after = time.monotonic() - started
            break
    slow.close()
    assert closed_after is not None, "a slow-loris connection stayed open"
    assert HEADER_TIMEOUT_SECONDS - 1 <= closed_after <= HEADER_TIMEOUT_SECONDS + 3
    payload = b"still here"  # the websocket opened before is older than the timeout now
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    live.sendall(bytes([0x89, 0x80 | len(payload)]) + mask + masked)  # a ping
    deadline = time.monotonic() + 5
    seen = b""
    while payload not in seen and time.monotonic() < deadline:
        seen += live.recv(65536)
    live.close()
    assert payload in seen  # its pong came back


def test_oversized_headers_and_cookies_are_refused_with_431(server):
    assert _get(server, b"Cookie: a=" + b"x" * 2000 + b"\r\n").startswith(b"HTTP/1.1 200")
    cookie = b"Cookie: a=" + b"x" * (MAX_COOKIE_BYTES + 10) + b"\r\n"
    assert _get(server, cookie).startswith(b"HTTP/1.1 431")
    many = b"".join(b"X-Pad-%d: %s\r\n" % (n, b"y" * 1000) for n in range(20))
    assert _get(server, many).startswith(b"HTTP/1.1 431")
    huge = b"X-Huge: " + b"z" * (1 * MB) + b"\r\n"  # refused (431 or 400) or cut off, never read
    try:
        reply = _get(server, huge)
    except OSError:
        reply = b""
    assert not reply.startswith(b"HTTP/1.1 200")


def test_an_oversized_websocket_frame_is_refused_from_its_header(server):
    pid = server.process.pid
    before = _rss_mb(pid)
    sock = _websocket(server)
    sock.sendall(_frame_header(0x2, 150 * MB))
    chunk, sent = os.urandom(MB), 0
    with pytest.raises(OSError):  # reset or closed long before 150 MB
        while sent < 150:
            sock.sendall(chunk)
            sent += 1
        while sock.recv(65536):
            pass
        raise ConnectionResetError("closed")
    sock.close()
    assert sent < 16, f"{sent} MB were taken before the frame was refused"
    assert _rss_mb(pid) - before < 50


def test_the_header_limits_count_every_header_and_cookies_apart():
    assert not headers_too_large([(b"host", b"x"), (b"cookie", b"a=" + b"b" * 1000)])
    assert headers_too_large([(b"cookie", b"a" * (MAX_COOKIE_BYTES + 1))])
    assert headers_too_large(
        [(b"x-%d" % n, b"v" * 1000) for n in range(MAX_HEADER_BYTES // 1000 + 1)]
    )
