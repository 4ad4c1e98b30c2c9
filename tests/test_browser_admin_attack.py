"""A stranger guessing passwords never locks the owner out, even when every visitor has the same
address (the app behind the documented proxy, with forwarded addresses not trusted)."""

from __future__ import annotations

import pytest

from scripts.support.browser_utils import DESKTOP, TEST_ADMIN_PASSWORD, start_server, stop_server
from scripts.support.e2e_utils import SIGN_IN_FIELD, key, new_page, sign_in

pytestmark = pytest.mark.browser
GUESSES = 12  # the red team needed 3 to lock the owner out for a minute, 10 for 12 minutes


def test_the_owner_signs_in_right_after_a_stranger_guessed_from_the_same_address(browser, tmp_path):
    server = start_server(tmp_path / "attack.duckdb")  # forwarded addresses not trusted
    try:
        with new_page(browser, DESKTOP) as stranger:
            for n in range(GUESSES):
                stranger.goto(server.page_url("sign-in", next="admin", lang="en"))
                stranger.locator(SIGN_IN_FIELD).fill(f"a wrong guess number {n}")
                stranger.locator("form button[type=submit]").click()
                stranger.wait_for_selector("#icf-signin-error")
                assert "not correct" in stranger.locator("#icf-signin-error").inner_text()
            assert "admin" not in stranger.url.rsplit("/", 1)[-1].split("?")[0]
        with new_page(browser, DESKTOP) as owner:
            sign_in(owner, server.url, TEST_ADMIN_PASSWORD, "admin", "en", key("admin_section"))
            assert owner.locator(key("admin_survey")).count() == 1
            # a reload keeps the owner signed in (the cookie, not the page's memory)
            owner.reload()
            owner.wait_for_selector(key("admin_section"))
            cookies = {c["name"]: c for c in owner.context.cookies()}
            assert cookies["ic_signin"]["httpOnly"] and cookies["ic_signin"]["sameSite"] == "Strict"
            # no admin credential within scripts' reach: exports check ic_signin too (the form
            # token and Streamlit's XSRF cookie are read by scripts by design, and grant nothing)
            readable = {c["name"] for c in cookies.values() if not c["httpOnly"]}
            assert readable <= {"inclucities_form", "_streamlit_xsrf"}, readable
    finally:
        stop_server(server)
