"""Translation layer: complete catalogs, language resolution, locale formatting, no stray text."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from inclucities.i18n import (
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


def test_every_text_exists_in_every_language():
    """Parity: every interface message, content text and survey text, in all nine languages.

    There is no "not yet available in your language" fallback: a page ships complete or the
    suite fails, naming the language, the file and the text.
    """
    from inclucities.survey.loader import load_survey_definitions
    from inclucities.translation_io import missing_translations

    assert catalog_problems(load_catalogs()) == []
    assert missing_translations() == []
    registry = load_survey_definitions()
    assert registry.errors == {}  # a survey text missing in a language is a load error too
    catalogs = load_catalogs()
    for lang in LANGUAGES:
        assert set(catalogs.messages(lang)) == set(catalogs.messages("en")), lang


def test_every_domain_exists_in_all_nine_languages():
    catalogs = load_catalogs()
    for domain in catalogs.domains("en"):
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


def test_a_page_message_missing_in_any_one_language_is_reported(tmp_path: Path):
    entries = {"map.a": "A", "admin.b": "B"}
    _write_catalogs(tmp_path, entries)
    assert catalog_problems(load_catalogs(tmp_path)) == []
    _write_catalogs(tmp_path, entries, lv={"map.a": "A"}, ar={"admin.b": "B"})
    assert catalog_problems(load_catalogs(tmp_path)) == [
        "lv.po: 'admin.b' is missing or awaiting review",
        "ar.po: 'map.a' is missing or awaiting review",
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


def test_every_page_speaks_the_visitors_language_and_an_unknown_key_shows_itself():
    t = translator("ar")
    assert t("map.title") == "المدن الشريكة وثنائياتها"  # no page falls back to English
    assert t("process.title") == "كيف جرى الإرشاد"
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
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "components").rglob("*.py"))
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
        for path in sorted((ROOT / "components").rglob("*.py"))
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


PLURAL_COUNTS = (0, 1, 2, 5, 11, 100)
# survey.minutes and results.idea_count for 0, 1, 2, 5, 11, 100, as a reader must see them
MINUTES = {
    "en": ["About 0 minutes", "About 1 minute", "About 2 minutes", "About 5 minutes",
           "About 11 minutes", "About 100 minutes"],
    "fr": ["Environ 0 minute", "Environ 1 minute", "Environ 2 minutes", "Environ 5 minutes",
           "Environ 11 minutes", "Environ 100 minutes"],
    "lv": ["Apmēram 0 minūšu", "Apmēram 1 minūte", "Apmēram 2 minūtes", "Apmēram 5 minūtes",
           "Apmēram 11 minūšu", "Apmēram 100 minūšu"],
    "uk": ["Близько 0 хвилин", "Близько 1 хвилини", "Близько 2 хвилин", "Близько 5 хвилин",
           "Близько 11 хвилин", "Близько 100 хвилин"],
    "ar": ["أقل من دقيقة", "نحو دقيقة واحدة", "نحو دقيقتين", "نحو 5 دقائق", "نحو 11 دقيقة",
           "نحو 100 دقيقة"],
}  # fmt: skip
IDEAS = {
    "en": ["0 ideas received.", "1 idea received.", "2 ideas received.", "5 ideas received.",
           "11 ideas received.", "100 ideas received."],
    "fr": ["0 idée reçue.", "1 idée reçue.", "2 idées reçues.", "5 idées reçues.",
           "11 idées reçues.", "100 idées reçues."],
    "lv": ["Saņemts 0 ideju.", "Saņemta 1 ideja.", "Saņemtas 2 idejas.", "Saņemtas 5 idejas.",
           "Saņemts 11 ideju.", "Saņemts 100 ideju."],
    "uk": ["Отримано 0 ідей.", "Отримано 1 ідею.", "Отримано 2 ідеї.", "Отримано 5 ідей.",
           "Отримано 11 ідей.", "Отримано 100 ідей."],
    "ar": ["لم تصل أي فكرة بعد.", "وصلت فكرة واحدة.", "وصلت فكرتان.", "وصلت 5 أفكار.",
           "وصلت 11 فكرة.", "وصلت 100 فكرة."],
}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(MINUTES))
def test_plural_forms_for_0_1_2_5_11_100(lang):
    """Arabic has six forms, Ukrainian and Latvian three; each count gets the right one."""
    t = translator(lang)
    assert [t("survey.minutes", count=n) for n in PLURAL_COUNTS] == MINUTES[lang]
    ideas = [t("results.idea_count", count=n) for n in PLURAL_COUNTS]
    assert [text.split(". ")[0] + "." for text in ideas] == IDEAS[lang]


@pytest.mark.parametrize("lang", ["ar", "uk", "lv", "fr", "en"])
def test_every_plural_message_has_a_distinct_form_where_the_language_has_one(lang):
    """No plural message repeats one text for every count (the old «Близько 1 хвилин» bug)."""
    from inclucities.i18n import plural_count

    t = translator(lang)
    catalogs = load_catalogs()
    for key, message in catalogs.messages(lang).items():
        if not message.plural or plural_count(lang) < 2:
            continue
        names = {
            name
            for form in message.forms
            for _, name, _, _ in string.Formatter().parse(form)
            if name and name != "count"
        }
        values = dict.fromkeys(names, "x")
        texts = {t(key, count=n, **values) for n in PLURAL_COUNTS}
        source = catalogs.messages("en")[key]
        if len(set(source.forms)) > 1:  # the English itself varies with the number
            assert len(texts) > 1, f"{lang}: '{key}' reads the same for every count"


def test_a_plural_message_refuses_a_preformatted_count():
    with pytest.raises(TypeError, match="count"):
        translator("en")("survey.minutes", count="5")


# The Arabic definite article is written onto the word it defines ("استماع" → "الاستماع").
_ARABIC_ARTICLE = "ال"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "name_key",
    ["survey.form.listen_question", "survey.form.listen_intro", "survey.form.listen_consent"],
)
def test_a_listen_buttons_visible_word_is_a_word_of_its_name(lang, name_key):
    """WCAG 2.5.3 (label in name): a voice-control user says the word they see on the button."""
    t = translator(lang)
    visible = t("survey.form.listen").casefold()
    name_words = {
        word.removeprefix(_ARABIC_ARTICLE) if lang == "ar" else word
        for word in re.findall(r"\w+", t(name_key).casefold())
    }
    assert visible in name_words, f"{lang}: {visible!r} is not a word of {t(name_key)!r}"
