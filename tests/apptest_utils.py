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
    and so are the invisible word joiners that keep an address in it from becoming a link
    (inclucities.text), so assertions read the text as a visitor sees it.
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
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", "\n".join(parts))
    return text.replace("\u2060", "")


def sign_in_as(monkeypatch, role: str = "presenter") -> str:
    """Make the pages see this browser as signed in with `role` (the cookie `/sign-in` sets;
    AppTest cannot send cookies, so the one function that reads it answers instead)."""
    from components import access
    from inclucities import signin
    from inclucities.credentials import configured_credentials

    monkeypatch.setenv("INCLUCITIES_ADMIN_PASSWORD", SIGN_IN_PASSWORDS["admin"])
    monkeypatch.setenv("INCLUCITIES_PRESENTER_PASSWORD", SIGN_IN_PASSWORDS["presenter"])
    value = signin.issue(configured_credentials(), signin.Role(role))
    monkeypatch.setattr(access, "request_cookie", lambda: value)
    return value


SIGN_IN_PASSWORDS = {"admin": "correct horse battery", "presenter": "the room is ours tonight"}
