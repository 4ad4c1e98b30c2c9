"""Outside text in Markdown shows as written: never a link (even automatic), image or heading."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from inclucities.i18n import translator
from inclucities.text import WORD_JOINER, Literal, excerpt, markdown_literal
from tests.markdown_checks import autolinks, resolved_text

URL_VALUES = (
    "https://evil.example/x",
    "HTTP://EVIL.EXAMPLE",
    "www.evil.example",
    "x.www.evil.example",
    "mailto:x@evil.example",
    "evil@evil.example",
    "xmpp:a@evil.example",
    "[evilx](https://evil.example/login)",
    "<https://evil.example>",
    "![t](http://attacker.example/track.png)",
    "x\n\n# Injected heading\n\n:red[alert]",
    "<img src=x onerror=alert(1)>",
    "\u202egnp.exe",
    "abc\u2066def\u2069\u200f\u061c",
)
RENDER = MarkdownIt("gfm-like")


def shown(source: str) -> str:
    """The text a reader sees of a Markdown source made by `markdown_literal` (word joiners
    are invisible)."""
    return resolved_text(source).replace(WORD_JOINER, "")


def plain(text: str) -> str:
    """`text` as `markdown_literal` promises to show it: on one line, without overrides."""
    flat = re.sub(r"[\r\n\u2028\u2029\u0085\v\f]+", " ", text)
    return re.sub(r"[\u202a-\u202e]", "", flat).replace(WORD_JOINER, "")


def check(text: str) -> None:
    source = markdown_literal(text)
    assert autolinks(source) == []
    html = RENDER.render(source)
    assert not re.search(r"<(a|img|h[1-6]|script|ul|ol|blockquote|pre|hr)\b", html), html
    assert shown(source) == plain(text)


@pytest.mark.parametrize("value", URL_VALUES)
def test_an_address_from_outside_shows_as_written_and_never_links(value):
    check(value)


def test_backslashes_alone_leave_the_address_to_the_autolinker():
    # what the issue saw: every punctuation character escaped, the address still linked
    assert autolinks(r"\[evilx\]\(https\:\/\/evil\.example\/login\)")
    assert autolinks(r"evil\@evil\.example")
    assert autolinks(r"www\.evil\.example")


def test_two_values_side_by_side_make_no_address_either():
    for first, second in (("http", "s://evil.example"), ("www", ".evil.example"), ("x", "@e.ex")):
        assert autolinks(markdown_literal(first) + markdown_literal(second)) == []


def test_an_override_is_left_out_so_it_cannot_turn_an_address_or_the_app_s_words():
    assert markdown_literal("\u202eelpmaxe\u202c") == "elpmaxe"


def test_the_translator_shows_a_literal_value_without_a_link():
    t = translator("en")
    message = t("survey.unknown", survey=Literal("https://evil.example/login"))
    assert autolinks(message) == []
    assert "“https://evil.example/login”" in shown(message)


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_any_text_shows_as_written_and_never_links(text):
    check(text)


@given(st.lists(st.sampled_from(["http", "s", ":", "/", "www", ".", "@", "e", "x", " "])))
@settings(max_examples=300, deadline=None)
def test_any_mix_of_address_parts_never_links(parts):
    check("".join(parts))


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("resident", 24, "resident"),
        ("x" * 24, 24, "x" * 24),
        ("[evilx](https://evil.example/login)", 24, "[evilx](https://evil.ex\u2026"),
        ("abc", 1, "\u2026"),
    ],
)
def test_an_excerpt_is_cut_with_an_ellipsis(text, limit, expected):
    assert excerpt(text, limit) == expected
    assert len(excerpt(text, limit)) <= limit
