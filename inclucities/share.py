"""Survey join links and their QR codes; the QR always encodes exactly the link shown.

A join code is four characters that name one survey in one language (`/j/<code>` opens it):
short enough to read off a projector and type on a phone, and it makes the QR code coarse,
so it scans from the back of the room.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno

from inclucities.palette import PALETTE

FORM_PATH = "answer"  # the light survey form: /answer/<survey>?lang=<code>
LANG_PARAM = "lang"
QR_ERROR_LEVEL = "m"
JOIN_PATH = "j"
# No 0/O, 1/I/L: a code read off a screen is typed without guessing.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 4
CODE_PATTERN = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def base_url(
    configured: str | None,
    request_url: str | None,
    page_paths: Iterable[str] = (),
) -> str | None:
    """The app's public root: the configured URL, else the current request's URL minus its page."""
    if configured and configured.strip():
        return configured.strip().rstrip("/")
    if not request_url:
        return None
    parts = urlsplit(request_url)
    path = parts.path.rstrip("/")
    segments = path.split("/")
    if segments and segments[-1] in set(page_paths):
        path = "/".join(segments[:-1])
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")


def join_link(base: str, survey_id: str, lang: str) -> str:
    """The link that opens one survey's light form in one language."""
    query = urlencode({LANG_PARAM: lang})
    return f"{base.rstrip('/')}/{FORM_PATH}/{survey_id}?{query}"


def join_code_for(survey_id: str, lang: str) -> str:
    """The short code of one survey in one language (stable across restarts and machines)."""
    digest = int.from_bytes(hashlib.sha256(f"{survey_id}:{lang}".encode()).digest()[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        digest, index = divmod(digest, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def resolve_join_code(
    code: str, survey_ids: Iterable[str], languages: Iterable[str]
) -> tuple[str, str] | None:
    """(survey id, language) for a code typed in any case, or None."""
    wanted = code.strip().upper()
    if not CODE_PATTERN.match(wanted):
        return None
    langs = list(languages)
    for survey_id in survey_ids:
        for lang in langs:
            if join_code_for(survey_id, lang) == wanted:
                return survey_id, lang
    return None


def short_link(base: str, code: str) -> str:
    """The link a join code opens."""
    return f"{base.rstrip('/')}/{JOIN_PATH}/{code}"


def make_qr(link: str) -> segno.QRCode:
    return segno.make(link, error=QR_ERROR_LEVEL, micro=False)


def qr_svg(qr: segno.QRCode, title: str = "") -> str:
    """A scalable SVG (no fixed size; black on white with the quiet zone scanners need)."""
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=10,
        border=4,
        dark="#000000",
        light=PALETTE.white,
        xmldecl=False,
        svgns=True,
        omitsize=True,
        title=title or None,
        svgclass="join-qr",
    )
    return buffer.getvalue().decode("utf-8")


@dataclass(frozen=True)
class JoinCode:
    """A link and the QR code generated from that very link."""

    link: str
    svg: str
    qr: segno.QRCode
    code: str = ""

    @property
    def svg_data_uri(self) -> str:
        """The same SVG as an image source (HTML sanitisers keep <img>, not inline <svg>)."""
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


def join_code(base: str, survey_id: str, lang: str, title: str = "") -> JoinCode:
    """Build the link once, then the QR from it, so the two can never disagree."""
    link = join_link(base, survey_id, lang)
    qr = make_qr(link)
    return JoinCode(link=link, svg=qr_svg(qr, title=title), qr=qr)


def short_join_code(base: str, survey_id: str, lang: str, title: str = "") -> JoinCode:
    """The short link (`/j/<code>`) and the QR of exactly that link."""
    code = join_code_for(survey_id, lang)
    link = short_link(base, code)
    qr = make_qr(link)
    return JoinCode(link=link, svg=qr_svg(qr, title=title), qr=qr, code=code)


def link_parts(link: str) -> list[str]:
    """The link cut where a line may break: after '://', before the path, '?' and each '&'.

    Shown with a break opportunity between the parts, a long link wraps at these places and
    never inside a word (the path itself stays whole: `/j/AB2C`).
    """
    scheme, sep, rest = link.partition("://")
    if not sep:
        scheme, rest = "", link
    parts = [scheme + sep] if sep else []
    host, slash, path = rest.partition("/")
    parts.append(host)
    tail = slash + path
    query_at = tail.find("?")
    path_part, query = (tail, "") if query_at < 0 else (tail[:query_at], tail[query_at:])
    if path_part:
        parts.append(path_part)
    if query:
        pieces = query.split("&")
        parts.append(pieces[0])
        parts.extend("&" + piece for piece in pieces[1:])
    return [part for part in parts if part]
