"""A minimal ASGI client for route tests: GET and POST, the whole body, cookies kept."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from tests.async_utils import run_coroutine


@dataclass
class Reply:
    status_code: int
    headers: dict[str, str]
    text: str
    set_cookies: list[str] = field(default_factory=list)
    body: bytes = b""

    def json(self):
        return json.loads(self.text)


class Client:
    """Sends one request at a time to an ASGI app (live streams end by themselves in tests);
    with `keep_cookies`, cookies the app sets are sent back, as a browser does."""

    def __init__(self, app, keep_cookies: bool = False, client: str = "127.0.0.1") -> None:
        self.app = app
        self.keep_cookies = keep_cookies
        self.cookies: dict[str, str] = {}
        self.address = client

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return run_coroutine(self.request("GET", path, headers or {}))

    def post(
        self, path: str, body: bytes | str | dict, headers: dict[str, str] | None = None
    ) -> Reply:
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        return run_coroutine(self.request("POST", path, headers or {}, body))

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Reply:
        route, _, query = path.partition("?")
        sent_headers = {k.lower(): v for k, v in headers.items()}
        if self.cookies and "cookie" not in sent_headers:
            sent_headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body and "content-length" not in sent_headers:
            sent_headers["content-length"] = str(len(body))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": route,
            "raw_path": route.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(k.encode(), v.encode()) for k, v in sent_headers.items()],
            "client": (self.address, 5000),
            "server": ("127.0.0.1", 8501),
        }
        sent: list[dict] = []
        done = asyncio.Event()
        requested = False

        async def receive() -> dict:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()  # the client stays until the whole response is in
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        await self.app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        raw = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        heads = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        cookies = [v.decode() for k, v in start["headers"] if k.decode().lower() == "set-cookie"]
        if self.keep_cookies:
            for line in cookies:
                jar = SimpleCookie()
                jar.load(line)
                self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        text = raw.decode("utf-8", errors="replace")
        return Reply(start["status"], heads, text, cookies, raw)
