"""Each language's style sheet (docs/glossary.md) lists patterns its texts must never contain.

The sheet is the single source: every line ``- `REGEX` — in: SCOPE — why`` under a language's
"### ... (xx)" heading is checked against that language's catalog messages (plural messages
rendered for several counts, so "1 réponses" is caught) and its survey texts (questions, options,
consent, thank-you). SCOPE is a list of key prefixes, `all` (every catalog message) and/or
`definitions` (the survey texts).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from inclucities.i18n import LANGUAGES, load_catalogs, translator

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
DEFINITIONS = sorted((ROOT / "surveys" / "definitions").glob("*.yaml"))
COUNTS = (0, 1, 2, 5, 11, 21, 100)
CATALOGS = load_catalogs()

_SHEET = re.compile(r"^### .*\((?P<lang>[a-z]{2})\)\s*$")
_RULE = re.compile(r"^- `(?P<pattern>[^`]+)` — in: (?P<scope>[^—]+?) — (?P<why>.+)$")


def style_rules() -> dict[str, list[tuple[re.Pattern[str], tuple[str, ...], str]]]:
    """language -> [(pattern, scope, why)], read from the glossary's style sheets."""
    rules: dict[str, list[tuple[re.Pattern[str], tuple[str, ...], str]]] = {}
    lang = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            lang = None
        if match := _SHEET.match(line):
            lang = match["lang"]
            rules.setdefault(lang, [])
            continue
        if lang and (match := _RULE.match(line)):
            scope = tuple(part.strip() for part in match["scope"].split(","))
            rules[lang].append((re.compile(match["pattern"]), scope, match["why"].strip()))
    return rules


RULES = style_rules()


def catalog_texts(lang: str) -> Iterator[tuple[str, str]]:
    """(key, text) for every message of a language; counted ones once per count."""
    t = translator(lang, CATALOGS)
    for key, message in CATALOGS.messages(lang).items():
        names = {
            name
            for form in message.forms
            for _, name, _, _ in string.Formatter().parse(form)
            if name and name != "count"
        }
        values = dict.fromkeys(names, "X")
        if message.plural:
            for n in COUNTS:
                yield key, t(key, count=n, **values)
        else:
            yield key, message.forms[0]


def _walk(node: object, path: str) -> Iterator[tuple[str, object]]:
    if isinstance(node, dict):
        if "en" in node and all(isinstance(v, str) for v in node.values()):
            yield path, node
            return
        for name, value in node.items():
            yield from _walk(value, f"{path}.{name}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            ident = value.get("id", index) if isinstance(value, dict) else index
            yield from _walk(value, f"{path}[{ident}]")


def definition_texts(lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of the survey definitions in a language."""
    for path in DEFINITIONS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, field in _walk(data, path.stem):
            assert isinstance(field, dict)
            text = field.get(lang)
            if isinstance(text, str):
                yield where, text


def test_every_language_has_a_style_sheet_with_rules():
    assert set(RULES) == set(LANGUAGES)
    for lang, rules in RULES.items():
        assert rules, f"the {lang} style sheet forbids nothing"


def test_the_survey_texts_are_found():
    found = dict(definition_texts("ar"))
    assert any(where.endswith(".thank_you") for where in found)
    assert any(where.endswith(".consent") for where in found)
    assert len(found) > 50


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_text_matches_a_pattern_its_style_sheet_forbids(lang):
    problems = []
    for pattern, scope, why in RULES[lang]:
        prefixes = tuple(part for part in scope if part not in {"all", "definitions"})
        if "all" in scope or prefixes:
            for key, text in catalog_texts(lang):
                if ("all" in scope or key.startswith(prefixes)) and pattern.search(text):
                    problems.append(f"{key}: {why}: {pattern.search(text)[0]!r} in {text!r}")
        if "definitions" in scope:
            for where, text in definition_texts(lang):
                if pattern.search(text):
                    problems.append(f"{where}: {why}: {pattern.search(text)[0]!r} in {text!r}")
    assert not problems, "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize(
    ("lang", "bad"),
    [
        ("fr", "1 réponses retirées"),
        ("it", "Le vostre scelte e i vostri diritti"),
        ("it", "Dove lei vive, quanto spesso"),
        ("ar", "يمكنك تأييد فكرة"),
        ("ar", "اختر إجابة واحدة"),
        ("uk", "Відповіли 5 особи."),
        ("lv", "mazāk nekā 2 reizi"),
        ("el", "Ο υπεύθυνος της έρευνας μπορεί"),
    ],
)
def test_the_sheets_catch_the_errors_found_in_review(lang, bad):
    """Each error the review found is caught by at least one rule of its sheet."""
    assert any(pattern.search(bad) for pattern, _, _ in RULES[lang]), (lang, bad)
