"""Real Chromium sessions (Playwright) for the few respondents and screens driven by a browser.

A browser page is read through the websocket frames it receives: each frame is fed to a
passive `StreamlitSession`, which keeps the same element tree as the protocol clients, so the
same driver finds the widgets by key and type; the browser then clicks, types and ticks them
in the page (by their `st-key-<key>` class) and the frames tell when the rerun has finished.
"""

from __future__ import annotations

import random
import re
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.browser_utils import CHROMIUM_ARGS, PHONE, chromium_path
from tests.load.protocol import Node, RunOutcome, StreamlitSession, now
from tests.load.respondent import (
    LOCALES,
    ManifestRecorder,
    RespondentResult,
    _options,
    drive,
)
from tests.load.survey import Plan, Question, survey_titles
from tests.load.viewer import REVEAL_KEY, ViewerResult, parse_count, survey_choice

# Wraps the page's EventSource so the count in each pushed event is readable by the harness
# (window.__loadtestCount), whatever the component does with it.
SSE_SPY_JS = """(() => {
  const Native = window.EventSource;
  if (!Native) return;
  const keys = ['total', 'count', 'responses', 'n', 'answers', 'submissions'];
  const record = (data) => {
    try {
      const v = JSON.parse(data);
      const k = v && keys.find((key) => Number.isInteger(v[key]));
      if (k) window.__loadtestCount = String(v[k]);
    } catch (e) { /* not JSON */ }
  };
  window.EventSource = class extends Native {
    addEventListener(type, listener, options) {
      const wrapped = (event) => {
        if (!['specs', 'ping', 'status', 'error'].includes(type)) record(event.data);
        return typeof listener === 'function' ? listener.call(this, event)
                                               : listener.handleEvent(event);
      };
      return super.addEventListener(type, wrapped, options);
    }
    set onmessage(fn) {
      super.addEventListener('message', (e) => { record(e.data); if (fn) fn.call(this, e); });
    }
  };
})();"""

COUNT_JS = """() => {
  if (window.__loadtestCount) return window.__loadtestCount;
  const read = (doc) => {
    const tagged = doc.querySelector('[data-live-count]');
    if (tagged) return tagged.getAttribute('data-live-count');
    const metric = doc.querySelector('[data-testid="stMetricValue"]');
    return metric ? metric.innerText : null;
  };
  let found = read(document);
  for (const frame of document.querySelectorAll('iframe')) {
    if (found !== null) break;
    try { found = read(frame.contentDocument); } catch (e) { /* cross-origin */ }
  }
  return found;
}"""


def css_key(key: str) -> str:
    """CSS selector of the element Streamlit marks with a widget's key."""
    return ".st-key-" + re.sub(r"([^A-Za-z0-9_-])", r"\\\1", key)


async def launch(playwright: Any) -> Any:
    """Headless Debian Chromium, as the browser tests start it."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")
    return await playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


def _mirror(page: Any, session: StreamlitSession) -> None:
    """Feed every websocket frame the page receives to the passive session."""

    def on_socket(socket: Any) -> None:
        if socket.url.endswith("/_stcore/stream"):
            socket.on(
                "framereceived",
                lambda payload: session.feed(payload) if isinstance(payload, bytes) else None,
            )

    page.on("websocket", on_socket)


async def record_assets(browser: Any, url: str) -> list[str]:
    """The same-origin files a browser with an empty cache loads to show a page (scripts,
    styles, fonts, component files), as paths, for the protocol clients to load too."""
    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    origin = url.split("/", 3)[:3]
    base = "/".join(origin)
    seen: list[str] = []

    def on_request(request: Any) -> None:
        target = request.url
        if not target.startswith(base) or request.resource_type in (
            "document",
            "websocket",
            "eventsource",
        ):
            return
        path = target[len(base) :] or "/"
        if "/_stcore/" in path or path in seen:
            return
        seen.append(path)

    page.on("request", on_request)
    session = StreamlitSession(base, url[len(base) :].split("?")[0])
    _mirror(page, session)
    waiter = session.expect_idle()
    await page.goto(url)
    await session.wait_idle(waiter, now())
    await page.wait_for_timeout(1500)  # lazily loaded widget code
    await context.close()
    return seen


async def _act(page: Any, session: StreamlitSession, node: Node, state: WidgetState) -> RunOutcome:
    """Make one change in the page as a visitor would, then wait for its rerun to finish."""
    where = page.locator(css_key(node.key))
    waiter = session.expect_idle()
    started = now()
    kind = state.WhichOneof("value")
    if node.kind == "radio":
        options = _options(node)
        await (
            where.locator("[data-testid='stRadioOption']")
            .nth(options.index(state.string_value))
            .click()
        )
    elif node.kind in ("selectbox", "multiselect"):
        previous = session.state_of(node)
        had = (
            set(previous.string_array_value.data)
            if previous and node.kind == "multiselect"
            else set()
        )
        wanted = (
            [v for v in state.string_array_value.data if v not in had]
            if node.kind == "multiselect"
            else [state.string_value]
        )
        await where.locator("input[role='combobox']").click()
        listbox = page.locator("[role='listbox'] [role='option']")
        if not await listbox.count():
            await page.keyboard.press("ArrowDown")
        await page.get_by_role("option", name=wanted[0], exact=True).first.click()
        await page.keyboard.press("Escape")
    elif node.kind == "button_group":
        label = (list(state.string_array_value.data) or [""])[-1]
        await where.locator("button").filter(has_text=label).first.click()
    elif node.kind == "checkbox":
        await where.locator("label").first.click()
    elif node.kind in ("text_input", "text_area"):
        field = where.locator("input, textarea").first
        await field.fill(state.string_value)
        await field.press("Tab")
    elif node.kind == "button" or kind == "trigger_value":
        await where.locator("button").first.click()
    else:
        raise RuntimeError(f"the browser driver cannot operate a {node.kind}")
    outcome = await session.wait_idle(waiter, started)
    if kind != "trigger_value":
        state.id = node.widget_id
        session.widget_states[node.widget_id] = state
    return outcome


async def browser_respondent(
    browser: Any,
    base_url: str,
    plan: Plan,
    questions: list[Question],
    *,
    think: tuple[float, float],
    rng: random.Random,
    recorder: ManifestRecorder | None = None,
    survey: str = "resident",
    timeout: float = 120.0,
) -> RespondentResult:
    """One respondent in a real Chromium phone viewport; never raises."""
    result = RespondentResult(plan.token, plan.lang, kind="browser", started=now())
    locale = LOCALES.get(plan.lang, f"{plan.lang}-{plan.lang.upper()}")
    context = await browser.new_context(viewport=PHONE, locale=locale, is_mobile=True)
    context.set_default_timeout(timeout * 1000)
    query = f"survey={survey}&lang={plan.lang}"
    session = StreamlitSession(base_url, "survey", query, timeout=timeout)
    try:
        page = await context.new_page()
        _mirror(page, session)
        waiter = session.expect_idle()
        started = now()
        await page.goto(f"{base_url}/survey?{query}")
        opened = await session.wait_idle(waiter, started)
        result.open_seconds = opened.seconds

        async def act(node: Node, state: WidgetState) -> RunOutcome:
            return await _act(page, session, node, state)

        await drive(session, act, plan, questions, think, rng, result, recorder)
    except Exception as exc:
        result.error = f"browser: {type(exc).__name__}: {str(exc)[:1500]}"
    finally:
        await context.close()
    return result


class BrowserViewer:
    """A live results or presenter screen in real Chromium (a projector-sized window)."""

    def __init__(self, browser: Any, base_url: str, page: str, lang: str, reveal: bool = True):
        self.browser, self.base_url, self.page_name, self.lang = browser, base_url, page, lang
        self.reveal = reveal
        self.result = ViewerResult(page, lang, kind="browser")
        query = f"survey=resident&lang={lang}" if page == "results" else f"lang={lang}"
        self.url = f"{base_url}/{page}?{query}"
        self.session = StreamlitSession(base_url, page, query)
        self.session.delta_listeners.append(self._on_delta)
        self.context: Any = None
        self.page: Any = None
        self._poller: Any = None

    def _on_delta(self, session: StreamlitSession, node: Node) -> None:
        if node.kind == "metric" and node.path[:1] == (0,):
            value = parse_count(node.proto.body)
            if value is not None:
                self.result.counts.append((node.arrived, value))

    async def _poll(self) -> None:
        """Also read the count the page shows (a live component may draw it without any
        Streamlit message): `[data-live-count]` or the first metric, every 100 ms."""
        import asyncio

        last: int | None = None
        while True:
            try:
                text = await self.page.evaluate(COUNT_JS)
            except Exception:
                return
            value = parse_count(text) if text else None
            if value is not None and value != last:
                last = value
                self.result.counts.append((now(), value))
            await asyncio.sleep(0.1)

    async def open(self) -> ViewerResult:
        """Open the page in its own context; never raises."""
        import asyncio

        try:
            self.context = await self.browser.new_context(viewport={"width": 1920, "height": 1080})
            await self.context.add_init_script(SSE_SPY_JS)
            self.page = await self.context.new_page()
            _mirror(self.page, self.session)
            waiter = self.session.expect_idle()
            started = now()
            await self.page.goto(self.url)
            opened = await self.session.wait_idle(waiter, started)
            self.result.open_seconds = opened.seconds
            choice = survey_choice(self.session, survey_titles())
            if choice is not None:
                await _act(self.page, self.session, *choice)
            if self.reveal and self.page_name == "presenter":
                for node in self.session.widgets():
                    if node.kind == "button" and REVEAL_KEY.search(node.key):
                        await _act(self.page, self.session, node, WidgetState(trigger_value=True))
                        break
            self._poller = asyncio.create_task(self._poll())
        except Exception as exc:
            self.result.error = f"browser: {type(exc).__name__}: {str(exc)[:1500]}"
        return self.result

    async def close(self) -> None:
        """Close the page's context."""
        if self._poller is not None:
            self._poller.cancel()
        if self.context is not None:
            await self.context.close()
