"""Issue 14, parts 3 and 4 without a browser: word clouds in the summary and the live payload,
supports counted once per respondent, bulk moderation and pinning audited (both backends)."""

from __future__ import annotations

import json

import pytest

from inclucities import admin_actions
from inclucities.auth import AdminSession, NotAuthenticated
from inclucities.respondent import new_token, submission_id
from inclucities.results.payload import build_payload, payload_bytes
from inclucities.results.summary import cloud_questions, summarise
from inclucities.store import SupportResult
from inclucities.supports import supportable
from scripts.support.survey_helpers import SURVEYS, resident_answers
from tests.test_admin_actions import FakeClock

ACADEMY = SURVEYS["academy"]


def academy_answer(store, n: int, word: str, lang: str = "fr") -> None:
    store.submit(
        f"a-{n}",
        "academy",
        ACADEMY.version,
        lang,
        {
            "first_recommendation": "participation",
            "readiness": {item.id: "4" for item in ACADEMY.question("readiness").items},
            "one_word": word,
        },
    )


@pytest.fixture
def admin():
    session = AdminSession(clock=FakeClock())
    session.grant()
    return session


def test_short_text_questions_make_word_clouds_long_ones_do_not() -> None:
    assert [q.id for q in cloud_questions(ACADEMY)] == ["one_word"]
    assert cloud_questions(SURVEYS["resident"]) == []  # its idea is up to 500 characters


def test_the_cloud_counts_approved_answers_only(any_store) -> None:
    store = any_store
    words = ["Solidarité", "solidarite", "Confiance", "confiances", "l'écoute", "Spam"]
    for n, word in enumerate(words):
        academy_answer(store, n, word)
    academy_answer(store, 10, "التَّضامُن", "ar")
    academy_answer(store, 11, "Довіра", "uk")
    ideas = {i.text: i.id for i in store.ideas("academy")}
    approve = [i for text, i in ideas.items() if text != "Spam"]
    store.set_ideas_status(approve, "approved", actor="mod")
    summary = summarise(store, ACADEMY, 2)
    (cloud,) = summary.word_clouds
    assert cloud.answers == 7
    counts = {w.text: w.count for w in cloud.words}
    assert counts == {"solidarité": 2, "confiance": 2, "écoute": 1, "التضامن": 1, "довіра": 1}
    assert "spam" not in counts


def _payload(store, survey, lang: str = "fr", mode: str = "presenter") -> dict:
    summary = summarise(store, survey, 2)
    payload = build_payload(
        survey, summary, lang, mode, version="1.0.0", revealed=True, is_open=True
    )
    json.loads(payload_bytes(payload))  # serialisable as sent
    return payload


def test_the_wall_payload_has_the_cloud_and_top_ideas_without_language_names(any_store) -> None:
    store = any_store
    texts = ["First idea\n\n\n\nafter blank lines", "Second idea", "Third idea"]
    for n, text in enumerate(texts):
        store.submit(f"r{n}", "resident", 1, "ar" if n == 1 else "fr", resident_answers(idea=text))
    ids = [i.id for i in store.ideas("resident")]
    store.set_ideas_status(ids, "approved", actor="mod")
    for phone in ("r0", "r2"):  # supporters are stored answers
        store.support_idea(ids[1], phone)
    store.set_idea_pinned(ids[2], True, actor="mod")
    payload = _payload(store, SURVEYS["resident"], "fr")
    top = payload["ideas"]["top"]
    assert [i["id"] for i in top] == [ids[2], ids[1], ids[0]]  # pinned, then by support
    assert top[0]["pinned"] == "Épinglée" and top[1]["pinned"] is None
    assert top[1]["supports"] == "2 soutiens"
    # its direction is its text's (Latin letters, from an Arabic-speaking respondent), and the
    # one Arabic speaker's language is not told (inclucities.results.public_ideas)
    assert top[1]["dir"] == "ltr" and top[1]["lang"] == ""
    assert top[2]["text"] == "First idea\n\nafter blank lines"
    assert all("language" not in i and "written_in" not in i for i in top)
    assert payload["ideas"]["top_title"] == "Les idées les plus soutenues par la salle"
    assert payload["clouds"] == []


def test_the_cloud_payload_in_arabic_has_a_table_and_words_in_their_own_direction(
    any_store,
) -> None:
    store = any_store
    for n, (word, lang) in enumerate([("تضامن", "ar")] * 3 + [("Довіра", "uk"), ("paix", "fr")]):
        academy_answer(store, n, word, lang)
    store.set_ideas_status([i.id for i in store.ideas("academy")], "approved", actor="mod")
    (cloud,) = _payload(store, ACADEMY, "ar")["clouds"]
    assert cloud["id"] == "cloud:one_word"
    assert cloud["title"] == "كلمة واحدة عن الإدماج"
    words = {w["text"]: w for w in cloud["words"]}
    assert words["تضامن"]["weight"] == 1.0 and words["تضامن"]["dir"] == "rtl"
    # one Ukrainian speaker: the word shows, its language does not (it would single them out)
    assert words["довіра"]["dir"] == "ltr" and words["довіра"]["lang"] == ""
    # the biggest word in the middle of the reading order
    assert [w["text"] for w in cloud["words"]].index("تضامن") == 1
    assert cloud["table"]["rows"][0][0] == "تضامن"
    assert len(cloud["table"]["columns"]) == 2


def test_a_respondent_supports_an_idea_once_whatever_the_retries(any_store) -> None:
    store = any_store
    for n in range(5):
        store.submit(f"s{n}", "resident", 1, "fr", resident_answers(idea=f"idea {n}"))
    ids = [i.id for i in store.ideas("resident")]
    store.set_ideas_status(ids, "approved", actor="mod")
    token = new_token()
    me = submission_id(token, "resident")
    assert me == submission_id(token, "resident")  # a reload, a second tab, a restart
    assert me != submission_id(new_token(), "resident")
    assert me != submission_id(token, "resident", "session-2")
    assert token not in me
    assert store.support_idea(ids[0], me) is SupportResult.NOT_SENT  # no stored answer yet
    store.submit(me, "resident", 1, "fr", resident_answers())
    assert store.support_idea(ids[0], me) is SupportResult.SUPPORTED
    assert store.support_idea(ids[0], submission_id(token, "resident")) is SupportResult.ALREADY
    assert store.ideas("resident")[0].supports == 1
    store.support_idea(ids[1], me)
    store.support_idea(ids[2], me)
    assert store.support_idea(ids[3], me) is SupportResult.LIMIT_REACHED
    assert store.supported_ideas(me) == ids[:3]
    assert [i.id for i in supportable(store, "resident")] == list(reversed(ids))


def test_bulk_moderation_and_pins_from_the_admin_are_audited_with_the_admin(
    any_store, admin
) -> None:
    store = any_store
    for n in range(3):
        store.submit(f"b{n}", "resident", 1, "fr", resident_answers(idea=f"idea {n}"))
    ids = [i.id for i in store.ideas("resident")]
    assert admin_actions.moderate_ideas(admin, store, ids, "approved") == 3
    admin_actions.pin_idea(admin, store, ids[1], True)
    admin_actions.pin_idea(admin, store, ids[1], False)
    assert admin_actions.moderate_ideas(admin, store, ids[:2], "hidden") == 2
    log = store.audit_log("resident")
    assert [e.action for e in log] == [
        "idea_status_bulk",
        "idea_pin",
        "idea_unpin",
        "idea_status_bulk",
    ]
    assert {e.actor for e in log} == {admin.actor}
    with pytest.raises(NotAuthenticated):
        admin_actions.moderate_ideas(None, store, ids, "approved")
    with pytest.raises(ValueError):
        admin_actions.moderate_ideas(admin, store, ids, "deleted")
