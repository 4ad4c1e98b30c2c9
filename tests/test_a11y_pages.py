"""axe-core on every page in every language: no serious or critical WCAG 2.1 A/AA violation.

Each page is also checked for what a visitor meets first: a non-empty main heading, no crash
box, and `<html lang>`/`<html dir>` set for the language (right to left for Arabic).
Figures go to tests/.artifacts/a11y_pages_<lang>.json for scripts/quality_report.py.
"""

from __future__ import annotations

import pytest

from components.navigation import PAGES
from inclucities.i18n import is_rtl
from tests.e2e_utils import (
    LANGS,
    blocking,
    describe,
    exceptions_on,
    new_page,
    open_page,
    run_axe_settled,
    settle,
    write_artifact,
)

pytestmark = pytest.mark.browser


def _audit_page(page, url: str) -> dict:
    open_page(page, url)
    page.wait_for_timeout(300)  # charts and the map draw after the script finishes
    settle(page)
    page.wait_for_function("() => ['ltr', 'rtl'].includes(document.documentElement.dir)")
    violations, transient = run_axe_settled(page)
    heading = page.locator("h1").first.inner_text().strip()
    lang, direction, heading_dir = page.evaluate(
        """() => [document.documentElement.lang, document.documentElement.dir,
           getComputedStyle(document.querySelector('[data-testid="stMain"] h1')).direction]"""
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


def test_arabic_survey_form_is_right_to_left(live_server, browser):
    """The survey form sits in its own RTL container (every Arabic page's <html dir> and
    heading direction are checked in test_every_page_passes_axe[ar])."""
    with new_page(browser) as page:
        open_page(
            page,
            live_server.page_url("survey", lang="ar"),
            ready=".st-key-survey_rtl [role=radiogroup]",
        )
        form_dir, radio_dir = page.evaluate(
            """() => [getComputedStyle(document.querySelector('.st-key-survey_rtl')).direction,
               getComputedStyle(document.querySelector('.st-key-survey_rtl [role=radiogroup]'))
                 .direction]"""
        )
    assert (form_dir, radio_dir) == ("rtl", "rtl")
