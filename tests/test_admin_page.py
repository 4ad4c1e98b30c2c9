"""The admin page under AppTest: disabled without a password, sign-in, throttling, actions."""

from __future__ import annotations

import pytest

from tests.apptest_utils import page_text, run_app

PASSWORD = "correct horse"


@pytest.fixture(autouse=True)
def fresh_failure_log():
    from components import admin_view

    admin_view._memory_failure_log.clear()
    yield
    admin_view._memory_failure_log.clear()


@pytest.fixture
def with_password(monkeypatch):
    monkeypatch.setenv("INCLUCITIES_ADMIN_PASSWORD", PASSWORD)


def _sign_in(at, password: str = PASSWORD):
    at.text_input(key="admin_pw").input(password)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
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


def test_wrong_password_is_refused_and_repeated_attempts_slow_down(with_password):
    at = run_app("pages/admin.py", "en")
    for _ in range(2):
        _sign_in(at, "guess")
        assert "not correct" in at.error[0].value
        assert "next attempt" not in at.error[0].value
    _sign_in(at, "guess")
    assert "not correct" in at.error[0].value
    assert "next attempt is possible in" in at.error[0].value
    # now even the right password must wait (this test's sessions share one unknown address)
    _sign_in(at, PASSWORD)
    assert "Too many wrong attempts" in at.error[0].value
    assert len(at.segmented_control) == 0


def test_sign_in_then_close_the_survey(with_password):
    from components.store_access import get_store

    at = run_app("pages/admin.py", "en")
    _sign_in(at)
    assert at.segmented_control(key="admin_section").value == "status", page_text(at)
    at.selectbox(key="admin_survey").set_value("academy").run()
    at.button(key="admin_close").click().run()
    assert not at.exception, at.exception
    assert not get_store().is_survey_open("academy")
    assert [e.action for e in get_store().audit_log()] == ["close"]
    at.button(key="admin_open").click().run()
    assert get_store().is_survey_open("academy")


def test_moderation_queue_shows_ideas_as_plain_text(with_password):
    from components.store_access import get_store
    from tests.test_presenter import NASTY, submit_idea

    submit_idea("m-1", NASTY, lang="fr")
    at = run_app("pages/admin.py", "en")
    _sign_in(at)
    at.selectbox(key="admin_survey").set_value("resident").run()
    at.segmented_control(key="admin_section").set_value("moderation").run()
    assert NASTY in [t.value for t in at.text]
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
