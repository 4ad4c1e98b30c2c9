"""Citations: number the sources a page cites, and format each source as a reader needs it.

A page (or a download) makes one `Citations` object, calls `cite(keys)` wherever a fact is shown
and gets back the numbers to print beside the fact; `entries(t)` then lists every cited source
once, in order of first citation, with title, publisher, date, language and link. No Streamlit
here: components/content/sources.py draws the list and the inline numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from babel import Locale

from inclucities.content import Source, default_content
from inclucities.i18n import Translator

ANCHOR_PREFIX = "src-"


def anchor(number: int) -> str:
    """The HTML id of a source's entry in the page's list: 'src-3'."""
    return f"{ANCHOR_PREFIX}{number}"


@dataclass(frozen=True)
class CitationEntry:
    """One numbered source, with every part already in the reader's language."""

    number: int
    key: str
    publisher: str
    title: str
    title_lang: str  # the language the title is written in ('' when unknown)
    translated_title: str  # a short title in the reader's language ('' when none is needed)
    date: str  # the date in the reader's language ('' when the source gives none)
    language: str  # the source's language, named in the reader's language ('' when unknown)
    url: str  # '' when no public address is known
    availability: str  # '' for a plain link; else a sentence saying what the link is or is not

    @property
    def anchor(self) -> str:
        return anchor(self.number)

    def text(self) -> str:
        """The citation as one line of plain text (downloads, alt text)."""
        parts = [f"[{self.number}] {self.publisher}. {self.title}"]
        if self.translated_title:
            parts[0] += f" ({self.translated_title})"
        parts[0] += "."
        details = [d for d in (self.date, self.language) if d]
        if details:
            parts.append(". ".join(details) + ".")
        if self.url:
            parts.append(self.url)
        if self.availability:
            parts.append(self.availability)
        return " ".join(parts)


def date_label(value: str | None, t: Translator) -> str:
    """'2022-12-08' -> a long date, '2023-04' -> month and year, '2022' -> the year, None -> ''.

    A list where nearly every entry says "no date" tells the reader nothing: the date is shown
    only when the source gives one.
    """
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return t.date(dt.date(parts[0], parts[1], parts[2]))
    if len(parts) == 2:
        return t.month(dt.date(parts[0], parts[1], 1))
    return str(parts[0])


def language_name(code: str | None, t: Translator) -> str:
    """'fr' named in the reader's language ('French', 'français', 'الفرنسية'...)."""
    if not code:
        return ""
    name = Locale.parse(t.lang).languages.get(code, code)
    return t("core.citation.language", language=name)


def is_description(title: str) -> bool:
    """True for a title in [square brackets]: our description of a page, not its own title."""
    return title.startswith("[") and title.endswith("]")


def kind_of(title: str) -> str:
    """The kind of page a bracketed description names: 'news' or 'page'."""
    return "news" if title.startswith("[News item") else "page"


def _host(url: str | None) -> str:
    """'https://www.inclucities.eu/8-news/...' -> 'inclucities.eu'."""
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.").removeprefix("m.")


def shown_title(source: Source, t: Translator) -> tuple[str, str]:
    """The title to show and its language.

    A page's own title is shown as it is, and so is a bracketed title in the source's own
    language (a page title we could not check word for word). Our English description of a page
    is not shown to readers of other languages: they get the kind of page in their own language
    and the site that published it ('Actualité (inclucities.eu)') instead.
    """
    own_lang = source.title_language or source.language or ""
    if not is_description(source.title):
        return source.title, own_lang
    described_in = own_lang or "en"
    if described_in != "en" or t.lang == "en":
        return source.title, described_in
    label = t(f"core.citation.kind.{kind_of(source.title)}")
    host = _host(source.url)
    return (f"{label} ({host})" if host else label), t.lang


def describe(source: Source, number: int, t: Translator) -> CitationEntry:
    """A register entry as a citation in the reader's language."""
    translated = ""
    if source.short is not None and source.language != t.lang:
        translated = t.text(source.short)
    title, title_lang = shown_title(source, t)
    if not source.url:
        availability = t("core.citation.no_link")
    elif source.site_only:
        availability = t("core.citation.site_only")
    else:
        availability = ""
    return CitationEntry(
        number=number,
        key=source.key,
        publisher=source.publisher,
        title=title,
        title_lang=title_lang,
        translated_title=translated,
        date=date_label(source.date, t),
        language=language_name(source.language, t),
        url=source.url or "",
        availability=availability,
    )


class Citations:
    """The sources one page (or one download) cites, numbered in order of first citation."""

    def __init__(self, register: Mapping[str, Source] | None = None) -> None:
        self._register = register if register is not None else default_content().sources
        self._numbers: dict[str, int] = {}

    def cite(self, keys: Iterable[str]) -> tuple[int, ...]:
        """Register `keys` (known ones only) and return their numbers, sorted, without repeats."""
        numbers: set[int] = set()
        for key in keys:
            if key not in self._register:
                continue  # the content loaders refuse unknown keys; nothing to number here
            if key not in self._numbers:
                self._numbers[key] = len(self._numbers) + 1
            numbers.add(self._numbers[key])
        return tuple(sorted(numbers))

    def cite_in_order(self, keys: Iterable[str]) -> None:
        """Number `keys` in the order given (a list of sources with no inline numbers)."""
        for key in keys:
            self.cite([key])

    def number(self, key: str) -> int | None:
        """The number given to `key`, if it has been cited."""
        return self._numbers.get(key)

    @property
    def keys(self) -> list[str]:
        """Cited keys in number order."""
        return list(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)

    def entries_for(self, keys: Iterable[str], t: Translator) -> list[CitationEntry]:
        """The citations of `keys` (numbering any not cited yet), in number order."""
        wanted = set(self.cite(keys))
        return [e for e in self.entries(t) if e.number in wanted]

    def entries(self, t: Translator) -> list[CitationEntry]:
        """Every cited source, numbered, in the reader's language."""
        return [describe(self._register[key], n, t) for key, n in self._numbers.items()]


def numbers_label(numbers: Sequence[int]) -> str:
    """'[1, 3]' for inline use in plain text; '' when nothing is cited."""
    return f"[{', '.join(str(n) for n in numbers)}]" if numbers else ""


def inline_markdown(numbers: Sequence[int]) -> str:
    """Short numbered links to the page's source list, as Markdown: '[1] [3]' each a link."""
    return " ".join(f"[\\[{n}\\]](#{anchor(n)})" for n in numbers)


def citation_texts(citations: Citations, keys: Iterable[str], t: Translator) -> str:
    """The full citations of `keys` as one plain-text cell (CSV, table alternatives)."""
    return " | ".join(e.text() for e in citations.entries_for(keys, t))


def sources_markdown(citations: Citations, t: Translator, heading_level: int = 2) -> str:
    """The numbered source list as a Markdown section, for a downloaded document."""
    lines = [f"{'#' * heading_level} {t('core.sources')}", ""]
    for entry in citations.entries(t):
        lines.append(f"- {_md_escape(entry.text())}")
    return "\n".join(lines) + "\n"


def sources_csv(citations: Citations, t: Translator) -> str:
    """The numbered source list as CSV (number, title, publisher, date, language, link, note)."""
    headers = [t(f"core.citation.col.{c}") for c in CSV_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for e in citations.entries(t):
        title = e.title + (f" ({e.translated_title})" if e.translated_title else "")
        writer.writerow([e.number, title, e.publisher, e.date, e.language, e.url, e.availability])
    return buffer.getvalue()


CSV_COLUMNS = ("number", "title", "publisher", "date", "language", "link", "note")


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("#", "\\#")
