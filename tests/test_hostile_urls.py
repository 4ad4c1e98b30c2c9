"""No link, image, heading or HTML from a URL reaches any page: every query value shows as text."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from components.navigation import PAGES
from tests.apptest_utils import APP, page_text
from tests.markdown_checks import autolinks

PARAMS = ("survey", "stage", "session", "code", "s", "mode", "view", "q", "id", "lang")
PAYLOADS = (
    "[Session expired: log in](https://evil.example/login)",
    "![t](http://attacker.example/track.png)",
    "x\n\n# Injected heading\n\n:red[alert]",
    "[x](//e.co)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "see https://evil.example/auto and www.evil.example",
    "javascript:alert(1)",
    "https://evil.example/x",
    "www.evil.example",
    "mailto:x@evil.example",
    "evil@evil.example",
    "\u202egnp.exe",  # a right-to-left override
    "abc\u2066def\u2069\u200f\u061c",  # isolates and marks
)
COMBINED = " ".join(PAYLOADS)
HOSTILE = re.compile(r"evil\.example|attacker\.example|e\.co|javascript:|alert\(1\)", re.I)
MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption")
ALERT_KINDS = ("info", "warning", "error", "success", "exception")
WIDGET_KINDS = ("radio", "checkbox", "selectbox", "multiselect", "text_input", "button", "toggle")
RENDER = MarkdownIt("gfm-like")


def shown_markdown(at: AppTest) -> list[str]:
    """Every Markdown source the page renders: texts, alerts and widget labels."""
    sources = [str(el.value) for kind in MARKDOWN_KINDS for el in getattr(at, kind)]
    sources += [str(el.value) for kind in ALERT_KINDS for el in getattr(at, kind)]
    sources += [str(el.label) for kind in WIDGET_KINDS for el in getattr(at, kind)]
    return sources


def injected(source: str) -> list[str]:
    """What a hostile value achieved in one Markdown source, as rendered by a GFM renderer and
    as Streamlit's (remark-gfm) autolinks addresses in the text once escapes are resolved."""
    html = RENDER.render(source)
    found = []
    for tag in re.findall(r"<(a|img|h[1-6]|script)\b[^>]*>", html):
        found.append(tag)
    for href in re.findall(r'(?:href|src)="([^"]*)"', html):
        if HOSTILE.search(href):
            found.append(href)
    if re.search(r"(?<!\\):red\[", source):
        found.append(":red[")
    if HOSTILE.search(source) and re.search(r"<(img|script)\b", html):
        found.append("raw html")
    found = [f for f in found if HOSTILE.search(source) or f.startswith(("img", "script"))]
    return found + [address for address in autolinks(source) if HOSTILE.search(address)]


def run_page(page: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    return at


@pytest.mark.parametrize("page", [spec.script for spec in PAGES])
def test_hostile_query_values_show_as_text_on_every_page(page):
    query = dict.fromkeys(PARAMS, COMBINED)
    at = run_page(page, query)
    assert not at.exception
    problems = [(source, injected(source)) for source in shown_markdown(at)]
    assert [p for p in problems if p[1]] == []


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("page", ["pages/survey.py", "pages/results.py", "pages/process.py"])
def test_each_hostile_value_shows_as_text_where_a_page_echoes_it(page, payload):
    at = run_page(page, {"lang": "en", "survey": payload, "stage": payload})
    assert not at.exception
    problems = [(source, injected(source)) for source in shown_markdown(at)]
    assert [p for p in problems if p[1]] == []


def test_the_detector_sees_an_unescaped_link_image_and_heading():
    assert injected("[log in](https://evil.example/login)")
    assert injected("![t](http://attacker.example/t.png)")
    assert injected("a\n\n# Injected heading evil.example")
    assert injected("go to https://evil.example")
    assert injected(r"go to https\:\/\/evil\.example")  # remark-gfm autolinks it all the same
    assert injected(r"write to evil\@evil\.example")


def test_an_unknown_value_is_repeated_cut_short():
    at = run_page(
        "pages/survey.py", {"lang": "en", "survey": "[evilx](https://evil.example/login)"}
    )
    assert "no survey called “[evilx](https://evil.ex\u2026”" in page_text(at)
    at = run_page("pages/process.py", {"lang": "en", "stage": "https://evil.example/login"})
    assert "no stage “https://evi\u2026”" in page_text(at)
