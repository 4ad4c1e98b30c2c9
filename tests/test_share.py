"""Join links and QR codes: the QR encodes exactly the link shown."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import segno

from inclucities.i18n import LANGUAGES
from inclucities.share import (
    base_url,
    join_code,
    join_code_for,
    join_link,
    link_parts,
    resolve_join_code,
    short_join_code,
)
from scripts.support.survey_helpers import SURVEYS


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


def test_join_link_opens_the_light_form_in_its_language():
    link = join_link("https://x.org/", "resident", "fr")
    parts = urlsplit(link)
    assert parts.path == "/answer/resident"
    assert parse_qs(parts.query) == {"lang": ["fr"]}


def test_qr_content_equals_link_shown():
    code = join_code("https://live.example.org", "academy", "ar", title="Scan")
    assert code.link == "https://live.example.org/answer/academy?lang=ar"
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


def test_short_join_code_encodes_exactly_the_short_link_shown():
    code = short_join_code("http://192.0.2.2:8611", "academy", "fr", title="Scan")
    assert code.link == f"http://192.0.2.2:8611/j/{code.code}"
    assert code.qr.matrix == segno.make(code.link, error="m", micro=False).matrix
    # the short link makes a coarser code than the long one: easier to scan from far away
    long = join_code("http://192.0.2.2:8611", "academy", "fr")
    assert len(code.qr.matrix) < len(long.qr.matrix)


def test_every_survey_and_language_has_its_own_code_that_resolves_back():
    codes = {
        (survey, lang): join_code_for(survey, lang) for survey in SURVEYS for lang in LANGUAGES
    }
    assert len(set(codes.values())) == len(codes)
    for (survey, lang), code in codes.items():
        assert len(code) == 4 and not set(code) & set("01OIL")
        assert resolve_join_code(code.lower(), SURVEYS, LANGUAGES) == (survey, lang)
    assert resolve_join_code("<script>", SURVEYS, LANGUAGES) is None


def test_a_link_breaks_only_between_its_parts():
    parts = link_parts("https://live.example.org/app/survey?survey=academy&lang=en")
    assert "".join(parts) == "https://live.example.org/app/survey?survey=academy&lang=en"
    assert parts == ["https://", "live.example.org", "/app/survey", "?survey=academy", "&lang=en"]
    assert link_parts("http://192.0.2.2:8501/j/AB2C") == ["http://", "192.0.2.2:8501", "/j/AB2C"]
