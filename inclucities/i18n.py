"""Translation layer: catalogs per language and domain, language resolution, locale formatting."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal, format_percent

from inclucities.text import Literal, markdown_literal

CATALOG_DIR = Path(__file__).resolve().parent.parent / "data" / "i18n"
DEFAULT_LANGUAGE = "en"
TEMPLATE_FILE = "messages.pot"  # the English source texts, with a note for translators


@dataclass(frozen=True)
class Language:
    """One language the app can speak."""

    code: str
    native_name: str
    rtl: bool = False


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English"),
        Language("fr", "Français"),
        Language("nl", "Nederlands"),
        Language("es", "Español"),
        Language("it", "Italiano"),
        Language("el", "Ελληνικά"),
        Language("lv", "Latviešu"),
        Language("ar", "العربية", rtl=True),
        Language("uk", "Українська"),
    )
}


class CatalogError(ValueError):
    """A catalog file is malformed."""


@dataclass(frozen=True)
class Message:
    """One translated message: a single text, or one text per plural form of its language."""

    key: str
    forms: tuple[str, ...]
    plural: bool = False


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders of a message."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError as exc:
        raise CatalogError(f"malformed placeholder in {text!r}: {exc}") from exc


# The CLDR categories of a language's plural forms, in the order of its PO file's `msgstr[n]`.
# Languages not listed have two forms: one, other. A category missing from the order (French
# "many" for a million, Ukrainian "other" for fractions) takes the "other" form, else the last.
PLURAL_ORDER: dict[str, tuple[str, ...]] = {
    "lv": ("one", "other", "zero"),
    "uk": ("one", "few", "many"),
    "ar": ("zero", "one", "two", "few", "many", "other"),
}


def plural_categories(lang: str) -> tuple[str, ...]:
    """CLDR plural categories of a language, in the order of its plural forms."""
    return PLURAL_ORDER.get(lang, ("one", "other"))


@cache
def plural_rule(lang: str) -> Callable[[int], int]:
    """CLDR plural rule of a language (Babel), as the index of the form to use for a count.

    gettext's own rule for Latvian puts only 0 in the "zero" form; CLDR also puts 10-20, 30, 100
    and every number ending in 0 or 11-19 there (the counts that take the genitive plural).
    """
    order = plural_categories(lang)
    category_of = Locale.parse(lang).plural_form
    fallback = order.index("other") if "other" in order else len(order) - 1

    def index(count: int) -> int:
        category = category_of(count)
        return order.index(category) if category in order else fallback

    return index


def plural_count(lang: str) -> int:
    """How many plural forms a language has (Arabic 6, Ukrainian and Latvian 3, English 2)."""
    return get_plural(lang).num_plurals


def _messages(path: Path, lang: str, source: bool) -> dict[str, Message]:
    """Messages of one PO (or, for English, the POT's source texts), keyed by msgctxt."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=None if source else lang, abort_invalid=True)
    except (OSError, ValueError, PoFileError) as exc:
        raise CatalogError(f"{path}: cannot be read as a PO file ({exc})") from exc
    found: dict[str, Message] = {}
    seen: set[str] = set()
    for entry in catalog:
        if not entry.id or entry.context is None:
            continue
        key = entry.context
        if key in seen:
            raise CatalogError(f"{path}: the key '{key}' appears twice")
        seen.add(key)
        plural = isinstance(entry.id, (tuple, list))
        if not source and entry.fuzzy:
            continue  # a translation awaiting review is not shown
        texts = entry.id if source else entry.string
        if isinstance(texts, (tuple, list)):
            forms = tuple(str(form) for form in texts)
        else:
            forms = (str(texts or ""),)
        if plural:
            forms = tuple(form for form in forms if form)  # the tests report missing forms
        if forms and all(forms):
            found[key] = Message(key, forms, plural)
    return found


@dataclass
class Catalogs:
    """All messages: language -> key -> message (English is the source text)."""

    by_language: dict[str, dict[str, Message]] = field(default_factory=dict)

    def messages(self, lang: str) -> dict[str, Message]:
        return self.by_language.get(lang, {})

    def domains(self, lang: str) -> dict[str, dict[str, Message]]:
        """Messages grouped by domain, the key's first part ('survey', 'map'...)."""
        grouped: dict[str, dict[str, Message]] = {}
        for key, message in self.messages(lang).items():
            grouped.setdefault(key.split(".", 1)[0], {})[key] = message
        return grouped

    def lookup(self, lang: str, key: str) -> Message | None:
        return self.by_language.get(lang, {}).get(key)


def load_catalogs(catalog_dir: Path = CATALOG_DIR) -> Catalogs:
    """`messages.pot` (English source, with notes) and one `<lang>.po` per other language."""
    catalogs = Catalogs()
    template = catalog_dir / TEMPLATE_FILE
    catalogs.by_language[DEFAULT_LANGUAGE] = _messages(template, DEFAULT_LANGUAGE, source=True)
    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        path = catalog_dir / f"{lang}.po"
        catalogs.by_language[lang] = _messages(path, lang, source=False) if path.exists() else {}
    return catalogs


@lru_cache(maxsize=1)
def default_catalogs() -> Catalogs:
    """The shipped catalogs, loaded once per process."""
    return load_catalogs()


def catalog_problems(catalogs: Catalogs) -> list[str]:
    """Every missing, extra, plural- or placeholder-mismatched message, against English.

    Every page is complete in every language: a message missing in any language is a problem.
    """
    problems: list[str] = []
    reference = catalogs.messages(DEFAULT_LANGUAGE)
    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        other = catalogs.messages(lang)
        for key, source in reference.items():
            if key not in other:
                problems.append(f"{lang}.po: '{key}' is missing or awaiting review")
                continue
            message = other[key]
            if message.plural != source.plural:
                problems.append(f"{lang}.po: '{key}' plural forms differ from the source")
                continue
            if message.plural and len(message.forms) != plural_count(lang):
                problems.append(
                    f"{lang}.po: '{key}' has {len(message.forms)} plural forms, "
                    f"{lang} needs {plural_count(lang)}"
                )
            wanted = placeholders(source.forms[-1])
            for form in message.forms:
                if placeholders(form) - wanted or (wanted - {"count"}) - placeholders(form):
                    problems.append(f"{lang}.po: '{key}' placeholders differ from the source")
                    break
        for key in sorted(set(other) - set(reference)):
            problems.append(f"{lang}.po: '{key}' is not in {TEMPLATE_FILE}")
    return problems


def normalise_language(value: str | None) -> str | None:
    """Map 'fr-BE', 'FR', 'ar_MA' to a supported code, or None."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def resolve_language(query_lang: str | None, browser_locale: str | None) -> str:
    """URL `?lang=` first, then the browser locale, then English."""
    return normalise_language(query_lang) or normalise_language(browser_locale) or DEFAULT_LANGUAGE


def is_rtl(lang: str) -> bool:
    """Whether a language is written right to left."""
    return LANGUAGES.get(lang, LANGUAGES[DEFAULT_LANGUAGE]).rtl


@dataclass(frozen=True)
class Translator:
    """Looks messages up for one language and formats numbers and dates for its locale."""

    lang: str
    catalogs: Catalogs

    def __call__(self, key: str, **values: object) -> str:
        """The message for `key`; a plural message picks its form by `count` (a number)."""
        lang = self.lang
        message = self.catalogs.lookup(lang, key)
        if message is None:
            lang = DEFAULT_LANGUAGE
            message = self.catalogs.lookup(lang, key)
        if message is None:
            return key  # a missing key is caught by the catalog tests, never by a crash
        text = message.forms[0]
        if message.plural:
            count = values.get("count")
            if not isinstance(count, int):
                raise TypeError(f"'{key}' is a plural message: pass count= as an int")
            index = plural_rule(lang)(count)
            text = message.forms[min(index, len(message.forms) - 1)]
            values = {**values, "count": self.number(count)}
        if any(isinstance(value, Literal) for value in values.values()):
            values = {
                name: markdown_literal(value) if isinstance(value, Literal) else value
                for name, value in values.items()
            }
        return text.format(**values) if values else text

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.lang)

    def number(self, value: float | int, decimals: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=self.locale)

    def date(self, value: dt.date, fmt: str = "long") -> str:
        return format_date(value, format=fmt, locale=self.locale)

    def month(self, value: dt.date) -> str:
        return format_date(
            value, format="LLLL y", locale=self.locale
        )  # standalone: nominative in el, uk

    def text(self, localized: Mapping[str, str]) -> str:
        """Pick this language from a multilingual content field, falling back to English."""
        return localized.get(self.lang) or localized.get(DEFAULT_LANGUAGE) or ""

    def items(self, localized: Mapping[str, list[str]]) -> list[str]:
        """Pick this language from a multilingual list field, falling back to English."""
        return localized.get(self.lang) or localized.get(DEFAULT_LANGUAGE) or []


def translator(lang: str, catalogs: Catalogs | None = None) -> Translator:
    """A translator for `lang` over the shipped catalogs."""
    return Translator(
        lang if lang in LANGUAGES else DEFAULT_LANGUAGE, catalogs or default_catalogs()
    )
