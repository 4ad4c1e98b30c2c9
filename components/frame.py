"""The frame around every page: language choice, document language and direction, page helpers."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from inclucities.content import ContentError
from inclucities.i18n import (
    LANGUAGES,
    Translator,
    is_rtl,
    normalise_language,
    resolve_language,
    translator,
)
from inclucities.settings import SettingsError, get_settings

Loaded = TypeVar("Loaded")

LANG_STATE = "lang"
PICKER_KEY = "frame_lang_picker"
FRAME_READY = "frame_ready"


def mark_frame_ready() -> None:
    """Called by app.py: this session's runs go through the frame and router."""
    st.session_state[FRAME_READY] = True


def ensure_frame() -> None:
    """Hand a page run back to app.py if Streamlit ran the page script on its own.

    With a `pages/` folder beside app.py, a freshly started server runs deep links such as
    /map as old-style multipage scripts (skipping app.py) until some session has called
    st.navigation. Switching that mode off and rerunning sends the visitor through the frame.
    """
    if st.session_state.get(FRAME_READY):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def _set_language_from_picker() -> None:
    chosen = st.session_state[PICKER_KEY]
    st.session_state[LANG_STATE] = chosen
    st.query_params["lang"] = chosen


def current_language() -> str:
    """`?lang=` wins (a shared link), then this session's choice, then the browser locale."""
    from_url = normalise_language(st.query_params.get("lang"))
    if from_url:
        lang = from_url
    elif LANG_STATE in st.session_state:
        lang = st.session_state[LANG_STATE]
    else:
        lang = resolve_language(None, st.context.locale)
    st.session_state[LANG_STATE] = lang
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang  # keep the URL in step so a link reopens in this language
    return lang


def current_translator() -> Translator:
    """The translator for this session's language."""
    return translator(current_language())


def language_picker(t: Translator) -> None:
    """Sidebar selector showing each language in its own name."""
    codes = list(LANGUAGES)
    st.session_state[PICKER_KEY] = t.lang
    st.sidebar.selectbox(
        t("core.language_label"),
        codes,
        key=PICKER_KEY,
        format_func=lambda code: LANGUAGES[code].native_name,
        on_change=_set_language_from_picker,
    )


def apply_document_language(lang: str, *, interface: bool = True) -> None:
    """Set `<html lang>` for screen readers and lay the page right to left where needed.

    `interface=False` marks only the page content's language (the sidebar keeps the visitor's).
    """
    direction = "rtl" if is_rtl(lang) else "ltr"
    ui_dir = f"document.documentElement.dataset.uiDir = {direction!r};" if interface else ""
    st.html(
        "<script>"
        f"document.documentElement.lang = {lang!r};"
        f"document.documentElement.dir = {direction!r};{ui_dir}"
        "</script>",
        unsafe_allow_javascript=True,
    )


def page_translator(domain: str) -> Translator:
    """The translator for a page (every page is complete in every language; `domain` names
    the page's messages for readers of the code)."""
    ensure_frame()
    return current_translator()


def check_settings(t: Translator) -> None:
    """Stop with a message naming the variable when a setting has a value the app cannot use."""
    try:
        get_settings()
    except SettingsError as exc:
        st.error(t("core.settings_error", detail=str(exc)), icon=":material/settings:")
        st.stop()


def load_or_explain(t: Translator, load: Callable[[], Loaded]) -> Loaded:
    """Run a content loader; if a data file is malformed, say which one and stop the page."""
    try:
        return load()
    except ContentError as exc:
        st.error(t("core.content_error", detail=str(exc)))
        st.stop()
        raise  # st.stop() ends the run; this line only satisfies type checkers


def escape(text: str) -> str:
    """Escape content before it goes into HTML."""
    return html.escape(text, quote=True)


_MARKDOWN_SPECIALS = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|~$"})


def md_escape(text: str) -> str:
    """Escape content before it goes into Markdown, so it shows as written."""
    return text.translate(_MARKDOWN_SPECIALS)
