"""The app's own browser code, one registry: each script and stylesheet under static/ read once,
named by a hash of its content and served by one route (`/assets/<name>`, cached for good).

Every page loads these files the same way, by their hashed URL:
- the light form page links `survey-form.js` (an ES module) and `survey-form.css`;
- the Streamlit pages mount `frame.js` (every page), `survey-form.js` and `live.js` as
  st.components.v2 components
  whose code is `module_loader(...)` (static/js/module-loader.js): it imports the same module
  by its URL and hands it the component, so a phone caches one file for both hosts;
- the map's frame links `partner-map.js` and `partner-map.css` (a classic script: folium's
  generated page calls `window.IncluMap.init` inline, in order).
Third-party libraries (Leaflet, Vega) stay under static/vendor, in versioned folders.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from inclucities.palette import stylesheet as palette_stylesheet

STATIC = Path(__file__).resolve().parent.parent / "static"
URL_PREFIX = "assets"
FILES = {
    "survey-form.js": STATIC / "form" / "survey-form.js",
    "survey-form.css": STATIC / "form" / "survey-form.css",
    "live.js": STATIC / "js" / "live.js",
    "frame.js": STATIC / "js" / "frame.js",
    "partner-map.js": STATIC / "map" / "partner-map.js",
    "partner-map.css": STATIC / "map" / "partner-map.css",
}
"""Every file of ours a browser loads, by the name pages ask for."""
STANDALONE_STYLESHEETS = ("survey-form.css", "partner-map.css")
"""Loaded where no other stylesheet of the app is (the light page, the map's frame): the
palette comes first in them."""


@dataclass(frozen=True)
class BrowserFile:
    """One file, with the name it is served under."""

    path: Path
    text: str
    digest: str

    @property
    def served_name(self) -> str:
        return f"{self.path.stem}.{self.digest}{self.path.suffix}"

    @property
    def url(self) -> str:
        """Relative to the app's root."""
        return f"{URL_PREFIX}/{self.served_name}"


@cache
def browser_files() -> dict[str, BrowserFile]:
    """Every file, read once per process."""
    files = {}
    for name, path in FILES.items():
        text = path.read_text(encoding="utf-8")
        if name in STANDALONE_STYLESHEETS:
            text = f"{palette_stylesheet()}\n{text}"
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        files[name] = BrowserFile(path, text, digest)
    return files


def browser_file(name: str) -> BrowserFile:
    return browser_files()[name]


def by_served_name(name: str) -> BrowserFile | None:
    return next((f for f in browser_files().values() if f.served_name == name), None)


LOADER = STATIC / "js" / "module-loader.js"
URL_SLOT = '"__MODULE_URL__"'


def module_loader(name: str) -> str:
    """The code of an st.components.v2 component that runs the module `name`: it imports the
    module by its URL (a failed fetch is tried twice more) and calls its default export with
    the component, returning its cleanup."""
    code = LOADER.read_text(encoding="utf-8")
    if URL_SLOT not in code:
        raise RuntimeError(f"{LOADER} has no {URL_SLOT} to fill in")
    return code.replace(URL_SLOT, json.dumps(browser_file(name).url))
