"""Personal data in ideas (inclucities.pii): what is flagged for the moderator, and what is not."""

from __future__ import annotations

import pytest

from inclucities.pii import Kind, find_personal_data, kinds, segments


def found(text: str) -> list[tuple[str, str]]:
    return [(span.kind.value, text[span.start : span.end]) for span in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("mon numéro est 0470 12 34 56", "0470 12 34 56"),  # Belgian mobile
        ("bel me op +32 470 12 34 56", "+32 470 12 34 56"),
        ("appelez le 06 12 34 56 78 le soir", "06 12 34 56 78"),  # French mobile
        ("chiamami al +39 333 1234567", "+39 333 1234567"),  # Italian, international
        ("llámame al 612 345 678", "612 345 678"),  # Spanish mobile
        ("πάρτε με στο 6941234567", "6941234567"),  # Greek mobile
        ("zvani 21234567", "21234567"),  # Latvian mobile
        ("мій номер +380 67 123 4567", "+380 67 123 4567"),  # Ukrainian, international
        ("mijn nummer: 06 12345678", "06 12345678"),  # Dutch mobile
        ("رقمي ٠٤٧٠ ١٢ ٣٤ ٥٦", "٠٤٧٠ ١٢ ٣٤ ٥٦"),  # Arabic-Indic digits
        ("from abroad: 0032 470 12 34 56", "0032 470 12 34 56"),
        ("UK: +44 7911 123456", "+44 7911 123456"),  # any international number
    ],
)
def test_phone_numbers_of_the_partner_countries_are_found(text, number):
    assert found(text) == [("phone", number)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("écrivez-moi à jean.dupont@example.be merci", "jean.dupont@example.be"),
        ("mail: марія@приклад.укр", "марія@приклад.укр"),
        ("contact: jan[at]telenet.be", "jan[at]telenet.be"),
        ("Schrijf naar a.b-c+tag@mail.example.nl.", "a.b-c+tag@mail.example.nl"),
    ],
)
def test_email_addresses_are_found(text, address):
    assert found(text) == [("email", address)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("j'habite 12 rue de la Paix, 75002 Paris", "12 rue de la Paix, 75002 Paris"),
        ("Rue de la Loi 16, 1000 Bruxelles", "Rue de la Loi 16, 1000 Bruxelles"),
        ("12, avenue des Arts", "12, avenue des Arts"),
        ("ik woon in de Kerkstraat 12, 2000 Antwerpen", "Kerkstraat 12, 2000 Antwerpen"),
        ("Postcode 1012 AB Amsterdam", "1012 AB Amsterdam"),
        ("abito in via Roma 5, 00100 Roma", "via Roma 5, 00100 Roma"),
        ("vivo en calle de los Reyes 4", "calle de los Reyes 4"),
        ("μένω οδός Ερμού 15, 105 57 Αθήνα", "οδός Ερμού 15, 105 57 Αθήνα"),
        ("dzīvoju Brīvības iela 12, LV-1010 Rīga", "Brīvības iela 12, LV-1010 Rīga"),
        ("живу: вулиця Хрещатик, 22", "вулиця Хрещатик, 22"),
        ("أسكن في شارع الحرية 12", "شارع الحرية 12"),
        ("I live at 10 Downing Street", "10 Downing Street"),
    ],
)
def test_street_addresses_are_found_in_the_nine_languages(text, address):
    assert found(text) == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "2022",
        "7 recommendations",
        "3 study visits",
        "In 2022 we organised 3 study visits and wrote 7 recommendations.",
        "from 2020-2022",  # eight digits starting with 2: a Latvian mobile, were it not years
        "8 partner cities, 2020 2023",
        "Agenda 2030, SDG 11 and Article 6",
        "from 10:00 to 12:00 on 12/03/2022",
        "45 % of 1 234 567 people",
        "a budget of 20 000 euros, 100 000 residents",
        "ISBN 978-92-79-12345-6",
        "we met via Zoom 3 times",  # 'via' + a name + a count
        "the road to Brussels 2022",  # a street word, a name, then a year
        "1 place de crèche en plus",  # 'place' is a seat here
        "la place Flagey 3 fois par semaine",
        "Plaza Mayor 2 veces",
        "in 2022 EU cities",  # a year and two capitals: no Dutch postcode
        "Tel 112",
        "Mechelen, Rome and Lyon: 2 pairs each",
        "an e-mail @ the city",
    ],
)
def test_ordinary_numbers_and_words_are_not_flagged(text):
    assert found(text) == []


def test_several_kinds_in_one_idea_come_in_text_order_without_overlap():
    text = "Contact: ana@example.es o 612 345 678, calle Mayor 3"
    assert found(text) == [
        ("email", "ana@example.es"),
        ("phone", "612 345 678"),
        ("address", "calle Mayor 3"),
    ]
    assert kinds(find_personal_data(text)) == (Kind.PHONE, Kind.EMAIL, Kind.ADDRESS)


def test_digits_inside_an_email_are_the_email_not_a_phone():
    assert found("jan0470123456@example.be") == [("email", "jan0470123456@example.be")]


def test_segments_cut_the_text_around_the_flagged_parts_and_keep_all_of_it():
    text = "mon numéro est 0470 12 34 56, merci"
    parts = segments(text, find_personal_data(text))
    assert parts == [
        ("mon numéro est ", None),
        ("0470 12 34 56", Kind.PHONE),
        (", merci", None),
    ]
    assert "".join(part for part, _ in parts) == text
    assert segments("rien", ()) == [("rien", None)]
