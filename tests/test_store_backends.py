"""The same behaviour on both backends: counts and summaries, the change token, state shared by
replicas, the login throttle's storage, exports paged in SQL, and the one soft-delete flag."""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd

from inclucities.results.summary import summarise
from inclucities.store import DuckDBStore, SubmitResult, open_store
from scripts.support.survey_helpers import SURVEYS, resident_answers
from tests.store_helpers import fill

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_duckdb_and_postgresql_count_and_summarise_alike(isolated_database, postgres_url):
    duck = DuckDBStore(isolated_database, SURVEYS.values())
    pg = open_store(postgres_url, isolated_database, SURVEYS.values())
    try:
        for store in (duck, pg):
            fill(store, 150)
            store.soft_delete("resident", ["v3", "v4"], actor="t", reason="test")
        rows = {
            s.backend: sorted(s.answer_counts("resident"), key=lambda r: tuple(map(str, r)))
            for s in (duck, pg)
        }
        assert rows["duckdb"] == rows["postgresql"]
        columns = {r.column for r in rows["duckdb"]}
        assert {
            "#lang",
            "welcome",
            "access__housing",
            "recommendations__1",
            "relationship",
        } <= columns
        # every comparison group of an agreement column is counted (newcomers vs long-term)
        assert any(r.column == "welcome" and r.group == "newcomer" for r in rows["duckdb"])
        one, two = (summarise(s, s.survey("resident"), min_cell=3) for s in (duck, pg))
        assert one.total == two.total == 148
        assert one.questions == two.questions
        assert one.comparisons == two.comparisons
        assert one.by_language == two.by_language and one.by_city == two.by_city
        assert one.idea_count == two.idea_count == 49
    finally:
        duck.close()
        pg.close()


def test_summary_of_one_session_leaves_the_others_out(any_store):
    store = any_store
    morning = store.create_session("resident", "Morning", actor="lead")
    evening = store.create_session("resident", "Evening", actor="lead")
    fill(store, 12, seed=1, prefix="m", session_id=morning.id)
    fill(store, 7, seed=2, prefix="e", session_id=evening.id)
    fill(store, 5, seed=3, prefix="x")
    survey = store.survey("resident")
    assert summarise(store, survey, min_cell=2, session_id=morning.id).total == 12
    assert summarise(store, survey, min_cell=2, session_id=evening.id).total == 7
    assert summarise(store, survey, min_cell=2).total == 24
    assert store.count("resident", morning.id) == 12
    assert store.idea_count("resident", morning.id) == 4
    rows = store.answer_counts("resident", evening.id)
    assert sum(r.n for r in rows if r.column == "#lang") == 7


def test_change_token_moves_with_every_visible_change(any_store):
    store = any_store
    seen = [store.data_version("resident")]

    def changed() -> bool:
        token = store.data_version("resident")
        moved = token != seen[-1]
        seen.append(token)
        return moved

    assert not changed()  # reading twice changes nothing
    store.submit("a", "resident", 1, "fr", resident_answers(idea="benches"))
    assert changed()
    store.submit("a", "resident", 1, "fr", resident_answers())  # a duplicate changes nothing
    assert not changed()
    store.submit("b", "resident", 1, "fr", resident_answers())
    assert changed()
    idea = store.ideas("resident")[0]
    store.set_idea_status(idea.id, "approved", actor="mod")
    assert changed()
    assert store.support_idea(idea.id, "b").value == "supported"  # another's idea
    assert changed()
    assert store.withdraw_support(idea.id, "b").value == "taken_back"
    assert changed()
    assert store.support_idea(idea.id, "b").value == "supported"  # the same count as before
    assert changed()
    store.soft_delete("resident", ["a"], actor="mod", reason="test")
    assert changed()
    store.set_results_revealed("resident", True, actor="presenter")
    assert changed()
    store.set_survey_open("resident", False, actor="lead")
    assert changed()
    assert not changed()


def test_change_token_sees_many_concurrent_submissions(any_store):
    store = any_store
    before = store.data_version("resident")
    tokens: set[str] = set()

    def writer(k: int) -> None:
        for n in range(10):
            store.submit(f"c{k}-{n}", "resident", 1, "fr", resident_answers())
            tokens.add(store.data_version("resident"))

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.count("resident") == 40
    final = store.data_version("resident")
    assert final != before
    assert final in tokens  # the last reader saw the final state


def test_replicas_share_state_through_the_database(postgres_url, isolated_database):
    """Two PostgreSQL stores on one database, as two app replicas would have."""
    one = open_store(postgres_url, isolated_database, SURVEYS.values())
    two = open_store(postgres_url, isolated_database, SURVEYS.values())
    try:
        _replicas_agree(one, two)
    finally:
        one.close()
        two.close()


def _replicas_agree(one, two) -> None:
    one.submit("r1", "resident", 1, "fr", resident_answers(idea="a library"))
    assert two.count("resident") == 1
    assert one.data_version("resident") == two.data_version("resident")
    one.set_survey_open("resident", False, actor="lead")
    assert two.submit("r2", "resident", 1, "fr", resident_answers()) is SubmitResult.CLOSED
    one.set_survey_open("resident", True, actor="lead")
    idea = two.ideas("resident")[0]
    two.set_idea_status(idea.id, "approved", actor="mod")
    assert [i.text for i in one.ideas("resident", status="approved")] == ["a library"]
    two.set_results_revealed("resident", True, actor="presenter", session_id="s")
    assert one.results_revealed("resident", "s") and not one.results_revealed("resident")
    one.record_login_failure("global", NOW)
    assert two.login_failures_since("global", NOW - dt.timedelta(seconds=1)) == 1
    # a retry that lands on the other replica is stored once
    assert one.submit("same", "resident", 1, "fr", resident_answers()) is SubmitResult.STORED
    assert two.submit("same", "resident", 1, "fr", resident_answers()) is SubmitResult.DUPLICATE
    assert one.count("resident") == two.count("resident") == 2
    assert one.data_version("resident") == two.data_version("resident")


def test_login_failures_are_counted_per_scope_and_cleared(any_store):
    store = any_store
    for seconds in (0, 10, 20, 70):
        store.record_login_failure("ip:203.0.113.9", NOW + dt.timedelta(seconds=seconds))
    store.record_login_failure("session:abc", NOW)
    assert store.login_failures_since("ip:203.0.113.9", NOW) == 4
    assert store.login_failures_since("ip:203.0.113.9", NOW + dt.timedelta(seconds=15)) == 2
    # naive datetimes are taken as UTC, aware ones converted
    paris = dt.timezone(dt.timedelta(hours=1))
    assert (
        store.login_failures_since(
            "ip:203.0.113.9", (NOW + dt.timedelta(seconds=15)).astimezone(paris)
        )
        == 2
    )
    assert store.login_failures_since("session:abc", NOW.replace(tzinfo=None)) == 1
    store.clear_login_failures("ip:203.0.113.9")
    assert store.login_failures_since("ip:203.0.113.9", NOW - dt.timedelta(days=1)) == 0
    assert store.login_failures_since("session:abc", NOW) == 1
    # old failures are pruned when new ones come in (they name addresses: keep them briefly)
    store.record_login_failure("session:abc", NOW + dt.timedelta(days=3))
    assert store.login_failures_since("session:abc", NOW - dt.timedelta(days=1)) == 1


def test_one_soft_delete_flag_hides_answers_ideas_and_counts(any_store):
    store = any_store
    fill(store, 9)
    assert store.idea_count("resident") == 3
    store.soft_delete("resident", ["v0", "v1"], actor="t", reason="test")  # v0 had an idea
    assert store.count("resident") == 7
    assert store.submission_counts("resident").deleted == 2
    assert store.idea_count("resident") == 2
    assert "idea v0" not in [i.text for i in store.ideas("resident")]
    assert summarise(store, store.survey("resident"), min_cell=2).total == 7
    assert store.restore("resident", ["v0"], actor="t", reason="undo") == 1
    assert store.idea_count("resident") == 3 and store.count("resident") == 8


def test_responses_are_paged_in_sql(any_store):
    store = any_store
    ids = fill(store, 23)
    store.soft_delete("resident", ["v5"], actor="t", reason="test")
    page = store.responses_page("resident", offset=0, limit=10)
    assert list(page["submission_id"]) == [f"v{n}" for n in range(22, 12, -1)]  # newest first
    assert page["deleted_at"].isna().all()
    last = store.responses_page("resident", offset=20, limit=10)
    assert len(last) == 2
    removed = store.responses_page("resident", deleted=True)
    assert list(removed["submission_id"]) == ["v5"] and removed["deleted_at"].notna().all()
    assert len(store.responses_page("resident", deleted=None, limit=100)) == 23
    pages = list(store.iter_responses("resident", page_size=5))
    assert [len(p) for p in pages] == [5, 5, 5, 5, 2]
    whole = pd.concat(pages, ignore_index=True)
    assert list(whole["submission_id"]) == [i for i in ids if i != "v5"]  # arrival order

    def plain(frame: pd.DataFrame) -> list[list[object]]:  # None, NaN and NA read as one gap
        return [[None if pd.isna(v) else v for v in row] for row in frame.to_numpy(dtype=object)]

    full = store.responses_frame("resident")
    assert list(whole.columns) == list(full.columns)
    assert plain(whole) == plain(full)
    assert {"welcome", "access.housing", "recommendations", "idea"} <= set(whole.columns)


def test_deidentified_rows_have_days_not_times_and_no_ids(any_store):
    store = any_store
    fill(store, 12)
    frame = store.responses_frame("resident", deidentified=True)
    assert len(frame) == 12
    assert "submission_id" not in frame.columns and "created_at" not in frame.columns
    days = pd.to_datetime(frame["created_on"])
    assert (days == days.dt.normalize()).all()  # nothing finer than a day
    paged = pd.concat(store.iter_responses("resident", page_size=5, deidentified=True))
    assert sorted(paged["welcome"]) == sorted(frame["welcome"])
    assert len(paged) == 12


def _same_counts(duck, pg, sessions: dict | None = None) -> None:
    def key(rows):
        return sorted((r.column, r.value, r.group or "", r.n) for r in rows)

    one = duck.answer_counts("resident", sessions["duckdb"] if sessions else None)
    two = pg.answer_counts("resident", sessions["postgresql"] if sessions else None)
    assert key(two) == key(one)


def test_postgresql_running_counts_stay_exact_through_every_change(
    isolated_database, postgres_url, monkeypatch
):
    """PostgreSQL keeps running counts (a scan of a million rows per refresh is too slow);
    after every kind of change they must equal DuckDB's, which counts the rows themselves."""
    from inclucities.store import postgres_store

    monkeypatch.setattr(postgres_store, "FOLD_AFTER", 3)  # fold often, to test every path
    duck = DuckDBStore(isolated_database, SURVEYS.values())
    pg = open_store(postgres_url, isolated_database, SURVEYS.values())
    try:
        sessions = {}
        for store in (duck, pg):
            sessions[store.backend] = store.create_session("resident", "A", actor="t").id
        steps = [
            lambda s: fill(s, 10, seed=1, prefix="a"),
            lambda s: fill(s, 8, seed=2, prefix="b", session_id=sessions[s.backend]),
            lambda s: fill(s, 2, seed=3, prefix="c"),  # fewer than a fold: counted live
            lambda s: s.soft_delete("resident", ["a1", "b2", "c1"], actor="t", reason="x"),
            lambda s: s.restore("resident", ["b2"], actor="t", reason="x"),
            lambda s: s.soft_delete("resident", None, actor="t", reason="all"),
            lambda s: s.restore("resident", None, actor="t", reason="undo"),
            lambda s: s.submit(
                "r", "resident", 1, "fr", resident_answers(city="jelgava"), receipt_hash="r" * 64
            ),
            lambda s: s.answer_counts("resident"),  # folds "r" in
            lambda s: s.withdraw("r" * 64),
            lambda s: s.purge(dt.datetime.now(dt.UTC) - dt.timedelta(days=1), actor="t"),
        ]
        for number, step in enumerate(steps):
            for store in (duck, pg):
                step(store)
            _same_counts(duck, pg)
            _same_counts(duck, pg, sessions)
            assert pg.count("resident", sessions["postgresql"]) == duck.count(
                "resident", sessions["duckdb"]
            ), f"step {number}"
        # per session: the running counts keep sessions apart
        rows = pg.answer_counts("resident", sessions["postgresql"])
        assert sum(r.n for r in rows if r.column == "#lang") == 8
        # many writers while summaries are read: nothing lost, nothing counted twice
        errors: list[BaseException] = []

        def writer(k: int) -> None:
            try:
                fill(pg, 15, seed=10 + k, prefix=f"w{k}-")
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            pg.answer_counts("resident")
        for t in threads:
            t.join()
        for k in range(4):
            fill(duck, 15, seed=10 + k, prefix=f"w{k}-")
        assert errors == []
        _same_counts(duck, pg)
        total = sum(r.n for r in pg.answer_counts("resident") if r.column == "#lang")
        assert total == pg.count("resident") == duck.count("resident") == 80
    finally:
        duck.close()
        pg.close()
