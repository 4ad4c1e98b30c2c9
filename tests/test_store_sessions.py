"""Live sessions, idea supports and moderation in the store (issue 14), on both backends."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from inclucities.store import JOIN_CODE_ALPHABET, MAX_SUPPORTS_PER_SESSION, SubmitResult
from inclucities.store import SupportResult as S
from scripts.support.survey_helpers import resident_answers


def test_a_session_gets_a_short_unambiguous_join_code(any_store):
    store = any_store
    made = [
        store.create_session(
            "resident", f"Academy {n}", actor="lead", place="Brussels", day=dt.date(2025, 12, 7)
        )
        for n in range(20)
    ]
    codes = [s.join_code for s in made]
    assert len(set(codes)) == 20
    assert all(len(c) == 6 and set(c) <= set(JOIN_CODE_ALPHABET) for c in codes)
    assert not set(JOIN_CODE_ALPHABET) & set("0O1IL2Z5S8B")
    first = made[0]
    assert first.is_open and first.created_by == "lead" and first.date == dt.date(2025, 12, 7)
    spaced = f" {first.join_code[:3].lower()}-{first.join_code[3:]} "
    assert store.session_by_code(spaced) == first  # as a person types it
    assert store.session_by_code("ZZZZZZ") is None and store.session_by_code("") is None
    assert store.get_session(first.id) == first
    assert [s.id for s in store.sessions("resident")] == [s.id for s in made]
    assert store.sessions("academy") == []
    with pytest.raises(ValueError):
        store.create_session("resident", "  ", actor="lead")
    with pytest.raises(KeyError):
        store.create_session("nope", "x", actor="lead")


def test_two_sessions_at_once_keep_answers_counts_and_closing_apart(any_store):
    store = any_store
    brussels = store.create_session("resident", "Brussels academy, morning", actor="lead")
    jelgava = store.create_session("resident", "Jelgava academy", actor="lead")
    for n in range(3):
        assert (
            store.submit(f"b{n}", "resident", 1, "fr", resident_answers(), session_id=brussels.id)
            is SubmitResult.STORED
        )
    store.submit(
        "j0", "resident", 1, "lv", resident_answers(idea="more courses"), session_id=jelgava.id
    )
    assert store.count("resident", brussels.id) == 3
    assert store.count("resident", jelgava.id) == 1
    assert store.count("resident") == 4
    assert [i.session_id for i in store.ideas("resident")] == [jelgava.id]

    token = store.data_version("resident")
    store.close_session(brussels.id, actor="lead")
    assert store.data_version("resident") != token
    assert not store.get_session(brussels.id).is_open
    late = store.submit("b9", "resident", 1, "fr", resident_answers(), session_id=brussels.id)
    assert late is SubmitResult.CLOSED
    still = store.submit("j1", "resident", 1, "lv", resident_answers(), session_id=jelgava.id)
    assert still is SubmitResult.STORED
    assert store.submit("nosession", "resident", 1, "fr", resident_answers()) is SubmitResult.STORED
    store.reopen_session(brussels.id, actor="lead")
    assert (
        store.submit("b9", "resident", 1, "fr", resident_answers(), session_id=brussels.id)
        is SubmitResult.STORED
    )
    frame = store.responses_frame("resident", session_id=brussels.id)
    assert sorted(frame["submission_id"]) == ["b0", "b1", "b2", "b9"]
    actions = [e.action for e in store.audit_log("resident")]
    assert actions == ["session_create", "session_create", "session_close", "session_reopen"]

    with pytest.raises(ValueError):
        store.submit("x", "resident", 1, "fr", resident_answers(), session_id="no-such-session")
    academy = store.create_session("academy", "Other survey", actor="lead")
    with pytest.raises(ValueError):
        store.submit("y", "resident", 1, "fr", resident_answers(), session_id=academy.id)


def test_reveal_state_is_kept_per_session(any_store):
    store = any_store
    one = store.create_session("resident", "One", actor="p")
    two = store.create_session("resident", "Two", actor="p")
    store.set_results_revealed("resident", True, actor="p", session_id=one.id)
    assert store.results_revealed("resident", one.id)
    assert not store.results_revealed("resident", two.id)
    assert not store.results_revealed("resident")


def _approved_ideas(
    store, count: int, session_id: str | None = None, prefix: str = "i"
) -> list[int]:
    for n in range(count):
        store.submit(
            f"{prefix}{n}",
            "resident",
            1,
            "fr",
            resident_answers(idea=f"{prefix} idea {n}"),
            session_id=session_id,
        )
    ids = [i.id for i in store.ideas("resident", session_id=session_id)][-count:]
    assert store.set_ideas_status(ids, "approved", actor="mod") == count
    return ids


def test_a_supporter_supports_an_idea_once_and_at_most_three(any_store):
    store = any_store
    ideas = _approved_ideas(store, 5)  # the ideas of i0 to i4
    assert store.support_idea(ideas[0], "i4") is S.SUPPORTED
    assert store.support_idea(ideas[0], "i4") is S.ALREADY  # a double tap, a retry
    assert store.support_idea(ideas[0], "i1") is S.SUPPORTED
    assert store.support_idea(ideas[1], "i4") is S.SUPPORTED
    assert store.support_idea(ideas[2], "i4") is S.SUPPORTED
    assert store.support_idea(ideas[3], "i4") is S.LIMIT_REACHED
    assert MAX_SUPPORTS_PER_SESSION == 3
    assert store.supported_ideas("i4") == ideas[:3]
    top = store.top_ideas("resident", limit=3)
    assert [(i.id, i.supports) for i in top] == [(ideas[0], 2), (ideas[1], 1), (ideas[2], 1)]
    # the limit is per session: the same phone may support three ideas in another session
    other = store.create_session("resident", "Afternoon", actor="lead")
    later = _approved_ideas(store, 2, session_id=other.id, prefix="pm")
    assert store.support_idea(later[0], "i4") is S.NOT_SENT  # an answer of another session
    assert store.support_idea(later[0], "pm1") is S.SUPPORTED


def test_supports_need_an_approved_live_idea_in_an_open_session(any_store):
    store = any_store
    session = store.create_session("resident", "Room", actor="lead")
    store.submit(
        "p", "resident", 1, "fr", resident_answers(idea="pending one"), session_id=session.id
    )
    store.submit("q", "resident", 1, "fr", resident_answers(), session_id=session.id)
    pending = store.ideas("resident")[0].id
    assert store.support_idea(pending, "q") is S.UNAVAILABLE
    assert store.support_idea(999_999, "phone") is S.UNAVAILABLE
    store.set_idea_status(pending, "approved", actor="mod")
    store.close_session(session.id, actor="lead")
    assert store.support_idea(pending, "q") is S.CLOSED
    store.reopen_session(session.id, actor="lead")
    assert store.support_idea(pending, "never-sent") is S.NOT_SENT
    assert store.support_idea(pending, "q") is S.SUPPORTED
    store.soft_delete("resident", ["p"], actor="mod", reason="test answer")
    assert store.support_idea(pending, "q") is S.UNAVAILABLE


def test_concurrent_clicks_of_one_supporter_never_exceed_three(any_store):
    store = any_store
    ideas = _approved_ideas(store, 8)
    results: list[S] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def click(idea_id: int) -> None:
        barrier.wait()
        try:
            results.append(store.support_idea(idea_id, "i0"))
            results.append(store.support_idea(idea_id, "i0"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=click, args=(i,)) for i in ideas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results.count(S.SUPPORTED) == 3
    assert len(store.supported_ideas("i0")) == 3
    assert sum(i.supports for i in store.ideas("resident")) == 3


def test_bulk_moderation_and_pinning_are_audited(any_store):
    store = any_store
    for n in range(4):
        store.submit(f"m{n}", "resident", 1, "fr", resident_answers(idea=f"idea {n}"))
    ids = [i.id for i in store.ideas("resident")]
    assert store.set_ideas_status(ids[:3], "approved", actor="mod") == 3
    assert store.set_ideas_status(ids[:3], "approved", actor="mod") == 0  # already approved
    assert store.set_ideas_status([], "hidden", actor="mod") == 0
    store.set_idea_pinned(ids[2], True, actor="mod")
    store.set_idea_status(ids[0], "hidden", actor="mod")
    assert [i.id for i in store.top_ideas("resident")] == [ids[2], ids[1]]  # pinned first
    assert store.ideas("resident", status="approved", newest_first=True)[0].pinned
    with pytest.raises(KeyError):
        store.set_idea_pinned(123_456, True, actor="mod")
    log = store.audit_log("resident")
    assert [e.action for e in log] == ["idea_status_bulk", "idea_pin", "idea_status"]
    assert log[0].actor == "mod" and "3 ideas -> approved" in (log[0].detail or "")
    assert all(str(i) in (log[0].detail or "") for i in ids[:3])
    assert store.idea_count("resident", status="approved") == 2
    paged = store.ideas("resident", limit=2, offset=1)
    assert [i.id for i in paged] == ids[1:3]


def test_a_room_without_approved_ideas_is_known_without_listing_them(any_store):
    store = any_store
    session = store.create_session("resident", "Room", actor="lead")
    assert not store.may_have_ideas("resident", "approved")
    store.submit("p", "resident", 1, "fr", resident_answers(idea="an idea"), session_id=session.id)
    assert store.may_have_ideas("resident", "pending")
    assert not store.may_have_ideas("resident", "approved")
    store.set_idea_status(store.ideas("resident")[0].id, "approved", actor="mod")
    assert store.may_have_ideas("resident", "approved")
    assert store.may_have_ideas("resident", "approved", session_id=session.id)
    other = store.create_session("resident", "Other room", actor="lead")
    assert not store.may_have_ideas("resident", "approved", session_id=other.id)
    assert not store.may_have_ideas("academy", "approved")
    with pytest.raises(ValueError):
        store.may_have_ideas("resident", "everything")  # type: ignore[arg-type]


def test_the_database_keeps_one_support_per_idea_per_submission(any_store):
    """Issue 23 (support stuffing): the primary key refuses a second row, whatever the code."""
    store = any_store
    ideas = _approved_ideas(store, 2)
    assert store.support_idea(ideas[0], "i1") is S.SUPPORTED
    row = [ideas[0], "i1", "resident", "", 2, dt.datetime(2026, 1, 1)]
    with pytest.raises(Exception):  # noqa: B017 - each backend has its own error
        store._do(lambda cur: cur.run("INSERT INTO idea_supports VALUES (?, ?, ?, ?, ?, ?)", row))
    assert [i.supports for i in store.ideas("resident") if i.id == ideas[0]] == [1]


def test_fresh_phones_without_a_stored_answer_support_nothing(any_store):
    store = any_store
    ideas = _approved_ideas(store, 1)
    results = {store.support_idea(ideas[0], f"fresh-cookie-{n}") for n in range(20)}
    assert results == {S.NOT_SENT}
    assert store.ideas("resident")[0].supports == 0


def test_one_answer_per_device_is_a_rule_the_database_keeps(any_store):
    """Issue 23: in a session with the rule, a device (a keyed mark of its cookie) answers once;
    the answer itself sent again stays a duplicate; a refusal writes nothing; concurrent sends
    from one device store one; other sessions and devices are free."""
    store = any_store
    room = store.create_session("resident", "Room", actor="lead", one_answer_per_device=True)
    free = store.create_session("resident", "Hall", actor="lead")
    assert store.session_by_code(room.join_code).one_answer_per_device
    assert [s.one_answer_per_device for s in store.sessions("resident")] == [True, False]

    def send(sid: str, session_id: str, device: str | None) -> SubmitResult:
        return store.submit(
            sid, "resident", 1, "fr", resident_answers(), session_id=session_id, device=device
        )

    assert send("a1", room.id, "dev-a") == SubmitResult.STORED
    assert send("a1", room.id, "dev-a") == SubmitResult.DUPLICATE
    assert send("a2", room.id, "dev-a") == SubmitResult.DEVICE_ANSWERED
    assert not store.has_submission("a2")
    assert send("b1", room.id, "dev-b") == SubmitResult.STORED
    assert send("c1", room.id, None) == SubmitResult.STORED  # no cookie: the rule cannot apply
    assert send("f1", free.id, "dev-a") == SubmitResult.STORED
    assert send("f2", free.id, "dev-a") == SubmitResult.STORED

    results: list[SubmitResult] = []
    barrier = threading.Barrier(4)

    def racer(n: int) -> None:
        barrier.wait()
        results.append(send(f"r{n}", room.id, "dev-race"))

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count(SubmitResult.STORED) == 1, results
    assert set(results) <= {SubmitResult.STORED, SubmitResult.DEVICE_ANSWERED}
    assert store.count("resident", room.id) == 4  # a1, b1, c1 and one racer
    assert store.count("resident", free.id) == 2
