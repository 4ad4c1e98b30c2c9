"""The admin's data and moderation sections read one page at a time from the database (issue 11,
item 6), so they stay quick with 100,000 answers; the page moves with previous/next."""

from __future__ import annotations

import pytest

from tests.apptest_utils import page_text, run_app, sign_in_as


@pytest.fixture(autouse=True)
def signed_in_setup(monkeypatch):
    sign_in_as(monkeypatch, "admin")


def _console(section: str):
    at = run_app("pages/admin.py", "en")
    at.selectbox(key="admin_survey").set_value("academy").run()
    at.segmented_control(key="admin_section").set_value(section).run()
    assert not at.exception, at.exception
    return at


def _synthetic(count: int) -> None:
    from components.store_access import get_store
    from inclucities.survey.loader import load_survey_definitions

    store = get_store()
    store.insert_synthetic(load_survey_definitions().surveys["academy"].id, count, idea_every=1)


def test_the_data_section_pages_through_answers_and_removes_from_any_page():
    from components.store_access import get_store

    _synthetic(120)
    at = _console("data")
    assert len(at.multiselect(key="admin_remove_pick").options) == 50
    assert "1–50 of 120" in page_text(at)
    first_page = set(at.multiselect(key="admin_remove_pick").options)
    at.button(key="admin_live_page_next").click().run()
    at.button(key="admin_live_page_next").click().run()
    assert "101–120 of 120" in page_text(at)
    assert len(at.multiselect(key="admin_remove_pick").options) == 20
    assert not first_page & set(at.multiselect(key="admin_remove_pick").options)
    assert at.button(key="admin_live_page_next").disabled
    # the oldest answers are on the last page (newest first)
    at.multiselect(key="admin_remove_pick").set_value(["syn-0"]).run()
    at.button(key="admin_remove").click().run()
    at.button(key="admin_confirm_yes").click().run()
    assert not at.exception, at.exception
    assert get_store().count("academy") == 119
    assert get_store().responses_page("academy", deleted=True)["submission_id"].tolist() == [
        "syn-0"
    ]
    restorable = at.multiselect(key="admin_restore_pick").options
    assert len(restorable) == 1 and "syn-0" in restorable[0]


def test_the_moderation_section_pages_through_ideas():
    _synthetic(70)
    at = _console("moderation")
    approve = [b for b in at.button if str(b.key).startswith("approve_")]
    assert len(approve) == 50
    assert "70" in page_text(at) and "1–50 of 70" in page_text(at)
    at.button(key="admin_mod_page_pending_next").click().run()
    later = [b for b in at.button if str(b.key).startswith("approve_")]
    assert len(later) == 20
    assert not {b.key for b in approve} & {b.key for b in later}
