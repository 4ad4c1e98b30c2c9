"""The presenter's sessions under AppTest: sign in, start a session, its code on screen, the
live screen limited to it, answers by its link, and the comparison of two sessions."""

from __future__ import annotations

import json

from scripts.support.browser_utils import PRIVACY_NOTICE_ENV
from tests.apptest_utils import page_text, run_app, sign_in_as


def _store():
    from components.store_access import get_store

    return get_store()


def _presenting_academy(monkeypatch, name: str):
    """A signed-in presenter (privacy notice complete) on the academy poll, a session named."""
    for variable, value in PRIVACY_NOTICE_ENV.items():
        monkeypatch.setenv(variable, value)
    sign_in_as(monkeypatch, "presenter")
    at = run_app("pages/presenter.py", lang="fr")
    at.selectbox(key="presenter_survey").set_value("academy").run()
    at.text_input(key="presenter_session_name").input(name)
    return at


def test_presenter_starts_a_session_and_the_screens_follow_it(monkeypatch):
    at = _presenting_academy(monkeypatch, "Académie de Bruxelles, matin")
    at.text_input(key="presenter_session_place").input("Bruxelles")
    submit = next(b for b in at.button if b.proto.is_form_submitter)
    submit.click().run()
    sessions = _store().sessions("academy")
    assert [s.name for s in sessions] == ["Académie de Bruxelles, matin"]
    live = sessions[0]
    assert at.selectbox(key="presenter_session_academy").value == live.id
    text = page_text(at)
    assert live.join_code in str([m.value for m in at.markdown]) or live.join_code in text
    urls = [json.loads(el.proto.json)["url"] for el in at.get("bidi_component")]
    assert any(f"session={live.id}" in url for url in urls)

    # a respondent who joined by the session's code answers in that session
    survey = run_app(
        "pages/survey.py", lang="fr", query={"survey": "academy", "session": live.join_code}
    )
    assert "Cette session est close" not in page_text(survey)

    # the session closed: its link says so in the respondent's language
    at.button(key="presenter_session_close").click().run()
    assert _store().get_session(live.id).is_open  # not before the presenter confirms
    assert "Les réponses déjà envoyées restent dans les résultats" in page_text(at)
    at.button(key="presenter_session_close_no").click().run()
    assert _store().get_session(live.id).is_open
    at.button(key="presenter_session_close").click().run()
    at.button(key="presenter_session_close_yes").click().run()
    assert not _store().get_session(live.id).is_open
    assert {e.actor for e in _store().audit_log("academy")} == {"presenter passphrase"}
    closed = run_app(
        "pages/survey.py", lang="ar", query={"survey": "academy", "session": live.join_code}
    )
    assert "هذه الجلسة مغلقة" in page_text(closed)


def test_compare_mode_shows_both_sessions_with_the_small_group_rule():
    import random

    from tests.test_sessions import answer

    store = _store()
    before = store.create_session("academy", "Avant", actor="t")
    after = store.create_session("academy", "Après", actor="t")
    answer(store, before, 6, "b", high=False)
    answer(store, after, 3, "a", high=True, seed=random.Random(2).randint(0, 9))
    at = run_app("pages/presenter.py", lang="fr", query={"screen": "compare", "survey": "academy"})
    text = page_text(at)
    assert "Deux sessions côte à côte" in text
    assert "Moins de 5 réponses" in text  # the session of 3 shows only its count
    # short labels with labelled counts; each session's full name once, in the key
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    counts = ("A : 6 réponses", "B : 3 réponses"), ("A : 3 réponses", "B : 6 réponses")
    assert any(all(c in html for c in pair) for pair in counts)
    assert html.count("Avant") == 1 and html.count("Après") == 1
    assert "<table>" in html, "the table alternative is there (for screen readers)"


def test_results_page_can_show_one_session():
    store = _store()
    live = store.create_session("academy", "Salle 2", actor="t")
    at = run_app("pages/results.py", lang="fr", query={"survey": "academy", "session": live.id})
    urls = [json.loads(el.proto.json)["url"] for el in at.get("bidi_component")]
    assert any(f"session={live.id}" in url for url in urls)
    at.selectbox(key="results_session_academy").set_value("all").run()
    urls = [json.loads(el.proto.json)["url"] for el in at.get("bidi_component")]
    assert urls and not any("session=" in url for url in urls)


def test_an_incomplete_privacy_notice_stops_a_presenter_and_the_admin_overrides_on_record(
    monkeypatch,
):
    sign_in_as(monkeypatch, "presenter")
    at = run_app("pages/presenter.py", lang="en", query={"survey": "academy"})
    submit = next(b for b in at.button if b.proto.is_form_submitter)
    assert submit.disabled
    assert "no session can start" in " ".join(w.value for w in at.warning)
    assert not [c for c in at.checkbox if c.key == "presenter_privacy_override"]  # admin only
    assert "Ask the survey's admin" in page_text(at)

    sign_in_as(monkeypatch, "admin")
    at = run_app("pages/presenter.py", lang="en", query={"survey": "academy"})
    at.checkbox(key="presenter_privacy_override").check().run()
    at.text_input(key="presenter_session_name").input("Mechelen academy")
    next(b for b in at.button if b.proto.is_form_submitter).click().run()
    (live,) = _store().sessions("academy")
    overrides = [e for e in _store().audit_log("academy") if e.action == "privacy_override"]
    assert [e.detail for e in overrides] == [f"session Mechelen academy ({live.join_code})"]
    assert overrides[0].actor == "admin password"


def test_a_presenter_starts_a_session_with_one_answer_per_device(monkeypatch):
    """Issue 23: the room rule is a box ticked when starting; the presenter sees that the
    session has it, and the survey page's form for that session offers no new respondent."""
    at = _presenting_academy(monkeypatch, "Salle du conseil")
    at.checkbox(key="presenter_session_one_per_device").check()
    next(b for b in at.button if b.proto.is_form_submitter).click().run()
    [live] = _store().sessions("academy")
    assert live.one_answer_per_device
    assert "Cette session accepte une réponse par appareil." in [c.value for c in at.caption]
    survey = run_app(
        "pages/survey.py", lang="fr", query={"survey": "academy", "session": live.join_code}
    )
    mounted = json.dumps([json.loads(el.proto.json) for el in survey.get("bidi_component")])
    assert "one_answer_per_device" in mounted and "icf-new-respondent" not in mounted
