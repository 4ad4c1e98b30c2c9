"""An approved idea on a public screen carries its author's language only where the results
publish that language's group (inclucities.results.public_ideas), and its direction from its
own text."""

from __future__ import annotations

import json

from inclucities.results.model import Cell
from inclucities.results.payload import build_payload
from inclucities.results.public_ideas import public_language, shown_languages, text_direction
from inclucities.results.summary import summarise
from scripts.support.survey_helpers import RESIDENT, resident_answers

K = 5


def test_a_language_is_shown_only_from_k_answers_and_never_when_hidden():
    cells = (
        Cell("fr", 12, False),
        Cell("el", 1, False),  # a published count under k (never from `suppress`): still no
        Cell("ar", None, True),  # hidden below k
        Cell("nl", None, True),  # hidden to protect another cell, though it may hold k or more
        Cell("en", 5, False),
    )
    shown = shown_languages(cells, K)
    assert shown == frozenset({"fr", "en"})
    assert public_language("fr", shown) == "fr"
    assert public_language("el", shown) is None
    assert public_language("ar", shown) is None


def test_the_direction_comes_from_the_text_as_dir_auto_reads_it():
    assert text_direction("أقترح مكتبة") == "rtl"
    assert text_direction("  12 — مكتبة") == "rtl"  # digits and punctuation do not decide
    assert text_direction("Second idea") == "ltr"
    assert text_direction("Ελληνικά και العربية") == "ltr"  # the first strong letter decides
    assert text_direction("12 34") == "ltr"
    assert text_direction("") == "ltr"


def _approve_all(store) -> None:
    store.set_ideas_status([i.id for i in store.ideas("resident")], "approved", actor="mod")


def _payload(store, session_id=None, lang="fr") -> dict:
    summary = summarise(store, RESIDENT, K, session_id=session_id)
    payload = build_payload(
        RESIDENT, summary, lang, "results", version="v", revealed=True, is_open=True
    )
    json.dumps(payload)
    return payload


def test_the_only_greek_speakers_idea_has_no_badge_and_no_language_in_the_payload(store):
    for n in range(6):
        store.submit(f"f{n}", "resident", 1, "fr", resident_answers(idea=f"Idée numéro {n}"))
    store.submit("g", "resident", 1, "el", resident_answers(idea="Περισσότερα μαθήματα"))
    store.submit("a", "resident", 1, "fr", resident_answers(idea="مكتبة في الحي"))
    _approve_all(store)
    payload = _payload(store)
    items = {i["text"]: i for i in payload["ideas"]["items"]}
    greek = items["Περισσότερα μαθήματα"]
    assert greek["language"] is None and greek["written_in"] is None and greek["lang"] == ""
    assert "Ελληνικά" not in json.dumps(payload["ideas"], ensure_ascii=False)
    french = items["Idée numéro 0"]
    assert french["language"] == "Français" and french["lang"] == "fr"
    assert french["written_in"]
    # an Arabic text from a French-speaking respondent reads right to left all the same
    assert items["مكتبة في الحي"]["dir"] == "rtl" and items["مكتبة في الحي"]["lang"] == "fr"
    top = {i["text"]: i for i in payload["ideas"]["top"]}  # the wall: no badge, nor `lang`
    assert top["Περισσότερα μαθήματα"]["lang"] == ""
    assert top["Idée numéro 1"]["lang"] == "fr"
    assert all("language" not in i for i in payload["ideas"]["top"])


def test_the_rule_follows_the_session_shown(store):
    """In a session of two, its one Greek speaker's idea has no badge; over all sessions, where
    six Greek speakers are counted and published, the same idea has one."""
    room = store.create_session("resident", "Room", actor="t")
    for n in range(5):
        store.submit(f"g{n}", "resident", 1, "el", resident_answers(idea=f"Ιδέα {n}"))
        store.submit(f"f{n}", "resident", 1, "fr", resident_answers(idea=f"Idée {n}"))
    store.submit("her", "resident", 1, "el", resident_answers(idea="Μόνη μου"), session_id=room.id)
    store.submit("him", "resident", 1, "fr", resident_answers(idea="Seul"), session_id=room.id)
    _approve_all(store)
    in_room = {i["text"]: i for i in _payload(store, room.id)["ideas"]["items"]}
    assert in_room["Μόνη μου"]["language"] is None and in_room["Seul"]["language"] is None
    everywhere = {i["text"]: i for i in _payload(store)["ideas"]["items"]}
    assert everywhere["Μόνη μου"]["language"] == "Ελληνικά"
    assert everywhere["Seul"]["language"] == "Français"


def test_a_cloud_word_carries_its_language_only_where_that_group_is_published(store):
    """The one Greek speaker's word shows in the cloud (a cloud shows words, not people), but
    its `lang` would tell who wrote it: it is left out, and the direction comes from the word."""
    from scripts.support.survey_helpers import ACADEMY

    for n in range(6):
        store.submit(f"f{n}", "academy", 1, "fr", _academy_answer(ACADEMY, "confiance"))
    store.submit("g", "academy", 1, "el", _academy_answer(ACADEMY, "εμπιστοσύνη"))
    store.set_ideas_status([i.id for i in store.ideas("academy")], "approved", actor="mod")
    summary = summarise(store, ACADEMY, K)
    payload = build_payload(
        ACADEMY, summary, "fr", "results", version="v", revealed=True, is_open=True
    )
    words = {w["text"]: w for cloud in payload["clouds"] for w in cloud["words"]}
    assert words["confiance"]["lang"] == "fr"
    greek = words.get("εμπιστοσύνη")
    assert greek is None or (greek["lang"] == "" and greek["dir"] == "ltr")


def _academy_answer(survey, word: str) -> dict:
    readiness = survey.question("readiness")
    return {
        "first_recommendation": "participation",
        "readiness": {item.id: "4" for item in readiness.items},
        "one_word": word,
    }
