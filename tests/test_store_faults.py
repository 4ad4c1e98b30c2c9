"""Storage faults are not write conflicts (issue 11, item 9), on both backends.

A full disk, a database made read-only in the middle of a run and a lost server each raise
StorageFault with their own reason; nothing half-written remains; the store reports the cause
(`health()`, hence `/healthz`) and works again, without a restart, once the cause is gone.
"""

from __future__ import annotations

import os
import pwd
import time
import uuid

import duckdb
import psycopg
import psycopg.errors
import pytest
from psycopg_pool import PoolTimeout

from inclucities import runtime
from inclucities.i18n import LANGUAGES, translator
from inclucities.store import FAULT_REASONS, DuckDBStore, StorageFault, SubmitResult
from inclucities.store.duckdb_store import classify_duckdb
from inclucities.store.postgres_store import PostgresStore, classify_postgres
from inclucities.web import routes
from scripts.support.survey_helpers import SURVEYS, resident_answers
from tests.fault_fs import fill_disk, require_freezable, set_immutable, small_disk


def test_duckdb_errors_are_told_apart():
    commit = 'TransactionContext Error: Failed to commit: Could not write file "/d/x.wal": '
    assert classify_duckdb(duckdb.TransactionException(commit + "No space left on device")) == (
        "disk_full"
    )
    assert classify_duckdb(duckdb.TransactionException(commit + "Operation not permitted")) == (
        "readonly"
    )
    assert classify_duckdb(duckdb.IOException("Cannot open file: Read-only file system")) == (
        "readonly"
    )
    assert classify_duckdb(duckdb.IOException('Could not set lock on file "/d/x"')) == "locked"
    conflict = duckdb.TransactionException("TransactionContext Error: Conflict on tuple deletion!")
    assert classify_duckdb(conflict) == "conflict"
    assert classify_duckdb(duckdb.ConstraintException("Duplicate key")) == "constraint"
    assert classify_duckdb(duckdb.BinderException("no such column")) is None  # a bug shows
    assert classify_duckdb(ValueError("x")) is None


def test_postgresql_errors_are_told_apart():
    assert classify_postgres(psycopg.errors.DiskFull("could not extend file")) == "disk_full"
    assert classify_postgres(psycopg.errors.ReadOnlySqlTransaction("read-only")) == "readonly"
    assert classify_postgres(psycopg.errors.InsufficientPrivilege("denied")) == "readonly"
    assert classify_postgres(psycopg.errors.SerializationFailure("retry")) == "conflict"
    assert classify_postgres(psycopg.errors.DeadlockDetected("retry")) == "conflict"
    assert classify_postgres(psycopg.errors.UniqueViolation("dup")) == "constraint"
    assert classify_postgres(psycopg.errors.AdminShutdown("bye")) == "connection_lost"
    assert classify_postgres(psycopg.OperationalError("server closed the connection")) == (
        "connection_lost"
    )
    assert classify_postgres(PoolTimeout("no connection")) == "connection_lost"
    assert classify_postgres(psycopg.errors.TooManyConnections("full")) == "busy"
    assert classify_postgres(psycopg.errors.UndefinedColumn("bug")) is None


def test_every_fault_reason_has_a_message_for_respondents_in_every_language():
    for lang in LANGUAGES:
        t = translator(lang)
        for reason in FAULT_REASONS:
            key = f"survey.unavailable.{reason}"
            assert t(key) != key, f"{lang}: {key} is missing"


def _healthz(monkeypatch, store) -> dict:
    monkeypatch.setattr(runtime.current(), "store", lambda: store)
    return routes._database_status()


def _consistent(store) -> None:
    """Every stored answer is whole: its idea is there when it wrote one, no idea is orphaned."""
    frame = store.responses_frame("resident", include_deleted=True)
    ideas = store.ideas("resident")
    with_idea = set(frame.loc[frame["idea"].notna(), "submission_id"])
    assert len(ideas) == len(with_idea)
    assert frame["submission_id"].is_unique


def test_duckdb_full_disk_refuses_cleanly_then_recovers(monkeypatch):
    with small_disk("24m") as disk:
        store = DuckDBStore(disk / "answers.duckdb", SURVEYS.values())
        for n in range(5):
            store.submit(f"ok{n}", "resident", 1, "fr", resident_answers(idea=f"idea {n}"))
        filler = fill_disk(disk)
        refused = None
        for n in range(500):  # a few may still fit in blocks the file has already
            try:
                store.submit(f"full{n}", "resident", 1, "fr", resident_answers(idea=f"full {n}"))
            except StorageFault as exc:
                refused = (f"full{n}", exc)
                break
        assert refused is not None, "the full disk never refused a submission"
        failed, fault = refused
        assert fault.reason == "disk_full", fault
        assert "could not commit after repeated write conflicts" not in str(fault)
        assert store.health().reason == "disk_full"
        assert _healthz(monkeypatch, store) == {
            "ok": False,
            "database": "disk_full",
            "backend": "duckdb",
            "writable": False,
        }
        filler.unlink()
        # the respondent sends the same answers again: stored once, whole
        again = store.submit(failed, "resident", 1, "fr", resident_answers(idea="again"))
        assert again is SubmitResult.STORED
        assert store.health().ok
        assert _healthz(monkeypatch, store)["ok"] is True
        assert [i.text for i in store.ideas("resident") if i.text == "again"] == ["again"]
        _consistent(store)
        count = store.count("resident")
        store.close()
        reopened = DuckDBStore(disk / "answers.duckdb", SURVEYS.values())
        assert reopened.count("resident") == count
        _consistent(reopened)
        reopened.close()


def test_duckdb_made_read_only_mid_run_refuses_cleanly_then_recovers(tmp_path, monkeypatch):
    disk = tmp_path / "frozen"
    disk.mkdir()
    require_freezable(disk)
    path = disk / "answers.duckdb"
    store = DuckDBStore(path, SURVEYS.values())
    frozen = [path, path.with_name(path.name + ".wal"), disk]
    try:
        for n in range(3):
            store.submit(f"ok{n}", "resident", 1, "fr", resident_answers(idea=f"idea {n}"))
        set_immutable(frozen, True)
        try:
            with pytest.raises(StorageFault) as info:
                store.submit("ro", "resident", 1, "fr", resident_answers(idea="read only"))
            assert info.value.reason == "readonly"
            assert store.health().reason == "readonly"
            assert _healthz(monkeypatch, store)["database"] == "readonly"
            with pytest.raises(StorageFault):  # still refused, still clearly
                store.set_survey_open("resident", False, actor="lead")
        finally:
            set_immutable(frozen, False)
        assert store.submit("ro", "resident", 1, "fr", resident_answers(idea="read only")) is (
            SubmitResult.STORED
        )
        assert store.is_survey_open("resident")  # the refused close left nothing behind
        assert store.count("resident") == 4 and store.health().ok
        _consistent(store)
    finally:
        set_immutable(frozen, False)
        store.close()


def test_postgresql_made_read_only_mid_run_refuses_cleanly_then_recovers(
    postgres_server, postgres_url, monkeypatch
):
    store = PostgresStore(postgres_url, SURVEYS.values(), timeout=5)
    database = postgres_url.rsplit("/", 1)[1]
    kick = (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    )
    try:
        for n in range(3):
            store.submit(f"ok{n}", "resident", 1, "fr", resident_answers(idea=f"idea {n}"))
        # as a failover to a standby would: the database turns read-only under the app
        postgres_server.execute(
            f'ALTER DATABASE "{database}" SET default_transaction_read_only = on'
        )
        postgres_server.execute(kick)
        with pytest.raises(StorageFault) as info:
            store.submit("ro", "resident", 1, "fr", resident_answers(idea="read only"))
        assert info.value.reason == "readonly"
        assert store.count("resident") == 3  # reads still work
        assert _healthz(monkeypatch, store) == {
            "ok": False,
            "database": "readonly",
            "backend": "postgresql",
            "writable": False,
        }
        postgres_server.execute(
            f'ALTER DATABASE "{database}" SET default_transaction_read_only = off'
        )
        postgres_server.execute(kick)
        assert store.submit("ro", "resident", 1, "fr", resident_answers(idea="read only")) is (
            SubmitResult.STORED
        )
        assert store.health().ok
        _consistent(store)
    finally:
        store.close()


@pytest.mark.postgres
def test_postgresql_lost_mid_run_says_so_then_reconnects(monkeypatch):
    from scripts.support.pg_server import PostgresUnavailable, start_postgres

    try:
        server = start_postgres(settings={})  # durable, like a real server: it will crash
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    try:
        url = server.url(server.create_database())
        store = PostgresStore(url, SURVEYS.values(), timeout=2)
        store.submit("before", "resident", 1, "fr", resident_answers())
        server.kill()
        with pytest.raises(StorageFault) as info:
            store.submit("during", "resident", 1, "fr", resident_answers(idea="during"))
        assert info.value.reason == "connection_lost"
        assert _healthz(monkeypatch, store)["database"] == "connection_lost"
        server.start()
        # the respondent presses send again until the pool has reconnected (a few seconds)
        deadline = time.monotonic() + 60
        while True:
            try:
                result = store.submit(
                    "during", "resident", 1, "fr", resident_answers(idea="during")
                )
                break
            except StorageFault as exc:
                assert exc.reason == "connection_lost"
                assert time.monotonic() < deadline, "the store did not reconnect"
                time.sleep(0.5)
        assert result is SubmitResult.STORED
        assert store.count("resident") == 2 and store.health().ok
        _consistent(store)
        store.close()
    finally:
        server.stop()


@pytest.mark.postgres
def test_postgresql_full_disk_refuses_cleanly_then_recovers(monkeypatch):
    """The tables live in a tablespace on a small tmpfs (the WAL on the main disk)."""
    from scripts.support.pg_server import PostgresUnavailable, start_postgres

    with small_disk("48m") as disk:
        try:
            server = start_postgres()
        except PostgresUnavailable as exc:
            if os.environ.get("CI"):
                pytest.fail(str(exc))
            pytest.skip(str(exc))
        try:
            space = disk / "tablespace"
            space.mkdir()
            if os.geteuid() == 0:
                owner = pwd.getpwnam("postgres")
                os.chown(space, owner.pw_uid, owner.pw_gid)
            name = "small_" + uuid.uuid4().hex[:8]
            server.execute(f"CREATE TABLESPACE {name} LOCATION '{space}'")
            server.execute(f"CREATE DATABASE {name} TABLESPACE {name}")
            store = PostgresStore(server.url(name), SURVEYS.values(), timeout=5)
            for n in range(5):
                store.submit(f"ok{n}", "resident", 1, "fr", resident_answers(idea=f"idea {n}"))
            filler = fill_disk(disk)
            refused = None
            for n in range(5000):  # rows fit in pages the tables have until one must grow
                try:
                    store.submit(f"full{n}", "resident", 1, "fr", resident_answers(idea=f"f{n}"))
                except StorageFault as exc:
                    refused = (f"full{n}", exc)
                    break
            assert refused is not None, "the full disk never refused a submission"
            failed, fault = refused
            assert fault.reason == "disk_full", fault
            assert not store.has_submission(failed)
            assert _healthz(monkeypatch, store)["database"] == "disk_full"
            filler.unlink()
            assert store.submit(failed, "resident", 1, "fr", resident_answers(idea="again")) is (
                SubmitResult.STORED
            )
            assert store.health().ok
            _consistent(store)
            store.close()
            server.execute(f"DROP DATABASE {name} WITH (FORCE)")
            server.execute(f"DROP TABLESPACE {name}")
        finally:
            server.stop()
