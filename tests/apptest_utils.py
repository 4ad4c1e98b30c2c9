"""Helpers to run the real app (app.py) under Streamlit's AppTest on a chosen page and language."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def run_app(
    page: str | None = None,
    lang: str = "en",
    query: dict[str, str] | None = None,
    timeout: float = 60,
) -> AppTest:
    """Start app.py with `?lang=` and any other query, then switch to `page` ('pages/map.py')."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def page_text(at: AppTest) -> str:
    """All visible text of markdown, headings, captions, alerts and tables, for assertions.

    Markdown backslash escapes (text from outside is escaped to show literally) are removed,
    so assertions read the text as a visitor sees it.
    """
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    ):
        parts.extend(str(el.value) for el in getattr(at, kind))
    parts.extend(str(el.proto.body) for el in at.get("html"))  # st.html blocks (source lists)
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", "\n".join(parts))
