"""axe-core on the admin console once signed in, in every section, in fr, en and ar."""

from __future__ import annotations

import pytest

from scripts.support.a11y_utils import blocking, describe, run_axe_settled
from scripts.support.browser_utils import DESKTOP, TEST_ADMIN_PASSWORD, running_server
from scripts.support.e2e_utils import (
    ARTIFACTS,
    exceptions_on,
    key,
    new_page,
    open_page,
    settle,
    sign_in,
)
from tests.conftest import _require_chromium

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "admin"
SECTIONS = ("status", "moderation", "export", "data", "audit")


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_every_admin_section_passes_axe(live_server, browser, lang):
    problems = []
    with new_page(browser, DESKTOP) as page:
        open_page(
            page, live_server.page_url("admin", lang=lang), ready="[data-testid='stLinkButton']"
        )
        violations, _ = run_axe_settled(page)
        if blocking(violations):
            problems.append(f"admin, signed out: {describe(blocking(violations))}")
        page.goto(live_server.page_url("sign-in", next="admin", lang=lang))
        violations, _ = run_axe_settled(page)
        if blocking(violations):
            problems.append(f"sign-in page: {describe(blocking(violations))}")
        sign_in(page, live_server.url, TEST_ADMIN_PASSWORD, "admin", lang, key("admin_section"))
        for index, section in enumerate(SECTIONS):
            page.locator(f"{key('admin_section')} button").nth(index).click()
            settle(page)
            violations, _ = run_axe_settled(page)
            if blocking(violations):
                problems.append(f"{section}: {describe(blocking(violations))}")
        assert not exceptions_on(page)
    assert not problems, "\n".join(problems)


def _seed_a_used_survey(db_path) -> None:
    """What an admin finds after a morning: answers, ideas waiting (one in Arabic, one with a
    phone number), one approved, a removed answer, a session, and an audit log to read."""
    from inclucities.store import SurveyStore
    from inclucities.survey.loader import load_survey_definitions
    from scripts.support.survey_helpers import resident_answers

    surveys = load_survey_definitions().surveys
    store = SurveyStore(db_path, surveys.values())
    live = store.create_session("resident", "Matinée Malines", actor="presenter passphrase")
    ideas = [
        ("fr", "Des cours de langue le soir pour les parents qui travaillent"),
        ("ar", "دروس لغة مسائية للآباء العاملين"),
        ("fr", "mon numéro est 0470 12 34 56, appelez-moi"),
        ("nl", "Meer buurtfeesten waar nieuwkomers en bewoners elkaar ontmoeten"),
    ]
    for n, (lang, idea) in enumerate(ideas * 2):
        store.submit(f"r{n}", "resident", 1, lang, resident_answers(idea=idea), session_id=live.id)
    first = store.ideas("resident")[0]
    store.set_idea_status(first.id, "approved", actor="admin password")
    store.soft_delete("resident", ["r7"], actor="admin password", reason="test")
    store.set_results_revealed("resident", True, actor="presenter passphrase", session_id=live.id)
    store.close()


@pytest.fixture(scope="module")
def used_server(tmp_path_factory):
    _require_chromium()
    db = tmp_path_factory.mktemp("used") / "used.duckdb"
    _seed_a_used_survey(db)
    with running_server(db) as server:
        yield server


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_every_admin_section_of_a_survey_in_use_passes_axe(used_server, browser, lang):
    """Full queues, tables and the close dialog: where contrast problems hide on an empty page."""
    problems = []
    with new_page(browser, DESKTOP) as page:
        sign_in(page, used_server.url, TEST_ADMIN_PASSWORD, "admin", lang, key("admin_section"))
        page.locator(f"{key('admin_survey')}").click()
        page.get_by_role("option").nth(1).click()  # the resident survey
        settle(page)
        for index, section in enumerate(SECTIONS):
            page.locator(f"{key('admin_section')} button").nth(index).click()
            settle(page)
            violations, _ = run_axe_settled(page)
            if blocking(violations):
                problems.append(f"{section}: {describe(blocking(violations))}")
            page.screenshot(path=str(SHOTS / f"admin-{section}-{lang}.png"), full_page=True)
            if section == "status":
                page.locator(f"{key('admin_close')} button").click()
                page.wait_for_selector("[role='dialog']")
                settle(page)
                violations, _ = run_axe_settled(page)
                if blocking(violations):
                    problems.append(f"close dialog: {describe(blocking(violations))}")
                page.locator(f"{key('admin_close_no')} button").click()
                settle(page)
        assert not exceptions_on(page)
    assert not problems, "\n".join(problems)
