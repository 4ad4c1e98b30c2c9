"""Personal data an idea may carry (phone numbers, e-mail addresses, street addresses), as spans.

The moderator sees these parts highlighted before approving an idea. Detection is a helper, not
a guarantee: it errs on the side of few false alarms, so the moderator still reads every idea.

- Phone numbers: Google's libphonenumber (`phonenumbers`), read as a number of each partner
  country (Belgium, France, the Netherlands, Italy, Spain, Greece, Latvia, Ukraine) and any
  international number (+...), kept only when valid for that country's numbering plan.
- E-mail addresses: name@domain.tld (any script), and the common "name[at]domain.tld".
- Street addresses: a house number next to a street word in one of the nine languages (rue,
  straat, via, calle, οδός, iela, вулиця, شارع, street...), with the postcode and town that
  follow; and a full Dutch postcode (1012 AB).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import phonenumbers

PHONE_REGIONS: tuple[str, ...] = ("BE", "FR", "NL", "IT", "ES", "GR", "LV", "UA")
MIN_PHONE_DIGITS = 6  # fewer digits in the whole text: no phone number to look for


class Kind(StrEnum):
    """What a highlighted part may be."""

    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"


@dataclass(frozen=True, order=True)
class Span:
    """`text[start:end]` may be personal data of this kind."""

    start: int
    end: int
    kind: Kind


# -- e-mail ---------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+-])"
    r"[\w%+-]+(?:\.[\w%+-]+)*"  # local part: no leading, trailing or double dot
    r"(?:@|\s?[\[(]\s?(?:at|arobase)\s?[\])]\s?)"  # name@ or name[at] / name (at)
    r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+"  # domain labels
    r"[^\W\d_]{2,}"  # top-level domain: letters
    r"(?![\w@])",
    re.IGNORECASE,
)


def _emails(text: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        yield Span(match.start(), match.end(), Kind.EMAIL)


# -- phone numbers --------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1900 <= int(digits) <= 2099


def _years_only(raw: str) -> bool:
    """'2020-2022' or '2020 2023' read as a Latvian mobile number: a range of years instead."""
    return all(_is_year(group) for group in _DIGITS.findall(raw))


def _phones(text: str) -> Iterator[Span]:
    if sum(ch.isdigit() for ch in text) < MIN_PHONE_DIGITS:
        return
    for region in PHONE_REGIONS:
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        )
        for match in matcher:
            if not _years_only(match.raw_string):
                yield Span(match.start, match.end, Kind.PHONE)


# -- street addresses -----------------------------------------------------------------------------

# Street words written before the street's name, in the nine languages (lower case).
_BEFORE_NAME = (
    # French
    r"rue|avenue|av\.|boulevard|bd\.?|chaussée|chemin|allée|impasse|place|quai|square"
    # Dutch (as a word of its own) and Italian
    r"|straat|laan|plein|via|viale|piazza|piazzale|corso|vicolo|largo"
    # Spanish
    r"|calle|c/|avenida|avda\.?|plaza|paseo|carrer|camino|ronda"
    # Greek
    r"|οδός|οδος|οδ\.|λεωφόρος|λεωφ\."
    # Latvian (before the name in some spellings) and Ukrainian
    r"|iela|вулиця|вул\.|проспект|просп\.|провулок|пров\.|бульвар|площа"
    # Arabic, English
    r"|شارع|street|road"
)
# Street words written after the street's name (Latvian, English), lower case.
_AFTER_NAME = r"iela|bulvāris|prospekts|gatve|street|st\.|road|rd\.|avenue|ave\.|lane|boulevard"
# Dutch and German compounds: the street word ends the name (Kerkstraat, Stationslaan).
_SUFFIX = r"straat|laan|plein|gracht|dreef|steenweg|weg|kade|singel|straße|strasse"
# Small words that start a street's name in lower case: rue *de la* Paix, via *dei* Mille.
_PARTICLES = (
    r"(?:[dl]['’]|(?:de|du|des|la|le|les|van|der|den|het|di|del|della|dei|degli|delle|dels|el|the"
    r"|los|las)\s+)"
)
_NUMBER = r"\d{1,4}(?:[a-zA-Z](?![\w]))?(?:\s?(?:bis|ter)(?![\w]))?"
_NAME_WORD = r"[^\W\d_][\w'’.-]*"  # a word of the street's name: letters first

# Each pattern sits in a lookahead, so that matches may overlap: 'the Main Street 5' is tried
# from 'the' and from 'Main'. The overlaps are sorted out afterwards.
_NUMBER_FIRST = re.compile(
    rf"(?<![\w/.,-])(?=(?P<all>(?P<number>{_NUMBER}),?\s+(?:{_BEFORE_NAME})\s+"
    rf"(?P<name>{_PARTICLES}*{_NAME_WORD})))",
    re.IGNORECASE,
)
_NAME_FIRST = re.compile(
    rf"(?<![\w])(?=(?P<all>(?:{_BEFORE_NAME})\s+"
    rf"(?P<name>{_PARTICLES}*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}?)"
    rf",?\s+(?:n[°º.]?\s?|no\.?\s?|№\s?|nr\.?\s?)?(?P<number>{_NUMBER})(?![\w])))",
    re.IGNORECASE,
)
_NAME_THEN_WORD = re.compile(
    rf"(?<![\w])(?=(?P<all>(?:(?P<before>\d{{1,4}})[a-zA-Z]?\s+)?"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}?)\s+"
    rf"(?:{_AFTER_NAME})(?:,?\s+(?P<number>{_NUMBER}))?(?![\w])))",
    re.IGNORECASE,
)
_COMPOUND = re.compile(
    rf"(?<![\w])(?=(?P<all>[^\W\d_][\w-]{{2,}}(?:{_SUFFIX}),?\s+(?P<number>{_NUMBER})(?![\w])))",
    re.IGNORECASE,
)
# What may follow an address: its postcode and town (1000 Bruxelles, B-1000, 105 57 Αθήνα,
# LV-1010 Rīga, 1012 AB Amsterdam).
_POSTCODE_TOWN = re.compile(
    r"\s*,?\s*(?:[A-Z]{1,2}-)?(?:\d{3}\s\d{2}|\d{4,5})(?:\s?[A-Z]{2}(?![\w]))?\s+"
    r"(?P<town>[^\W\d_][\w'’-]*)"
)
_DUTCH_POSTCODE = re.compile(r"(?<![\w-])(?P<code>[1-9]\d{3})\s?[A-Z]{2}(?![\w])")
_TOWN = re.compile(r"\s+(?P<town>[^\W\d_][\w'’-]*)")
_LOWER_WORD_AFTER = re.compile(r"\s+([^\W\d_]{3,})")


def _names_a_street(name: str) -> bool:
    """A street's name has a capitalised word, or is in a script without capitals (Arabic)."""
    words = [w for w in re.split(r"[\s']+", name) if w]
    return any(w[0].isupper() or not w[0].islower() for w in words)


def _number_ends_address(text: str, end: int) -> bool:
    """'via Roma 5' ends there; 'via Zoom 3 times' goes on with a lower-case word: a count."""
    after = _LOWER_WORD_AFTER.match(text, end)
    return after is None or not after.group(1).islower()


def _with_town(text: str, end: int) -> int:
    """The end of an address, taking in the postcode and town right after it."""
    town = _POSTCODE_TOWN.match(text, end)
    if town is not None and town.group("town")[0].isupper():
        return town.end()
    return end


def _house_number(match: re.Match[str], group: str = "number") -> bool:
    """A house number, not a year: 'the road to Brussels 2022' names no address."""
    number = match.group(group)
    if number is None:
        return False
    digits = _DIGITS.match(number)
    return digits is not None and not _is_year(digits.group())


def _address_candidates(text: str) -> Iterator[tuple[int, int]]:
    for match in _NUMBER_FIRST.finditer(text):
        if _house_number(match) and _names_a_street(match.group("name")):
            yield match.start("all"), match.end("all")
    for match in _NAME_FIRST.finditer(text):
        end = match.end("all")
        street = _house_number(match) and _names_a_street(match.group("name"))
        if street and _number_ends_address(text, end):
            yield match.start("all"), end
    for match in _NAME_THEN_WORD.finditer(text):
        # a house number on one side or the other: '10 Downing Street', 'Brīvības iela 12'
        numbered = _house_number(match, "before") or _house_number(match)
        capitalised = all(w[0].isupper() for w in match.group("name").split())
        if numbered and capitalised and _number_ends_address(text, match.end("all")):
            yield match.start("all"), match.end("all")
    for match in _COMPOUND.finditer(text):
        if _house_number(match) and _number_ends_address(text, match.end("all")):
            yield match.start("all"), match.end("all")


def _addresses(text: str) -> Iterator[Span]:
    for start, end in _address_candidates(text):
        yield Span(start, _with_town(text, end), Kind.ADDRESS)
    for match in _DUTCH_POSTCODE.finditer(text):
        if _is_year(match.group("code")):  # 'in 2022 EU cities' is a year
            continue
        town = _TOWN.match(text, match.end())
        capitalised = town is not None and town.group("town")[0].isupper()
        yield Span(match.start(), town.end() if town and capitalised else match.end(), Kind.ADDRESS)


# -- together -------------------------------------------------------------------------------------


def _without_overlaps(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans in text order; of overlapping ones, the first found (e-mail, phone, address)."""
    kept: list[Span] = []
    for span in spans:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return tuple(sorted(kept))


@lru_cache(maxsize=4096)
def find_personal_data(text: str) -> tuple[Span, ...]:
    """The parts of `text` that look like a phone number, an e-mail or a street address."""
    found: list[Span] = []
    for finder in (_emails, _phones, _addresses):
        # the longest first, so that an address takes in its postcode rather than the reverse
        found += sorted(finder(text), key=lambda s: (s.start - s.end, s.start))
    return _without_overlaps(found)


def kinds(spans: Iterable[Span]) -> tuple[Kind, ...]:
    """The kinds found, each once, in a fixed order (phone, e-mail, address)."""
    present = {s.kind for s in spans}
    return tuple(kind for kind in (Kind.PHONE, Kind.EMAIL, Kind.ADDRESS) if kind in present)


def segments(text: str, spans: Iterable[Span]) -> list[tuple[str, Kind | None]]:
    """`text` cut into plain parts (kind None) and flagged parts, in order, for highlighting."""
    parts: list[tuple[str, Kind | None]] = []
    at = 0
    for span in sorted(spans):
        if span.start < at:
            continue
        if span.start > at:
            parts.append((text[at : span.start], None))
        parts.append((text[span.start : span.end], span.kind))
        at = span.end
    if at < len(text):
        parts.append((text[at:], None))
    return parts
