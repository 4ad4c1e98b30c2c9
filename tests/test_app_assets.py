"""Issue 27: one way to load the app's own browser code. Every script and stylesheet of ours is
in one registry, served by one route under a content-hashed name, and every page loads it by
that URL: the light page and the map's frame link it, Streamlit's components import it."""

from __future__ import annotations

import ast
import gzip
import json
from pathlib import Path

import pytest
from starlette.applications import Starlette

from inclucities.browser_files import (
    FILES,
    LOADER,
    STATIC,
    URL_SLOT,
    browser_file,
    browser_files,
    module_loader,
)
from inclucities.content import load_content
from inclucities.i18n import translator
from inclucities.mapping import build_partner_map
from inclucities.web.browser import browser_routes
from tests.asgi_client import Client

ROOT = Path(__file__).resolve().parent.parent
OUR_FOLDERS = ("js", "form", "map")
UI_CODE = [*(ROOT / "components").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]


def test_every_script_and_stylesheet_of_ours_is_in_the_registry():
    ours = {
        path
        for folder in OUR_FOLDERS
        for path in (STATIC / folder).rglob("*")
        if path.suffix in (".js", ".css") and path != LOADER
    }
    assert ours == set(FILES.values())


def test_each_file_is_served_under_its_hashed_name_and_cached_for_good():
    client = Client(Starlette(routes=browser_routes()))
    for name, found in browser_files().items():
        assert found.url == f"assets/{Path(name).stem}.{found.digest}{Path(name).suffix}"
        reply = client.get(f"/{found.url}", {"accept-encoding": "gzip"})
        assert reply.status_code == 200, name
        assert reply.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert gzip.decompress(reply.body).decode("utf-8") == found.text
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        assert reply.headers["content-type"].startswith(kind)
        again = client.get(f"/{found.url}", {"if-none-match": reply.headers["etag"]})
        assert again.status_code == 304
    stale = browser_file("live.js").url.replace(browser_file("live.js").digest, "0" * 12)
    assert client.get(f"/{stale}").status_code == 404
    assert client.get("/assets/../app.py").status_code == 404


def test_a_component_imports_its_module_by_the_served_url():
    code = module_loader("live.js")
    assert URL_SLOT not in code
    assert f"new URL({json.dumps(browser_file('live.js').url)}, document.baseURI)" in code
    assert "export default function (component)" in code
    with pytest.raises(KeyError):
        module_loader("nothing.js")


def _component_calls(path: Path) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.components.v2.component"
    ]


def test_the_ui_loads_scripts_only_through_components_that_import_them():
    calls = [call for path in UI_CODE for call in _component_calls(path)]
    assert len(calls) >= 3, "the frame, the survey form and the live screens"
    for call in calls:
        js = next(k.value for k in call.keywords if k.arg == "js")
        assert isinstance(js, ast.Call) and ast.unparse(js.func) == "module_loader", ast.unparse(js)
    for path in UI_CODE:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_javascript" not in text, f"{path.relative_to(ROOT)}: inline script"
        assert "<script" not in text, f"{path.relative_to(ROOT)}: inline script"


def test_the_map_frame_links_its_layout_script_and_stylesheet_by_their_hashed_names():
    html = build_partner_map(load_content(), translator("fr")).get_root().render()
    for name in ("partner-map.js", "partner-map.css"):
        assert f'"/{browser_file(name).url}"' in html
    assert "/app/static/map/" not in html
