"""Every page in French and English, reached the way a visitor does: through the menu."""

from __future__ import annotations

import pytest

from components.navigation import PAGES
from scripts.support.browser_utils import DESKTOP
from scripts.support.e2e_utils import exceptions_on, new_page, open_page, settle, write_artifact

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_through_the_menu(live_server, browser, lang):
    visited: dict[str, str] = {}
    with new_page(browser, DESKTOP, locale=f"{lang}-FR" if lang == "fr" else "en-GB") as page:
        open_page(page, live_server.page_url("", lang=lang))
        links = page.locator("[data-testid='stSidebarNav'] a")
        public = [spec for spec in PAGES if not spec.staff]  # the presenter's: signed-in only
        assert links.count() == len(public), "the menu lists every public page once"
        for index, spec in enumerate(public):
            page.locator("[data-testid='stSidebarNav'] a").nth(index).click()
            expected = ["/", f"/{spec.url_path}"] if spec.default else [f"/{spec.url_path}"]
            page.wait_for_function("(paths) => paths.includes(location.pathname)", arg=expected)
            page.wait_for_selector("h1")
            settle(page)
            heading = page.locator("h1").first.inner_text().strip()
            assert heading, f"{spec.url_path}: no heading"
            assert not exceptions_on(page), f"{spec.url_path}: {exceptions_on(page)[0][:300]}"
            html_lang = page.evaluate("() => document.documentElement.lang")
            assert html_lang in {lang, "en"}, f"{spec.url_path}: <html lang={html_lang}>"
            assert f"lang={lang}" in page.url, f"{spec.url_path}: language lost: {page.url}"
            visited[spec.url_path] = heading
    write_artifact(f"e2e_pages_{lang}", visited)
    assert len(visited) == len(public)
