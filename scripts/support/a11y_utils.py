"""axe-core audits and keyboard-only focus helpers for the accessibility browser tests."""

from __future__ import annotations

import os

from scripts.support.browser_utils import ROOT
from scripts.support.e2e_utils import settle

AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# Narrow axe exclusions, each documented in docs/accessibility.md with its reason.
# The map page embeds Leaflet in a third-party iframe; the table below it is the alternative.
AXE_EXCLUDE: list[list[str]] = [["iframe[title='streamlit_folium.st_folium']"]]


AXE_RUN_JS = """async ([tags, exclude]) => {
  const result = await axe.run({exclude: exclude}, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                              summary: (n.failureSummary || '').slice(0, 400)}))
  }));
}"""


def run_axe(page, exclude: list[list[str]] | None = None) -> list[dict]:
    """Inject axe-core (node_modules, installed by `npm ci`) and return its WCAG 2.1 A/AA
    violations for the current page."""
    if not AXE_PATH.exists():
        raise FileNotFoundError(f"{AXE_PATH} is missing: run `npm ci` (.ci/run does)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(AXE_RUN_JS, [AXE_TAGS, AXE_EXCLUDE if exclude is None else exclude])


def run_axe_settled(page, retry_after_ms: int = 1500) -> tuple[list[dict], int]:
    """axe on the page as a visitor sees it once drawn: a violation found while Streamlit is
    still painting (elements fading in) is checked again after a pause; only what remains
    counts. Returns (violations, how many blocking ones vanished on the second look)."""
    first = run_axe(page)
    if not blocking(first):
        return first, 0
    page.wait_for_timeout(retry_after_ms)
    settle(page)
    second = run_axe(page)
    return second, max(0, _node_count(blocking(first)) - _node_count(blocking(second)))


def _node_count(violations: list[dict]) -> int:
    return sum(len(v["nodes"]) for v in violations)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {n['target']}: {n['summary'][:200]}" for n in v["nodes"][:4])
    return "\n".join(lines)


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


# -- keyboard only ------------------------------------------------------------------------------


FOCUS_IN_JS = """(s) => { const a = document.activeElement;
  return !!(a && a.closest(s)); }"""

FOCUS_DESC_JS = """() => { const a = document.activeElement; if (!a) return '';
  const k = a.closest('[class*="st-key-"]');
  const key = k ? Array.from(k.classList).find(c => c.startsWith('st-key-')) : '';
  const q = a.closest('.icf-q, .icf-consent, .icf-nav, .icf-intro, .icf-thanks, .icf-bar');
  const where = q ? (q.dataset.q ? 'q=' + q.dataset.q : q.className.split(' ')[0]) : '';
  const own = a.className && typeof a.className === 'string' ? '.' + a.className.split(' ')[0] : '';
  return (`${a.tagName.toLowerCase()}[${a.type || a.getAttribute('role') || ''}]${own}`
    + ` ${a.name || ''} ${key} ${where}`).replace(/\\s+/g, ' ').trim(); }"""


def tab_to(page, selector: str, max_presses: int = 40, trail: list[str] | None = None) -> int:
    """Press Tab (only Tab) until keyboard focus is inside `selector`; returns the presses.

    `trail` collects where focus went, so a failure shows the focus order."""
    for presses in range(max_presses + 1):
        if page.evaluate(FOCUS_IN_JS, selector):
            return presses
        page.keyboard.press("Tab")
        if trail is not None:
            trail.append(page.evaluate(FOCUS_DESC_JS))
    raise AssertionError(
        f"Tab never reached {selector} in {max_presses} presses; focus went: {trail}"
    )


def focus_description(page) -> str:
    return page.evaluate(FOCUS_DESC_JS)
