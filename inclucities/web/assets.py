"""Streamlit's own hashed front-end files, served from memory, compressed once.

Every phone that scans the QR code loads about 60 of Streamlit's script, style and font files
with an empty cache. Streamlit's file handler streams each one from disk through the whole
middleware stack and a worker thread per chunk: about 4 ms of server time per file, a quarter
of a second per phone, which made a room of phones wait (docs/capacity.md). These files carry
a content hash in their names and never change while the server runs, so this middleware keeps
each one in memory (gzip-compressed once when that helps) and answers at once.

Anything else, a file whose name has no hash, a range request, a path outside Streamlit's
static folder, goes on to Streamlit unchanged.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

# Vite's output names: index.DormvYxC.js, SourceSansVF-Upright.ttf.BsWL4Kly.woff2
HASHED_FILE = re.compile(r"^/static/(?:js|css|media)/[A-Za-z0-9_.-]+\.[A-Za-z0-9_-]{8}\.[a-z0-9]+$")
COMPRESSIBLE = {".js", ".css", ".svg", ".ttf", ".json", ".map"}
CACHE_CONTROL = "public, max-age=31536000, immutable"


def streamlit_static_dir() -> Path:
    """The folder of Streamlit's built front end (found without importing Streamlit)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("streamlit is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


@dataclass(frozen=True)
class Asset:
    """One file, as sent: plain and, when smaller, gzip-compressed."""

    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str


def load_asset(path: Path) -> Asset:
    """Read and prepare one file."""
    body = path.read_bytes()
    gzipped = None
    if path.suffix in COMPRESSIBLE:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        gzipped = packed if len(packed) < len(body) else None
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type.endswith("javascript"):
        content_type += "; charset=utf-8"
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Asset(body, gzipped, content_type, etag)


def load_text_asset(text: str, content_type: str) -> Asset:
    """A text made by the app (a page, the form's script), prepared like a file."""
    body = text.encode("utf-8")
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    gzipped = packed if len(packed) < len(body) else None
    return Asset(body, gzipped, f"{content_type}; charset=utf-8", etag)


def encoded(asset: Asset, request: Request, headers: dict[str, str]) -> bytes:
    """The asset's bytes, compressed when the browser accepts gzip (said in `headers`)."""
    if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        headers["content-encoding"] = "gzip"
        return asset.gzipped
    return asset.body


class HashedAssetMiddleware:
    """Answer GET and HEAD for Streamlit's hashed static files from memory."""

    def __init__(self, app: ASGIApp, directory: str | Path | None = None) -> None:
        self.app = app
        self.root = Path(directory or streamlit_static_dir()).resolve()
        self.cache: dict[str, Asset] = {}  # files found only: made-up names are not kept

    def _asset(self, path: str) -> Asset | None:
        if path not in self.cache:
            file = (self.root / path.lstrip("/")).resolve()
            if not (file.is_relative_to(self.root) and file.is_file()):
                return None
            self.cache[path] = load_asset(file)
        return self.cache[path]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", "")) if scope["type"] == "http" else ""
        if not path or scope.get("method") not in ("GET", "HEAD") or not HASHED_FILE.match(path):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        asset = None if "range" in headers else self._asset(path)
        if asset is None:
            await self.app(scope, receive, send)
            return
        await self._send(asset, headers, scope["method"] == "HEAD", send)

    async def _send(self, asset: Asset, headers: Headers, head_only: bool, send: Send) -> None:
        common = [
            (b"cache-control", CACHE_CONTROL.encode()),
            (b"etag", asset.etag.encode()),
            (b"vary", b"Accept-Encoding"),
        ]
        if asset.etag in headers.get("if-none-match", ""):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        body = asset.body
        if asset.gzipped is not None and "gzip" in headers.get("accept-encoding", ""):
            body = asset.gzipped
            common.append((b"content-encoding", b"gzip"))
        start = [
            (b"content-type", asset.content_type.encode()),
            (b"content-length", str(len(body)).encode()),
            *common,
        ]
        await send({"type": "http.response.start", "status": 200, "headers": start})
        await send({"type": "http.response.body", "body": b"" if head_only else body})
