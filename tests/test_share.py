"""Join links and QR codes: the QR encodes exactly the link shown."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import segno

from inclucities.share import base_url, join_code, join_link


def test_configured_public_url_wins():
    assert base_url("https://live.example.org/", "http://localhost:8501/presenter") == (
        "https://live.example.org"
    )


def test_request_url_without_page_path():
    pages = ("presenter", "survey", "admin")
    assert base_url(None, "http://localhost:8501/presenter", pages) == "http://localhost:8501"
    assert base_url("", "https://x.org/app/presenter/", pages) == "https://x.org/app"
    assert base_url(None, "http://localhost:8501/", pages) == "http://localhost:8501"
    assert base_url(None, None, pages) is None


def test_join_link_opens_survey_in_language():
    link = join_link("https://x.org/", "resident", "fr")
    parts = urlsplit(link)
    assert parts.path == "/survey"
    assert parse_qs(parts.query) == {"survey": ["resident"], "lang": ["fr"]}


def test_qr_content_equals_link_shown():
    code = join_code("https://live.example.org", "academy", "ar", title="Scan")
    assert code.link == "https://live.example.org/survey?survey=academy&lang=ar"
    reference = segno.make(code.link, error="m", micro=False)
    assert code.qr.matrix == reference.matrix
    assert code.qr.designator == reference.designator
    # the SVG is drawn from that same QR code
    expected_svg = segno.make(code.link, error="m", micro=False).svg_inline(scale=10, border=4)
    path = expected_svg.split(' d="', 1)[1].split('"', 1)[0]
    assert path in code.svg
    # and a different link gives a different code
    other = segno.make(join_link("https://live.example.org", "academy", "fr"), error="m")
    assert other.matrix != code.qr.matrix


def test_svg_is_scalable_and_black_on_white():
    svg = join_code("http://localhost:8501", "resident", "en").svg
    assert svg.startswith("<svg")
    assert "viewBox" in svg
    assert "#000" in svg and "#fff" in svg
