"""Translation layer: complete catalogs, language resolution, locale formatting, no stray text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from inclucities.i18n import (
    EVERY_LANGUAGE_DOMAINS,
    FULL_LANGUAGES,
    LANGUAGES,
    CatalogError,
    catalog_problems,
    load_catalogs,
    resolve_language,
    translator,
)

ROOT = Path(__file__).resolve().parent.parent

# st.* calls whose first argument, or these keyword arguments, are shown to the user.
DISPLAY_CALLS = {
    "title",
    "header",
    "subheader",
    "markdown",
    "write",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "button",
    "radio",
    "checkbox",
    "selectbox",
    "multiselect",
    "text_input",
    "text_area",
    "number_input",
    "slider",
    "select_slider",
    "toggle",
    "metric",
    "expander",
    "tabs",
    "download_button",
    "link_button",
    "page_link",
    "form_submit_button",
    "pills",
    "segmented_control",
    "toast",
    "dialog",
    "popover",
    "Page",
    "set_page_config",
    "spinner",
}
DISPLAY_KWARGS = {"label", "help", "placeholder", "caption", "title", "page_title", "body"}


def test_shipped_catalogs_are_complete():
    assert catalog_problems(load_catalogs()) == []


def test_every_language_domains_exist_in_all_nine_languages():
    catalogs = load_catalogs()
    for domain in EVERY_LANGUAGE_DOMAINS & set(catalogs.domains("en")):
        for lang in LANGUAGES:
            assert domain in catalogs.domains(lang), f"{lang}/{domain}.yaml is missing"


def test_a_missing_key_is_reported(tmp_path: Path):
    for lang in LANGUAGES:
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "core.yaml").write_text("core.a: A\ncore.b: B {n}\n", encoding="utf-8")
    (tmp_path / "fr" / "core.yaml").write_text("core.a: A\n", encoding="utf-8")
    (tmp_path / "uk" / "core.yaml").write_text("core.a: A\ncore.b: B {m}\n", encoding="utf-8")
    problems = catalog_problems(load_catalogs(tmp_path))
    assert "fr/core.yaml: missing 'core.b'" in problems
    assert "uk/core.yaml: 'core.b' placeholders differ from en" in problems


def test_page_domains_need_english_and_french_only(tmp_path: Path):
    for lang in LANGUAGES:
        (tmp_path / lang).mkdir()
    for lang in FULL_LANGUAGES:
        (tmp_path / lang / "map.yaml").write_text("map.a: A\n", encoding="utf-8")
    assert catalog_problems(load_catalogs(tmp_path)) == []
    (tmp_path / "fr" / "map.yaml").unlink()
    assert catalog_problems(load_catalogs(tmp_path)) == ["fr/map.yaml: missing 'map.a'"]


def test_a_key_outside_its_domain_is_refused(tmp_path: Path):
    for lang in LANGUAGES:
        (tmp_path / lang).mkdir()
    (tmp_path / "en" / "map.yaml").write_text("home.a: A\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"must start with 'map\.'"):
        load_catalogs(tmp_path)


@pytest.mark.parametrize(
    ("query", "locale", "expected"),
    [
        ("fr", "en-US", "fr"),
        ("AR", None, "ar"),
        ("xx", "uk-UA", "uk"),
        (None, "nl-BE", "nl"),
        (None, "de-DE", "en"),
        (None, None, "en"),
        ("", "el", "el"),
    ],
)
def test_language_resolution_order(query, locale, expected):
    assert resolve_language(query, locale) == expected


def test_numbers_and_percentages_follow_the_locale():
    assert translator("en").number(175000) == "175,000"
    assert translator("fr").number(175000) == "175\u202f000"
    assert translator("fr").percent(0.36) == "36\xa0%"
    assert translator("en").percent(0.36) == "36%"


def test_missing_translation_falls_back_to_english_then_key():
    t = translator("ar")
    assert t("map.title") == translator("en")("map.title")
    assert t("core.nav.home") == "الرئيسية"
    assert t("no.such.key") == "no.such.key"


def _string_literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


NOT_PROSE = re.compile(r"^([\w./-]+\.py|https?://\S+|:material/\w+:|<.*)$", re.DOTALL)


def _looks_like_words(text: str) -> bool:
    """Prose a user would read: not a page path, URL, icon name or an HTML/CSS snippet."""
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 3 and not NOT_PROSE.match(text.strip())


def hard_coded_strings(path: Path) -> list[str]:
    """String literals with words passed as shown text to Streamlit calls in one file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in DISPLAY_CALLS:
            continue
        candidates = node.args[:1] + [k.value for k in node.keywords if k.arg in DISPLAY_KWARGS]
        for candidate in candidates:
            text = _string_literal(candidate)
            if text is not None and _looks_like_words(text):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}")
    return found


def test_pages_and_components_have_no_hard_coded_text():
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "components").glob("*.py"))
    files.append(ROOT / "app.py")
    found = [hit for path in files for hit in hard_coded_strings(path)]
    assert found == []


def test_the_scanner_catches_hard_coded_text(tmp_path: Path):
    sample = ROOT / "tests" / "_sample_page.py"
    sample.write_text(
        'import streamlit as st\nst.title("Welcome home")\nst.button(label=f"Go home {1}")\n'
    )
    try:
        hits = hard_coded_strings(sample)
    finally:
        sample.unlink()
    assert len(hits) == 2


def test_charts_are_shown_with_marks_hidden_from_screen_readers():
    import altair as alt
    import pandas as pd

    from inclucities.chart_access import without_mark_aria

    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q")
    layered = alt.layer(chart, chart).configure_view(stroke=None)
    for spec in (without_mark_aria(chart).to_dict(), without_mark_aria(layered).to_dict()):
        assert spec["config"]["aria"] is False
        assert spec["config"]["mark"]["aria"] is False


def test_every_chart_goes_through_the_accessible_wrapper():
    direct = [
        f"{path.name}:{n}"
        for path in sorted((ROOT / "components").glob("*.py"))
        if path.name != "charts.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "st.altair_chart(" in line
    ]
    assert direct == []
