"""The process and recommendations pages under AppTest, in English and French."""

from __future__ import annotations

from html import escape

import pytest

from inclucities.process import default_stages
from tests.apptest_utils import page_text, run_app

PROCESS = "pages/process.py"
RECS = "pages/recommendations.py"


def _stage_title(number: int, lang: str) -> str:
    """A stage's title as the content gives it (the content, not the layout, decides it)."""
    return escape(default_stages()[number - 1].title.as_dict()[lang], quote=False)


def _stage(at) -> str:
    value = at.query_params.get("stage")
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize(
    ("lang", "title", "stage_title", "sources"),
    [
        ("en", "How the mentoring worked", "Mentoring training and local support networks",
         "Sources"),
        ("fr", "Comment le mentorat a fonctionné",
         "Formation au mentorat et réseaux de soutien locaux", "Sources"),
    ],
)  # fmt: skip
def test_process_deep_link_shows_that_stage(lang, title, stage_title, sources):
    at = run_app(PROCESS, lang, {"stage": "3"})
    assert not at.exception, at.exception
    assert at.title[0].value == title
    text = page_text(at)
    assert f"<h3>{stage_title}</h3>" in text
    assert not at.info  # a valid link gets no notice
    assert sources in [s.value for s in at.subheader]
    assert "IncluCities en bref</cite>" in text  # the sources section cites the leaflet by title
    assert 'href="#src-1"' in text and 'id="src-1"' in text  # inline numbers link to the list
    assert "SEED-" not in text and "shared/" not in text
    assert at.dataframe  # the timeline's table alternative


@pytest.mark.parametrize("value", ["99", "abc"])
def test_process_invalid_stage_falls_back_politely(value):
    at = run_app(PROCESS, "fr", {"stage": value})
    assert not at.exception
    notice = at.info[0].value
    assert f"« {value} »" in notice and "étape 1" in notice
    assert f"<h3>{_stage_title(1, 'fr')}</h3>" in page_text(at)
    assert _stage(at) == "1"


def test_process_previous_next_update_the_query_param():
    at = run_app(PROCESS, "en", {"stage": "7"})
    assert at.button(key="process_next").disabled
    at.button(key="process_prev").click().run()
    assert not at.exception
    assert _stage(at) == "6"
    assert "<h3>Training academies and transfer workshops</h3>" in page_text(at)
    at.button(key="process_next").click().run()
    assert _stage(at) == "7"


def test_process_pair_filter_narrows_the_timeline_table():
    at = run_app(PROCESS, "en")
    assert "<h3>Needs assessment and matching</h3>" in page_text(at)
    assert at.button(key="process_prev").disabled
    at.selectbox(key="process_pair_filter").set_value(3).run()
    assert not at.exception
    rows = set(at.dataframe[0].value["Row"])
    assert rows == {"All partners", "Pair 3"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_recommendations_page_lists_seven_with_policy_and_sources(lang):
    at = run_app(RECS, lang)
    assert not at.exception, at.exception
    text = page_text(at)
    assert text.count('class="ic-rec-head"') == 1  # one at a time, the first by default
    assert len(at.radio(key="recs_pick").options) == 7  # the seven titles to pick from
    assert ("September 2020" if lang == "en" else "Septembre 2020") in text
    assert "Leçons clés du projet IncluCities" in text  # CEMR's paper, cited by its title
    assert "Migration et inclusion" in text  # CEMR's working-group note (policy context)
    assert "SEED-" not in text and "shared/" not in text
    assert len(at.get("download_button")) == 2


def test_recommendations_filters_narrow_cards_and_download():
    at = run_app(RECS, "en")
    at.pills(key="recs_filter_actors").set_value(["eu"]).run()
    assert not at.exception
    text = page_text(at)
    assert text.count('class="ic-rec-head"') == 1
    assert "Improve multilevel governance" in text
    assert "Showing **1** of 7 recommendations." in text
    at.pills(key="recs_filter_levels").set_value(["local"]).run()
    at.pills(key="recs_filter_actors").set_value(["migrants"]).run()
    at.pills(key="recs_filter_levels").set_value(["european"]).run()
    assert "No recommendation matches these filters." in page_text(at)
