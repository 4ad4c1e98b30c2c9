"""The content says no more than its sources: checks a test can make (issue 13, part 2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from inclucities.content import Content, LocalList, LocalText, default_content
from inclucities.process import default_events, default_outputs, default_stages, default_toolkits
from inclucities.recommendations import default_policy, default_recommendations

CONTENT = default_content()


def _texts(value: object) -> Iterator[str]:
    """Every English and French text inside a record, nested parts included."""
    if isinstance(value, LocalText):
        yield value.en
        yield value.fr
    elif isinstance(value, LocalList):
        yield from value.en
        yield from value.fr
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)
    elif hasattr(type(value), "model_fields"):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))


def _all_records() -> list[object]:
    return [
        *CONTENT.cities.values(),
        *CONTENT.pairs.values(),
        *CONTENT.themes.values(),
        *CONTENT.associations.values(),
        *default_stages(),
        *default_events(),
        *default_toolkits(),
        *default_outputs(),
        *default_recommendations(),
        *default_policy(),
    ]


def _pair_sources(content: Content, pair_id: int) -> set[str]:
    """Sources about one pair: its record, practices, cities, theme, toolkit and events."""
    pair = content.pairs[pair_id]
    keys = set(pair.sources) | set(content.themes[pair.theme].sources)
    for practice in pair.best_practices:
        keys |= set(practice.sources)
    for city_id in (pair.mentor, pair.mentee):
        keys |= set(content.cities[city_id].sources)
    for kit in default_toolkits():
        if kit.pair == pair_id:
            keys |= set(kit.sources)
    for event in default_events():
        if not event.is_for_all and pair_id in event.pair_ids:
            keys |= set(event.sources)
    return keys


def test_an_example_credited_to_a_city_cites_a_source_about_that_city_or_its_pair():
    for rec in default_recommendations():
        for i, item in enumerate(rec.evidence):
            if item.city is None:
                continue
            pair = CONTENT.cities[item.city].pair
            assert pair is not None
            about = _pair_sources(CONTENT, pair)
            assert set(item.sources) & about, f"{rec.id}.evidence.{i} ({item.city})"


def test_no_example_rests_on_cemrs_paper_alone():
    """CEMR's paper states the recommendations without examples: an example needs its own source."""
    for rec in default_recommendations():
        for i, item in enumerate(rec.evidence):
            assert set(item.sources) - {"CEMR-LESSONS"}, f"{rec.id}.evidence.{i}"


def test_a_pairs_best_practice_cites_a_source_about_that_pair():
    for pair in CONTENT.pairs.values():
        own = set(pair.sources) | set(CONTENT.cities[pair.mentor].sources)
        for practice in pair.best_practices:
            assert set(practice.sources) & own, f"pair {pair.id}: {practice.name.en}"


def test_a_share_of_minorities_is_not_shown_as_foreign_origin():
    jelgava = CONTENT.cities["jelgava"]
    assert jelgava.foreign_origin_share is None
    assert (
        jelgava.foreign_origin_note is not None and "minorities" in jelgava.foreign_origin_note.en
    )
    for city in CONTENT.city_list():
        figure = city.foreign_origin_share
        if figure is not None and figure.note is not None:
            assert "minorit" not in figure.note.en.lower(), city.id


@pytest.mark.parametrize(
    "pattern",
    [r"\bongoing\b", r"\ben cours\b", r"\bcurrently\b", r"\bactuellement\b", r"\bnowadays\b"],
)
def test_no_undated_present_tense_claims(pattern):
    """'Ongoing' with no date says more than a source written years ago can."""
    found = [text for record in _all_records() for text in _texts(record)
             if re.search(pattern, text, re.IGNORECASE)]  # fmt: skip
    assert found == []


CAUSAL = [r"because", r"due to", r"thanks to", r"as a result", r"en raison de"]


@pytest.mark.parametrize("pattern", [*CAUSAL, r"grâce à"])
def test_no_cause_is_stated_in_our_own_words(pattern):
    """A cause must come from a source; the content states none in its own words."""
    found = [text for record in _all_records() for text in _texts(record)
             if re.search(pattern, text, re.IGNORECASE)]  # fmt: skip
    assert found == []


def test_sources_that_disagree_are_shown_with_a_note():
    schaerbeek = CONTENT.cities["schaerbeek"].foreign_origin_share
    assert schaerbeek is not None and schaerbeek.note is not None and "37" in schaerbeek.note.en
    fuenlabrada = CONTENT.cities["fuenlabrada"].population
    assert fuenlabrada is not None and fuenlabrada.note is not None
    mechelen = CONTENT.cities["mechelen"].facts
    assert mechelen is not None and any("80 languages" in f for f in mechelen.en)
    table = next(p for p in CONTENT.pairs[3].best_practices if "Coexistence" in p.name.en)
    assert "31" in table.description.en
    cemr = CONTENT.cities["cemr"].facts
    assert cemr is not None
    assert any("2020–2023" in f for f in cemr.en) and any("six" in f for f in cemr.en)
    steering = next(e for e in default_events() if e.id == "steering-2021-10")
    assert steering.uncertain and steering.note is not None


def test_what_is_not_in_our_sources_is_said_so():
    """Outputs and plans whose content we could not check say so instead of describing it."""
    outputs = {o.id: o for o in default_outputs()}
    assert "not in our sources" in outputs["infographic"].text.en
    assert "City of Brussels" in outputs["one-stop-shops"].text.en
    for pair in CONTENT.pairs.values():
        assert "not in our sources" in pair.action_plan.en or pair.id == 2, pair.id


def test_only_the_city_of_brussels_marker_has_no_public_source_for_its_position():
    unsourced = [c.id for c in CONTENT.city_list() if not c.position_sources]
    assert unsourced == ["brussels"]
