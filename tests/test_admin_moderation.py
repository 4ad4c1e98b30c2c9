"""Moderation that protects respondents (issue 24), under AppTest: an idea that looks like it holds
personal data is highlighted and labelled, counted above the queue, never approved in bulk, and
approved alone only once the moderator confirms they checked it (audited as any approval).
Without a translation server, no Translate button (tests/test_machine_translation.py has one)."""

from __future__ import annotations

import pytest

from scripts.support.survey_helpers import RESIDENT, resident_answers
from tests.apptest_utils import page_text, run_app, sign_in_as

PHONE_IDEA = "mon numéro est 0470 12 34 56, appelez-moi"
PLAIN_IDEA = "Plus de cours de langue le soir"
ARABIC_IDEA = "مكتبة مفتوحة في المساء"


@pytest.fixture(autouse=True)
def admin(monkeypatch):
    sign_in_as(monkeypatch, "admin")
    monkeypatch.delenv("INCLUCITIES_LIBRETRANSLATE_URL", raising=False)


def _submit(submission_id: str, idea: str, lang: str = "fr") -> int:
    from components.store_access import get_store

    store = get_store()
    store.submit(submission_id, RESIDENT.id, RESIDENT.version, lang, resident_answers(idea=idea))
    return next(i.id for i in store.ideas(RESIDENT.id) if i.text == idea)


def _queue(lang: str = "en"):
    at = run_app("pages/admin.py", lang)
    at.selectbox(key="admin_survey").set_value("resident").run()
    at.segmented_control(key="admin_section").set_value("moderation").run()
    assert not at.exception, at.exception
    return at


def _card_html(at, idea_text_fragment: str) -> str:
    (html,) = [
        h.proto.body
        for h in at.get("html")
        if "moderation-idea-text" in h.proto.body and idea_text_fragment in h.proto.body
    ]
    return html


def _status(idea_id: int) -> str:
    from components.store_access import get_store

    return next(i.status for i in get_store().ideas(RESIDENT.id) if i.id == idea_id)


@pytest.mark.parametrize(
    ("lang", "label", "count"),
    [
        ("en", "Possible phone number", "1 idea may contain personal data"),
        (
            "fr",
            "Numéro de téléphone possible",
            "1 idée contient peut-être des données personnelles",
        ),
    ],
)
def test_a_flagged_idea_is_highlighted_labelled_and_counted(lang, label, count):
    flagged = _submit("p", PHONE_IDEA)
    _submit("q", PLAIN_IDEA)
    at = _queue(lang)
    html = _card_html(at, "appelez-moi")
    assert '<mark class="ic-pii" data-pii="phone">0470 12 34 56</mark>' in html
    assert f">{label}</span>" in html  # a label in words next to the highlight
    assert 'dir="auto"' in html and 'lang="fr"' in html
    assert count in " ".join(w.value for w in at.warning)
    assert "<mark" not in _card_html(at, PLAIN_IDEA)
    assert at.button(key=f"approve_{flagged}").disabled
    assert at.checkbox(key=f"admin_mod_checked_{flagged}").value is False


def test_a_flagged_idea_is_left_out_of_a_bulk_approval_then_approved_alone_once_checked():
    from components.store_access import get_store

    flagged = _submit("p", PHONE_IDEA)
    plain = _submit("q", PLAIN_IDEA)
    at = _queue()
    at.checkbox(key=f"admin_mod_sel_{flagged}").check().run()
    approve_selected = at.button(key="admin_mod_bulk_approved")
    assert approve_selected.disabled  # only the flagged idea is selected
    assert "will not be approved with the others" in page_text(at)
    at.checkbox(key="admin_mod_all_pending_0").check().run()  # the whole page
    assert at.button(key="admin_mod_bulk_approved").label == "Approve 1 selected idea"
    at.button(key="admin_mod_bulk_approved").click().run()
    assert not at.exception, at.exception
    assert _status(plain) == "approved" and _status(flagged) == "pending"
    # alone: approving waits for the moderator's confirmation
    assert at.button(key=f"approve_{flagged}").disabled
    at.checkbox(key=f"admin_mod_checked_{flagged}").check().run()
    assert not at.button(key=f"approve_{flagged}").disabled
    at.button(key=f"approve_{flagged}").click().run()
    assert not at.exception, at.exception
    assert _status(flagged) == "approved"
    actions = [(e.action, e.detail) for e in get_store().audit_log()]
    assert ("idea_status", f"idea {flagged}: pending -> approved") in actions
    assert any(action == "idea_status_bulk" for action, _ in actions)


def test_a_flagged_idea_can_still_be_hidden_without_confirming():
    flagged = _submit("p", "écrivez à marie.dupont@example.be")
    at = _queue("fr")
    assert "Adresse e-mail possible" in _card_html(at, "example.be")
    at.button(key=f"hide_{flagged}").click().run()
    assert not at.exception, at.exception
    assert _status(flagged) == "hidden"


def test_ideas_keep_their_own_direction_and_no_translate_button_without_a_server():
    _submit("a", ARABIC_IDEA, lang="ar")
    at = _queue("en")
    html = _card_html(at, ARABIC_IDEA)
    assert 'dir="auto"' in html and 'lang="ar"' in html
    assert not [b for b in at.button if str(b.key).startswith("translate_")]
