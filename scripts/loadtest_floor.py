"""The floor for scripts/loadtest.py: a bare Starlette page with one form and one POST handler.

    python -m scripts.loadtest_floor --port 8600 --db /tmp/floor.duckdb

What any server must do for a phone, and nothing more, so that the app's figures can be read as
a ratio to it. It is run with uvicorn (one process, no access log) and serves:

- `GET /form?lang=<code>`: one HTML page with one `<form>`: the resident survey's questions
  (surveys/definitions/resident.yaml, English texts) as native radios, tick boxes, selects and a
  text box, in the same markup the light form uses for its questions (`data-q`, `data-kind`...),
  so the harness's phones answer it the same way, and the script settings (`.icf-config`) that
  name where to send. The page is rendered and gzip-compressed once, at start. It links no file,
  sets no cookie and takes no script.
- `POST /answers?lang=<code>`: reads the JSON body (the phone's `survey, version, lang, session,
  submission, answers, consent`), checks that it is an object with a submission secret and an
  answers object, and does one INSERT into a DuckDB file (`submission_id` the first 40 hex digits
  of the SHA-256 of the secret, primary key, `ON CONFLICT DO NOTHING`; the answers as JSON text),
  committed before it replies `{"status": "stored"}` (or `"duplicate"` when the row was there).
  No validation against the survey, no count, no rate limit, no token, no live screens.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import html
import json
import os
import sys
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "surveys" / "definitions" / "resident.yaml"
DB_PATH = Path(os.environ.get("LOADTEST_FLOOR_DB", "/tmp/loadtest-floor.duckdb"))
MAX_BODY = 64 * 1024
SCALE = ("1", "2", "3", "4", "5")


def submission_id(secret: str) -> str:
    """The stored id of a phone's submission secret (scripts/load/floor.py computes it too)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:40]


def _en(value: Any) -> str:
    return str(value.get("en", "")) if isinstance(value, dict) else str(value or "")


def _inputs(kind: str, name: str, values: list[tuple[str, str, bool]]) -> str:
    out = []
    for value, label, exclusive in values:
        extra = " data-exclusive" if exclusive else ""
        out.append(
            f'<label><input type="{kind}" name="{html.escape(name)}" value="{html.escape(value)}"'
            f"{extra}> {html.escape(label)}</label>"
        )
    return "".join(out)


def _question(q: dict[str, Any]) -> str:
    qid = str(q["id"])
    kind = "grid" if q.get("items") else str(q["type"])
    attrs = f'class="icf-q" data-q="{html.escape(qid)}" data-kind="{kind}"'
    if q.get("required"):
        attrs += " data-required"
    if q.get("max_selections"):
        attrs += f' data-max="{q["max_selections"]}"'
    if q.get("max_length"):
        attrs += f' data-max-length="{q["max_length"]}"'
    if q.get("show_if"):
        attrs += f" data-show-if='{html.escape(json.dumps(q['show_if']), quote=True)}'"
    options = [
        (str(o["id"]), _en(o["label"]), bool(o.get("exclusive"))) for o in q.get("options") or []
    ]
    if q["type"] == "agreement":
        options = [(level, level, False) for level in SCALE]
        if q.get("no_answer"):
            options.append((str(q["no_answer"]["id"]), _en(q["no_answer"]["label"]), False))
    body = f"<legend>{html.escape(_en(q['text']))}</legend>"
    if kind == "grid":
        for item in q["items"]:
            body += f"<fieldset><legend>{html.escape(_en(item['label']))}</legend>"
            body += _inputs("radio", f"{qid}.{item['id']}", options) + "</fieldset>"
    elif kind in ("agreement", "single", "city"):
        body += _inputs("radio", qid, options)
    elif kind == "multi":
        body += _inputs("checkbox", qid, options)
    elif kind == "priorities":
        count = q.get("max_selections") or 1
        places = "".join(f'<option value="{n}">{n}</option>' for n in range(1, count + 1))
        for value, label, _ in options:
            name, option = html.escape(f"{qid}.{value}"), html.escape(value)
            body += (
                f'<label>{html.escape(label)} <select name="{name}" data-option="{option}">'
                f'<option value=""></option>{places}</select></label>'
            )
    else:
        limit = q.get("max_length") or 500
        body += f'<textarea name="{html.escape(qid)}" maxlength="{limit}"></textarea>'
    return f"<fieldset {attrs}>{body}</fieldset>"


def render_page(lang: str) -> str:
    """The whole page: the questions, a consent box and a send button in one form."""
    raw = yaml.safe_load(DEFINITION.read_text(encoding="utf-8"))
    config = {
        "survey": raw["id"],
        "version": raw["version"],
        "lang": lang,
        "session": None,
        "urls": {"answers": f"answers?lang={lang}"},
    }
    questions = "".join(_question(q) for q in raw["questions"])
    return (
        f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(_en(raw['title']))}</title></head><body>"
        f'<script type="application/json" class="icf-config">{json.dumps(config)}</script>'
        f'<form method="post" action="answers?lang={html.escape(lang)}">'
        f"<h1>{html.escape(_en(raw['title']))}</h1>{questions}"
        '<label><input type="checkbox" name="_consent" value="yes"> I agree</label>'
        '<button type="submit">Send</button></form></body></html>'
    )


class Pages:
    """Each language's page, rendered and compressed once."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, bytes]] = {}

    def get(self, lang: str) -> tuple[bytes, bytes]:
        if lang not in self.pages:
            body = render_page(lang).encode("utf-8")
            self.pages[lang] = (body, gzip.compress(body, 6))
        return self.pages[lang]


class Store:
    """One DuckDB file, one connection, one INSERT per submission, committed before the reply."""

    def __init__(self, path: Path) -> None:
        self.con = duckdb.connect(str(path))
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS answers (submission_id VARCHAR PRIMARY KEY, "
            "survey VARCHAR, lang VARCHAR, answers VARCHAR, received_at TIMESTAMP)"
        )
        self.lock = threading.Lock()

    def insert(self, sid: str, survey: str, lang: str, answers: str) -> bool:
        """True when stored, False when the submission was there already."""
        with self.lock:
            row = self.con.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [sid, survey, lang, answers, datetime.now(UTC).replace(tzinfo=None)],
            ).fetchone()
        return bool(row and row[0])


LANGS = {"en", "fr", "nl", "es", "it", "el", "lv", "ar", "uk"}
pages = Pages()
_stores: list[Store] = []


def store() -> Store:
    """The database, opened once at start."""
    if not _stores:
        _stores.append(Store(Path(os.environ.get("LOADTEST_FLOOR_DB", DB_PATH))))
    return _stores[0]


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    store()
    yield


async def form(request: Request) -> Response:
    """The form page in `?lang=` (English texts; the language is only passed on)."""
    lang = request.query_params.get("lang", "en")
    body, gzipped = pages.get(lang if lang in LANGS else "en")
    headers = {"cache-control": "no-store", "vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = gzipped
        headers["content-encoding"] = "gzip"
    return Response(body, headers=headers, media_type="text/html; charset=utf-8")


async def answers(request: Request) -> Response:
    """Parse the body, one durable INSERT, the reply."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return JSONResponse({"status": "too_large"}, 413)
    try:
        data = json.loads(raw)
    except ValueError:
        return JSONResponse({"status": "invalid"}, 400)
    secret = data.get("submission") if isinstance(data, dict) else None
    given = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(secret, str) or not secret or not isinstance(given, dict):
        return JSONResponse({"status": "invalid"}, 400)
    stored = await run_in_threadpool(
        store().insert,
        submission_id(secret),
        str(data.get("survey")),
        str(data.get("lang")),
        json.dumps(given, ensure_ascii=False),
    )
    return JSONResponse({"status": "stored" if stored else "duplicate"})


async def health(request: Request) -> Response:
    """Up."""
    return Response("ok", media_type="text/plain")


app = Starlette(
    routes=[
        Route("/form", form, methods=["GET"]),
        Route("/answers", answers, methods=["POST"]),
        Route("/_stcore/health", health, methods=["GET"]),  # where the harness waits for servers
    ],
    lifespan=lifespan,
)


def main() -> None:
    """Run it with uvicorn (started as `python -m uvicorn`, as the harness does)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--db", type=Path, default=DB_PATH)
    args = parser.parse_args()
    os.environ["LOADTEST_FLOOR_DB"] = str(args.db)
    command = [sys.executable, "-m", "uvicorn", "loadtest_floor:app"]
    command += ["--app-dir", str(Path(__file__).parent), "--host", "127.0.0.1"]
    command += ["--port", str(args.port), "--no-access-log", "--log-level", "warning"]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()
