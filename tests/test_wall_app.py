"""AppTest: bulk moderation and pins in the admin console (supports on the thank-you are in
tests/test_form_routes.py)."""

from __future__ import annotations

from tests.apptest_utils import page_text, run_app, sign_in_as
from tests.test_admin_page import _sign_in
from tests.test_wall import ACADEMY


def _store():
    from components.store_access import get_store

    return get_store()


def _seed_ideas(words: list[str], approve: bool = True) -> list[int]:
    store = _store()
    for n, word in enumerate(words):
        store.submit(
            f"seed-{n}",
            "academy",
            ACADEMY.version,
            "fr",
            {
                "first_recommendation": "participation",
                "readiness": {item.id: "4" for item in ACADEMY.question("readiness").items},
                "one_word": word,
            },
        )
    ids = [i.id for i in store.ideas("academy")]
    if approve:
        store.set_ideas_status(ids, "approved", actor="mod")
    return ids


def test_admin_approves_in_bulk_and_pins_and_every_action_is_audited(monkeypatch):
    sign_in_as(monkeypatch, "admin")
    ids = _seed_ideas(["un", "deux", "trois"], approve=False)
    at = run_app("pages/admin.py", "en")
    _sign_in(at)
    at.selectbox(key="admin_survey").set_value("academy").run()
    at.segmented_control(key="admin_section").set_value("moderation").run()
    assert at.button(key="admin_mod_bulk_approved").disabled  # nothing selected yet
    at.checkbox(key="admin_mod_all_pending_0").check().run()
    assert all(at.checkbox(key=f"admin_mod_sel_{i}").value for i in ids)
    at.checkbox(key=f"admin_mod_sel_{ids[2]}").uncheck().run()
    assert at.button(key="admin_mod_bulk_approved").label == "Approve 2 selected ideas"
    at.button(key="admin_mod_bulk_approved").click().run()
    assert not at.exception, at.exception
    assert "2 ideas changed" in page_text(at)
    store = _store()
    assert [i.id for i in store.ideas("academy", status="approved")] == ids[:2]
    at.segmented_control(key="admin_mod_filter").set_value("approved").run()
    at.button(key=f"pin_{ids[1]}").click().run()
    assert not at.exception, at.exception
    assert [i.id for i in store.top_ideas("academy")] == [ids[1], ids[0]]
    assert "Pinned · 0 supports" in page_text(at)
    at.checkbox(key=f"admin_mod_sel_{ids[0]}").check().run()
    at.button(key="admin_mod_bulk_hidden").click().run()
    assert [i.id for i in store.ideas("academy", status="hidden")] == [ids[0]]
    actions = [(e.action, e.actor) for e in store.audit_log("academy")]
    assert actions == [  # named by the credential that acted
        ("idea_status_bulk", "admin password"),
        ("idea_pin", "admin password"),
        ("idea_status_bulk", "admin password"),
    ]
