"""Read-aloud clips: `GET /speech/<key>.wav` serves the espeak-ng clip of one survey text.

Only texts of the surveys have clips (the key is a hash of language and text). A missing clip is
made on demand when espeak-ng is installed; otherwise the answer is 404 and the page says that
no voice is available for this language on this device.
"""

from __future__ import annotations

import re
import subprocess
from functools import lru_cache

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from inclucities import runtime
from inclucities.settings import get_settings
from inclucities.speech import AudioLibrary, Clip, espeak_path, speech_catalog

_KEY = re.compile(r"^[0-9a-f]{24}$")
CACHE = "public, max-age=31536000, immutable"  # a clip's name changes with its text


@lru_cache(maxsize=1)
def catalog() -> dict[str, Clip]:
    """Every text of the loaded surveys that may be heard, by clip key."""
    return speech_catalog(runtime.survey_registry().surveys.values(), get_settings().min_cell_size)


def library() -> AudioLibrary:
    return runtime.current().audio_library(get_settings().audio_dir)


def _clip_file(key: str) -> str | None:
    """The clip's file, made now if missing and espeak-ng is installed; None if impossible."""
    clip = catalog().get(key)
    if clip is None:
        return None
    audio = library()
    path = audio.path(key)
    if not path.is_file():
        if espeak_path() is None:
            return None
        # one synthesis at a time; later requests find the file made
        with runtime.current().speech_lock:
            if not path.is_file():
                audio.synthesize(clip)
    return str(path)


async def speech_clip(request: Request) -> Response:
    key = str(request.path_params.get("key", ""))
    if not _KEY.match(key):
        return JSONResponse({"error": "unknown clip"}, status_code=404)
    try:
        path = await run_in_threadpool(_clip_file, key)
    except (
        OSError,
        RuntimeError,
        subprocess.SubprocessError,
    ) as exc:  # espeak-ng failed or the folder is not writable
        return JSONResponse({"error": "no audio", "detail": type(exc).__name__}, status_code=503)
    if path is None:
        return JSONResponse({"error": "no audio"}, status_code=404)
    return FileResponse(path, media_type="audio/wav", headers={"cache-control": CACHE})


def speech_routes() -> list[BaseRoute]:
    return [Route("/speech/{key}.wav", speech_clip, methods=["GET", "HEAD"])]
