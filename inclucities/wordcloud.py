"""Word clouds for one-word and short-text questions: normalise, count, keep the top words.

Each answer is split into words in its own language, then every word is reduced to a *key*:

- case folded (``casefold``: also Greek final sigma, German sharp s);
- accents removed where the language allows it (fr, en, nl, es, it, lv); Greek drops its tonos
  only; Arabic drops its short-vowel marks (tashkeel), the tatweel and reads every alef form
  (أ إ آ ٱ) as a bare alef, and its definite article ``ال`` before a word of three letters or
  more; Ukrainian keeps every letter (й and ї are letters, not accented и and і);
- simple plurals folded, conservatively, in fr, en, es, nl and it (a suffix rule per language;
  other languages keep their words as written);
- stop words (``data/stopwords.yaml``, one short list per language) left out.

Words with the same key are one word of the cloud, shown as its most frequent written form (in
lower case, accents kept). At most `MAX_WORDS` words are kept, the most frequent first; each has
a `weight` from 0 to 1 that the screen turns into a font size. No Streamlit here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

STOPWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "stopwords.yaml"
MAX_WORDS = 50
SHORT_TEXT_MAX = 60
"""A text question whose answers are at most this long is a short-text question (word cloud)."""

ACCENT_FREE = frozenset({"fr", "en", "nl", "es", "it", "lv"})
_COMBINING_ACUTE = "\u0301"  # the Greek tonos, once decomposed
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEF_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
_ARABIC_ARTICLE = "ال"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"})
# a word: letters (and the combining marks that belong to them), inner hyphens and, in Ukrainian,
# the apostrophe that is part of the word (м'ята)
_WORD = re.compile(
    r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*(?:-[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*)*"
)
_UK_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


@dataclass(frozen=True)
class Word:
    """One word of the cloud: its shown form, how many answers used it, its relative size."""

    text: str
    count: int
    weight: float  # count / the largest count, 0 < weight <= 1
    lang: str  # the language most of its answers were written in


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def fold(word: str, lang: str) -> str:
    """One word in the form words are compared in (case, accents, Arabic letter forms)."""
    text = unicodedata.normalize("NFC", word).casefold()
    if lang in ACCENT_FREE:
        return _strip_marks(text)
    if lang == "el":
        decomposed = unicodedata.normalize("NFD", text).replace(_COMBINING_ACUTE, "")
        return unicodedata.normalize("NFC", decomposed)
    if lang == "ar":
        text = _ARABIC_MARKS.sub("", text).translate(_ALEF_FORMS)
        return text
    return text  # uk and the rest: letters kept as written (й, ї, ё stay)


def _plural_en(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _plural_fr(w: str) -> str:
    if len(w) >= 4 and w.endswith(("eaux", "eux")):
        return w[:-1]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _plural_es(w: str) -> str:
    if len(w) > 4 and w.endswith("ces"):
        return w[:-3] + "z"
    if len(w) > 3 and w.endswith("s") and w[-2] in "aeiou":
        if w.endswith("es") and len(w) > 4 and w[-3] in "lrndzj":
            return w[:-2]  # ciudades -> ciudad, mujeres -> mujer
        return w[:-1]  # casas -> casa, clases -> clase
    return w


def _plural_it(w: str) -> str:
    # Italian plurals change the last vowel (casa/case, libro/libri, inclusione/inclusioni):
    # the key is the word without it
    if len(w) >= 4 and w[-1] in "aeio":
        return w[:-1]
    return w


def _plural_nl(w: str) -> str:
    if w.endswith("'s") and len(w) > 4:
        w = w[:-2]
    elif (
        len(w) > 4
        and w.endswith("s")
        and (w[-2] in "aeiouy" or w[:-1].endswith(("er", "el", "em", "en", "je", "ie")))
    ):
        w = w[:-1]  # tafels -> tafel, meisjes -> meisje, keukens -> keuken
    if len(w) > 5 and w.endswith("en"):
        stem = w[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
            stem = stem[:-1]  # mannen -> man
        return stem
    return w


_PLURALS = {
    "en": _plural_en,
    "fr": _plural_fr,
    "es": _plural_es,
    "it": _plural_it,
    "nl": _plural_nl,
}


def singular(word: str, lang: str) -> str:
    """A folded word with a simple plural ending taken off (fr, en, es, nl, it only)."""
    rule = _PLURALS.get(lang)
    return rule(word) if rule else word


def key(word: str, lang: str) -> str:
    """The form words of one cloud are counted under."""
    folded = fold(word, lang)
    if lang == "ar" and folded.startswith(_ARABIC_ARTICLE) and len(folded) >= 5:
        folded = folded[len(_ARABIC_ARTICLE) :]
    return singular(folded, lang)


@lru_cache(maxsize=1)
def _raw_stopwords() -> dict[str, str]:
    data = yaml.safe_load(STOPWORDS_FILE.read_text(encoding="utf-8")) or {}
    return {str(lang): str(words) for lang, words in data.items()}


@lru_cache(maxsize=16)
def stopwords(lang: str) -> frozenset[str]:
    """The language's stop words, folded as the answers are (no plural folding: 'les' stays)."""
    return frozenset(fold(w, lang) for w in _raw_stopwords().get(lang, "").split())


def words_of(text: str, lang: str) -> list[str]:
    """The words of one answer as written (punctuation, digits and stop words left out)."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    if lang == "ar":
        text = _ARABIC_MARKS.sub("", text)
    pattern = _UK_WORD if lang == "uk" else _WORD
    stop = stopwords(lang)
    found: list[str] = []
    for match in pattern.finditer(text if lang == "uk" else text.replace("'", " ")):
        word = match.group(0).strip("-")
        folded = fold(word, lang)
        if len(folded) < 2 or folded in stop:
            continue
        found.append(word)
    return found


def _shown_form(forms: Counter[str]) -> str:
    """The most used written form; on a tie the shortest (a singular), then the one with the
    most accents (a word typed without them is the shortcut), then alphabetical order."""
    return min(
        forms.items(),
        key=lambda item: (-item[1], len(item[0]), -_marks(item[0]), item[0]),
    )[0]


def _marks(text: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFD", text) if unicodedata.combining(ch))


def build(answers: Iterable[tuple[str, str]], limit: int = MAX_WORDS) -> list[Word]:
    """The cloud of (text, language) answers: at most `limit` words, the most frequent first.

    A word counts once per answer (an answer repeating a word does not make it bigger).
    """
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    langs: dict[str, Counter[str]] = defaultdict(Counter)
    for text, lang in answers:
        seen: set[str] = set()
        for word in words_of(text, lang):
            k = key(word, lang)
            if not k or k in seen:
                continue
            seen.add(k)
            counts[k] += 1
            forms[k][unicodedata.normalize("NFC", word).lower()] += 1
            langs[k][lang] += 1
    shown = {k: _shown_form(forms[k]) for k in counts}
    ranked = sorted(counts, key=lambda k: (-counts[k], shown[k]))[: max(limit, 0)]
    if not ranked:
        return []
    top = counts[ranked[0]]
    return [Word(shown[k], counts[k], counts[k] / top, _shown_form(langs[k])) for k in ranked]


def arrange(words: list[Word]) -> list[Word]:
    """Reading order for the cloud: the biggest word in the middle, smaller ones outwards."""
    left: list[Word] = []
    right: list[Word] = []
    for index, word in enumerate(words):
        (right if index % 2 == 0 else left).append(word)
    return list(reversed(left)) + right
