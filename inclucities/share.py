"""Survey join links and their QR codes; the QR always encodes exactly the link shown."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno

SURVEY_PAGE_PATH = "survey"
SURVEY_PARAM = "survey"
LANG_PARAM = "lang"
QR_ERROR_LEVEL = "m"


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
    """The link that opens one survey in one language."""
    query = urlencode({SURVEY_PARAM: survey_id, LANG_PARAM: lang})
    return f"{base.rstrip('/')}/{SURVEY_PAGE_PATH}?{query}"


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
        light="#ffffff",
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
