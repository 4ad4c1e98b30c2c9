"""What Streamlit's Markdown (remark-gfm) would make of a source: links it finds by itself."""

from __future__ import annotations

import re

# remark-gfm finds autolink literals in the text after backslash escapes are resolved; these are
# its two patterns (mdast-util-gfm-autolink-literal), without the check on the character before
# a match, so they find a little more than the browser does, never less.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_URL_LITERAL = re.compile(r"(?:https?://|www(?=\.))[-.\w]+[^ \t\r\n]*", re.IGNORECASE | re.ASCII)
_EMAIL_LITERAL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)


_DECIMAL_REFERENCE = re.compile(r"&#(\d{1,7});")


def resolved_text(source: str) -> str:
    """The text of a Markdown source with its backslash escapes and decimal character
    references resolved (what remark sees)."""
    # references first: an escaped "\&\#9\;" is text, not a reference
    return _ESCAPED.sub(r"\1", _DECIMAL_REFERENCE.sub(lambda m: chr(int(m[1])), source))


def autolinks(source: str) -> list[str]:
    """The addresses remark-gfm would turn into links in a Markdown source by itself."""
    text = resolved_text(source)
    return _URL_LITERAL.findall(text) + _EMAIL_LITERAL.findall(text)
