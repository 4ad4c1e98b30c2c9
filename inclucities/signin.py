"""Who is signed in (the admin, a presenter): slow password checks and a signed, HttpOnly cookie.

A password is never compared by address. Wrong guesses only slow down checks for everybody (one
at a time, paced while many fail), so the owner with the right password waits seconds at worst
and is never refused; `python -m inclucities admin-link` prints a one-time link besides.

The cookie names a role and an expiry, signed with a key derived from that role's password:
changing a password signs out everyone who used it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache

COOKIE_NAME = "ic_signin"
MIN_PASSWORD_LENGTH = 12
LIFETIME = {"admin": timedelta(hours=8), "presenter": timedelta(hours=12)}
LINK_LIFETIME = timedelta(minutes=15)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 1024 * 1024}


class Role(StrEnum):
    """What a signed-in person may do: the admin everything, a presenter only the screens."""

    ADMIN = "admin"
    PRESENTER = "presenter"

    @property
    def actor(self) -> str:
        """How the audit log names the credential that acted."""
        return "admin password" if self is Role.ADMIN else "presenter passphrase"


def password_problem(password: str) -> str | None:
    """Why a configured password is too weak to put on a public server (None: it is fine)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters (a few words make a good one)"
    if len(set(password)) < 5:
        return "must not repeat the same few characters"
    return None


@lru_cache(maxsize=16)
def _derive(secret: str, purpose: str) -> bytes:
    """A slow, one-way key from a password (scrypt, about 50 ms): one per purpose."""
    salt = f"inclucities-{purpose}-v1".encode()
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **_SCRYPT)


def _slow_digest(candidate: str) -> bytes:
    """The same derivation for a typed password, never cached (each guess costs the same)."""
    salt = b"inclucities-verify-v1"
    return hashlib.scrypt(candidate.encode("utf-8"), salt=salt, **_SCRYPT)


@dataclass(frozen=True)
class Credentials:
    """The configured passwords, by role (a role without one cannot sign in)."""

    passwords: dict[Role, str]

    def match(self, candidate: str) -> Role | None:
        """The role whose password this is, checked in constant time (None: no match)."""
        if not candidate or not self.passwords:
            return None
        typed = _slow_digest(candidate)
        found: Role | None = None
        for role, password in self.passwords.items():
            if hmac.compare_digest(typed, _derive(password, "verify")) and found is None:
                found = role
        return found

    def key(self, role: Role) -> bytes | None:
        password = self.passwords.get(role)
        return _derive(password, "cookie") if password else None


@dataclass(frozen=True)
class SignedIn:
    """A valid sign-in: its role, when it ends, and its id (exports are tied to it)."""

    role: Role
    expires: float
    nonce: str

    @property
    def actor(self) -> str:
        return self.role.actor


def _mac(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def issue(
    credentials: Credentials,
    role: Role,
    now: float | None = None,
    lifetime: timedelta | None = None,
) -> str:
    """A cookie value for `role`, valid for its lifetime from `now`."""
    key = credentials.key(role)
    if key is None:
        raise ValueError(f"no password is configured for {role}")
    moment = time.time() if now is None else now
    expires = int(moment + (lifetime or LIFETIME[role]).total_seconds())
    payload = f"{role.value}.{expires}.{secrets.token_urlsafe(12)}"
    return f"{payload}.{_mac(key, payload)}"


def read(value: object, credentials: Credentials, now: float | None = None) -> SignedIn | None:
    """The sign-in a cookie value proves, or None (missing, forged, expired, password changed)."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    parts = value.split(".")
    if len(parts) != 4:
        return None
    role_name, expires_text, nonce, mac = parts
    try:
        role = Role(role_name)
        expires = int(expires_text)
    except ValueError:
        return None
    key = credentials.key(role)
    if key is None or not hmac.compare_digest(_mac(key, ".".join(parts[:3])), mac):
        return None
    if expires <= (time.time() if now is None else now):
        return None
    return SignedIn(role, float(expires), nonce)


def cookie_header(value: str, *, secure: bool, max_age: int) -> str:
    """The Set-Cookie value: scripts cannot read it, other sites cannot send it."""
    parts = [
        f"{COOKIE_NAME}={value}",
        f"Max-Age={max_age}",
        "Path=/",
        "HttpOnly",
        "SameSite=Strict",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def clearing_cookie_header(*, secure: bool) -> str:
    return cookie_header("", secure=secure, max_age=0)


def issue_link(credentials: Credentials, now: float | None = None) -> str:
    """A one-time admin sign-in token (the recovery link), valid for `LINK_LIFETIME`."""
    key = credentials.key(Role.ADMIN)
    if key is None:
        raise ValueError("no admin password is configured")
    moment = time.time() if now is None else now
    payload = f"link.{int(moment + LINK_LIFETIME.total_seconds())}.{secrets.token_urlsafe(12)}"
    return f"{payload}.{_mac(key, payload)}"


def read_link(value: object, credentials: Credentials, now: float | None = None) -> str | None:
    """The nonce of a valid, unexpired recovery token (the caller lets each nonce in once)."""
    if not isinstance(value, str) or len(value) > 200 or not value.startswith("link."):
        return None
    parts = value.split(".")
    key = credentials.key(Role.ADMIN)
    if len(parts) != 4 or key is None:
        return None
    if not hmac.compare_digest(_mac(key, ".".join(parts[:3])), parts[3]):
        return None
    try:
        expires = int(parts[1])
    except ValueError:
        return None
    return parts[2] if expires > (time.time() if now is None else now) else None
