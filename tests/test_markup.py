"""Markup helpers: the stylesheet survives Streamlit's sanitiser; templates escape their values."""

from __future__ import annotations

from components import markup


def test_no_stylesheet_contains_a_less_than_sign():
    # Streamlit's HTML sanitiser drops a whole <style> element whose text contains "<".
    offenders = [p.name for p in sorted(markup.CSS_DIR.glob("*.css")) if "<" in p.read_text()]
    assert offenders == []


def test_the_stylesheet_holds_every_css_file():
    sheet = markup.stylesheet()
    for path in markup.CSS_DIR.glob("*.css"):
        assert path.read_text(encoding="utf-8") in sheet
