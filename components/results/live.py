"""The live screen: a browser component that draws the summaries the server pushes.

Results and presenter pages mount it once; it subscribes to /live/<survey>/events (server-sent
events) and redraws its charts and tables in the browser when the data change, so an open
screen costs the server no script reruns at all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

import streamlit as st

from inclucities.browser_files import module_loader
from inclucities.i18n import translator
from inclucities.results.payload import client_texts, direction

# Relative to the page, so the app also works under a path prefix; served by Streamlit's
# static file serving (vendored from npm, no CDN).
VEGA_SCRIPTS = (
    "app/static/vendor/vega-6.4.0/vega.min.js",
    "app/static/vendor/vega-lite-6.4.1/vega-lite.min.js",
)
VIEWS = ("results", "stage", "wall")


@lru_cache(maxsize=1)
def _component() -> Any:
    return st.components.v2.component(
        "inclucities_live",
        html="",
        js=module_loader("live.js"),  # static/js/live.js, by its hashed URL
        isolate_styles=False,  # the app's stylesheet (static/css/live.css) styles it
    )


def events_url(survey_id: str, lang: str, mode: str, session_id: str | None = None) -> str:
    query = {"lang": lang, "mode": mode}
    if session_id:
        query["session"] = session_id
    return f"live/{quote(survey_id)}/events?{urlencode(query)}"


def live_screen(
    survey_id: str,
    lang: str,
    view: str,
    *,
    key: str,
    revealed: bool = True,
    on_revealed: Callable[[], None] | None = None,
    session_id: str | None = None,
) -> None:
    """Mount the live screen: `results` (every section), `stage` (projector charts) or `wall`.

    `session_id` limits the figures to one live session (None: every answer of the survey).
    `revealed` is the state this run knows; when the pushed state differs (another device
    revealed or hid the results), the component reruns the page so its controls agree.
    """
    mode = "results" if view == "results" else "presenter"
    t = translator(lang)
    data = {
        "url": events_url(survey_id, t.lang, mode, session_id),
        "view": view,
        "lang": t.lang,
        "dir": direction(t.lang),
        "texts": client_texts(t),
        "revealed": revealed,
        "vega": list(VEGA_SCRIPTS),
    }
    callbacks = {"on_revealed_change": on_revealed or (lambda: None)} if view == "stage" else {}
    with st.container(key=f"{key}_box"):
        _component()(key=key, data=data, **callbacks)
