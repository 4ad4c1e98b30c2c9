"""Erasure that erases (issue 23): a withdrawn answer's text leaves the database files (and the
DuckDB WAL) at one rewrite soon after the withdrawal, shared by the withdrawals before it; answers
sent during the rewrite are neither lost nor doubled; the privacy notice says when."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path

import duckdb

from inclucities.i18n import LANGUAGES, translator
from inclucities.store import DuckDBStore, SubmitResult, quote
from inclucities.store.sql_core import ERASE_DELAY_SECONDS, ERASE_PROMISE_MINUTES
from scripts.support.survey_helpers import SURVEYS, resident_answers

MARKER = "erasure-marker-7f3a-a-bench-by-the-tram-stop"


def receipt(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _file_bytes(database: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (database, Path(f"{database}.wal")) if p.exists())


def _verbatim_store(database: Path, delay: float) -> DuckDBStore:
    store = DuckDBStore(database, SURVEYS.values())
    store.erase_delay = delay
    # keep strings verbatim in the file, so that finding no marker means it is really gone
    store._conn.execute("PRAGMA force_compression='uncompressed'")
    return store


def _wait_until(condition, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_a_withdrawn_answer_leaves_the_duckdb_file_and_its_wal_soon_after(isolated_database):
    store = _verbatim_store(isolated_database, delay=0.2)
    store.submit(
        "secret", "resident", 1, "fr", resident_answers(idea=MARKER), receipt_hash=receipt("A1")
    )
    for n in range(30):
        store.submit(f"keep{n}", "resident", 1, "fr", resident_answers(idea=f"kept {n}"))
    assert MARKER.encode() in _file_bytes(isolated_database)  # the control: it is in the WAL
    marker_file = isolated_database.with_name(isolated_database.name + ".erase-pending")

    assert store.withdraw(receipt("A1")) is True
    assert marker_file.exists()  # a restart before the rewrite would still do it
    _wait_until(lambda: not marker_file.exists())  # the background rewrite, after the delay
    assert MARKER.encode() not in _file_bytes(isolated_database)
    assert store.count("resident") == 30
    assert store.submit("after", "resident", 1, "fr", resident_answers()) is SubmitResult.STORED
    store.close()
    assert MARKER.encode() not in _file_bytes(isolated_database)
    with duckdb.connect(str(isolated_database), read_only=True) as conn:
        table = quote(SURVEYS["resident"].table_name)
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 31
        assert conn.execute("SELECT count(*) FROM ideas").fetchone()[0] == 30
    leftovers = [
        p.name
        for p in isolated_database.parent.iterdir()
        if "compact" in p.name or "erase" in p.name
    ]
    assert leftovers == []


def test_withdrawals_close_together_share_one_rewrite(isolated_database, monkeypatch):
    store = _verbatim_store(isolated_database, delay=0.5)
    calls: list[list[str]] = []
    real = store._compact
    monkeypatch.setattr(store, "_compact", lambda tables: (calls.append(tables), real(tables)))
    for n in range(4):
        store.submit(
            f"s{n}",
            "resident",
            1,
            "fr",
            resident_answers(idea=f"{MARKER}-{n}"),
            receipt_hash=receipt(f"R{n}"),
        )
    for n in range(4):
        assert store.withdraw(receipt(f"R{n}")) is True
    assert calls == []  # nothing rewritten during a withdrawal: the phone is answered at once
    _wait_until(lambda: len(calls) == 1)
    time.sleep(0.7)  # no second rewrite follows
    assert len(calls) == 1 and SURVEYS["resident"].table_name in calls[0]
    assert MARKER.encode() not in _file_bytes(isolated_database)
    store.close()
    assert len(calls) == 1  # nothing was left to do at close


def test_a_rewrite_due_at_close_runs_then(isolated_database):
    store = _verbatim_store(isolated_database, delay=3600)
    store.submit(
        "secret", "resident", 1, "fr", resident_answers(idea=MARKER), receipt_hash=receipt("C1")
    )
    assert store.withdraw(receipt("C1")) is True
    assert MARKER.encode() in _file_bytes(isolated_database)  # the hour has not passed
    store.close()
    assert MARKER.encode() not in _file_bytes(isolated_database)


def test_a_rewrite_due_before_a_crash_runs_after_the_restart(isolated_database):
    store = _verbatim_store(isolated_database, delay=3600)
    store.submit(
        "secret", "resident", 1, "fr", resident_answers(idea=MARKER), receipt_hash=receipt("D1")
    )
    for n in range(30):
        store.submit(f"keep{n}", "resident", 1, "fr", resident_answers(idea=f"kept {n}"))
    store._conn.execute("CHECKPOINT")  # the text is in the file's blocks now
    assert store.withdraw(receipt("D1")) is True
    # the process dies: its timer never fires, the rewrite never runs
    store._erase_timer.cancel()
    store._erase_tables.clear()
    store._conn.close()
    assert MARKER.encode() in _file_bytes(isolated_database)

    again = DuckDBStore(isolated_database, SURVEYS.values())
    assert again._erase_timer is not None  # the restart found the rewrite due
    again.erase_withdrawn()
    assert MARKER.encode() not in _file_bytes(isolated_database)
    assert not isolated_database.with_name(isolated_database.name + ".erase-pending").exists()
    again.close()


def test_a_failed_rewrite_is_logged_and_tried_again(isolated_database, monkeypatch, caplog):
    store = _verbatim_store(isolated_database, delay=0.1)
    real = store._compact
    failures = [1]

    def flaky(tables: list[str]) -> None:
        if failures:
            failures.pop()
            raise OSError("disk full")
        real(tables)

    monkeypatch.setattr(store, "_compact", flaky)
    store.submit(
        "secret", "resident", 1, "fr", resident_answers(idea=MARKER), receipt_hash=receipt("E1")
    )
    with caplog.at_level(logging.WARNING):
        assert store.withdraw(receipt("E1")) is True
        marker_file = isolated_database.with_name(isolated_database.name + ".erase-pending")
        _wait_until(lambda: not failures and not marker_file.exists())
    assert "withdrawal failed" in caplog.text
    assert MARKER.encode() not in _file_bytes(isolated_database)
    store.close()


def test_sends_during_rewrites_are_kept_once(any_store):
    """Phones keep sending while withdrawals trigger rewrites: every acknowledged answer is
    there once, none is lost or doubled (on DuckDB the rewrite swaps the file underneath)."""
    store = any_store
    store.erase_delay = 0.05
    for n in range(6):
        store.submit(
            f"gone{n}",
            "resident",
            1,
            "fr",
            resident_answers(idea=f"gone {n}"),
            receipt_hash=receipt(f"G{n}"),
        )
    acknowledged: list[str] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def phone(name: str) -> None:
        n = 0
        try:
            while not stop.is_set():
                sid = f"{name}-{n}"
                result = store.submit(sid, "resident", 1, "fr", resident_answers(idea=sid))
                assert result is SubmitResult.STORED
                acknowledged.append(sid)
                # a resend of the same answer (a retry from the phone) changes nothing
                assert store.submit(sid, "resident", 1, "fr", resident_answers()) is (
                    SubmitResult.DUPLICATE
                )
                n += 1
        except BaseException as exc:
            errors.append(exc)

    phones = [threading.Thread(target=phone, args=(f"p{i}",)) for i in range(3)]
    for thread in phones:
        thread.start()
    for n in range(6):
        assert store.withdraw(receipt(f"G{n}")) is True
        store.erase_withdrawn()  # a rewrite while the phones send
        time.sleep(0.05)
    stop.set()
    for thread in phones:
        thread.join(timeout=30)
    assert errors == []
    assert len(acknowledged) > 10
    frame = store.responses_frame("resident")
    ids = list(frame["submission_id"])
    assert sorted(ids) == sorted(acknowledged)  # each once, none lost
    assert sorted(i.text for i in store.ideas("resident")) == sorted(acknowledged)


def test_the_withdrawn_answer_leaves_no_row_on_postgresql(
    postgres_server, postgres_url, isolated_database, caplog
):
    from inclucities.store import open_store

    store = open_store(postgres_url, isolated_database, SURVEYS.values())
    try:
        store.erase_delay = 0.1
        store.submit(
            "secret",
            "resident",
            1,
            "fr",
            resident_answers(idea=MARKER),
            receipt_hash=receipt("P1"),
        )
        store.submit("keep", "resident", 1, "fr", resident_answers(idea="kept"))
        dbname = postgres_url.rsplit("/", 1)[1]
        oid = postgres_server.execute(f"SELECT oid FROM pg_database WHERE datname = '{dbname}'")
        folder = postgres_server.data / "base" / str(oid[0][0])
        postgres_server.execute("CHECKPOINT")

        def in_table_files() -> bool:
            return any(MARKER.encode() in p.read_bytes() for p in folder.iterdir() if p.is_file())

        assert in_table_files()  # the control
        with caplog.at_level(logging.WARNING):
            assert store.withdraw(receipt("P1")) is True
            _wait_until(lambda: store._erase_timer is None and not store._erase_tables)
            store.erase_withdrawn()  # waits for a VACUUM still running
        assert "failed" not in caplog.text
        table = quote(SURVEYS["resident"].table_name)
        rows = postgres_server.execute(
            f"SELECT count(*) FROM {table} WHERE submission_id = 'secret'", dbname
        )
        assert rows[0][0] == 0
        ideas = postgres_server.execute("SELECT text FROM ideas", dbname)
        assert [r[0] for r in ideas] == ["kept"]
        postgres_server.execute("CHECKPOINT")
        assert not in_table_files()
    finally:
        store.close()


def test_the_privacy_notice_says_when_the_text_is_gone():
    assert ERASE_DELAY_SECONDS + 60 <= ERASE_PROMISE_MINUTES * 60  # a minute for the rewrite
    english = translator("en")("privacy.withdraw.body")
    assert f"within {ERASE_PROMISE_MINUTES} minutes" in english
    for lang in LANGUAGES:
        t = translator(lang)
        for key in ("privacy.withdraw.body", "privacy.withdraw.done"):
            assert str(ERASE_PROMISE_MINUTES) in t(key), (lang, key)
