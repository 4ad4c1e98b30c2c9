"""Every page loads without a failed request: no 404 probe of `/<page>/_stcore/...` (the page
shell says where the server is) and no missing map image, on a phone in fr and ar."""

from __future__ import annotations

import pytest

from components.navigation import PAGES
from inclucities.web.page_shell import SETTING
from scripts.support.browser_utils import PHONE
from scripts.support.e2e_utils import new_page, open_any

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_page_asks_for_anything_the_server_does_not_have(live_server, browser, lang):
    failed: list[tuple[int, str]] = []
    with new_page(browser, PHONE) as page:
        page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
        for spec in PAGES:
            path = "" if spec.default else spec.url_path
            open_any(page, live_server.page_url(path, lang=lang))
            page.wait_for_timeout(500)  # late requests: the map's images, a chart's data
            assert page.evaluate("() => window.__streamlit.BACKEND_BASE_URL") == (
                live_server.url + "/"
            )
    assert failed == []


def test_the_shell_setting_is_written_once_and_only_into_streamlits_page():
    from inclucities.web.page_shell import MARKER, with_base_url

    shell = b"<head>\n    " + MARKER + b'DormvYxC.js"></script></head>'
    once = with_base_url(shell)
    assert once.count(SETTING) == 1 and with_base_url(once) == once
    other = b"<html><head><script src='/app/static/form.js'></script></head></html>"
    assert with_base_url(other) == other


def _shell_app(body: bytes, encoding: str | None):
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from inclucities.web.page_shell import PageShellMiddleware

    async def page(request):
        headers = {"content-encoding": encoding} if encoding else {}
        return Response(body, media_type="text/html", headers=headers)

    return PageShellMiddleware(Starlette(routes=[Route("/map", page)]))


def test_the_shell_is_rewritten_compressed_or_not_and_other_pages_pass_as_they_were():
    """Streamlit sends its shell gzip-compressed to a browser that accepts it: the middleware
    must unpack it to write the setting (a version that held only uncompressed pages left every
    page probing `/<page>/_stcore/`)."""
    import gzip

    from inclucities.web.page_shell import MARKER
    from tests.asgi_client import Client

    shell = b"<head>\n    " + MARKER + b'DormvYxC.js"></script></head>'
    for encoding, body in ((None, shell), ("gzip", gzip.compress(shell))):
        reply = Client(_shell_app(body, encoding)).get("/map")
        assert SETTING in reply.body, encoding
        assert int(reply.headers["content-length"]) == len(reply.body)
        assert "content-encoding" not in reply.headers
    form = gzip.compress(b"<html><body>the phone form</body></html>")
    assert Client(_shell_app(form, "gzip")).get("/map").body == form  # sent as it came
