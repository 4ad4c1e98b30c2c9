"""Text from outside (a URL, a file, a visitor) shown as written: Markdown escaping, clean-up."""

from __future__ import annotations

import re
import string

# CommonMark lets every ASCII punctuation character be escaped with a backslash: no link, image,
# heading, emphasis or HTML is left in the text.
_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})
# GFM's autolink literals are found later, in the text the escapes have already been resolved in
# (remark-gfm, as Streamlit renders Markdown): "https\\://x" still becomes a link. They need
# "http://", "https://", "www." or "name@domain" written together, so an invisible word joiner
# after "http" and "www" and before "@" leaves nothing to match (even when two values meet).
WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = re.compile(r"(?<=http)|(?<=www)|(?=@)", re.IGNORECASE)
# Bidirectional embeddings and overrides (invisible) could turn an address, or the app's own words
# after the value, backwards: they are left out.
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")
ELLIPSIS = "\u2026"
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\u0085\v\f]+")
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_LEADING_SPACE = re.compile(r"^[ \t]+")


class Literal(str):
    """Text that came from outside the app: shown literally, never as Markdown or HTML.

    The translator escapes a `Literal` placeholder value before putting it in a message.
    """


def markdown_literal(text: str) -> str:
    """Inline Markdown that renders exactly as `text` reads, on one line: no link (written or
    automatic), image, heading or HTML."""
    flat = _BIDI_OVERRIDES.sub("", _LINE_BREAKS.sub(" ", text))
    escaped = _AUTOLINK_TRIGGERS.sub(WORD_JOINER, flat).translate(_MARKDOWN_ESCAPES)
    # a tab or four spaces at the start of a line would open a code block: written as
    # character references (after the escapes, which would otherwise escape the references)
    return _LEADING_SPACE.sub(lambda m: "".join(f"&#{ord(c)};" for c in m[0]), escaped)


def excerpt(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut: an unknown value from a
    link is repeated no longer than needed to recognise it."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def markdown_prose(text: str) -> str:
    """Trusted prose (the app's own content) for a Markdown file people also read raw: only the
    characters that would turn it into emphasis or a heading are escaped, so it stays readable.
    Text from outside goes through `markdown_literal` instead."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("#", "\\#")


def collapse_blank_lines(text: str) -> str:
    """Runs of blank lines become one blank line (a paragraph break), so a text stays compact."""
    return _BLANK_RUNS.sub("\n\n", text)
