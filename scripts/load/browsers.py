"""Real Chromium (Playwright) where the harness needs it: one phone that answers the light form
through its own script (an end-to-end check of what the plain HTTP phones imitate), and the
list of files a Streamlit page loads (for the bare page's protocol clients)."""

from __future__ import annotations

import json
from typing import Any

from scripts.load.phones import PhoneResult
from scripts.load.protocol import StreamlitSession, now
from scripts.support.browser_utils import CHROMIUM_ARGS, PHONE, chromium_path

MAX_STEPS = 20
WAIT_MS = 30_000
# Every value the page's script keeps in this device's storage (its secret among them).
STORED_JS = "() => Object.keys(localStorage).map((k) => localStorage.getItem(k))"


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
    """The same-origin files a browser with an empty cache loads to show a Streamlit page
    (scripts, styles, fonts, component files), as paths, for the protocol clients to load too."""
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


async def browser_phone(browser: Any, base_url: str, result: PhoneResult) -> PhoneResult:
    """Open the join link in a phone-sized Chromium page, answer the required question and
    the free-text one (with the phone's token), go through the steps, tick consent, send, and
    wait for the thank-you with its receipt; the requests the page made are counted. Never
    raises: what went wrong is in `result.error`."""
    result.kind = "browser"
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = await context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        result.started = now()
        await page.goto(base_url.rstrip("/") + result.entry, wait_until="load")
        await page.wait_for_selector(".icf-form", timeout=WAIT_MS)
        result.open_seconds = now() - result.started
        result.files = sum(1 for url in requests if "/assets/survey-form." in url)
        for _ in range(MAX_STEPS):
            step = page.locator(".icf-step:not([hidden])")
            for question in await step.locator(".icf-q[data-required]").all():
                if await question.is_visible():
                    await question.locator("label.icf-choice").first.click()
            idea = step.locator("textarea, input[type=text]")
            if await idea.count() and await idea.first.is_visible():
                await idea.first.fill(result.token + " more evening language courses")
            forward = page.locator(".icf-next")
            if not await forward.is_visible():
                break
            await forward.click()
        await page.locator("input[name=_consent]").check()
        result.requests = len(requests)
        result.sent_at = now()
        await page.locator(".icf-send").click()
        await page.wait_for_selector(".icf-thanks:not([hidden])", timeout=WAIT_MS)
        result.acknowledged_at = now()
        result.send_seconds = result.acknowledged_at - result.sent_at
        result.status = "thank-you"
        result.receipt = (await page.locator(".icf-receipt-code").inner_text()).strip()
        for text in await page.evaluate(STORED_JS):
            try:
                stored = json.loads(text or "null")
            except ValueError:
                continue
            if isinstance(stored, dict) and isinstance(stored.get("secret"), str):
                result.secret = stored["secret"]
    except Exception as exc:  # recorded, never raised: one phone must not stop the run
        result.error = f"browser: {type(exc).__name__}: {str(exc)[:500]}"
    finally:
        await context.close()
    return result
