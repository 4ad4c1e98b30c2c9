"""AppTest of the results and privacy pages: the live screen, every language, a locked database.

The figures themselves are pushed to the browser (tests/test_live_payload.py checks what they
say, tests/test_browser_live.py how they show); the page script runs once per visit.
"""

from __future__ import annotations

import json

import pytest

from inclucities import runtime
from inclucities.i18n import LANGUAGES
from inclucities.store import SurveyStore
from inclucities.survey.loader import load_survey_definitions
from tests.apptest_utils import page_text, run_app
from tests.test_store_survey import answers, hold_lock


def _seed(path, groups: dict[str, int]) -> None:
    store = SurveyStore(path, load_survey_definitions().surveys.values())
    n = 0
    for lang, count in groups.items():
        for _ in range(count):
            store.submit(f"p{n}", "resident", 1, lang, answers(city="mechelen", idea="idée"))
            n += 1
    store.close()


def test_results_page_mounts_the_live_screen_without_a_timer(isolated_database):
    _seed(isolated_database, {"fr": 6, "ar": 2})
    at = run_app("pages/results.py", lang="fr", query={"survey": "resident"})
    assert not at.exception
    (screen,) = [json.loads(el.proto.json) for el in at.get("bidi_component")]
    assert screen["url"] == "live/resident/events?lang=fr&mode=results"
    assert screen["view"] == "results" and screen["dir"] == "ltr"
    assert screen["vega"][0].startswith("app/static/vendor/")  # served locally, no CDN
    # no figure is rendered by the script: no suppressed number can leak from it either
    assert not at.table and not at.metric and not at.get("arrow_vega_lite_chart")
    text = page_text(at)
    assert "au moins 5 réponses" in text  # the rule, in one sentence
    # the survey switch wraps on a phone: a radio group, not a segmented control
    assert at.radio(key="results_survey").value == "resident"
    at.radio(key="results_survey").set_value("academy").run()
    assert at.query_params["survey"] == "academy"
    (screen,) = [json.loads(el.proto.json) for el in at.get("bidi_component")]
    assert screen["url"].startswith("live/academy/events?")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_results_and_survey_pages_run_in_every_language(isolated_database, lang):
    _seed(isolated_database, {"fr": 5})
    for page in ("pages/results.py", "pages/survey.py", "pages/privacy.py"):
        at = run_app(page, lang=lang, query={"survey": "resident"})
        assert not at.exception, (page, at.exception)
        assert "page_in_english" not in page_text(at)
        # no English fallback notice on any of these pages
        assert not [i for i in at.info if "English" in str(i.value)] or lang == "en"


def test_locked_database_message_and_other_pages_keep_working(isolated_database):
    proc = hold_lock(isolated_database)
    try:
        at = run_app("pages/survey.py", lang="fr", query={"survey": "resident"})
        assert not at.exception
        assert any("utilisée par un autre programme" in e.value for e in at.error)
        results = run_app("pages/results.py", lang="fr", query={"survey": "resident"})
        assert not results.exception
        assert any("ne peut pas être ouverte" in w.value for w in results.warning)
        privacy = run_app("pages/privacy.py", lang="ar")
        assert not privacy.exception
        assert privacy.title[0].value == "إشعار الخصوصية"
    finally:
        proc.kill()
        proc.wait()


def test_recommendations_page_ranks_live_with_the_same_small_cell_rule(isolated_database):
    store = SurveyStore(isolated_database, load_survey_definitions().surveys.values())
    for n in range(6):
        store.submit(f"r{n}", "resident", 1, "fr", answers(recommendations=["migrant-women"]))
    store.submit("r-last", "resident", 1, "fr", answers(recommendations=["participation"]))
    store.close()
    hidden = run_app("pages/recommendations.py", lang="en")
    assert not hidden.exception  # issue 23: nothing until the results of all sessions are shown
    assert not [df for df in hidden.dataframe if "display" in df.value.columns]
    assert "Results are hidden until the presenter reveals them." in [i.value for i in hidden.info]
    runtime.get_store().set_results_revealed("resident", True, actor="presenter")
    at = run_app("pages/recommendations.py", lang="en")
    assert not at.exception
    ranking = next(df.value for df in at.dataframe if "display" in df.value.columns)
    shown = dict(zip(ranking["recommendation"], ranking["display"], strict=True))
    assert shown["5. Support migrant women"] == "86%"  # 6 of 7 respondents
    # issue 10: from 5 answers on, an opinion's distribution is shown in full
    assert shown["4. Guarantee meaningful participation"] == "14%"  # 1 of 7
    assert shown["1. Take a whole-of-community approach"] == "0%"  # nobody chose it


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_privacy_page_states_when_results_appear_and_how_small_groups_are_hidden(
    isolated_database, lang, monkeypatch
):
    monkeypatch.setenv("INCLUCITIES_MIN_CELL_SIZE", "7")
    at = run_app("pages/privacy.py", lang=lang)
    assert not at.exception
    from inclucities.i18n import translator

    t = translator(lang)
    assert t("privacy.small_groups.heading") in [h.value for h in at.subheader]
    body = t("privacy.small_groups.body", k=7)
    assert body in page_text(at) and "7" in body


def test_results_page_says_while_the_presenter_keeps_the_results_hidden(isolated_database):
    _seed(isolated_database, {"fr": 6})
    hidden_text = "Results are hidden until the presenter reveals them."
    at = run_app("pages/results.py", lang="en", query={"survey": "resident"})
    assert not at.exception
    assert hidden_text in [i.value for i in at.info]  # issue 23: hidden until revealed
    store = runtime.get_store()
    store.set_results_revealed("resident", True, actor="presenter")
    shown = run_app("pages/results.py", lang="en", query={"survey": "resident"})
    assert hidden_text not in [i.value for i in shown.info]
    # one session follows its own state, not that of all sessions
    session = store.create_session("resident", "Morning", actor="presenter")
    one = run_app(
        "pages/results.py", lang="en", query={"survey": "resident", "session": session.id}
    )
    assert hidden_text in [i.value for i in one.info]
    (screen,) = [json.loads(el.proto.json) for el in one.get("bidi_component")]
    assert f"session={session.id}" in screen["url"]
    store.set_results_revealed("resident", False, actor="presenter")
    again = run_app("pages/results.py", lang="en", query={"survey": "resident"})
    assert hidden_text in [i.value for i in again.info]
