"""A shared device (issue 23): "New respondent" gives the browser a new respondent and an empty
form; a tablet's kiosk mode travels through the links; a second tab's other answers are never
acknowledged as if they were stored."""

from __future__ import annotations

import html
import json
import re

import pytest

from inclucities import respondent, runtime
from inclucities.i18n import LANGUAGES, translator
from inclucities.share import join_code_for
from inclucities.web import form as form_routes
from scripts.support.survey_helpers import resident_answers
from tests.asgi_client import Client
from tests.test_form_routes import FR, app, open_form, resident_body, send

CONFIG = re.compile(r'<script type="application/json" class="icf-config">(.*?)</script>', re.S)


@pytest.fixture
def phone(isolated_database):
    """A phone: a browser that keeps its cookies (as in tests/test_form_routes.py)."""
    form_routes._pages.clear()
    yield Client(app(), keep_cookies=True)
    runtime.reset()


def config_of(page: str) -> dict:
    found = CONFIG.search(page)
    assert found, "the form carries its script settings"
    return json.loads(html.unescape(found.group(1)))


def new_respondent(phone, query: str):
    reply = phone.get(f"/respondent/new?{query}")
    assert reply.status_code == 303
    assert reply.headers["cache-control"] == "no-store"
    return reply


# -- New respondent ----------------------------------------------------------------------------


def test_new_respondent_gives_a_new_cookie_and_an_empty_form_without_the_receipt(phone):
    page = open_form(phone)
    link = config_of(page)["urls"]["new_respondent"]
    assert link == "../respondent/new?to=form&survey=resident&lang=fr"
    before = dict(phone.cookies)
    receipt = send(phone, resident_body()).json()["receipt"]

    reply = new_respondent(phone, link.removeprefix("../respondent/new?"))
    assert reply.headers["location"] == "/answer/resident?lang=fr"
    cookie = phone.cookies[respondent.COOKIE_NAME]
    assert respondent.valid_token(cookie) and cookie != before[respondent.COOKIE_NAME]
    token = phone.cookies[respondent.FORM_COOKIE_NAME]
    assert token == respondent.form_token(cookie) != before[respondent.FORM_COOKIE_NAME]

    fresh = open_form(phone, reply.headers["location"])
    assert receipt not in fresh  # the receipt lives only on the device, which the script clears
    assert 'class="icf-thanks" aria-labelledby="icf-thanks-title" hidden' in fresh
    # the old page's token is refused, the new one sends as a new respondent
    old = {"x-form-token": before[respondent.FORM_COOKIE_NAME]}
    assert send(phone, resident_body(), **old).json()["status"] == "expired"
    reply = send(phone, resident_body()).json()
    assert reply["status"] == "stored" and reply["receipt"] != receipt


def test_new_respondent_goes_back_to_the_same_session_and_nowhere_else(phone):
    live = runtime.get_store().create_session("resident", "Room", actor="t")
    query = f"to=form&survey=resident&lang=ar&session={live.id}"
    assert new_respondent(phone, query).headers["location"] == (
        f"/answer/resident?lang=ar&session={live.id}"
    )
    evil = "to=form&survey=//evil.example&lang=xx&session=[x](//e.co)"
    assert new_respondent(phone, evil).headers["location"] == "/survey"
    # without `to=form`, the Streamlit survey page as before
    assert new_respondent(phone, "survey=resident&lang=fr").headers["location"] == (
        "/survey?survey=resident&lang=fr"
    )


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("kiosk=1", "kiosk=1"),
        ("kiosk=1&kiosk_seconds=1", "kiosk=1&kiosk_seconds=3"),
        ("kiosk=1&kiosk_seconds=45", "kiosk=1&kiosk_seconds=45"),
        ("kiosk=1&kiosk_seconds=99999", "kiosk=1&kiosk_seconds=120"),
        ("kiosk=1&kiosk_seconds=-5", "kiosk=1"),
        ("kiosk=yes&kiosk_seconds=5", ""),
    ],
)
def test_a_kiosk_stays_a_kiosk_for_the_next_person(phone, asked, kept):
    location = new_respondent(phone, f"to=form&survey=resident&lang=fr&{asked}").headers["location"]
    assert location == "/answer/resident?lang=fr" + (f"&{kept}" if kept else "")


def test_the_join_page_keeps_a_kiosk_through_the_code(phone):
    page = phone.get("/j?kiosk=1&kiosk_seconds=5&lang=fr").text
    assert '<input type="hidden" name="kiosk" value="1">' in page
    assert '<input type="hidden" name="kiosk_seconds" value="5">' in page
    assert "?lang=en&amp;kiosk=1&amp;kiosk_seconds=5" in page  # the language links keep it too
    code = join_code_for("resident", "fr")
    reply = phone.get(f"/j?code={code}&lang=fr&kiosk=1&kiosk_seconds=5")
    assert reply.status_code == 303
    assert reply.headers["location"] == f"j/{code}?lang=fr&kiosk=1&kiosk_seconds=5"
    assert "kiosk" not in phone.get("/j?lang=fr").text


def test_the_new_respondent_and_kiosk_texts_come_in_every_language(phone):
    for lang in LANGUAGES:
        t = translator(lang)
        page = html.unescape(open_form(phone, f"/answer/resident?lang={lang}"))
        for key in ("new_respondent", "kiosk_now", "kiosk_stay", "kiosk_show_code"):
            assert t(f"survey.form.{key}") in page, (lang, key)
        texts = config_of(open_form(phone, f"/answer/resident?lang={lang}"))["texts"]
        assert texts["kiosk_countdown"] == t("survey.form.kiosk_countdown", seconds="{seconds}")
        assert "{seconds}" in texts["kiosk_countdown"]
        assert texts["device_answered"] == t("survey.form.device_answered")
        if lang != "en":
            assert t("survey.form.new_respondent") != translator("en")("survey.form.new_respondent")


# -- two tabs ----------------------------------------------------------------------------------


def test_a_second_tab_with_other_answers_is_told_they_were_not_stored(phone):
    """Two tabs of one browser share the device's draft, so its secret: the second tab's other
    answers meet the first tab's stored submission."""
    open_form(phone)
    first = resident_body(answers=resident_answers(welcome="1", idea="Un café des langues"))
    stored = send(phone, first).json()
    assert stored["status"] == "stored" and "device_answered" not in stored
    other = first | {"answers": resident_answers(welcome="5", idea="Une autre idée")}
    reply = send(phone, other)
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "duplicate"  # nothing new stored, and the phone is told so
    assert body["device_answered"] == translator(FR)("survey.form.device_answered")
    assert "Nouvelle personne" in body["device_answered"]  # the action it offers, by its name
    store = runtime.get_store()
    assert store.count("resident") == 1
    rows = store.responses_frame("resident")
    assert rows["welcome"].astype(str).tolist() == ["1"]  # the first tab's answers stand
    # a new respondent (New respondent: a new secret) is stored as a second answer
    again = send(phone, other | {"submission": respondent.new_token()}).json()
    assert again["status"] == "stored" and store.count("resident") == 2
