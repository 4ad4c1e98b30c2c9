"""Screenshots at desktop and phone width: `python -m scripts.screenshots URL OUTDIR path...`."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from scripts.support.browser_utils import CHROMIUM_ARGS, DESKTOP, PHONE, chromium_path, wait_for_app


def main(base_url: str, out_dir: str, paths: list[str]) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            for path in paths:
                page.goto(f"{base_url}/{path}")
                wait_for_app(page)
                page.wait_for_timeout(2500)
                # Streamlit scrolls inside its main container, so grow the viewport to show it all.
                height = page.evaluate(
                    '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
                    '[data-testid="stMainBlockContainer"]\')].map(e => e.scrollHeight), 0)'
                )
                page.set_viewport_size(
                    {
                        "width": viewport["width"],
                        "height": min(max(height, viewport["height"]), 7000),
                    }
                )
                page.wait_for_timeout(800)
                name = path.replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-")
                page.screenshot(path=str(out / f"{name or 'home'}_{label}.png"), full_page=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
