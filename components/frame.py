"""The frame around every page: language choice, document language and direction, page helpers."""

from __future__ import annotations

import html
import json
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
from inclucities.text import Literal, markdown_literal

Loaded = TypeVar("Loaded")

LANG_STATE = "lang"
PICKER_KEY = "frame_lang_picker"
LANGUAGE_BAR = "language_bar"
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
    chosen = st.session_state.get(PICKER_KEY)
    if chosen not in LANGUAGES:  # a second tap on the chosen language unselects it: keep it
        st.session_state[PICKER_KEY] = st.session_state.get(LANG_STATE)
        return
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
    """The language choice at the top of every page: every language named in itself, at once.

    One button per language (not a closed list), so a visitor who cannot read the current
    language still finds their own; the choice keeps the URL's `?lang=` in step.
    """
    st.session_state[PICKER_KEY] = t.lang
    with st.container(key=LANGUAGE_BAR):
        st.pills(
            t("core.language_label"),  # plain text: it is also the group's spoken name
            list(LANGUAGES),
            selection_mode="single",
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
        f"{_LANGUAGE_NAMES_SCRIPT}"
        "</script>",
        unsafe_allow_javascript=True,
    )


# Each language's name in the picker is marked with its language and direction, so a screen
# reader says it in that language's voice. The buttons are drawn after this script runs, and
# again on every run, so an observer marks them as they appear.
_NATIVE_NAMES = {
    lang.native_name: [lang.code, "rtl" if lang.rtl else "ltr"] for lang in LANGUAGES.values()
}
_LANGUAGE_NAMES_SCRIPT = (
    "(function(){if(window.__incluLangNames)return;"
    f"var names={json.dumps(_NATIVE_NAMES, ensure_ascii=False)};"
    "var mark=function(){document.querySelectorAll("
    f"'.st-key-{LANGUAGE_BAR} button'"
    ").forEach(function(b){var n=names[b.textContent.trim()];"
    "if(n&&b.lang!==n[0]){b.lang=n[0];b.dir=n[1];}});};"
    "window.__incluLangNames=new MutationObserver(mark);"
    "window.__incluLangNames.observe(document.body,{childList:true,subtree:true});mark();})();"
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
        st.error(t("core.settings_error", detail=Literal(str(exc))), icon=":material/settings:")
        st.stop()


def load_or_explain(t: Translator, load: Callable[[], Loaded]) -> Loaded:
    """Run a content loader; if a data file is malformed, say which one and stop the page."""
    try:
        return load()
    except ContentError as exc:
        st.error(t("core.content_error", detail=Literal(str(exc))))
        st.stop()
        raise  # st.stop() ends the run; this line only satisfies type checkers


def escape(text: str) -> str:
    """Escape content before it goes into HTML."""
    return html.escape(text, quote=True)


def md_escape(text: str) -> str:
    """Escape content before it goes into Markdown, so it shows as written."""
    return markdown_literal(text)


def query_text(name: str) -> Literal | None:
    """A query parameter's value, marked as outside text (shown literally wherever it goes)."""
    value = st.query_params.get(name)
    return None if value is None else Literal(value)
