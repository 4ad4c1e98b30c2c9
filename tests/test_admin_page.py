"""The admin page under AppTest: disabled without a password, the way to sign in, actions.

Signing in itself (the page, the paced check, the cookie) is tested in tests/test_signin.py and
in the browser; here the pages see the cookie that sign-in sets."""

from __future__ import annotations

import pytest

from scripts.support.browser_utils import PRIVACY_NOTICE_ENV
from tests.apptest_utils import SIGN_IN_PASSWORDS, page_text, run_app, sign_in_as

PASSWORD = SIGN_IN_PASSWORDS["admin"]


@pytest.fixture
def with_password(monkeypatch):
    """A server with an admin password, and this browser signed in with it."""
    sign_in_as(monkeypatch, "admin")


def _sign_in(at):
    """The console of a browser holding the admin's cookie (see `with_password`)."""
    at.run()
    assert not at.exception, at.exception
    assert at.segmented_control, page_text(at)
    return at


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_without_a_password_admin_is_disabled_and_says_how_to_enable(lang, monkeypatch):
    monkeypatch.delenv("INCLUCITIES_ADMIN_PASSWORD", raising=False)
    at = run_app("pages/admin.py", lang)
    assert not at.exception
    assert at.warning
    assert "INCLUCITIES_ADMIN_PASSWORD" in page_text(at)
    assert not at.text_input  # no sign-in form at all
    assert len(at.segmented_control) == 0


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_without_the_cookie_the_page_offers_the_sign_in_and_nothing_else(lang, monkeypatch):
    monkeypatch.setenv("INCLUCITIES_ADMIN_PASSWORD", PASSWORD)
    at = run_app("pages/admin.py", lang)
    assert not at.exception, at.exception
    assert len(at.segmented_control) == 0 and not at.selectbox and not at.button
    (link,) = at.get("link_button")
    assert link.proto.url == f"sign-in?next=admin%3Flang%3D{lang}&lang={lang}"


def test_a_presenters_cookie_does_not_open_the_admin(monkeypatch):
    sign_in_as(monkeypatch, "presenter")
    at = run_app("pages/admin.py", "en")
    assert len(at.segmented_control) == 0 and not at.selectbox


def test_the_admin_stays_signed_in_across_a_reload_and_signs_out_by_link(with_password):
    at = _sign_in(run_app("pages/admin.py", "en"))
    again = run_app("pages/admin.py", "en")  # a reload is a new session with the same cookie
    assert again.segmented_control(key="admin_section").value == "status"
    links = [b.proto.url for b in at.get("link_button")]
    assert "sign-out?next=admin%3Flang%3Den" in links


def test_closing_the_survey_asks_first_and_says_what_happens_to_people_answering(
    with_password, monkeypatch
):
    from components.store_access import get_store

    for name, value in PRIVACY_NOTICE_ENV.items():
        monkeypatch.setenv(name, value)
    at = run_app("pages/admin.py", "fr")
    _sign_in(at)
    assert at.segmented_control(key="admin_section").value == "status", page_text(at)
    at.selectbox(key="admin_survey").set_value("academy").run()
    at.button(key="admin_close").click().run()
    assert get_store().is_survey_open("academy")  # nothing yet: the dialog asks
    assert "ses réponses ne seront pas enregistrées" in page_text(at)
    at.button(key="admin_close_no").click().run()
    assert get_store().is_survey_open("academy")
    at.button(key="admin_close").click().run()
    at.button(key="admin_close_yes").click().run()
    assert not at.exception, at.exception
    assert not get_store().is_survey_open("academy")
    assert [e.action for e in get_store().audit_log()] == ["close"]
    assert not at.checkbox  # a complete notice: no override to tick
    at.button(key="admin_open").click().run()
    assert get_store().is_survey_open("academy")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_incomplete_privacy_notice_keeps_the_survey_closed_unless_the_admin_overrides(
    lang, with_password
):
    from components.store_access import get_store

    get_store().set_survey_open("academy", False, actor="t")
    at = run_app("pages/admin.py", lang)
    _sign_in(at)
    at.selectbox(key="admin_survey").set_value("academy").run()
    assert at.button(key="admin_open").disabled
    assert "INCLUCITIES_LEGAL_BASIS" in " ".join(w.value for w in at.warning)
    at.checkbox(key="admin_open_override").check().run()
    assert not at.button(key="admin_open").disabled
    at.button(key="admin_open").click().run()
    assert get_store().is_survey_open("academy")
    actions = [(e.action, e.detail) for e in get_store().audit_log()]
    assert ("privacy_override", "survey") in actions and ("open", None) in actions


def test_moderation_queue_shows_ideas_as_plain_text(with_password):
    from components.store_access import get_store
    from tests.test_presenter import NASTY, submit_idea

    submit_idea("m-1", NASTY, lang="fr")
    at = run_app("pages/admin.py", "en")
    _sign_in(at)
    at.selectbox(key="admin_survey").set_value("resident").run()
    at.segmented_control(key="admin_section").set_value("moderation").run()
    # escaped into a template (dir="auto"): the markup shows as text, nothing runs
    (html,) = [h.proto.body for h in at.get("html") if "moderation-idea-text" in h.proto.body]
    assert "&lt;script&gt;x()&lt;/script&gt; **b** [x](e)" in html and "<script>" not in html
    assert all("alert(1)" not in str(m.value) for m in at.markdown)
    idea = get_store().ideas("resident")[0]
    at.button(key=f"approve_{idea.id}").click().run()
    assert not at.exception, at.exception
    assert get_store().ideas("resident", status="approved")[0].text == NASTY
    assert get_store().ideas("resident", status="pending") == []


def test_reset_needs_confirmation_and_is_reversible(with_password):
    from components.store_access import get_store
    from inclucities.survey.loader import load_survey_definitions

    survey = load_survey_definitions().surveys["academy"]
    for n in range(3):
        get_store().submit(
            f"r-{n}",
            survey.id,
            survey.version,
            "en",
            {
                "first_recommendation": "participation",
                "readiness": {item.id: "3" for item in survey.question("readiness").items},
                "one_word": "x",
            },
        )
    at = run_app("pages/admin.py", "en")
    _sign_in(at)
    at.selectbox(key="admin_survey").set_value("academy").run()
    at.segmented_control(key="admin_section").set_value("data").run()
    at.button(key="admin_reset").click().run()
    assert not at.exception, at.exception
    assert get_store().count("academy") == 3  # nothing removed before confirming
    at.button(key="admin_confirm_yes").click().run()
    assert not at.exception, at.exception
    assert get_store().count("academy") == 0
    at.button(key="admin_restore_all").click().run()
    assert get_store().count("academy") == 3
    assert [e.action for e in get_store().audit_log()] == ["soft_delete", "restore"]
