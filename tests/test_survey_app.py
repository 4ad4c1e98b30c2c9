"""AppTest: the survey page picks the survey, language and session from the link, says why it
takes no answers when it does not, and otherwise mounts the phone's form (the same markup and
script as the light page), which answers without rerunning the page."""

from __future__ import annotations

import json

import pytest

from inclucities.browser_files import browser_file, module_loader
from inclucities.form.render import render_form
from inclucities.i18n import translator
from scripts.support.survey_helpers import ACADEMY, RESIDENT
from tests.apptest_utils import page_text, run_app


def mounted(at) -> dict | None:
    """The form component on the page: its data, script and style; None without one."""
    found = [e for e in at.get("bidi_component") if e.proto.component_name.endswith("form")]
    if not found:
        return None
    proto = found[0].proto
    return {"data": json.loads(proto.json), "js": proto.js_content, "css": proto.css_content}


def test_survey_and_language_come_from_the_url():
    at = run_app("pages/survey.py", lang="uk", query={"survey": "academy"})
    assert not at.exception
    assert at.title[0].value == "Опитування наживо на навчальній академії"
    form = mounted(at)
    assert form is not None
    assert '<div class="icf" lang="uk" dir="ltr" data-survey="academy">' in form["data"]["html"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_page_mounts_the_same_form_and_script_as_the_light_page(lang):
    at = run_app("pages/survey.py", lang=lang, query={"survey": "resident"})
    form = mounted(at)
    assert form is not None
    expected = render_form(RESIDENT, lang, min_cell_size=5, host="streamlit")
    assert form["data"] == {"html": expected}
    assert form["js"] == module_loader("survey-form.js")  # the light page's script, by URL
    assert json.dumps(browser_file("survey-form.js").url) in form["js"]
    assert form["css"] == browser_file("survey-form.css").text
    assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in expected
    assert "<h1" not in expected  # the page's own title is the heading


def test_the_consent_follows_the_small_group_setting(monkeypatch):
    monkeypatch.setenv("INCLUCITIES_MIN_CELL_SIZE", "7")
    at = run_app("pages/survey.py", lang="en", query={"survey": "resident"})
    form = mounted(at)
    assert form is not None
    assert "fewer than 7 people is never shown" in form["data"]["html"]


def test_unknown_survey_offers_a_choice():
    at = run_app("pages/survey.py", lang="nl", query={"survey": "nope"})
    assert not at.exception
    assert "nope" in page_text(at)
    choice = at.radio(key="survey_choice")
    assert choice.options == ["Livepoll van de trainingsacademie", "Uw stad, uw stem"]
    assert choice.value is None
    assert mounted(at) is None


def test_a_session_link_names_the_session_on_the_form():
    from components.store_access import get_store

    live = get_store().create_session("academy", "Académie de Malines", actor="t")
    at = run_app(
        "pages/survey.py", lang="fr", query={"survey": "academy", "session": live.join_code}
    )
    form = mounted(at)
    assert form is not None
    html = form["data"]["html"]
    assert "Vous répondez dans cette session" in html and "Académie de Malines" in html
    assert f'"session": "{live.join_code}"' in html  # what the form sends: the code


def test_a_session_id_from_a_public_page_does_not_answer_into_it():
    """Ids are public on the results pages: answering into a session needs its code."""
    from components.store_access import get_store

    live = get_store().create_session("academy", "Académie de Malines", actor="t")
    at = run_app("pages/survey.py", lang="fr", query={"survey": "academy", "session": live.id})
    assert mounted(at) is None
    assert [w.value for w in at.warning] == [translator("fr")("survey.session_closed")]


def test_a_closed_session_or_survey_says_so_and_shows_no_form():
    from components.store_access import get_store

    store = get_store()
    live = store.create_session("academy", "Room", actor="t")
    store.close_session(live.id, actor="t")
    at = run_app(
        "pages/survey.py", lang="el", query={"survey": "academy", "session": live.join_code}
    )
    assert [w.value for w in at.warning] == [translator("el")("survey.session_closed")]
    assert mounted(at) is None
    store.set_survey_open("academy", False, actor="t")
    at = run_app("pages/survey.py", lang="lv", query={"survey": "academy"})
    assert [w.value for w in at.warning] == [translator("lv")("survey.closed")]
    assert mounted(at) is None


def test_a_database_that_cannot_be_reached_is_said_and_the_form_still_shows(monkeypatch):
    """Answers are kept in the phone until the database is back: the form stays."""
    from inclucities import runtime
    from inclucities.store import StoreUnavailable

    def unavailable():
        raise StoreUnavailable("locked", "test", "held by another program")

    monkeypatch.setattr(runtime.current(), "store", unavailable)
    monkeypatch.setattr("components.store_access.get_store", unavailable)
    monkeypatch.setattr("components.survey.form.get_store", unavailable)
    at = run_app("pages/survey.py", lang="uk", query={"survey": "academy"})
    assert not at.exception
    assert [e.value for e in at.error] == [translator("uk")("survey.unavailable.locked")]
    assert mounted(at) is not None


def test_answering_reruns_nothing_the_form_sends_no_widget_values():
    """The component is mounted without a callback, and its script never sets a state or a
    trigger value: a tap costs the page no script run."""
    at = run_app("pages/survey.py", lang="en", query={"survey": "academy"})
    form = mounted(at)
    assert form is not None
    assert "setStateValue" not in form["js"] and "setTriggerValue" not in form["js"]
    assert ACADEMY.id in form["data"]["html"]
