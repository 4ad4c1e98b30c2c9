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
LOGGERS = {"LOG", "log", "logger", "logging", "_LOGGER"}
DISPLAY_KWARGS = {"label", "help", "placeholder", "caption", "title", "page_title", "body"}


def test_shipped_catalogs_are_complete():
    assert catalog_problems(load_catalogs()) == []


def test_every_language_domains_exist_in_all_nine_languages():
    catalogs = load_catalogs()
    for domain in EVERY_LANGUAGE_DOMAINS & set(catalogs.domains("en")):
        for lang in LANGUAGES:
            assert domain in catalogs.domains(lang), f"{lang}.po has no '{domain}' messages"


def _po_entry(key: str, source: str | tuple[str, str], text: str | tuple[str, ...]) -> str:
    lines = [f'msgctxt "{key}"']
    if isinstance(source, tuple):
        lines += [f'msgid "{source[0]}"', f'msgid_plural "{source[1]}"']
        texts = text if isinstance(text, tuple) else (text,)
        lines += [f'msgstr[{i}] "{form}"' for i, form in enumerate(texts)]
    else:
        lines += [f'msgid "{source}"', f'msgstr "{text}"']
    return "\n".join(lines) + "\n\n"


def _write_catalogs(folder: Path, entries: dict[str, str | tuple[str, str]], **per_lang) -> None:
    """A POT of `entries` and one PO per language; `per_lang[lang]` maps key -> translation."""
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    pot = header + "".join(_po_entry(k, v, "") for k, v in entries.items())
    (folder / "messages.pot").write_text(pot, encoding="utf-8")
    for lang in LANGUAGES:
        if lang == "en":
            continue
        texts = per_lang.get(lang, {k: v for k, v in entries.items() if isinstance(v, str)})
        body = "".join(_po_entry(k, entries[k], t) for k, t in texts.items())
        (folder / f"{lang}.po").write_text(header + body, encoding="utf-8")


def test_a_missing_key_is_reported(tmp_path: Path):
    _write_catalogs(
        tmp_path,
        {"core.a": "A", "core.b": "B {n}"},
        fr={"core.a": "A"},
        uk={"core.a": "A", "core.b": "B {m}"},
    )
    problems = catalog_problems(load_catalogs(tmp_path))
    assert "fr.po: 'core.b' is missing or awaiting review" in problems
    assert "uk.po: 'core.b' placeholders differ from the source" in problems


def test_page_domains_need_english_and_french_only(tmp_path: Path):
    entries = {"map.a": "A"}
    others = {lang: {} for lang in LANGUAGES if lang not in FULL_LANGUAGES}
    _write_catalogs(tmp_path, entries, **others)
    assert catalog_problems(load_catalogs(tmp_path)) == []
    _write_catalogs(tmp_path, entries, fr={}, **others)
    assert catalog_problems(load_catalogs(tmp_path)) == [
        "fr.po: 'map.a' is missing or awaiting review"
    ]


def test_a_plural_message_needs_every_form_of_the_language(tmp_path: Path):
    source = ("{count} answer", "{count} answers")
    _write_catalogs(
        tmp_path,
        {"core.n": source},
        **{lang: {"core.n": ("x {count}", "y {count}")} for lang in LANGUAGES if lang != "en"},
    )
    problems = catalog_problems(load_catalogs(tmp_path))
    assert "uk.po: 'core.n' has 2 plural forms, uk needs 3" in problems
    assert "ar.po: 'core.n' has 2 plural forms, ar needs 6" in problems
    assert not [p for p in problems if p.startswith(("fr.po", "nl.po", "el.po"))]


def test_an_unreadable_catalog_is_refused(tmp_path: Path):
    (tmp_path / "messages.pot").write_text('msgctxt "a"\nmsgid "unterminated\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"messages\.pot"):
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
        receiver = func.value if isinstance(func, ast.Attribute) else None
        if isinstance(receiver, ast.Name) and receiver.id in LOGGERS:
            continue  # a log line for the server's operator, not text for the page
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


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("en", 1, "About 1 minute"),
        ("en", 5, "About 5 minutes"),
        ("en", 1000, "About 1,000 minutes"),
    ],
)
def test_plural_messages_pick_their_form_from_the_count(lang, count, expected):
    assert translator(lang)("survey.minutes", count=count) == expected


def test_a_plural_message_refuses_a_preformatted_count():
    with pytest.raises(TypeError, match="count"):
        translator("en")("survey.minutes", count="5")
