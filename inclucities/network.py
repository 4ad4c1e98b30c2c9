"""Where phones in the room can reach this app: the machine's network address (no Streamlit).

Streamlit prints a "Network URL" beside the local one; a presenter who opens the app on
`localhost` still needs that network address in the join link and QR code, because no phone
can open `127.0.0.1`. `join_base` decides which base URL the join link uses and why, so the
presenter screen can say so (or warn, with the fix, when phones cannot reach it).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from inclucities.share import base_url

# Where a UDP socket is "connected" to learn the local address the system would use for it.
# Connecting a UDP socket sends nothing, so this works offline as long as a route exists.
PROBES: tuple[str, ...] = ("8.8.8.8", "10.255.255.255", "172.31.255.255", "192.168.255.255")
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
CACHE_SECONDS = 10.0

JoinSource = Literal["configured", "request", "network", "loopback", "none"]


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str | None) -> bool:
    """`localhost`, 127.x.x.x or ::1 (only this machine can open such a link)."""
    if not host:
        return False
    name = host.strip().lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    address = _address(name)
    return bool(address and address.is_loopback)


def _usable(host: str) -> bool:
    address = _address(host)
    return bool(
        address
        and address.version == 4
        and not (address.is_loopback or address.is_link_local or address.is_unspecified)
    )


def _probe(target: str) -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect((target, 80))
        except OSError:
            return None
        host = str(sock.getsockname()[0])
    return host if _usable(host) else None


def _from_host_name() -> str | None:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    for info in infos:
        host = str(info[4][0])
        if _usable(host):
            return host
    return None


def find_network_address(probes: Iterable[str] = PROBES) -> str | None:
    """This machine's IPv4 address on its network, or None when it has only loopback."""
    for target in probes:
        found = _probe(target)
        if found:
            return found
    return _from_host_name()


_cache: tuple[float, str | None] = (float("-inf"), None)


def network_address() -> str | None:
    """`find_network_address`, remembered for a few seconds (a laptop may join Wi-Fi later)."""
    global _cache
    checked, value = _cache
    if time.monotonic() - checked > CACHE_SECONDS:
        value = find_network_address()
        _cache = (time.monotonic(), value)
    return value


@dataclass(frozen=True)
class JoinBase:
    """The base URL of join links, where it came from, and what phones need to reach it."""

    url: str | None
    source: JoinSource
    address: str | None = None  # the network address used (source "network")
    listens_locally: bool = False  # the server accepts connections from this machine only


def join_base(
    configured: str | None,
    request_url: str | None,
    page_paths: Iterable[str],
    *,
    network: str | None,
    listen_address: str | None = None,
    port: int | None = None,
) -> JoinBase:
    """Decide the join link's base URL.

    1. The configured public URL (INCLUCITIES_PUBLIC_URL) always wins.
    2. A page opened at a non-loopback address: that address (phones can open it too).
    3. A page opened on localhost (or no page at all): the machine's network address, with the
       page's scheme, port and path.
    4. No network address: the loopback URL, which the presenter screen flags as unusable.
    """
    local = is_loopback(listen_address)
    if configured and configured.strip():
        return JoinBase(base_url(configured, None), "configured")
    from_request = base_url(None, request_url, page_paths)
    parts = urlsplit(from_request) if from_request else None
    if parts is not None and parts.hostname and not is_loopback(parts.hostname):
        return JoinBase(from_request, "request", listens_locally=local)
    if network:
        if parts is not None and parts.hostname:
            netloc = f"{network}:{parts.port}" if parts.port else network
            url = urlunsplit((parts.scheme, netloc, parts.path, "", "")).rstrip("/")
        else:
            url = f"http://{network}:{port}" if port else f"http://{network}"
        return JoinBase(url, "network", address=network, listens_locally=local)
    if from_request:
        return JoinBase(from_request, "loopback", listens_locally=local)
    if port:
        return JoinBase(f"http://localhost:{port}", "loopback", listens_locally=local)
    return JoinBase(None, "none", listens_locally=local)


def visitor_address(
    peer: str | None, forwarded_for: str | None, trusted_proxies: Iterable[str] = ()
) -> str | None:
    """The visitor's address. X-Forwarded-For counts only when the socket's peer is one of the
    configured proxies; then the nearest hop that is not itself a trusted proxy (a client can
    write anything in front of what the proxy appends, so the first hop proves nothing)."""
    networks = [ipaddress.ip_network(text, strict=False) for text in trusted_proxies]

    def trusted(host: str) -> bool:
        address = _address(host)
        return address is not None and any(address in network for network in networks)

    if not forwarded_for or not peer or not trusted(peer):
        return peer or None
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not trusted(hop):
            return hop if _address(hop) is not None else peer
    return hops[0] if hops else peer
