"""The frame around every page: language choice, document language and direction, page helpers."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.navigation.page import StreamlitPage

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


def language_picker(t: Translator, page: StreamlitPage) -> None:
    """The language choice at the top of every page: one compact control naming the current
    language in itself, which opens the nine, each named in its own language and script.

    Each choice is a link to this same page with `?lang=xx` (the other query parameters
    kept), followed inside this session, so nothing typed so far is lost.
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
    st.html(
        "<script>"
        f"window.__incluLang={json.dumps([t.lang, label], ensure_ascii=False)};"
        "window.__incluLangMark&&window.__incluLangMark();"
        "</script>",
        unsafe_allow_javascript=True,
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


# The control's spoken name says what it is ("Language: Français"); each language's name in
# its menu is marked with its language and direction, so a screen reader says it in that
# language's voice, and the current one is marked aria-current. The menu is drawn after this
# script runs, and again on every run, so an observer marks the links as they appear.
_NATIVE_NAMES = {
    lang.native_name: [lang.code, "rtl" if lang.rtl else "ltr"] for lang in LANGUAGES.values()
}
_LANGUAGE_NAMES_SCRIPT = (
    "(function(){if(window.__incluLangNames)return;"
    f"var names={json.dumps(_NATIVE_NAMES, ensure_ascii=False)};"
    "var mark=function(){var cur=window.__incluLang||[];"
    f"var b=document.querySelector('.st-key-{PICKER_KEY} button');"
    "if(b&&cur[1]&&b.getAttribute('aria-label')!==cur[1])b.setAttribute('aria-label',cur[1]);"
    "document.querySelectorAll('[data-testid=stPopoverBody] a').forEach(function(a){"
    "var n=names[(a.querySelector('p')||a).textContent.trim()];if(!n)return;"
    "if(a.lang!==n[0]){a.lang=n[0];a.dir=n[1];a.hreflang=n[0];}"
    "var on=n[0]===cur[0];if(on!==(a.getAttribute('aria-current')==='true')){"
    "if(on)a.setAttribute('aria-current','true');else a.removeAttribute('aria-current');}});};"
    "window.__incluLangMark=mark;"
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
