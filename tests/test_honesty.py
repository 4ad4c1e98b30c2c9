"""The content says no more than its sources: checks a test can make (issues 13 and 25)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from inclucities.citations import Citations
from inclucities.content import Content, LocalList, LocalText, default_content
from inclucities.i18n import translator
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


def test_the_city_of_brussels_one_stop_shop_cites_the_press_release():
    """Brulocalis' press release describes the BAPA digital counters of Brussels and Schaerbeek."""
    shops = next(o for o in default_outputs() if o.id == "one-stop-shops")
    bapa = [h for h in shops.highlights if "BAPA" in h.label.en]
    assert len(bapa) == 1 and bapa[0].sources == ["BRUL-PR"]
    assert "one-stop-shop" in bapa[0].text.en and "one-stop-shop" in bapa[0].text.fr
    assert "Brussels" in bapa[0].label.en and "Schaerbeek" in bapa[0].label.en


def test_only_the_city_of_brussels_marker_has_no_public_source_for_its_position():
    unsourced = [c.id for c in CONTENT.city_list() if not c.position_sources]
    assert unsourced == ["brussels"]


# --- Every text a reader sees: data files, catalogs and survey definitions (issue 25) ----------

LANGS = ("en", "fr", "nl", "it", "es", "el", "lv", "uk", "ar")
ROOT = Path(__file__).resolve().parent.parent


def _yaml_texts(value: object, where: str) -> Iterator[tuple[str, str, str]]:
    """(where, language, text) for every multilingual field of a parsed YAML file."""
    if isinstance(value, dict):
        if value and set(value) <= set(LANGS):
            for lang, text in value.items():
                if isinstance(text, str):
                    yield where, lang, text
                elif isinstance(text, list):
                    yield from ((where, lang, str(item)) for item in text)
            return
        for key, item in value.items():
            yield from _yaml_texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _yaml_texts(item, f"{where}.{i}")


def _catalog_texts() -> Iterator[tuple[str, str, str]]:
    """(key, language, text) for every catalog entry: English from the template, then each .po."""
    for lang in LANGS:
        name = "messages.pot" if lang == "en" else f"{lang}.po"
        with (ROOT / "data" / "i18n" / name).open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:
                continue
            value = message.id if lang == "en" else message.string
            for text in value if isinstance(value, (list, tuple)) else (value,):
                if text:
                    yield f"{name}:{message.context}", lang, str(text)


def reader_texts() -> list[tuple[str, str, str]]:
    """Every text a reader can see, with where it lives and its language."""
    found: list[tuple[str, str, str]] = []
    files = sorted((ROOT / "data").glob("*.yaml")) + sorted(
        (ROOT / "surveys" / "definitions").glob("*.yaml")
    )
    for path in files:
        parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += _yaml_texts(parsed, str(path.relative_to(ROOT)))
    found += _catalog_texts()
    return found


READER_TEXTS = reader_texts()


def test_the_scans_read_the_catalogs_and_the_survey_definitions():
    origins = {where.split(":")[0].split(".yaml")[0] for where, _, _ in READER_TEXTS}
    assert {"messages.pot", "fr.po", "ar.po", "surveys/definitions/resident"} <= origins
    assert {lang for _, lang, _ in READER_TEXTS} == set(LANGS)


# Phrases that state more than the sources, or that are an editor's note to ourselves, per
# language ("*" = any language). Each was on a page once (issue 25).
FORBIDDEN: list[tuple[str, str]] = [
    # « jumelage » is town twinning; the leaflet says « mise en correspondance des 8 villes ».
    ("fr", r"\bjumel(age|ées?)\b(?!.*(binôme|habitant))"),
    # The project's French title: « Construire des villes inclusives pour les migrants ».
    ("fr", r"villes inclusives avec les migrants"),
    ("en", r"inclusive cities with migrants"),
    # The first round of study visits was online; the third was held in the mentee cities.
    ("en", r"visited each other three times"),
    ("fr", r"rendu visite trois fois"),
    ("nl", r"bezochten ze elkaar drie keer"),
    ("it", r"visitate tre volte"),
    ("es", r"se visitaron tres veces"),
    ("el", r"επισκέφθηκαν η μία την άλλη τρεις φορές"),
    ("lv", r"trīs reizes apmeklēja viena otru"),
    ("uk", r"тричі побували одне в одного"),
    ("ar", r"تبادلت الزيارات ثلاث مرات"),
    # Only one European project (ORIENT8) co-hosted the Mechelen academy.
    ("en", r"with other European projects"),
    ("fr", r"avec d'autres projets européens"),
    # CEMR's note says its priorities "include" these; it does not count them.
    ("en", r"three priorities"),
    ("fr", r"trois priorités"),
    # Editor's notes: what we could not find is not the reader's business.
    ("en", r"is not documented|not in (our|the) sources|sources we could check|gives no examples"),
    ("fr", r"dans nos sources|sources que nous avons pu|ne donne pas d'exemples"),
    ("nl", r"in onze bronnen|bronnen die we konden|geeft geen voorbeelden"),
    ("it", r"nelle nostre fonti|fonti che abbiamo potuto|non dà esempi"),
    ("es", r"en nuestras fuentes|fuentes que pudimos|no da ejemplos"),
    ("el", r"στις πηγές μας|πηγές που μπορέσαμε|δεν δίνει παραδείγματα"),
    ("lv", r"mūsu avotos|avotos, ko varējām|piemēru nav"),
    ("uk", r"в наших джерелах|у наших джерелах|змогли перевірити|прикладів немає"),
    ("ar", r"في مصادرنا|أمكننا التحقق|لا يقدّم نص CEMR أمثلة"),
    # Latvian spelling of Saint-Jean-de-la-Ruelle.
    ("lv", r"Sendžān"),
    # The Dutch title of the one-stop-shops output was left in English.
    ("nl", r"^Online one-stop shops$"),
]


@pytest.mark.parametrize(("lang", "pattern"), FORBIDDEN)
def test_no_reader_text_says_what_the_sources_do_not(lang, pattern):
    found = [
        f"{where} [{text_lang}]: {text[:90]}"
        for where, text_lang, text in READER_TEXTS
        if lang in ("*", text_lang) and re.search(pattern, text, re.IGNORECASE)
    ]
    assert found == []


def _catalog(key: str, lang: str) -> str:
    return next(text for where, text_lang, text in READER_TEXTS
                if where.endswith(f":{key}") and text_lang == lang)  # fmt: skip


def test_the_tagline_follows_the_projects_french_title():
    assert _catalog("core.tagline", "fr") == "Construire des villes inclusives pour les migrants"


def test_stage_one_uses_the_leaflets_words():
    stage = next(s for s in default_stages() if s.number == 1)
    assert "mise en correspondance des 8 villes" in stage.title.fr
    assert "LEAFLET" in stage.sources


def test_the_process_lead_says_how_the_visits_really_went():
    for lang in LANGS:
        assert _catalog("process.lead", lang) != "", lang
    lead = _catalog("process.lead", "en")
    assert "first online" in lead and "third in the mentee cities" in lead


def test_capacis_challenge_follows_the_pair_page():
    challenges = CONTENT.pairs[2].challenges
    assert (
        "Lampedusa" in challenges.en[0] and "local governments are overwhelmed" in challenges.en[0]
    )
    for lang in ("fr", "nl", "it", "es"):
        assert "Lampedusa" in getattr(challenges, lang)[0], lang
    assert "P2" in CONTENT.pairs[2].sources


def test_recommendations_keep_cemrs_should():
    recs = {r.number: r for r in default_recommendations()}
    assert "should be a two-way process" in recs[2].explanation.en
    assert "should be recognised as a fundamental right" in recs[4].explanation.en
    assert "doit être" in recs[2].explanation.fr and "doit être reconnue" in recs[4].explanation.fr


# The actors each of CEMR's seven sentences names (CEMR-LESSONS), and nothing more.
NAMED_BY_CEMR = {
    1: {"migrants"},  # « pas uniquement aux nouveaux arrivants »
    2: {"migrants"},  # « et pas uniquement les migrants »
    3: {"municipality", "civil-society", "migrants"},  # services municipaux, société civile, ...
    4: {"municipality"},  # « les structures de gouvernance locale »
    5: {"migrants"},  # « les femmes migrantes »
    6: {"municipality", "national-government", "eu"},  # niveaux européen, national et local
    7: {"municipality"},  # « permettent aux villes »
}


def test_the_actor_grid_claims_only_what_cemr_names():
    for rec in default_recommendations():
        assert set(rec.actors) <= NAMED_BY_CEMR[rec.number], rec.id


def test_the_tags_are_labelled_as_the_apps_own_reading():
    assert "our reading" in _catalog("recommendations.filters.themes", "en")
    assert "our reading" in _catalog("recommendations.filters.levels", "en")
    assert "notre lecture" in _catalog("recommendations.filters.levels", "fr")
    assert "own reading" in _catalog("recommendations.filters.hint", "en")


def test_the_mechelen_academy_had_one_partner_project():
    texts = [item.text for rec in default_recommendations() for item in rec.evidence]
    mechelen = [x for x in texts if "Mechelen" in x.en and "academy" in x.en]
    assert mechelen and all("another European project, ORIENT8" in x.en for x in mechelen)


def test_the_inclusion_partnerships_priorities_are_not_counted():
    policy = [p for p in default_policy() if "Inclusion Partnership" in p.title.en]
    assert policy and "priorities include" in policy[0].summary.en


def test_no_third_study_visit_in_capaci_without_a_source():
    """No source dates or describes the third-round visit to Capaci: it is not on the timeline."""
    for event in default_events():
        if event.stage == 7 and not event.is_for_all:
            assert 2 not in event.pair_ids, event.id


def test_the_press_releases_close_is_set_against_the_later_events():
    brussels = next(e for e in default_events() if e.id == "academy-brussels")
    assert brussels.note is not None and "close" in brussels.note.en
    assert "2023" in brussels.note.en and {"MECH-TA", "VERN"} <= set(brussels.sources)


def test_every_source_with_a_public_address_shows_it():
    register = CONTENT.sources
    assert register["CEMR-WG"].url == "https://ccre-cemr.org/fr/presse/migration-et-inclusion"
    assert register["BRUL-PR"].url == register["BRUL-CLAP"].url
    # The old pair-2 page is gone: its address now shows the Capaci page (P2).
    assert register["P2-old"].url is None
    assert all("fra.wiki" not in (s.url or "") for s in register.values())
    assert register["WIKI-CAP"].url == "https://it.wikipedia.org/wiki/Capaci"
    # CAP1's title gave dates (4-6 October) that the news item does not give.
    assert "4–6" not in register["CAP1"].title


def test_french_sources_lists_show_no_english_descriptions_and_no_no_date():
    cites = Citations(CONTENT.sources)
    cites.cite_in_order(CONTENT.sources)
    for lang in ("fr", "ar", "lv"):
        t = translator(lang)
        entries = cites.entries(t)
        english = [e.key for e in entries if e.title.startswith("[") and e.title_lang == "en"]
        assert english == [], lang
        lines = [e.text() for e in entries]
        assert not any("[News item" in line for line in lines), lang
        no_date = t("core.citation.no_date")
        assert not any(no_date in line for line in lines), lang
    fr = next(e for e in cites.entries(translator("fr")) if e.key == "SC3")
    assert fr.title == "Actualité (inclucities.eu)" and fr.title_lang == "fr"
