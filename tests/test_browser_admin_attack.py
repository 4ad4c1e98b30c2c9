"""Under a password-guessing attack from one address, the owner at another still gets in."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from tests.browser_utils import DESKTOP, TEST_ADMIN_PASSWORD, start_server, stop_server
from tests.e2e_utils import key, open_page, settle

pytestmark = pytest.mark.browser
# The app runs as behind a reverse proxy, which tells it each visitor's address.
ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


@contextmanager
def page_from(browser, address: str):
    context = browser.new_context(viewport=DESKTOP, extra_http_headers={"X-Forwarded-For": address})
    try:
        yield context.new_page()
    finally:
        context.close()


def _try(browser, url: str, address: str, password: str) -> str:
    """One sign-in attempt from a fresh browser session; returns the page's answer."""
    with page_from(browser, address) as page:
        open_page(page, url, ready=f"{key('admin_pw')} input")
        page.locator(f"{key('admin_pw')} input").fill(password)
        page.locator("[data-testid='stFormSubmitButton'] button").click()
        page.wait_for_selector("[data-testid='stAlert'], .st-key-admin_survey", timeout=30_000)
        settle(page)
        if page.locator(key("admin_survey")).count():
            return "signed in"
        return page.locator("[data-testid='stAlert']").first.inner_text()


def test_the_owner_signs_in_while_another_address_guesses(browser, tmp_path):
    server = start_server(tmp_path / "attack.duckdb", {"INCLUCITIES_BEHIND_PROXY": "true"})
    try:
        url = server.page_url("admin", lang="en")
        # guesses, each from a fresh session (sessions reset nothing), until the address is held
        # back; how many minutes that takes depends on the machine, the limit does not
        messages: list[str] = []
        while not any(m.startswith("Too many") for m in messages) and len(messages) < 12:
            messages.append(_try(browser, url, ATTACKER, f"guess-{len(messages)}"))
        assert messages[0].startswith("That password is not correct"), messages
        assert messages[-1].startswith("Too many"), messages
        assert _try(browser, url, OWNER, TEST_ADMIN_PASSWORD) == "signed in"
    finally:
        stop_server(server)
