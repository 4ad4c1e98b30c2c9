"""Text from outside (a URL, a file, a visitor) shown as written: Markdown escaping, clean-up."""

from __future__ import annotations

import re
import string

# CommonMark lets every ASCII punctuation character be escaped with a backslash; escaping them all
# also breaks the bare-URL, www. and e-mail autolinks (they need "://", "." and "@" unescaped).
_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\u0085\v\f]+")
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


class Literal(str):
    """Text that came from outside the app: shown literally, never as Markdown or HTML.

    The translator escapes a `Literal` placeholder value before putting it in a message.
    """


def markdown_literal(text: str) -> str:
    """Inline Markdown that renders exactly as `text` reads: no link, image, heading or HTML."""
    return _LINE_BREAKS.sub(" ", text).translate(_MARKDOWN_ESCAPES)


def markdown_prose(text: str) -> str:
    """Trusted prose (the app's own content) for a Markdown file people also read raw: only the
    characters that would turn it into emphasis or a heading are escaped, so it stays readable.
    Text from outside goes through `markdown_literal` instead."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("#", "\\#")


def collapse_blank_lines(text: str) -> str:
    """Runs of blank lines become one blank line (a paragraph break), so a text stays compact."""
    return _BLANK_RUNS.sub("\n\n", text)
