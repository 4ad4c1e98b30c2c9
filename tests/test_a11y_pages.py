"""axe-core on every page in every language: no serious or critical WCAG 2.1 A/AA violation.

The pages are the app's (Streamlit) pages and the light pages a phone opens from a QR code or a
code: the survey form (`/answer/resident`) and the join page (`/j`). Each page is also checked
for what a visitor meets first: a non-empty main heading, no crash box, and `<html lang>`/
`<html dir>` set for the language (right to left for Arabic).
Figures go to tests/.artifacts/a11y_pages_<lang>.json for scripts/quality_report.py.
"""

from __future__ import annotations

import pytest

from components.navigation import PAGES
from inclucities.i18n import is_rtl
from scripts.support.a11y_utils import blocking, describe, run_axe_settled
from scripts.support.e2e_utils import (
    LANGS,
    exceptions_on,
    form,
    new_page,
    open_page,
    qkey,
    settle,
    survey_ready,
    write_artifact,
)

pytestmark = pytest.mark.browser


# The light pages (no Streamlit): what must show before they are audited.
LIGHT_PAGES = {"answer/resident": survey_ready("resident"), "j": "main.icf-main h1"}


def _audit_page(page, url: str, ready: str | None = None) -> dict:
    open_page(page, url, ready=ready)
    page.wait_for_timeout(300)  # charts and the map draw after the script finishes
    settle(page)
    page.wait_for_function("() => ['ltr', 'rtl'].includes(document.documentElement.dir)")
    violations, transient = run_axe_settled(page)
    heading = page.locator("h1").first.inner_text().strip()
    lang, direction, heading_dir = page.evaluate(
        """() => [document.documentElement.lang, document.documentElement.dir,
           getComputedStyle(document.querySelector('[data-testid="stMain"] h1, main.icf-main h1'))
             .direction]"""
    )
    return {
        "violations": violations,
        "heading": heading,
        "html_lang": lang,
        "html_dir": direction,
        "heading_dir": heading_dir,
        "notice": page.locator(".st-key-language_notice").count(),
        "exceptions": exceptions_on(page),
        "transient": transient,
    }


@pytest.fixture(scope="module", autouse=True)
def warm_server(live_server, browser):
    """Visit once before auditing: a cold server draws its first page slowly, and axe would
    measure half-drawn (faded) text instead of what a visitor sees."""
    with new_page(browser) as page:
        open_page(page, live_server.page_url("", lang="en"))
        page.wait_for_timeout(1500)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_passes_axe(live_server, browser, lang):
    results: dict[str, dict] = {}
    with new_page(browser) as page:
        for spec in PAGES:
            results[spec.url_path] = _audit_page(
                page, live_server.page_url(spec.url_path, lang=lang)
            )
        for path, ready in LIGHT_PAGES.items():
            results[path] = _audit_page(page, live_server.page_url(path, lang=lang), ready)
    write_artifact(
        f"a11y_pages_{lang}",
        {
            path: {
                "total": len(r["violations"]),
                "serious_or_critical": len(blocking(r["violations"])),
                "by_rule": {v["id"]: [v["impact"], len(v["nodes"])] for v in r["violations"]},
                "html_lang": r["html_lang"],
                "html_dir": r["html_dir"],
                "heading_dir": r["heading_dir"],
                "english_notice": bool(r["notice"]),
                "heading": r["heading"],
                "exceptions": len(r["exceptions"]),
                "transient_nodes": r["transient"],
                "violations": r["violations"],
            }
            for path, r in results.items()
        },
    )
    problems = []
    for path, r in results.items():
        if r["exceptions"]:
            problems.append(f"{path}?lang={lang}: exception shown: {r['exceptions'][0][:300]}")
        if not r["heading"]:
            problems.append(f"{path}?lang={lang}: no main heading")
        # every page is in the visitor's language and marked so
        if r["html_lang"] != lang:
            problems.append(f"{path}?lang={lang}: <html lang={r['html_lang']!r}>")
        # right to left wherever the content is Arabic
        expected_dir = "rtl" if is_rtl(r["html_lang"]) else "ltr"
        if r["html_dir"] != expected_dir or r["heading_dir"] != expected_dir:
            problems.append(
                f"{path}?lang={lang}: <html dir={r['html_dir']!r}>, heading {r['heading_dir']}"
            )
        if r["notice"]:
            problems.append(f"{path}?lang={lang}: an English-fallback notice is shown")
        bad = blocking(r["violations"])
        if bad:
            problems.append(f"{path}?lang={lang}: serious/critical axe violations\n{describe(bad)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("host", ["mounted", "light"])
def test_arabic_survey_form_is_right_to_left(live_server, browser, host):
    """The survey form carries its own direction (`.icf[dir=rtl]`), on the Streamlit survey page
    and on the light page alike (every Arabic page's <html dir> and heading direction are
    checked in test_every_page_passes_axe[ar])."""
    path = "survey" if host == "mounted" else "answer/resident"
    with new_page(browser) as page:
        open_page(page, live_server.page_url(path, lang="ar"), ready=survey_ready("resident"))
        found = page.evaluate(
            """(s) => { const f = document.querySelector(s);
               const scale = f.querySelector('.icf-step:not([hidden]) .icf-scale');
               return [f.getAttribute('dir'), f.getAttribute('lang'),
                       getComputedStyle(f).direction, getComputedStyle(scale).direction]; }""",
            form("resident"),
        )
        first, last = (
            page.locator(f"{qkey('resident', 'welcome')} .icf-choice").nth(i).bounding_box()
            for i in (0, 4)
        )
    assert found == ["rtl", "ar", "rtl", "rtl"], found
    assert first is not None and last is not None
    # on one row or wrapped, rows start on the right: the first answer is right of the last
    assert first["x"] > last["x"], (first, last)
    assert first["x"] + first["width"] >= last["x"] + last["width"] - 1, (first, last)
