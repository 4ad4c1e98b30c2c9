"""Every counted message, in every language, takes the plural form CLDR assigns to the number.

Babel carries CLDR's plural rules (`Locale.plural_form`): French puts 0 and 1 in "one"; Latvian
puts 0, 10-20, 30... in "zero"; Ukrainian has one (1, 21), few (2-4, 22-24) and many (0, 5-20);
Arabic has zero, one, two, few (3-10), many (11-99) and other (100-102...). The golden examples
below are what a reader must see (and must not see) for a number, one for each bug found in
review and more; the word tables catch a form written in another category's grammar.
"""

from __future__ import annotations

import re
import string

import pytest
from babel import Locale

from inclucities.i18n import (
    LANGUAGES,
    load_catalogs,
    plural_categories,
    plural_count,
    plural_rule,
    translator,
)

NUMBERS = (0, 1, 2, 3, 4, 5, 11, 21, 22, 100)
CATALOGS = load_catalogs()
PLURAL_KEYS = sorted(key for key, m in CATALOGS.messages("en").items() if m.plural)


def _values(key: str, lang: str) -> dict[str, str]:
    """A value for every placeholder of a message other than {count}."""
    message = CATALOGS.lookup(lang, key)
    assert message is not None
    names = {
        name
        for form in message.forms
        for _, name, _, _ in string.Formatter().parse(form)
        if name and name != "count"
    }
    return dict.fromkeys(names, "X")


def _render(key: str, lang: str, n: int, **extra: object) -> str:
    return translator(lang, CATALOGS)(key, count=n, **{**_values(key, lang), **extra})


def test_there_are_counted_messages():
    assert len(PLURAL_KEYS) >= 30


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_form_order_covers_the_cldr_categories(lang):
    """Each CLDR category a whole number can fall in has its own form in the catalog."""
    order = plural_categories(lang)
    assert len(order) == plural_count(lang)
    seen = {Locale.parse(lang).plural_form(n) for n in range(0, 1001)}
    assert seen <= set(order), f"{lang}: categories {seen - set(order)} have no form"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_counted_message_uses_the_cldr_form(lang):
    """Rendered for each n, the text is the form of the category CLDR gives n."""
    order = plural_categories(lang)
    locale = Locale.parse(lang)
    t = translator(lang, CATALOGS)
    for key in PLURAL_KEYS:
        message = CATALOGS.lookup(lang, key)
        assert message is not None and len(message.forms) == len(order), (lang, key)
        values = _values(key, lang)
        for n in NUMBERS:
            category = locale.plural_form(n)
            assert plural_rule(lang)(n) == order.index(category)
            expected = message.forms[order.index(category)].format(
                **{**values, "count": t.number(n)}
            )
            assert t(key, count=n, **values) == expected, (lang, key, n, category)


# (key, language, n, extra values, must contain, must not contain)
GOLDEN: list[tuple[str, str, int, dict[str, object], str, str | None]] = [
    # French: 0 and 1 take the singular
    ("admin.data.removed", "fr", 1, {}, "1 réponse retirée", "réponses"),
    ("admin.data.removed", "fr", 0, {}, "0 réponse retirée", "réponses"),
    ("admin.data.removed", "fr", 2, {}, "2 réponses retirées", None),
    ("admin.data.restored", "fr", 1, {}, "1 réponse restaurée", "réponses"),
    ("admin.login.throttled", "fr", 1, {}, "attendre 1 seconde avant", "secondes"),
    ("admin.login.throttled", "fr", 21, {}, "attendre 21 secondes", None),
    ("admin.moderation.more", "fr", 1, {}, "1 autre idée n'est pas affichée", "idées"),
    ("admin.confirm.remove_body", "fr", 1, {}, "**1** réponse sélectionnée", "réponses"),
    ("admin.confirm.reset_body", "fr", 1, {}, "**1** réponse actuelle sera retirée", "réponses"),
    ("recommendations.showing", "fr", 7, {"shown": 1}, "**1** sur 7", "1** recommandations"),
    ("survey.minutes", "fr", 1, {}, "Environ 1 minute", "minutes"),
    ("results.answered_by", "fr", 1, {}, "1 personne a répondu", "personnes"),
    ("survey.error.too_long", "fr", 1, {}, "1 caractère au maximum", "caractères"),
    ("survey.ideas.left", "fr", 0, {}, "Il vous reste 0 soutien", "soutiens"),
    # Other two-form languages
    ("admin.confirm.remove_body", "it", 1, {}, "**1** risposta selezionata", "la **1**"),
    ("admin.confirm.remove_body", "es", 1, {}, "**1** respuesta seleccionada", "la **1**"),
    ("recommendations.showing", "el", 7, {"shown": 1}, "**1** από 7", "Εμφανίζονται **1**"),
    ("recommendations.showing", "it", 7, {"shown": 1}, "**1** su 7", "Mostrate **1**"),
    # Ukrainian: one 1, 21; few 2-4, 22; many 0, 5-20, 100
    ("survey.count_so_far", "uk", 5, {}, "5 осіб", "особи"),
    ("survey.count_so_far", "uk", 2, {}, "2 особи", "осіб"),
    ("survey.count_so_far", "uk", 21, {}, "21 особа", None),
    ("results.answered_by", "uk", 11, {}, "11 осіб", "особи"),
    ("results.answered_by", "uk", 22, {}, "22 особи", "осіб"),
    ("admin.codebook.withheld", "uk", 2, {}, "менше ніж 2 рази", None),
    ("admin.codebook.withheld", "uk", 5, {}, "менше ніж 5 разів", None),
    ("admin.codebook.withheld", "uk", 21, {}, "менше ніж 21 раз.", None),
    ("admin.data.removed", "uk", 5, {}, "Вилучено 5 відповідей", None),
    ("privacy.how_long.body", "uk", 12, {}, "через 12 місяців", None),
    ("privacy.how_long.body", "uk", 3, {}, "через 3 місяці", None),
    # Latvian: one 1, 21; zero 0, 10-20, 100 (genitive plural); other 2-9, 22...
    ("admin.codebook.withheld", "lv", 2, {}, "mazāk nekā 2 reizes", "reizi"),
    ("admin.codebook.withheld", "lv", 5, {}, "mazāk nekā 5 reizes", "reizi"),
    ("admin.codebook.withheld", "lv", 1, {}, "mazāk nekā 1 reizi", "reizes"),
    ("admin.codebook.withheld", "lv", 11, {}, "mazāk nekā 11 reižu", "reizi"),
    ("survey.minutes", "lv", 21, {}, "Apmēram 21 minūte", None),
    ("survey.minutes", "lv", 22, {}, "Apmēram 22 minūtes", None),
    ("results.idea_count", "lv", 11, {}, "Saņemts 11 ideju", "nav"),
    ("results.idea_count", "lv", 100, {}, "Saņemts 100 ideju", "nav"),
    ("recommendations.download.hint", "lv", 10, {}, "10 iepriekš parādīto ieteikumu", "nav"),
    ("privacy.how_long.body", "lv", 12, {}, "12 mēnešus pēc", None),
    # Arabic: 3-10 plural genitive; 11-99 singular accusative (tamyiz); 100+ singular genitive
    ("survey.text_limit", "ar", 500, {}, "500 حرف؛", "حرفًا"),
    ("survey.text_limit", "ar", 40, {}, "40 حرفًا", None),
    ("survey.text_limit", "ar", 5, {}, "5 أحرف", None),
    ("survey.error.too_long", "ar", 500, {}, "500 حرف ", "حرفًا"),
    ("survey.error.too_long", "ar", 40, {}, "40 حرفًا", None),
    ("privacy.how_long.body", "ar", 12, {}, "12 شهرًا", None),
    ("privacy.how_long.body", "ar", 100, {}, "100 شهر ", "شهرًا"),
    ("privacy.how_long.body", "ar", 6, {}, "6 أشهر", None),
    ("results.answered_by", "ar", 40, {}, "40 شخصًا", None),
    ("results.answered_by", "ar", 500, {}, "500 شخص.", "شخصًا"),
    ("survey.count_so_far", "ar", 22, {}, "22 شخصًا", None),
    ("results.supports", "ar", 11, {}, "11 تأييدًا", None),
    ("results.supports", "ar", 100, {}, "100 تأييد", "تأييدًا"),
    ("survey.ideas.left", "ar", 21, {}, "21 تأييدًا", None),
    ("results.stage_waiting", "ar", 2, {}, "إجابتين", "2 إجابتين"),
    ("survey.minutes", "ar", 2, {}, "دقيقتين", "2"),
]


@pytest.mark.parametrize(
    ("key", "lang", "n", "extra", "wanted", "unwanted"),
    GOLDEN,
    ids=[f"{g[0]}-{g[1]}-{g[2]}" for g in GOLDEN],
)
def test_golden_plural_examples(key, lang, n, extra, wanted, unwanted):
    text = _render(key, lang, n, **extra)
    assert wanted in text, f"{lang} {key} n={n}: {text!r}"
    if unwanted:
        assert unwanted not in text, f"{lang} {key} n={n}: {text!r}"


# Words that show a form was written for another category: for each language and category,
# words that must not stand within a few words of the number.
FORBIDDEN: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "one": (
            "réponses", "secondes", "recommandations", "idées", "personnes", "caractères",
            "soutiens", "minutes", "retirées", "restaurées", "sélectionnées", "affichées",
            "actuelles", "validées", "approuvées", "reçues", "modifiées", "autres",
        ),
    },
    "es": {"one": ("respuestas", "segundos", "ideas", "personas", "caracteres", "apoyos")},
    "it": {"one": ("risposte", "secondi", "idee", "persone", "caratteri", "sostegni")},
    "nl": {"one": ("antwoorden", "seconden", "ideeën", "mensen", "tekens")},
    "el": {"one": ("απαντήσεις", "δευτερόλεπτα", "ιδέες", "άτομα", "χαρακτήρες")},
    "uk": {
        "one": ("осіб", "особи", "відповідей", "ідей", "секунд", "разів", "рази"),
        # genitive plural is right after a preposition ("до 2 ідей", "з 2 схвалених відповідей")
        "few": ("осіб", "особа", "разів", "ідею"),
        "many": ("особи", "особа", "рази", "секунди", "секунду", "ідею", "ідеї"),
    },
    "lv": {
        # "ideju" and "atbildes" are also the accusative and genitive singular
        "one": ("reizes", "reižu", "atbilžu", "idejas", "cilvēki", "minūtes"),
        "other": ("reizi", "reižu", "atbilžu", "cilvēks", "minūte", "ideja"),
        "zero": ("reizi", "cilvēks", "minūte", "ideja"),
    },
    "ar": {
        "few": ("حرفًا", "شهرًا", "شخصًا", "تأييدًا", "حرف", "شهر", "شخص", "تأييد", "فكرة"),
        "many": ("أحرف", "أشهر", "أشخاص", "تأييدات", "أفكار", "إجابات", "دقائق", "ثوانٍ",
                 "حرف", "شهر", "شخص", "تأييد"),
        "other": ("حرفًا", "شهرًا", "شخصًا", "تأييدًا", "أحرف", "أشهر", "أشخاص", "أفكار",
                  "إجابات", "دقائق", "ثوانٍ", "تأييدات"),
    },
}  # fmt: skip

_WORD = re.compile(r"[\w’'ًٌٍَُِّْ]+")
_CLAUSE_END = re.compile(r"[.;:!?؛،,·]")


def _near_number(text: str, number: str) -> list[str]:
    """Two words before and three after each occurrence of the number, within its clause."""
    words: list[str] = []
    for match in re.finditer(rf"(?<![\d\w]){re.escape(number)}(?![\d\w])", text):
        before = _CLAUSE_END.split(text[: match.start()])[-1]
        after = _CLAUSE_END.split(text[match.end() :])[0]
        words += _WORD.findall(before)[-2:] + _WORD.findall(after)[:3]
    return [word.strip("*") for word in words]


@pytest.mark.parametrize("lang", sorted(FORBIDDEN))
def test_no_form_carries_another_categorys_words(lang):
    locale = Locale.parse(lang)
    t = translator(lang, CATALOGS)
    problems = []
    for key in PLURAL_KEYS:
        for n in NUMBERS:
            category = locale.plural_form(n)
            banned = set(FORBIDDEN[lang].get(category, ()))
            if not banned:
                continue
            text = _render(key, lang, n)
            found = banned & set(_near_number(text.replace("**", ""), t.number(n)))
            if found:
                problems.append(f"{key} n={n} ({category}): {sorted(found)} in {text!r}")
    assert not problems, "\n".join(problems)


NUMBER_KEYS = sorted(
    key for key, m in CATALOGS.messages("en").items() if not m.plural and "{k}" in m.forms[0]
)


@pytest.mark.parametrize("lang", sorted(FORBIDDEN))
def test_a_threshold_number_takes_no_noun_of_the_wrong_category(lang):
    """Messages with the small-group threshold {k} have one form, so whatever k is set to
    (2 to 1000, 5 by default: "5 особи" was wrong), the words next to it must not need a
    plural form."""
    locale = Locale.parse(lang)
    problems = []
    for key in NUMBER_KEYS:
        message = CATALOGS.lookup(lang, key)
        assert message is not None
        for n in (n for n in NUMBERS if n >= 2):  # the setting's bounds
            banned = set(FORBIDDEN[lang].get(locale.plural_form(n), ()))
            text = message.forms[0].replace("**", "").format_map(_Blank(k=str(n)))
            found = banned & set(_near_number(text, str(n)))
            if found:
                problems.append(f"{key} k={n}: {sorted(found)} in {text!r}")
    assert not problems, "\n".join(problems)


def test_the_threshold_messages_are_found():
    assert "results.not_enough" in NUMBER_KEYS and "privacy.small_groups.body" in NUMBER_KEYS


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "X"
