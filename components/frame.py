"""The frame around every page: language choice, document language and direction, page helpers."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from inclucities.browser_files import module_loader
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


def language_picker(t: Translator, page: StreamlitPage) -> str:
    """The language choice at the top of every page: one compact control naming the current
    language in itself, which opens the nine, each named in its own language and script.

    Each choice is a link to this same page with `?lang=xx` (the other query parameters
    kept), followed inside this session, so nothing typed so far is lost. Returns the
    control's spoken name, for `apply_document_language`.
    """
    current = LANGUAGES[t.lang]
    label = t("core.language_button", language=current.native_name)
    kept = {name: value for name, value in st.query_params.to_dict().items() if name != "lang"}
    # Streamlit does not write a link's query into the address bar when the link stays on the
    # same page: written here, the URL names the language shown (and a reload keeps it).
    st.query_params["lang"] = t.lang
    bar = st.container(key=LANGUAGE_BAR)
    with bar.popover(current.native_name, icon=":material/translate:", key=PICKER_KEY):
        for code, lang in LANGUAGES.items():
            st.page_link(page, label=lang.native_name, query_params={**kept, "lang": code})
    return label


def apply_document_language(lang: str, picker_label: str | None = None) -> None:
    """Set `<html lang>` and the direction for screen readers and right-to-left layout, and
    mark up the language picker (static/js/frame.js, mounted once per run)."""
    data = {
        "lang": lang,
        "dir": "rtl" if is_rtl(lang) else "ltr",
        "label": picker_label,
        "picker": PICKER_KEY if picker_label else None,
        "names": _NATIVE_NAMES,
    }
    with st.container(key="frame_script"):
        _frame_component()(key="frame_document", data=data)


@lru_cache(maxsize=1)
def _frame_component() -> Any:
    return st.components.v2.component(
        "inclucities_frame", html="", js=module_loader("frame.js"), isolate_styles=False
    )


# Each language's own name in the picker's menu -> its code and direction (static/js/frame.js).
_NATIVE_NAMES = {
    lang.native_name: [lang.code, "rtl" if lang.rtl else "ltr"] for lang in LANGUAGES.values()
}


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
