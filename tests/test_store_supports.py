"""Supports bound to answers (issue 24), on DuckDB and PostgreSQL: withdrawing an answer takes
its supports with it, nobody supports their own idea, and a support can be taken back."""

from __future__ import annotations

import hashlib
import threading

from inclucities.store import MAX_SUPPORTS_PER_SESSION
from inclucities.store import SupportResult as S
from scripts.support.survey_helpers import resident_answers


def receipt(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _room(store, people: int, session_id: str | None = None) -> dict[str, int]:
    """`people` answers in the session, each with an approved idea; their idea ids by name."""
    for n in range(people):
        store.submit(
            f"p{n}",
            "resident",
            1,
            "fr",
            resident_answers(idea=f"idea of p{n}"),
            session_id=session_id,
            receipt_hash=receipt(f"CODE-{n}"),
        )
    ideas = {i.text.removeprefix("idea of "): i.id for i in store.ideas("resident")}
    store.set_ideas_status(list(ideas.values()), "approved", actor="mod")
    return ideas


def _counts(store, session_id: str | None = None) -> dict[int, int]:
    return {i.id: i.supports for i in store.top_ideas("resident", session_id, limit=50)}


def test_withdrawing_an_answer_removes_the_supports_it_gave_and_moves_the_live_token(
    open_backend,
):
    store = open_backend()
    room = store.create_session("resident", "Room", actor="lead")
    ideas = _room(store, 4, room.id)
    for idea in ("p1", "p2", "p3"):
        assert store.support_idea(ideas[idea], "p0") is S.SUPPORTED
    assert store.support_idea(ideas["p2"], "p1") is S.SUPPORTED
    assert store.support_idea(ideas["p0"], "p3") is S.SUPPORTED
    before = _counts(store, room.id)
    assert [before[ideas[p]] for p in ("p0", "p1", "p2", "p3")] == [1, 1, 2, 1]
    token = store.data_version("resident")

    assert store.withdraw(receipt("CODE-0")) is True

    after = _counts(store, room.id)
    assert ideas["p0"] not in after  # the idea went with its answer, and the support it had
    assert [after[ideas[p]] for p in ("p1", "p2", "p3")] == [0, 1, 0]
    assert store.supported_ideas("p0", room.id) == []
    assert store.supported_ideas("p1", room.id) == [ideas["p2"]]
    assert store.supported_ideas("p3", room.id) == []  # its support was of the withdrawn idea
    assert store.data_version("resident") != token  # the wall and results redraw
    # what another replica or a restart reads (a store opened anew on the database) agrees
    store.close()
    store = open_backend()
    assert _counts(store, room.id) == after
    # nothing left that could be taken back, nothing negative
    assert store.withdraw_support(ideas["p1"], "p0") is S.NOT_SUPPORTED
    assert min(_counts(store, room.id).values()) == 0


def test_nobody_supports_their_own_idea(any_store):
    store = any_store
    ideas = _room(store, 2)
    assert store.own_ideas("p0") == [ideas["p0"]]
    assert store.own_ideas("nobody") == []
    assert store.support_idea(ideas["p0"], "p0") is S.OWN_IDEA
    assert store.support_idea(ideas["p0"], "p0") is S.OWN_IDEA  # however often
    assert _counts(store)[ideas["p0"]] == 0
    assert store.supported_ideas("p0") == []  # no slot used
    assert store.withdraw_support(ideas["p0"], "p0") is S.NOT_SUPPORTED
    assert store.support_idea(ideas["p1"], "p0") is S.SUPPORTED  # another's idea: yes
    assert store.support_idea(ideas["p0"], "p1") is S.SUPPORTED


def test_a_support_taken_back_frees_its_slot_and_counts_once(any_store):
    store = any_store
    ideas = _room(store, 6)
    others = [ideas[f"p{n}"] for n in range(1, 6)]
    for idea in others[:3]:
        assert store.support_idea(idea, "p0") is S.SUPPORTED
    assert store.support_idea(others[3], "p0") is S.LIMIT_REACHED
    assert MAX_SUPPORTS_PER_SESSION == 3
    token = store.data_version("resident")

    assert store.withdraw_support(others[1], "p0") is S.TAKEN_BACK
    assert store.withdraw_support(others[1], "p0") is S.NOT_SUPPORTED  # a double tap
    assert _counts(store)[others[1]] == 0  # never below zero
    assert store.supported_ideas("p0") == [others[0], others[2]]
    # the limit counts the supports given now: the freed slot takes another idea
    assert store.support_idea(others[3], "p0") is S.SUPPORTED
    assert store.support_idea(others[4], "p0") is S.LIMIT_REACHED
    # one support fewer then one more: the same total, yet the live screens see a change
    assert store.data_version("resident") != token
    assert sorted(store.supported_ideas("p0")) == sorted([others[0], others[2], others[3]])
    # supporting again after taking back counts once
    assert store.withdraw_support(others[0], "p0") is S.TAKEN_BACK
    assert store.support_idea(others[0], "p0") is S.SUPPORTED
    assert store.support_idea(others[0], "p0") is S.ALREADY
    counts = _counts(store)
    assert [counts[i] for i in others] == [1, 0, 1, 1, 0]
    assert store.withdraw_support(999_999, "p0") is S.NOT_SUPPORTED


def test_a_closed_session_keeps_its_supports(any_store):
    store = any_store
    room = store.create_session("resident", "Room", actor="lead")
    ideas = _room(store, 2, room.id)
    assert store.support_idea(ideas["p1"], "p0") is S.SUPPORTED
    store.close_session(room.id, actor="lead")
    assert store.withdraw_support(ideas["p1"], "p0") is S.CLOSED
    assert _counts(store, room.id)[ideas["p1"]] == 1
    store.reopen_session(room.id, actor="lead")
    assert store.withdraw_support(ideas["p1"], "p0") is S.TAKEN_BACK
    assert _counts(store, room.id)[ideas["p1"]] == 0


def test_simultaneous_take_backs_count_once(any_store):
    store = any_store
    ideas = _room(store, 2)
    assert store.support_idea(ideas["p1"], "p0") is S.SUPPORTED
    results: list[S] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def tap() -> None:
        barrier.wait()
        try:
            results.append(store.withdraw_support(ideas["p1"], "p0"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=tap) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results.count(S.TAKEN_BACK) == 1
    assert results.count(S.NOT_SUPPORTED) == 5
    assert _counts(store)[ideas["p1"]] == 0
