"""Home leads (issue 26): one call to act, a teaser of the method, three ways in, and the
compact language control of every page."""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import UTC, datetime, timedelta

from components.navigation import PAGES
from inclucities.home import session_target, teaser_path, teaser_stops
from inclucities.i18n import LANGUAGES
from inclucities.process import default_stages
from inclucities.store.base import LiveSession
from tests.apptest_utils import run_app


def _session(code: str, opened_minutes_ago: int, closed: bool = False) -> LiveSession:
    opened = datetime(2026, 5, 1, 9, tzinfo=UTC) - timedelta(minutes=opened_minutes_ago)
    return LiveSession(
        id=f"id-{code}",
        survey_id="resident",
        join_code=code,
        name=f"Room {code}",
        place=None,
        date=None,
        opened_at=opened,
        closed_at=opened + timedelta(minutes=5) if closed else None,
        created_by="test",
    )


def test_the_call_to_act_joins_the_latest_open_session_only():
    assert session_target([], "fr") is None
    assert session_target([_session("AAAAAA", 5, closed=True)], "fr") is None
    target = session_target([_session("BBBBBB", 60), _session("CCCCCC", 5)], "ar")
    assert target is not None
    assert target.href == "j/CCCCCC?lang=ar"
    assert target.session.join_code == "CCCCCC"


def test_the_teaser_reads_in_the_page_direction():
    stages = [(n, f"Stage {n}") for n in range(1, 8)]
    ltr = teaser_stops(stages)
    rtl = teaser_stops(stages, rtl=True)
    assert [s.number for s in ltr] == list(range(1, 8))
    assert [s.x for s in ltr] == sorted(s.x for s in ltr)
    assert [s.x for s in rtl] == sorted((s.x for s in rtl), reverse=True)
    assert teaser_path(ltr).startswith(f"M{ltr[0].x} {ltr[0].y} L")
    assert teaser_path(ltr).count("L") == 6


def _links(at) -> list:
    return list(at.get("page_link"))


def _html(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def test_home_leads_to_the_survey_with_a_teaser_and_three_ways_in():
    at = run_app(None, "fr")
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["IncluCities Live"]  # one h1
    # the lead is text, not a heading
    assert any(m.value.startswith("De 2020 à 2022") for m in at.markdown)
    assert not [h for h in at.get("markdown") if h.value.startswith("#")]
    links = _links(at)
    cta = next(link for link in links if link.proto.label == "Donnez votre avis")
    assert cta.proto.page == "survey"
    # the teaser: a picture of the seven stages with a text alternative naming each one
    teaser = next(body for body in _html(at) if "home-teaser" in body)
    alt = html.unescape(re.search(r'alt="([^"]+)"', teaser)[1])
    stages = default_stages()
    for stage in stages:  # every stage, in order, in the page's language
        assert f"{stage.number}. {stage.title.as_dict()['fr']}" in alt
    svg = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", teaser)[1]).decode()
    assert svg.count("<circle") == len(stages)
    # the three ways in, each a picture card with its title as its link
    pages = {link.proto.page for link in links}
    assert {"map", "process", "recommendations"} <= pages
    arts = [body for body in _html(at) if body.startswith('<div class="home-way-art">')]
    assert len(arts) == 3 and all('alt=""' in body for body in arts)


def test_with_an_open_session_the_call_to_act_joins_it(isolated_database):
    from inclucities.store import SurveyStore
    from inclucities.survey.loader import load_survey_definitions

    surveys = load_survey_definitions().surveys
    store = SurveyStore(isolated_database, surveys.values())
    live = store.create_session("resident", "Matinée Malines", actor="presenter passphrase")
    store.close()
    at = run_app(None, "fr")
    assert not at.exception, at.exception
    cta = next(body for body in _html(at) if "home-cta-link" in body)
    assert f'href="j/{live.join_code}?lang=fr"' in cta
    assert "Donnez votre avis" in cta
    assert any("Matinée Malines" in c.value for c in at.caption)
    # the survey's page keeps only its own card further down
    assert sum(link.proto.page == "survey" for link in _links(at)) == 1


def test_the_language_control_names_the_current_language_and_opens_all_nine():
    at = run_app(None, "ar", query={"session": "ABC234"})
    assert not at.exception, at.exception
    popover = at.get("popover")[0]
    assert popover.proto.popover.label == "العربية"
    choices = list(popover.children.values())
    assert [c.proto.label for c in choices] == [lang.native_name for lang in LANGUAGES.values()]
    home = next(spec for spec in PAGES if spec.default)
    for choice, code in zip(choices, LANGUAGES, strict=True):
        # the same page, in that language, the rest of the query kept
        assert choice.proto.page == home.url_path or choice.proto.page == ""
        assert choice.proto.query_string == f"session=ABC234&lang={code}"
    # its spoken name says what it is, in the page's language (static/js/frame.js sets it)
    (frame,) = [e for e in at.get("bidi_component") if e.proto.component_name.endswith("frame")]
    data = json.loads(frame.proto.json)
    assert (data["lang"], data["dir"], data["label"]) == ("ar", "rtl", "اللغة: العربية")
    assert data["names"]["العربية"] == ["ar", "rtl"] and len(data["names"]) == len(LANGUAGES)


def test_a_language_link_followed_shows_the_page_in_that_language():
    at = run_app(None, "en")
    assert at.get("popover")[0].proto.popover.label == "English"
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception
    assert at.get("popover")[0].proto.popover.label == "Français"
    assert "Villes partenaires" in [m.label for m in at.metric]
