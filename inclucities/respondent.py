"""Who is answering, without knowing who: a random browser token and the submission id from it.

Each browser gets a random token in an HttpOnly cookie (set by `inclucities.web.respondent`).
A submission's id is a hash of that token, the survey and the live session (if any), so every
retry from the same browser (a reload, a server restart, a second tab, back and forward) is the
same id, and the store's primary key keeps the answer once. The token never travels in a link,
so someone who opens a shared link is a different respondent. The database holds only the
one-way hash, never the token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

COOKIE_NAME = "inclucities_respondent"
FORM_COOKIE_NAME = "inclucities_form"  # the form token, readable by the page's script
COOKIE_MAX_AGE = 90 * 24 * 3600  # seconds: long enough for a survey's life, then forgotten
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_LIVE_SESSION = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def new_token() -> str:
    """A fresh random respondent token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def valid_token(value: object) -> str | None:
    """The token if it has the shape this app gives out, else None (never trust a cookie)."""
    return value if isinstance(value, str) and _TOKEN.match(value) else None


def live_session(value: object) -> str | None:
    """A live-session id from a URL (a presenter's session), if it is a plain short id."""
    return value if isinstance(value, str) and _LIVE_SESSION.match(value) else None


def submission_id(token: str, survey_id: str, live: str | None = None) -> str:
    """The idempotency key of one respondent's answer to one survey (in one live session)."""
    material = "\x1f".join(("inclucities-submission-v1", token, survey_id, live or ""))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]


def cookie_header(token: str, secure: bool) -> str:
    """The Set-Cookie value: HttpOnly (scripts cannot read it), SameSite=Lax, whole site."""
    parts = [
        f"{COOKIE_NAME}={token}",
        f"Max-Age={COOKIE_MAX_AGE}",
        "Path=/",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def form_cookie_header(token: str, secure: bool) -> str:
    """The Set-Cookie value of the form token made from `token`: readable by the page's own
    script (which sends it back in a header), SameSite=Strict, whole site."""
    parts = [
        f"{FORM_COOKIE_NAME}={form_token(token)}",
        f"Max-Age={COOKIE_MAX_AGE}",
        "Path=/",
        "SameSite=Strict",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def form_token(token: str) -> str:
    """The anti-forgery token a page is given for the answers route: a one-way hash of the
    browser's HttpOnly respondent cookie. A page of another site can neither read the cookie
    nor this page, so it cannot present a matching pair (double-submit, without a secret)."""
    material = "\x1f".join(("inclucities-form-v1", token))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def form_token_matches(cookie: object, presented: object) -> bool:
    """Whether a request carries a well-formed cookie and the form token made from it."""
    token = valid_token(cookie)
    if token is None or not isinstance(presented, str):
        return False
    return secrets.compare_digest(form_token(token), presented)


DEVICE_SECRET = "session-devices"  # the server secret device marks are keyed with


def device_key(token: str, secret: bytes) -> str:
    """What a session with one answer per device keeps of a browser: its respondent cookie keyed
    with a server secret, so a stored mark cannot be matched to a cookie without that secret."""
    return hmac.new(secret, token.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
