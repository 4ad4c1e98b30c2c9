"""Word clouds: normalisation per language (fr, ar, uk and the others), stop words, plurals, cap."""

from __future__ import annotations

import pytest

from inclucities import wordcloud
from inclucities.i18n import LANGUAGES
from inclucities.wordcloud import MAX_WORDS, build, fold, key, stopwords, words_of


def counts(answers: list[tuple[str, str]]) -> dict[str, int]:
    return {w.text: w.count for w in build(answers)}


def test_french_case_accents_plurals_and_elision() -> None:
    cloud = counts(
        [
            ("Solidarité", "fr"),
            ("SOLIDARITE", "fr"),
            ("solidarités", "fr"),
            ("l'inclusion", "fr"),
            ("L’Inclusion !", "fr"),
            ("des jeux", "fr"),
            ("jeu", "fr"),
        ]
    )
    # shown in its most frequent written form, accents kept; counted under one key
    assert cloud == {"solidarité": 3, "inclusion": 2, "jeu": 2}


def test_french_stop_words_are_left_out_with_or_without_accents() -> None:
    assert words_of("Le vivre ensemble et la très grande écoute", "fr") == [
        "vivre",
        "ensemble",
        "grande",
        "écoute",
    ]
    assert "tres" in stopwords("fr")


def test_arabic_tashkeel_tatweel_alef_and_article() -> None:
    assert fold("التَّضامُن", "ar") == "التضامن"
    assert fold("مدينـــة", "ar") == "مدينة"
    assert fold("إدماج", "ar") == fold("أدماج", "ar") == fold("آدماج", "ar") == "ادماج"
    assert key("الإدماج", "ar") == key("إدماج", "ar")
    cloud = counts(
        [
            ("الإدماج", "ar"),
            ("إدماج", "ar"),
            ("اِدماج", "ar"),
            ("التَّضامُن", "ar"),
            ("تضامن", "ar"),
            ("في المدينة", "ar"),  # في is a stop word
        ]
    )
    assert cloud["إدماج"] == 3
    assert sum(cloud.values()) == 6
    assert "في" not in cloud


def test_ukrainian_keeps_its_letters_and_folds_case() -> None:
    assert fold("ЄДНІСТЬ", "uk") == "єдність"
    # й and ї are letters of their own: never folded into и and і
    assert fold("Мрій", "uk") == "мрій" != fold("Мрии", "uk")
    assert fold("Наївність", "uk") == "наївність"
    assert key("наїв", "uk") != key("наiв", "uk")
    cloud = counts([("Єдність", "uk"), ("єдність", "uk"), ("м’ята і свобода", "uk")])
    assert cloud == {"єдність": 2, "м'ята": 1, "свобода": 1}  # і is a stop word


def test_greek_tonos_dropped_and_final_sigma() -> None:
    assert fold("Ένταξη", "el") == fold("ΕΝΤΑΞΗ", "el") == "ενταξη"
    assert fold("Δικαιοσύνης", "el").endswith("σ")


@pytest.mark.parametrize(
    ("lang", "plural", "singular"),
    [
        ("en", "cities", "city"),
        ("en", "bridges", "bridge"),
        ("fr", "réseaux", "réseau"),
        ("fr", "voisins", "voisin"),
        ("es", "ciudades", "ciudad"),
        ("es", "clases", "clase"),
        ("es", "luces", "luz"),
        ("nl", "mannen", "man"),
        ("nl", "tafels", "tafel"),
        ("it", "inclusioni", "inclusione"),
        ("it", "case", "casa"),
    ],
)
def test_simple_plurals_fold(lang: str, plural: str, singular: str) -> None:
    assert key(plural, lang) == key(singular, lang)


def test_no_plural_folding_where_no_rule_is_safe() -> None:
    assert key("ιδέες", "el") != key("ιδέα", "el")
    assert key("pilsētas", "lv") != key("pilsēta", "lv")
    assert key("міста", "uk") != key("місто", "uk")
    assert key("bus", "en") == "bus"


def test_every_language_has_stop_words() -> None:
    for lang in LANGUAGES:
        assert len(stopwords(lang)) >= 20, lang


def test_at_most_fifty_words_and_size_follows_frequency() -> None:
    answers = [(f"mot{chr(0x61 + i % 26)}{chr(0x61 + i // 26)}", "fr") for i in range(80)]
    answers += [("partage", "fr")] * 5 + [("écoute", "fr")] * 2
    cloud = build(answers)
    assert len(cloud) == MAX_WORDS
    assert [w.text for w in cloud[:2]] == ["partage", "écoute"]
    assert cloud[0].weight == 1.0 and cloud[1].weight == pytest.approx(0.4)
    assert all(0 < w.weight <= 1 for w in cloud)
    assert len(build(answers, limit=10)) == 10


def test_a_word_counts_once_per_answer() -> None:
    assert counts([("paix paix paix", "fr"), ("paix", "fr")]) == {"paix": 2}


def test_arrange_puts_the_biggest_word_in_the_middle() -> None:
    cloud = build([("a" * 3, "en")] * 3 + [("bbb", "en")] * 2 + [("ccc", "en"), ("ddd", "en")])
    order = [w.text for w in wordcloud.arrange(cloud)]
    assert order.index("aaa") == len(order) // 2
    assert sorted(order) == sorted(w.text for w in cloud)


def test_empty_and_punctuation_only() -> None:
    assert build([]) == []
    assert build([("!!! 123 …", "fr"), ("", "en")]) == []
