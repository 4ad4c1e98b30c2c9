"""Streamlit's hashed front-end files come from memory, compressed once; anything else goes on."""

from __future__ import annotations

import gzip

from inclucities.web.assets import HashedAssetMiddleware
from tests.async_utils import run_coroutine

SCRIPT = b"console.log('hello');\n" * 200


class Inner:
    """Stands for Streamlit: records what reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"inner"})


def _get(app, path: str, method: str = "GET", **headers: str) -> tuple[int, dict, bytes]:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }
    out: dict = {"body": b""}

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        else:
            out["body"] += message["body"]

    run_coroutine(app(scope, receive, send))
    return out["status"], out["headers"], out["body"]


def _app(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "index.DormvYxC.js").write_bytes(SCRIPT)
    (tmp_path / "static" / "js" / "plain.js").write_bytes(SCRIPT)
    (tmp_path / "secret.AbCdEfGh.txt").write_text("not served")
    inner = Inner()
    return HashedAssetMiddleware(inner, directory=tmp_path), inner


def test_a_hashed_script_is_served_from_memory_compressed_and_cached_for_a_year(tmp_path):
    app, inner = _app(tmp_path)
    status, headers, body = _get(app, "/static/js/index.DormvYxC.js", accept_encoding="gzip, br")
    assert status == 200 and inner.paths == []
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == SCRIPT
    assert int(headers["content-length"]) == len(body) < len(SCRIPT)
    assert headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert "immutable" in headers["cache-control"] and headers["vary"] == "Accept-Encoding"

    status, headers, body = _get(app, "/static/js/index.DormvYxC.js")
    assert status == 200 and body == SCRIPT and "content-encoding" not in headers

    status, _, body = _get(app, "/static/js/index.DormvYxC.js", if_none_match=headers["etag"])
    assert status == 304 and body == b""
    status, headers, body = _get(app, "/static/js/index.DormvYxC.js", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) == len(SCRIPT)
    assert inner.paths == []


def test_anything_else_goes_on_to_streamlit(tmp_path):
    app, inner = _app(tmp_path)
    for path in (
        "/static/js/plain.js",  # no hash in the name: it may change
        "/static/js/missing.AbCdEfGh.js",
        "/static/js/../../secret.AbCdEfGh.txt",
        "/survey",
    ):
        status, _, body = _get(app, path)
        assert (status, body) == (404, b"inner"), path
    _get(app, "/static/js/index.DormvYxC.js", range="bytes=0-10")
    assert inner.paths[-1] == "/static/js/index.DormvYxC.js"
    assert list(app.cache) == []  # a made-up or refused name is not kept in memory
