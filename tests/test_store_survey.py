"""The store on both backends (DuckDB file, PostgreSQL server): idempotent, durable, thread-safe
writes; clear errors when the database is unusable."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from inclucities.store import SCHEMA_VERSION, DuckDBStore, StoreUnavailable, SubmitResult
from inclucities.survey.validation import InvalidSubmission
from scripts.support.survey_helpers import SURVEYS, resident_answers


def answers(**changes) -> dict:
    """A valid resident answer set that also answers the optional information-sources question."""
    return resident_answers(info_sources=["friends-family"]) | changes


def test_creates_folder_schema_and_version(isolated_database):
    assert not isolated_database.parent.exists()
    s = DuckDBStore(isolated_database, SURVEYS.values())
    assert isolated_database.exists()
    assert s.schema_version() == SCHEMA_VERSION
    s.close()
    again = DuckDBStore(isolated_database, SURVEYS.values())  # migrations are not re-run
    assert again.schema_version() == SCHEMA_VERSION
    again.close()


def test_schema_is_created_once_on_both_backends(open_backend):
    first = open_backend()
    assert first.schema_version() == SCHEMA_VERSION
    assert first.registration_errors == {}
    first.submit("kept", "resident", 1, "fr", answers())
    first.close()
    again = open_backend()  # migrations and layouts are not re-applied
    assert again.schema_version() == SCHEMA_VERSION
    assert [v for v, _ in again.layout_history("resident")] == [1]
    assert again.count("resident") == 1


def test_resubmitting_an_id_stores_nothing(any_store):
    store = any_store
    assert store.submit("abc", "resident", 1, "fr", answers()) is SubmitResult.STORED
    assert store.submit("abc", "resident", 1, "fr", answers(welcome="1")) is SubmitResult.DUPLICATE
    assert store.count("resident") == 1
    frame = store.responses_frame("resident")
    assert frame.loc[0, "welcome"] == "4"


def test_invalid_submission_stores_nothing(any_store):
    store = any_store
    with pytest.raises(InvalidSubmission):
        store.submit("bad", "resident", 1, "fr", answers(contact="daily"))
    with pytest.raises(ValueError):
        store.submit("bad2", "resident", 1, "xx", answers())
    assert store.count("resident") == 0 and not store.has_submission("bad")


def test_twenty_threads_of_fifty_give_exactly_one_thousand(any_store):
    store = any_store
    errors: list[BaseException] = []

    def writer(thread: int) -> None:
        try:
            for n in range(50):
                sid = f"t{thread}-{n}"
                assert store.submit(sid, "resident", 1, "ar", answers()) is SubmitResult.STORED
                # a double click from another thread must not add anything
                assert store.submit(sid, "resident", 1, "ar", answers()) is SubmitResult.DUPLICATE
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count("resident") == 1000
    assert len(store.responses_frame("resident")) == 1000


def test_same_id_raced_from_many_threads_is_stored_once(any_store):
    store = any_store
    results: list[SubmitResult] = []
    barrier = threading.Barrier(8)

    def racer() -> None:
        barrier.wait()
        results.append(store.submit("same", "resident", 1, "fr", answers()))

    threads = [threading.Thread(target=racer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(SubmitResult.STORED) == 1
    assert store.count("resident") == 1


def test_answers_survive_closing_and_reopening(open_backend):
    s = open_backend()
    s.submit("keep", "resident", 1, "uk", answers(idea="Більше лавок"))
    s.close()
    reopened = open_backend()
    assert reopened.count("resident") == 1
    frame = reopened.responses_frame("resident")
    assert frame.loc[0, "lang"] == "uk"
    assert frame.loc[0, "recommendations"] == "migrant-women;participation"
    assert frame.loc[0, "access.housing"] == "3"
    assert frame.loc[0, "idea"] == "Більше лавок"
    reopened.close()


def test_closed_survey_refuses_and_reopens(any_store):
    store = any_store
    store.set_survey_open("resident", False, actor="lead")
    assert not store.is_survey_open("resident")
    assert store.submit("x", "resident", 1, "fr", answers()) is SubmitResult.CLOSED
    store.set_survey_open("resident", True, actor="lead")
    assert store.submit("x", "resident", 1, "fr", answers()) is SubmitResult.STORED
    assert [e.action for e in store.audit_log("resident")] == ["close", "open"]


def test_ideas_are_pending_until_moderated(any_store):
    store = any_store
    store.submit("a", "resident", 1, "fr", answers(idea="Un café des langues"))
    store.submit("b", "resident", 1, "ar", answers(idea="مكتب استقبال"))
    ideas = store.ideas("resident")
    assert [i.status for i in ideas] == ["pending", "pending"]
    assert {i.lang for i in ideas} == {"fr", "ar"}
    store.set_idea_status(ideas[0].id, "approved", actor="mod")
    store.set_idea_status(ideas[1].id, "hidden", actor="mod")
    assert [i.text for i in store.ideas("resident", status="approved")] == ["Un café des langues"]
    with pytest.raises(ValueError):
        store.set_idea_status(ideas[0].id, "public", actor="mod")  # type: ignore[arg-type]
    assert store.audit_log()[-1].action == "idea_status"


def test_soft_delete_and_restore_are_audited_and_excluded(any_store):
    store = any_store
    for n in range(4):
        store.submit(f"s{n}", "resident", 1, "fr", answers(idea=f"idea {n}"))
    assert store.soft_delete("resident", ["s0", "s1"], actor="lead", reason="test run") == 2
    assert store.count("resident") == 2
    assert len(store.ideas("resident")) == 2
    assert len(store.responses_frame("resident")) == 2
    assert len(store.responses_frame("resident", include_deleted=True)) == 4
    assert store.soft_delete("resident", actor="lead", reason="reset") == 2
    assert store.count("resident") == 0
    assert store.restore("resident", actor="lead", reason="undo") == 4
    assert store.count("resident") == 4
    log = store.audit_log("resident")
    assert [e.action for e in log] == ["soft_delete", "soft_delete", "restore"]
    assert "reason: test run" in (log[0].detail or "")


HOLDER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("ready", flush=True)
    time.sleep(60)
    """
)


def hold_lock(path: Path) -> subprocess.Popen:
    path.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_locked_file_raises_store_unavailable_locked(isolated_database):
    proc = hold_lock(isolated_database)
    try:
        with pytest.raises(StoreUnavailable) as info:
            DuckDBStore(isolated_database, SURVEYS.values())
        assert info.value.reason == "locked"
        assert str(isolated_database) in str(info.value)
    finally:
        proc.kill()
        proc.wait()
    time.sleep(0.1)
    DuckDBStore(isolated_database, SURVEYS.values()).close()  # usable once released


def test_unwritable_location_raises_store_unavailable(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreUnavailable) as info:
        DuckDBStore(blocker / "x.duckdb", SURVEYS.values())
    assert info.value.reason == "readonly"
    if hasattr(os, "geteuid") and os.geteuid() != 0:  # root ignores file modes
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            with pytest.raises(StoreUnavailable) as info:
                DuckDBStore(folder / "x.duckdb", SURVEYS.values())
            assert info.value.reason == "readonly"
        finally:
            folder.chmod(0o700)


def test_a_version_3_database_gets_the_secrets_and_session_rules_tables(tmp_path):
    """Schema versions 4 and 5 (issue 23): an existing database gains `server_secrets`, then the
    session rule "one answer per device" and its device marks, on start."""
    path = tmp_path / "v3.duckdb"
    first = DuckDBStore(path, SURVEYS.values())
    older = first.create_session("resident", "Before the rule", actor="t")
    for table in ("server_secrets", "session_rules", "session_devices"):
        first._do(lambda cur, table=table: cur.run(f"DROP TABLE {table}"))
    first._do(lambda cur: cur.run("DELETE FROM schema_version WHERE version >= 4"))
    assert first.schema_version() == 3
    first.close()
    again = DuckDBStore(path, SURVEYS.values())
    try:
        assert again.schema_version() == SCHEMA_VERSION == 5
        assert len(again.server_secret("receipt-v2")) == 32
        assert again.get_session(older.id).one_answer_per_device is False
        room = again.create_session("resident", "Room", actor="t", one_answer_per_device=True)
        assert again.get_session(room.id).one_answer_per_device
    finally:
        again.close()
