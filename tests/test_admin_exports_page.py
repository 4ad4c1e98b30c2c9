"""The admin's export tab under AppTest: the Excel link, the CSV separator whose default follows
the admin's language, the withheld cells and the small-group rule as it really works."""

from __future__ import annotations

import re

import pytest

from components.admin.exports import SEPARATOR_KEY
from inclucities.i18n import translator
from tests.apptest_utils import page_text, run_app, sign_in_as


@pytest.fixture
def export_tab(monkeypatch):
    """The export tab of a signed-in admin, in a language."""
    sign_in_as(monkeypatch, "admin")

    def open_tab(lang: str):
        at = run_app("pages/admin.py", lang)
        assert not at.exception, at.exception
        at.segmented_control(key="admin_section").set_value("export").run()
        assert not at.exception, at.exception
        return at

    return open_tab


def _links(at) -> dict[str, str]:
    html = "".join(str(block.proto.body) for block in at.get("html"))
    return {
        kind: html
        for kind in ("csv", "xlsx", "parquet", "codebook", "shareable")
        if f'data-export="{kind}"' in html
    }


@pytest.mark.parametrize(("lang", "separator"), [("fr", ";"), ("en", ","), ("uk", ";")])
def test_the_separator_defaults_to_the_admins_language(export_tab, lang, separator):
    at = export_tab(lang)
    choice = at.radio(key=f"{SEPARATOR_KEY}_{lang}")
    assert choice.value == separator
    t = translator(lang)
    assert choice.label == t("admin.export.separator")
    assert set(choice.options) == {
        t("admin.export.separator_comma"),
        t("admin.export.separator_semicolon"),
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_tab_offers_the_workbook_beside_csv_parquet_and_codebook(export_tab, lang):
    at = export_tab(lang)
    links = _links(at)
    assert set(links) == {"csv", "xlsx", "parquet", "codebook", "shareable"}
    html = links["xlsx"]
    link = re.search(
        r'<a class="ic-download" href="([^"]+)" download="([^"]+)" data-export="xlsx"', html
    )
    assert link, html
    href, filename = link.groups()
    assert href.startswith("/admin/export/")
    assert re.fullmatch(r"inclucities_\w+_responses\.xlsx", filename)
    assert translator(lang)("admin.export.xlsx") in html
    # offered in the same row as the CSV, Parquet and codebook links of the full data
    order = [html.index(f'data-export="{kind}"') for kind in ("csv", "xlsx", "parquet", "codebook")]
    assert order == sorted(order)


def test_the_tab_explains_withheld_cells_and_states_the_real_small_group_rule(export_tab):
    at = export_tab("fr")
    text = page_text(at)
    t = translator("fr")
    assert "« masqué (petit groupe) »" in text
    assert "k = 5" in text
    for rule in ("start", "opinion", "profile", "hidden", "sessions"):
        assert t(f"admin.export.share_rule_{rule}", k="5") in text
    # the old sentence (every count under k hidden) is gone: opinion counts are shown in full
    assert "Tout effectif inférieur à" not in text
    assert "petits et nuls compris" in text


def test_switching_the_separator_changes_the_csv_offered(export_tab):
    """The chosen separator reaches the files: the link made after the switch serves ';'."""
    from inclucities import runtime

    at = export_tab("en")
    at.radio(key=f"{SEPARATOR_KEY}_en").set_value(";").run()
    assert not at.exception, at.exception
    downloads = runtime.current().downloads._downloads.values()
    issued = [d for d in downloads if d.filename.endswith("responses.csv")]
    assert issued, "no CSV link issued"
    data = issued[-1].produce()
    assert data.decode("utf-8-sig").splitlines()[0].startswith('"submission_id";')
