"""axe-core on the admin console once signed in, in every section, in fr, en and ar."""

from __future__ import annotations

import pytest

from tests.browser_utils import DESKTOP, TEST_ADMIN_PASSWORD
from tests.e2e_utils import (
    blocking,
    describe,
    exceptions_on,
    key,
    new_page,
    open_page,
    run_axe_settled,
    settle,
    sign_in,
)

pytestmark = pytest.mark.browser
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
