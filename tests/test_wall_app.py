"""AppTest: supports on the thank-you step, bulk moderation and pins in the admin console."""

from __future__ import annotations

from inclucities.store import SupportResult
from inclucities.supports import supporter_key
from tests.apptest_utils import page_text, run_app
from tests.test_admin_page import PASSWORD, _sign_in, fresh_failure_log  # noqa: F401
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


def _answer_academy(lang: str = "fr"):
    at = run_app("pages/survey.py", lang=lang, query={"survey": "academy"})
    radio = at.radio(key="survey_academy_q_first_recommendation")
    radio.set_value(radio.options[0])
    for r in at.radio:
        if r.key.startswith("survey_academy_q_readiness__"):
            r.set_value("4")
    at.text_input(key="survey_academy_q_one_word").input("Confiance")
    at.checkbox(key="survey_academy_consent").check()
    at.button(key="survey_academy_submit").click().run()
    at.run()
    assert not at.exception, at.exception
    return at


def test_after_sending_a_respondent_supports_up_to_three_ideas_once_each():
    ids = _seed_ideas(["Solidarité", "Écoute", "Respect", "Partage", "<i>Égalité</i>"])
    at = _answer_academy("fr")
    text = page_text(at)
    assert "Soutenez les idées qui vous plaisent" in text
    assert "Il vous reste 3 soutiens" in text
    for word in ("Solidarité", "Écoute", "Respect", "Partage"):
        assert f'lang="fr" dir="ltr">{word}</p>' in text
    assert ">Confiance</p>" not in text  # the respondent's own word waits for moderation
    assert "&lt;i&gt;Égalité&lt;/i&gt;" in text and "<i>" not in text  # shown as written
    for idea_id in ids[:3]:
        at.button(key=f"survey_academy_support_{idea_id}").click().run()
        at.run()
        assert not at.exception, at.exception
    store = _store()
    supports = {i.id: i.supports for i in store.ideas("academy")}
    assert [supports[i] for i in ids] == [1, 1, 1, 0, 0]
    text = page_text(at)
    assert "Il vous reste 0 soutien" in text
    assert text.count("Vous soutenez cette idée") == 3
    # the fourth idea's button waits: three is the limit
    assert at.button(key=f"survey_academy_support_{ids[3]}").disabled
    # the supporter is the respondent's own key (here the visit's submission id, as AppTest
    # sends no cookie): pressing again from a stale page (a second tab) changes nothing
    me = supporter_key(at.session_state["survey_academy_submission_id"], "academy")
    assert store.supported_ideas(me) == ids[:3]
    assert store.support_idea(ids[0], me) is SupportResult.ALREADY


def test_no_approved_idea_yet_says_so():
    _seed_ideas(["Pending word"], approve=False)
    at = _answer_academy("uk")
    assert "Ще немає схвалених ідей для підтримки" in page_text(at)
    assert not [b for b in at.button if b.key and "_support_" in b.key]


def test_admin_approves_in_bulk_and_pins_and_every_action_is_audited(monkeypatch):
    monkeypatch.setenv("INCLUCITIES_ADMIN_PASSWORD", PASSWORD)
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
    assert actions == [
        ("idea_status_bulk", "admin"),
        ("idea_pin", "admin"),
        ("idea_status_bulk", "admin"),
    ]
