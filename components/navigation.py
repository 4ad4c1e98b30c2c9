"""The registered pages (one entry per page script that has real content) and links to them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from inclucities.i18n import Translator

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    """A page script, its URL path, its translated title key and its icon."""

    script: str
    url_path: str
    title_key: str
    icon: str
    default: bool = False
    staff: bool = False  # in the menu only for a signed-in presenter or admin


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "home", "core.nav.home", ":material/home:", default=True),
    PageSpec("pages/map.py", "map", "core.nav.map", ":material/map:"),
    PageSpec("pages/process.py", "process", "core.nav.process", ":material/timeline:"),
    PageSpec(
        "pages/recommendations.py",
        "recommendations",
        "core.nav.recommendations",
        ":material/lightbulb:",
    ),
    PageSpec("pages/survey.py", "survey", "core.nav.survey", ":material/edit_note:"),
    PageSpec("pages/results.py", "results", "core.nav.results", ":material/bar_chart:"),
    PageSpec("pages/privacy.py", "privacy", "core.nav.privacy", ":material/shield:"),
    # Further pages are registered here, in the order they appear in the menu.
    PageSpec(
        "pages/presenter.py", "presenter", "core.nav.presenter", ":material/co_present:", staff=True
    ),
    PageSpec("pages/admin.py", "admin", "core.nav.admin", ":material/admin_panel_settings:"),
)


def build_pages(t: Translator, staff: bool = False) -> list[st.Page]:
    """st.Page objects with titles in the session's language; staff pages (the presenter's)
    are reachable by their link but listed only for a signed-in presenter (`staff`).

    st.navigation serves the default page at the root URL only: its own path (/home) would
    match no page and Streamlit would pop up "Page not found". The default page therefore
    takes the empty path, and a hidden page at its path sends the visitor to the root,
    keeping the query (?lang=...).
    """
    pages = [
        st.Page(
            spec.script,
            title=t(spec.title_key),
            icon=spec.icon,
            url_path="" if spec.default else spec.url_path,
            default=spec.default,
            visibility="visible" if staff or not spec.staff else "hidden",
        )
        for spec in PAGES
    ]
    default_spec, default_page = next(
        (s, p) for s, p in zip(PAGES, pages, strict=True) if s.default
    )

    def to_default_page() -> None:
        st.switch_page(default_page, query_params=st.query_params.to_dict())

    alias = st.Page(
        to_default_page,
        title=t(default_spec.title_key),
        url_path=default_spec.url_path,
        visibility="hidden",
    )
    return [*pages, alias]


def page_for(url_path: str) -> str:
    """The script path of a registered page, for st.page_link / st.switch_page."""
    for spec in PAGES:
        if spec.url_path == url_path:
            return spec.script
    raise KeyError(url_path)


def page_link(page: str, label: str, icon: str, query: dict[str, str]) -> None:
    """A link to another page of the app, kept in this session (the answers stay)."""
    try:
        st.page_link(page, label=label, icon=icon, query_params=query)
    except StreamlitPageNotFoundError:  # a fragment rerun in AppTest knows no pages
        LOG.debug("no page %s in this run", page)
