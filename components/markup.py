"""Markup kept out of Python: the stylesheets in static/css and Jinja2 templates (autoescaped)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import streamlit as st
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from inclucities.palette import PALETTE

ROOT = Path(__file__).absolute().parent.parent
CSS_DIR = ROOT / "static" / "css"
COMPONENTS = Path(__file__).absolute().parent
TEMPLATE_DIRS = sorted(COMPONENTS.glob("*/templates"))  # each feature keeps its own templates


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """Every static/css/*.css file, in name order, as one stylesheet.

    Streamlit's HTML sanitiser drops a whole style element whose text contains '<', so the
    files must not (tests/test_markup.py checks).
    """
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(CSS_DIR.glob("*.css")))


def apply_stylesheet() -> None:
    """Add the app's stylesheet to the page (once per run, by the frame)."""
    st.html(f"<style>{stylesheet()}</style>")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates from each feature's folder (components/<feature>/templates, one name space);
    every value is HTML-escaped unless marked safe."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIRS),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["palette"] = PALETTE  # the colours of static/css/palette.css, for drawings
    return env


def render(template: str, **context: Any) -> str:
    """A template rendered to HTML with its values escaped."""
    return environment().get_template(template).render(**context)


def show(template: str, **context: Any) -> None:
    """Render a template into the page (st.html keeps it out of Markdown's reach)."""
    st.html(render(template, **context))


def show_markdown(template: str, **context: Any) -> None:
    """Render a template through Markdown, on one line so Markdown leaves the HTML alone.

    For the infographic pages, whose headings and text take Markdown's styles and heading
    anchors; the values are escaped by the template all the same.
    """
    st.markdown(render(template, **context).replace("\n", " "), unsafe_allow_html=True)
