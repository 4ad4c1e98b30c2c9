"""Interface catalogs: add a message, merge the template into every language, list what is missing.

    python -m scripts.translations add KEY "English text" --note "Where it shows" \
        --text fr="Texte" --text nl="Tekst" ...       (plural: --plural "{count} item" ...)
    python -m scripts.translations update             # merge messages.pot into every <lang>.po
    python -m scripts.translations check              # what is missing or awaiting review

Content and survey texts (data/*.yaml, surveys/definitions/*.yaml) travel as one PO per language:
    python -m scripts.translations export-content uk --out content-uk.po
    python -m scripts.translations import-content content-uk.po   # writes the YAML, layout kept
"""

from __future__ import annotations

import argparse
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from inclucities.i18n import (
    CATALOG_DIR,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    TEMPLATE_FILE,
    catalog_problems,
    load_catalogs,
    placeholders,
)
from inclucities.translation_io import (
    TranslationFileError,
    import_catalog,
    missing_translations,
    write_export,
)

WIDTH = 100


def _read(path: Path, locale: str | None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=WIDTH, sort_output=False, include_previous=False)


def _languages() -> list[str]:
    return [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]


def update(catalog_dir: Path = CATALOG_DIR) -> None:
    """Bring every language file in line with the template; changed sources become fuzzy."""
    template = _read(catalog_dir / TEMPLATE_FILE, None)
    for lang in _languages():
        path = catalog_dir / f"{lang}.po"
        catalog = _read(path, lang) if path.exists() else Catalog(locale=lang)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        _write(path, catalog)


def _drop(catalog: Catalog, key: str) -> None:
    """Remove every message with this key, whatever its English source was."""
    for message in [m for m in catalog if m.id and m.context == key]:
        catalog.delete(message.id, context=key)


def add(
    key: str,
    source: str,
    plural: str | None,
    note: str,
    texts: dict[str, list[str]],
    catalog_dir: Path = CATALOG_DIR,
) -> None:
    """Add (or replace) one message in the template and in each language given."""
    msgid: str | tuple[str, str] = (source, plural) if plural else source
    flags = ["python-brace-format"] if placeholders(plural or source) else []
    template_path = catalog_dir / TEMPLATE_FILE
    template = _read(template_path, None)
    _drop(template, key)
    template.add(msgid, "", context=key, auto_comments=[note], flags=flags)
    _write(template_path, template)
    update(catalog_dir)
    for lang, forms in texts.items():
        path = catalog_dir / f"{lang}.po"
        catalog = _read(path, lang)
        if plural and len(forms) != get_plural(lang).num_plurals:
            raise SystemExit(f"{lang} needs {get_plural(lang).num_plurals} plural forms")
        string: str | tuple[str, ...] = tuple(forms) if plural else forms[0]
        _drop(catalog, key)
        catalog.add(msgid, string, context=key, auto_comments=[note], flags=flags)
        _write(path, catalog)


def _content_problems() -> list[str]:
    """Load every content and survey file as the app does; each error names file and field."""
    from inclucities.content import ContentError, load_content
    from inclucities.process import load_events, load_outputs, load_stages, load_toolkits
    from inclucities.recommendations import load_policy, load_recommendations
    from inclucities.survey.loader import load_survey_definitions

    problems = list(load_survey_definitions().errors.values())
    for loader in (load_content, load_stages, load_events, load_toolkits, load_outputs,
                   load_recommendations, load_policy):  # fmt: skip
        try:
            loader()
        except ContentError as exc:
            problems.append(str(exc))
    return problems


def check() -> int:
    problems = catalog_problems(load_catalogs()) + missing_translations() + _content_problems()
    print("\n".join(problems) or "every message, content text and survey text is translated")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="add a message to the template and languages")
    adding.add_argument("key")
    adding.add_argument("source", help="the English text")
    adding.add_argument("--plural", help="the English plural form (makes a plural message)")
    adding.add_argument("--note", required=True, help="where the message shows, for translators")
    adding.add_argument(
        "--text",
        action="append",
        default=[],
        metavar="LANG=TEXT",
        help="a translation; repeat LANG=FORM once per plural form, in the language's order",
    )
    exporting = commands.add_parser("export-content", help="content and survey texts as a PO")
    exporting.add_argument("lang", help="the language to translate into, e.g. uk")
    exporting.add_argument("--out", help="where to write (default: content-LANG.po)")
    importing = commands.add_parser("import-content", help="write a content PO back into YAML")
    importing.add_argument("file", help="a PO file made by export-content and translated")
    commands.add_parser("update", help="merge messages.pot into every language file")
    commands.add_parser("check", help="list missing, fuzzy or mismatched messages")
    args = parser.parse_args()
    if args.command == "add":
        texts: dict[str, list[str]] = {}
        for item in args.text:
            lang, _, text = item.partition("=")
            texts.setdefault(lang, []).append(text)
        add(args.key, args.source, args.plural, args.note, texts)
        return 0
    if args.command == "export-content":
        out = Path(args.out or f"content-{args.lang}.po")
        try:
            count = write_export(args.lang, out)
        except TranslationFileError as exc:
            raise SystemExit(str(exc)) from exc
        print(f"{out}: {count} texts")
        return 0
    if args.command == "import-content":
        try:
            report = import_catalog(Path(args.file))
        except TranslationFileError as exc:
            raise SystemExit(str(exc)) from exc
        print(f"written: {report.written}, already so: {report.unchanged}")
        for context in report.stale:
            print(f"skipped, the English changed since the export: {context}")
        for context in report.unknown:
            print(f"skipped, no such text any more: {context}")
        problems = _content_problems()
        print("\n".join(problems) or "the content and survey files still load")
        return 1 if report.stale or report.unknown or problems else 0
    if args.command == "update":
        update()
        return 0
    return check()


if __name__ == "__main__":
    raise SystemExit(main())
