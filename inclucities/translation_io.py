"""Content and survey texts to and from gettext PO files, one language per file.

Translators work on one PO file per language for everything the interface catalogs do not hold:
the content files (data/*.yaml) and the survey definitions (surveys/definitions/*.yaml).

- msgctxt names where the text lives: ``data/pairs.yaml|2.best_practices.0.description``
  (file, then the record's id and the path inside it; list items that carry an ``id``, ``key``
  or ``number`` are named by it, other list items by their position);
- msgid is the English text; msgstr is the translation (empty when there is none yet);
- a comment gives the French text as a second reference, and says which file and field it is.

Importing writes each translation back into its YAML file with ruamel.yaml's round-trip mode,
so comments, key order, quoting and layout stay as they were. An entry whose English has
changed since the export is skipped and reported, never written blind.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from inclucities.i18n import DEFAULT_LANGUAGE, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CONTENT_GLOBS = ("data/*.yaml", "surveys/definitions/*.yaml")
RECORD_KEYS = ("id", "key", "number")  # how a list item names itself, in order of preference
REFERENCE_LANGUAGE = "fr"  # shown to translators beside the English source
PO_WIDTH = 100


class TranslationFileError(ValueError):
    """A PO file cannot be imported (wrong language, unknown place, malformed)."""


@dataclass(frozen=True)
class TextUnit:
    """One translatable text: where it lives, its English source and its current translations."""

    file: str  # relative to the project root, e.g. "data/cities.yaml"
    path: tuple[str, ...]  # record id then keys and list positions, e.g. ("capaci", "facts", "1")
    texts: dict[str, str]  # language -> text (only the languages present)

    @property
    def context(self) -> str:
        return f"{self.file}|{'.'.join(self.path)}"

    @property
    def source(self) -> str:
        return self.texts[DEFAULT_LANGUAGE]


@dataclass
class ImportReport:
    """What an import changed, and what it left alone and why."""

    written: int = 0
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)  # English changed since the export
    unknown: list[str] = field(default_factory=list)  # no such place any more
    files: set[str] = field(default_factory=set)


def _yaml() -> YAML:
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096  # never wrap: one text per line is what translators and diffs want
    return rt


def _dump(data: Any, path: Path) -> None:
    rt = _yaml()
    # content files are top-level lists ("- id: ..."); survey definitions are mappings whose
    # lists are indented under their key ("  - id: ...")
    if isinstance(data, CommentedSeq):
        rt.indent(mapping=2, sequence=2, offset=0)
    else:
        rt.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    rt.dump(data, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _load(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8"))


# Per-language data that is not one text in nine languages (word lists): never exported.
NOT_TRANSLATED: frozenset[str] = frozenset({"data/stopwords.yaml"})


def content_files(root: Path = ROOT) -> list[Path]:
    """Every YAML file whose texts are translated inline."""
    found = (p for pattern in CONTENT_GLOBS for p in root.glob(pattern))
    return sorted(p for p in found if p.relative_to(root).as_posix() not in NOT_TRANSLATED)


def _is_local_text(node: Mapping[str, Any]) -> bool:
    return DEFAULT_LANGUAGE in node and set(node) <= set(LANGUAGES)


def _item_name(item: Any, index: int) -> str:
    if isinstance(item, Mapping):
        for key in RECORD_KEYS:
            if key in item:
                return str(item[key])
    return str(index)


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        if _is_local_text(node):
            yield path, node
            return
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, (*path, _item_name(item, index)))


def text_units(path: Path, root: Path = ROOT) -> list[TextUnit]:
    """The translatable texts of one file; a list field gives one unit per item."""
    rel = path.relative_to(root).as_posix()
    units: list[TextUnit] = []
    for where, node in _walk(_load(path), ()):
        source = node[DEFAULT_LANGUAGE]
        if isinstance(source, list):
            for i, _ in enumerate(source):
                texts = {
                    lang: str(value[i])
                    for lang, value in node.items()
                    if isinstance(value, list) and i < len(value)
                }
                units.append(TextUnit(rel, (*where, str(i)), texts))
        else:
            texts = {lang: str(value) for lang, value in node.items() if value is not None}
            units.append(TextUnit(rel, where, texts))
    return units


def all_units(root: Path = ROOT) -> list[TextUnit]:
    return [unit for path in content_files(root) for unit in text_units(path, root)]


def missing_translations(root: Path = ROOT) -> list[str]:
    """'file|path: lang' for every content or survey text missing in a language."""
    return [
        f"{unit.context}: {lang}"
        for unit in all_units(root)
        for lang in LANGUAGES
        if not unit.texts.get(lang, "").strip()
    ]


def export_catalog(lang: str, root: Path = ROOT) -> Catalog:
    """A PO catalog of every content and survey text, with `lang`'s current translations."""
    if lang not in LANGUAGES or lang == DEFAULT_LANGUAGE:
        raise TranslationFileError(f"'{lang}' is not a language to translate into")
    catalog = Catalog(
        locale=lang,
        project="IncluCities Live content",
        fuzzy=False,
        header_comment=(
            "# IncluCities Live: content and survey texts for one language.\n"
            "# msgctxt: where the text lives (file|record.field); msgid: the English source.\n"
            "# Translate msgstr only, keep {placeholders} as written, then run:\n"
            "#   python -m scripts.translations import-content THIS_FILE\n"
        ),
    )
    for unit in all_units(root):
        notes = [f"{unit.file}, record {unit.path[0]}, field {'.'.join(unit.path[1:])}."]
        reference = unit.texts.get(REFERENCE_LANGUAGE)
        if reference and lang != REFERENCE_LANGUAGE:
            notes.append(f"French: {reference}")
        flags = ["python-brace-format"] if "{" in unit.source else []
        catalog.add(
            unit.source,
            unit.texts.get(lang, ""),
            context=unit.context,
            auto_comments=notes,
            flags=flags,
        )
    return catalog


def write_export(lang: str, out: Path, root: Path = ROOT) -> int:
    """Write `lang`'s content PO to `out`; returns the number of entries."""
    catalog = export_catalog(lang, root)
    with out.open("wb") as handle:
        write_po(handle, catalog, width=PO_WIDTH, sort_output=False, include_previous=False)
    return len(catalog)


def _locate(data: Any, path: tuple[str, ...]) -> Any:
    """The node at `path` (list items by their id/key/number or position), or None."""
    node = data
    for part in path:
        if isinstance(node, Mapping):
            if part not in node:
                return None
            node = node[part]
        elif isinstance(node, list):
            match = [item for i, item in enumerate(node) if _item_name(item, i) == part]
            if len(match) != 1:
                return None
            node = match[0]
        else:
            return None
    return node


def _set_text(owner: CommentedMap, lang: str, value: str, index: int | None) -> bool:
    """Put `value` for `lang` in a multilingual node, in language order; True if it changed."""
    if index is not None:
        items = owner.get(lang)
        english = owner[DEFAULT_LANGUAGE]
        if not isinstance(items, list):
            items = CommentedSeq(["" for _ in english])
            if isinstance(english, CommentedSeq) and english.fa.flow_style():
                items.fa.set_flow_style()
            _insert_in_order(owner, lang, items)
        while len(items) < len(english):
            items.append("")
        if items[index] == value:
            return False
        items[index] = value
        return True
    if owner.get(lang) == value:
        return False
    if lang in owner:
        owner[lang] = value
    else:
        _insert_in_order(owner, lang, value)
    return True


def _insert_in_order(owner: CommentedMap, lang: str, value: Any) -> None:
    order = list(LANGUAGES)
    position = sum(1 for key in owner if key in order and order.index(key) < order.index(lang))
    owner.insert(position, lang, value)


def import_catalog(path: Path, root: Path = ROOT) -> ImportReport:
    """Write the translations of a content PO back into the YAML files, layout preserved."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (OSError, ValueError) as exc:
        raise TranslationFileError(f"{path}: cannot be read as a PO file ({exc})") from exc
    lang = str(catalog.locale) if catalog.locale else ""
    lang = lang.split("_", 1)[0]
    if lang not in LANGUAGES or lang == DEFAULT_LANGUAGE:
        raise TranslationFileError(f"{path}: the header names no language to import ('{lang}')")
    report = ImportReport()
    loaded: dict[str, Any] = {}
    for message in catalog:
        if not message.id or not message.context or "|" not in message.context:
            continue
        if message.fuzzy or not message.string or isinstance(message.string, (tuple, list)):
            continue
        file, _, dotted = message.context.partition("|")
        target = root / file
        if not target.is_file() or target.resolve().parent not in {
            (root / g.split("/*", 1)[0]).resolve() for g in CONTENT_GLOBS
        }:
            report.unknown.append(message.context)
            continue
        if file not in loaded:
            loaded[file] = _load(target)  # each file is parsed once
        data = loaded[file]
        parts = tuple(dotted.split("."))
        owner, index = _locate(data, parts), None
        if not (isinstance(owner, CommentedMap) and _is_local_text(owner)):
            owner, index = _locate(data, parts[:-1]), parts[-1]
            if not (isinstance(owner, CommentedMap) and _is_local_text(owner)):
                report.unknown.append(message.context)
                continue
        english = owner[DEFAULT_LANGUAGE]
        position = None
        if index is not None:
            if not isinstance(english, list) or not index.isdigit() or int(index) >= len(english):
                report.unknown.append(message.context)
                continue
            position = int(index)
            english = english[position]
        if str(english) != message.id:
            report.stale.append(message.context)
            continue
        if _set_text(owner, lang, str(message.string), position):
            report.written += 1
            report.files.add(file)
        else:
            report.unchanged += 1
    for file in sorted(report.files):
        _dump(loaded[file], root / file)
    return report
