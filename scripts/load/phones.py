"""A phone on the light survey form, over plain HTTP, doing what its browser and the page's
script do: open the join link (the page, then its two files on a second connection), answer
with no request at all (think time), send the answers (retrying as the script does), then ask
for the ideas to support. Some phones send the same submission twice: a lost reply (the
connection drops before it comes, the script sends again) or a resend after the reply."""

from __future__ import annotations

import asyncio
import json
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from scripts.load.formpage import FormPage, draw_answers, ideas_body, payload, read_form
from scripts.load.http import Connection, Response, split_url
from scripts.load.protocol import now

FORM_COOKIE = "inclucities_form"
SEND_TIMEOUT = 20.0  # seconds the script waits for a reply (SEND_TIMEOUT_MS)
RETRY_SECONDS = (2.0, 5.0, 10.0, 20.0)  # the script's waits after a failed send (RETRY_MS)
MAX_SENDS = 6  # attempts before the harness gives up on a phone (the script never does)
LOST_WAIT = 2.0  # after a dropped connection, the script tries again after RETRY_MS[0]
RESEND_KINDS = ("lost", "again")


@dataclass
class PhoneResult:
    """What one phone saw."""

    index: int
    lang: str
    entry: str  # the link it opened
    token: str  # written in its free-text answer, found again in the database
    secret: str = ""  # the submission secret its script made
    submission_id: str = ""  # what the server stores it under (computed by the harness)
    kind: str = "http"
    session: str | None = None  # the live session it answers in (joined by its code)
    resend: str = ""  # "", "lost" (the first reply never came) or "again" (sent after the ack)
    started: float = 0.0
    page_seconds: float | None = None  # the HTML
    open_seconds: float | None = None  # the HTML and its two files
    requests: int = 0  # the first visit's requests: page, files, answers, ideas
    received: int = 0  # the first visit's bytes on the wire, replies (headers included)
    sent: int = 0  # the first visit's bytes on the wire, requests
    connections: int = 0
    files: int = 0
    sent_at: float | None = None
    acknowledged_at: float | None = None
    send_seconds: float | None = None  # from pressing send to the acknowledgement
    status: str = ""  # the acknowledgement's status: stored or duplicate
    receipt: str = ""
    count: int | None = None  # the count the acknowledgement carried
    attempts: int = 0
    replies: list[int] = field(default_factory=list)  # every answers reply's HTTP status
    rate_limited: int = 0
    resend_status: str = ""
    ideas_in_ack: bool = False  # the acknowledgement carried the thank-you's ideas
    ideas_seconds: float | None = None
    ideas_status: int | None = None
    error: str | None = None

    @property
    def acknowledged(self) -> bool:
        """The server acknowledged the answers (200, stored or duplicate)."""
        return self.acknowledged_at is not None


class Jar:
    """The cookies a browser keeps for one origin (name=value only; no expiry needed here)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def take(self, response: Response) -> None:
        for line in response.set_cookies:
            pair = line.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if name.strip():
                self.values[name.strip()] = value.strip()

    def header(self) -> list[tuple[str, str]]:
        if not self.values:
            return []
        return [("Cookie", "; ".join(f"{k}={v}" for k, v in self.values.items()))]


def choose_resends(count: int, share: float, rng: random.Random) -> dict[int, str]:
    """Which phones send twice, and how (alternately a lost reply and a resend after it)."""
    chosen = sorted(rng.sample(range(count), min(count, round(count * share))))
    return {i: RESEND_KINDS[n % 2] for n, i in enumerate(chosen)}


class Phone:
    """One phone's browser: a cookie jar and up to two connections to the server."""

    def __init__(self, base_url: str, result: PhoneResult, timeout: float = SEND_TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.host, self.port, _ = split_url(self.base_url)
        self.origin = f"http://{self.host}:{self.port}"
        self.result = result
        self.timeout = timeout
        self.jar = Jar()
        self.connections = [
            Connection(self.host, self.port, language=result.lang),
            Connection(self.host, self.port, language=result.lang),
        ]
        self.page_url = ""
        self.page: FormPage | None = None
        self.counting = True  # the first visit's bytes and requests
        result.secret = result.secret or secrets.token_urlsafe(32)  # made once, kept for resends

    async def _call(
        self,
        connection: Connection,
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        *,
        read_reply: bool = True,
    ) -> Response:
        target = split_url(url)[2]
        response = await asyncio.wait_for(
            connection.request(
                method, target, [*headers, *self.jar.header()], body, read_reply=read_reply
            ),
            self.timeout,
        )
        self.jar.take(response)
        if self.counting:
            self.result.requests += 1
            self.result.sent += response.sent
            self.result.received += response.received
        return response

    async def open(self) -> FormPage:
        """The join link's page, then the two files it links, fetched side by side."""
        start = now()
        self.result.started = start
        page = await self.load_page()
        await self.load_files()
        self.result.open_seconds = now() - start
        return page

    async def load_page(self) -> FormPage:
        """The join link's page (its form read, as the script reads it)."""
        result = self.result
        self.page_url = self.base_url + result.entry
        start = now()
        accept = [("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")]
        response = await self._call(self.connections[0], "GET", self.page_url, accept)
        if response.status != 200:
            raise PhoneError(f"page {result.entry}: HTTP {response.status}")
        result.page_seconds = now() - start
        page = read_form(response.text())
        if not page.config or not page.questions:
            raise PhoneError(f"page {result.entry}: no form in it")
        self.page = page
        return page

    async def load_files(self) -> None:
        """The files the page links, side by side on two connections, as a browser does."""
        assert self.page is not None
        files = [urljoin(self.page_url, f) for f in self.page.files]
        replies = await asyncio.gather(
            *(
                self._call(self.connections[i % 2], "GET", url, [("Accept", "*/*")])
                for i, url in enumerate(files)
            )
        )
        bad = [
            f"{urlsplit(url).path}: HTTP {reply.status}"
            for url, reply in zip(files, replies, strict=True)
            if reply.status != 200
        ]
        if bad:
            raise PhoneError("files: " + ", ".join(bad))
        self.result.files = len(files)

    def answers(self, rng: random.Random) -> bytes:
        """The JSON the script sends: answers drawn from the page, the phone's secret."""
        assert self.page is not None
        answers = draw_answers(self.page, self.result.token, rng)
        body = payload(self.page, answers, self.result.secret)
        return json.dumps(body, ensure_ascii=False).encode()

    def _post_headers(self) -> list[tuple[str, str]]:
        return [
            ("Content-Type", "application/json"),
            ("Accept", "*/*"),
            ("Origin", self.origin),
            ("X-Form-Token", self.jar.values.get(FORM_COOKIE, "")),
        ]

    def _url(self, kind: str) -> str:
        assert self.page is not None
        return urljoin(self.page_url, str(self.page.config["urls"][kind]))

    async def send(self, body: bytes) -> None:
        """Send the answers until they are acknowledged, as the script does: again after a
        lost connection or a 5xx (2, 5, 10, 20 s), after Retry-After on a 429; a 4xx other than
        429 stops it. Each attempt opens a connection if the kept-alive one was closed."""
        result = self.result
        url = self._url("answers")
        result.sent_at = now()
        waits = iter(RETRY_SECONDS)
        while result.attempts < MAX_SENDS:
            result.attempts += 1
            try:
                reply = await self._call(
                    self.connections[0], "POST", url, self._post_headers(), body
                )
            except (OSError, ConnectionError, TimeoutError) as exc:
                result.replies.append(0)
                result.error = f"send: {type(exc).__name__}: {exc}"
                await asyncio.sleep(next(waits, RETRY_SECONDS[-1]))
                continue
            result.replies.append(reply.status)
            data = _json(reply)
            if reply.status == 200:
                result.acknowledged_at = now()
                result.send_seconds = result.acknowledged_at - result.sent_at
                result.status = str(data.get("status", ""))
                result.receipt = str(data.get("receipt", ""))
                count = data.get("count")
                result.count = count if isinstance(count, int) else None
                result.ideas_in_ack = isinstance(data.get("ideas"), dict)
                result.error = None
                return
            if reply.status == 429:
                result.rate_limited += 1
                retry = reply.headers.get("retry-after", "")
                await asyncio.sleep(float(retry) if retry.isdigit() else 5.0)
                continue
            if reply.status >= 500:
                result.error = f"send: HTTP {reply.status} {data.get('status', '')}"
                await asyncio.sleep(next(waits, RETRY_SECONDS[-1]))
                continue
            result.error = f"send: HTTP {reply.status} {data.get('status', '')}: {reply.text()}"
            return
        result.error = (result.error or "send") + f" (gave up after {result.attempts} attempts)"

    async def lose_reply(self, body: bytes) -> None:
        """Send the answers and drop the connection before the reply: the reply is lost."""
        await self._call(
            self.connections[0],
            "POST",
            self._url("answers"),
            self._post_headers(),
            body,
            read_reply=False,
        )

    async def resend(self, body: bytes) -> None:
        """Send the same submission again after it was acknowledged (a reload, a retry)."""
        self.counting = False
        reply = await self._call(
            self.connections[0], "POST", self._url("answers"), self._post_headers(), body
        )
        data = _json(reply)
        self.result.resend_status = f"{reply.status} {data.get('status', '')}".strip()
        if reply.status == 429:
            self.result.rate_limited += 1

    async def ideas(self) -> None:
        """What the thank-you page loads: the ideas this respondent may support, unless the
        acknowledgement carried them (as the app's does; the script then asks nothing)."""
        assert self.page is not None
        if "ideas" not in self.page.config.get("urls", {}) or self.result.ideas_in_ack:
            return  # the floor page has no ideas; the app's came with the answers' reply
        start = now()
        body = json.dumps(ideas_body(self.page, self.result.secret)).encode()
        reply = await self._call(
            self.connections[0], "POST", self._url("ideas"), self._post_headers(), body
        )
        self.result.ideas_status = reply.status
        self.result.ideas_seconds = now() - start
        if reply.status == 429:
            self.result.rate_limited += 1

    async def close(self) -> None:
        for connection in self.connections:
            await connection.close()
        self.result.connections = sum(c.opened for c in self.connections)


class PhoneError(RuntimeError):
    """The phone could not do what a person would (a page or file missing, a bad reply)."""


def _json(reply: Response) -> dict[str, object]:
    try:
        data = json.loads(reply.text() or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def run_phone(
    base_url: str,
    result: PhoneResult,
    *,
    think: tuple[float, float] = (0.0, 0.0),
    rng: random.Random | None = None,
    ideas: bool = True,
    ready: asyncio.Event | None = None,
    go: asyncio.Event | None = None,
    timeout: float = SEND_TIMEOUT,
) -> PhoneResult:
    """One phone from the join link to the ideas; never raises. With `ready` and `go`, it
    opens the form and answers, sets `ready`, and sends only once `go` is set (a probe)."""
    rng = rng or random.Random()
    phone = Phone(base_url, result, timeout=timeout)
    try:
        await phone.open()
        body = phone.answers(rng)
        if ready is not None:
            ready.set()
        if go is not None:
            await go.wait()
        else:
            await asyncio.sleep(rng.uniform(*think))  # answering: nothing reaches the server
        if result.resend == "lost":
            await phone.lose_reply(body)
            phone.counting = False  # the rest is not what a first visit costs
            await asyncio.sleep(LOST_WAIT)
        await phone.send(body)
        if result.acknowledged and result.resend == "again":
            phone.counting = False
            await phone.resend(body)
        if result.acknowledged and ideas:
            await phone.ideas()
    except (PhoneError, OSError, ConnectionError, TimeoutError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a harness bug must not stop the other phones
        result.error = f"harness: {type(exc).__name__}: {exc}"
    finally:
        if ready is not None:
            ready.set()  # never leave the caller waiting
        await phone.close()
    return result
