"""Translation layer: catalogs per language and domain, language resolution, locale formatting."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

CATALOG_DIR = Path(__file__).resolve().parent.parent / "data" / "i18n"
DEFAULT_LANGUAGE = "en"


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

# Explanatory pages (map, process, recommendations, admin) are complete in these two;
# the survey experience and the frame around it are complete in every language.
FULL_LANGUAGES: tuple[str, ...] = ("en", "fr")
EVERY_LANGUAGE_DOMAINS: frozenset[str] = frozenset({"core", "survey", "results", "privacy"})


class CatalogError(ValueError):
    """A catalog file is malformed."""


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_catalog_file(path: Path) -> dict[str, str]:
    """Read one flat `key: text` YAML catalog, naming the file in any error."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise CatalogError(f"{path}: expected a mapping of key: text")
    entries: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(value, str):
            raise CatalogError(f"{path}: key '{key}' must be text, got {type(value).__name__}")
        entries[str(key)] = value
    return entries


@dataclass
class Catalogs:
    """All messages: language -> domain -> key -> text."""

    by_language: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def domains(self, lang: str) -> dict[str, dict[str, str]]:
        return self.by_language.get(lang, {})

    def lookup(self, lang: str, key: str) -> str | None:
        domain = key.split(".", 1)[0]
        return self.by_language.get(lang, {}).get(domain, {}).get(key)


def load_catalogs(catalog_dir: Path = CATALOG_DIR) -> Catalogs:
    """Load `<lang>/<domain>.yaml` files; every key must start with its domain name."""
    catalogs = Catalogs()
    for lang in LANGUAGES:
        lang_dir = catalog_dir / lang
        domains: dict[str, dict[str, str]] = {}
        for path in sorted(lang_dir.glob("*.yaml")):
            entries = load_catalog_file(path)
            domain = path.stem
            for key in entries:
                if not key.startswith(f"{domain}."):
                    raise CatalogError(f"{path}: key '{key}' must start with '{domain}.'")
            domains[domain] = entries
        catalogs.by_language[lang] = domains
    return catalogs


@lru_cache(maxsize=1)
def default_catalogs() -> Catalogs:
    """The shipped catalogs, loaded once per process."""
    return load_catalogs()


def catalog_problems(catalogs: Catalogs) -> list[str]:
    """Every missing, extra or placeholder-mismatched key, against English."""
    problems: list[str] = []
    reference = catalogs.domains(DEFAULT_LANGUAGE)
    for domain, entries in reference.items():
        required = LANGUAGES if domain in EVERY_LANGUAGE_DOMAINS else FULL_LANGUAGES
        for lang in required:
            if lang == DEFAULT_LANGUAGE:
                continue
            other = catalogs.domains(lang).get(domain, {})
            for key in sorted(set(entries) - set(other)):
                problems.append(f"{lang}/{domain}.yaml: missing '{key}'")
            for key in sorted(set(other) - set(entries)):
                problems.append(f"{lang}/{domain}.yaml: '{key}' is not in en/{domain}.yaml")
            for key in sorted(set(entries) & set(other)):
                if _placeholders(entries[key]) != _placeholders(other[key]):
                    problems.append(f"{lang}/{domain}.yaml: '{key}' placeholders differ from en")
    for lang in LANGUAGES:
        for domain in catalogs.domains(lang):
            if domain not in reference:
                problems.append(f"{lang}/{domain}.yaml: no en/{domain}.yaml to match")
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
        text = self.catalogs.lookup(self.lang, key)
        if text is None:
            text = self.catalogs.lookup(DEFAULT_LANGUAGE, key)
        if text is None:
            return key  # a missing key is caught by the catalog tests, never by a crash
        return text.format(**values) if values else text

    def has_page_translation(self, domain: str) -> bool:
        """Whether a whole domain exists in this language (else English is shown)."""
        return domain in self.catalogs.domains(self.lang)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.lang)

    def number(self, value: float | int, decimals: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=self.locale)

    def date(self, value: date, fmt: str = "long") -> str:
        return format_date(value, format=fmt, locale=self.locale)

    def month(self, value: date) -> str:
        return format_date(value, format="MMMM y", locale=self.locale)

    def text(self, localized: Mapping[str, str]) -> str:
        """Pick this language from a multilingual content field, falling back to English."""
        return localized.get(self.lang) or localized.get(DEFAULT_LANGUAGE) or ""


def translator(lang: str, catalogs: Catalogs | None = None) -> Translator:
    """A translator for `lang` over the shipped catalogs."""
    return Translator(
        lang if lang in LANGUAGES else DEFAULT_LANGUAGE, catalogs or default_catalogs()
    )
