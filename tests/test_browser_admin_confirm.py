"""Dangerous clicks in a real browser (issue 24), in French and English: the admin stays signed
in across a reload; closing the survey asks first and says what happens to people answering;
closing a session asks first in the presenter's sidebar; the audit log reads in the admin's
language, at local time."""

from __future__ import annotations

import pytest

from inclucities.i18n import translator
from scripts.support.browser_utils import DESKTOP, TEST_ADMIN_PASSWORD, running_server
from scripts.support.e2e_utils import exceptions_on, key, new_page, open_page, settle, sign_in
from tests.conftest import _require_chromium

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server of its own: these tests close the survey and a session."""
    _require_chromium()
    db = tmp_path_factory.mktemp("confirm") / "confirm.duckdb"
    from inclucities.store import SurveyStore
    from inclucities.survey.loader import load_survey_definitions

    store = SurveyStore(db, load_survey_definitions().surveys.values())
    for lang in ("fr", "en"):
        store.create_session("academy", f"Salle {lang}", actor="presenter passphrase")
    store.close()
    with running_server(db) as server:
        yield server


def _section(page, index: int) -> None:
    page.locator(f"{key('admin_section')} button").nth(index).click()
    settle(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_closing_asks_first_and_the_admin_stays_signed_in(own_server, browser, lang):
    t = translator(lang)
    with new_page(browser, DESKTOP) as page:
        sign_in(page, own_server.url, TEST_ADMIN_PASSWORD, "admin", lang, key("admin_section"))
        open_page(page, own_server.page_url("admin", lang=lang), key("admin_section"))  # reload
        assert page.locator(f"{key('admin_close')} button").is_visible()

        page.locator(f"{key('admin_close')} button").click()
        dialog = page.locator("[role='dialog']")
        dialog.wait_for()
        assert t("admin.confirm.close_body") in dialog.inner_text()
        page.locator(f"{key('admin_close_no')} button").click()
        settle(page)
        assert page.locator(f"{key('admin_close')} button").is_visible()  # still open

        page.locator(f"{key('admin_close')} button").click()
        page.locator(f"{key('admin_close_yes')} button").click()
        page.locator(f"{key('admin_open')} button").wait_for()
        page.locator(f"{key('admin_open')} button").click()  # a configured notice: no gate
        page.locator(f"{key('admin_close')} button").wait_for()

        _section(page, 4)  # the audit log
        table = page.locator(".audit-table")
        table.wait_for()
        text = table.inner_text()
        assert t("admin.audit.kind.close") in text and t("admin.audit.kind.open") in text
        assert t("admin.audit.actor.admin_password") in text
        assert "admin password" not in text or lang == "en"
        zone = page.locator(".audit-table caption").inner_text()
        assert ("Europe centrale" if lang == "fr" else "Central European") in zone
        assert not exceptions_on(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_closing_a_session_asks_first_in_the_sidebar(own_server, browser, lang):
    t = translator(lang)
    with new_page(browser, DESKTOP) as page:
        sign_in(
            page, own_server.url, TEST_ADMIN_PASSWORD, "presenter", lang, key("presenter_stage")
        )
        page.locator(f"{key('presenter_sessions_panel')} summary").click()
        settle(page)
        page.locator(f"{key('presenter_session_close')} button").click()
        settle(page)
        confirm = page.locator(key("presenter_close_confirm"))
        confirm.wait_for()
        assert t("presenter.confirm.close_title") in confirm.inner_text()
        page.locator(f"{key('presenter_session_close_yes')} button").click()
        settle(page)
        page.locator(key("presenter_session_reopen")).wait_for()
        assert not exceptions_on(page)
