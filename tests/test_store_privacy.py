"""Withdrawal by receipt and purge after the retention period (issue 13), on both backends; a
purged answer leaves no trace in the database files."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from inclucities.store import DuckDBStore, SubmitResult, quote
from scripts.support.survey_helpers import SURVEYS, resident_answers

ROOT = Path(__file__).resolve().parent.parent


def receipt(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def test_a_receipt_withdraws_exactly_its_own_answer(any_store):
    store = any_store
    store.submit(
        "mine",
        "resident",
        1,
        "fr",
        resident_answers(idea="my idea"),
        receipt_hash=receipt("K7QX-P3"),
    )
    store.submit(
        "other",
        "resident",
        1,
        "fr",
        resident_answers(idea="their idea"),
        receipt_hash=receipt("M4TT-9A"),
    )
    store.submit("plain", "resident", 1, "fr", resident_answers(idea="no receipt"))
    ideas = {i.text: i.id for i in store.ideas("resident")}
    store.set_ideas_status(list(ideas.values()), "approved", actor="mod")
    store.support_idea(ideas["my idea"], "other")
    store.support_idea(ideas["their idea"], "mine")  # supports given go with the answer
    token = store.data_version("resident")

    assert store.withdraw(receipt("K7QX-P3")) is True
    assert store.data_version("resident") != token
    assert not store.has_submission("mine")
    assert store.has_submission("other") and store.has_submission("plain")
    assert sorted(i.text for i in store.ideas("resident")) == ["no receipt", "their idea"]
    assert store.supported_ideas("other") == [] and store.supported_ideas("mine") == []
    assert [i.supports for i in store.ideas("resident")] == [0, 0]
    assert store.count("resident") == 2
    assert store.withdraw(receipt("K7QX-P3")) is False  # once only
    assert store.withdraw(receipt("nothing")) is False
    assert store.withdraw("") is False
    entry = [e for e in store.audit_log("resident") if e.action == "withdraw"]
    assert len(entry) == 1 and entry[0].actor == "respondent"
    assert receipt("K7QX-P3") not in str(entry[0]) and "K7QX" not in str(entry[0])
    # the submission id is free again, the receipt too: nothing of it is left
    assert (
        store.submit(
            "mine", "resident", 1, "fr", resident_answers(), receipt_hash=receipt("K7QX-P3")
        )
        is SubmitResult.STORED
    )


def _backdate(store, ids: list[str], days: int) -> None:
    """Make submissions look `days` old (tests only: the store never rewrites created_at)."""
    when = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)
    table = quote(SURVEYS["resident"].table_name)
    if store.backend == "duckdb":
        store._conn.execute(
            f"UPDATE {table} SET created_at = ? WHERE submission_id = ANY(?)", [when, ids]
        )
    else:
        import psycopg

        with psycopg.connect(store.url, autocommit=True) as conn:
            conn.execute(
                f"UPDATE {table} SET created_at = %s WHERE submission_id = ANY(%s)", [when, ids]
            )


def test_purge_deletes_what_is_older_than_the_cutoff(any_store):
    store = any_store
    for n in range(5):
        store.submit(f"old{n}", "resident", 1, "fr", resident_answers(idea=f"old idea {n}"))
    for n in range(3):
        store.submit(f"new{n}", "resident", 1, "fr", resident_answers(idea=f"new idea {n}"))
    store.soft_delete("resident", ["old4"], actor="lead", reason="test")
    _backdate(store, [f"old{n}" for n in range(5)], days=400)
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    assert store.purge(cutoff, actor="lead") == 5  # soft-deleted ones too
    assert store.count("resident") == 3
    assert store.submission_counts("resident").deleted == 0
    assert sorted(i.text for i in store.ideas("resident")) == [f"new idea {n}" for n in range(3)]
    entry = store.audit_log("resident")[-1]
    assert (
        entry.action == "purge"
        and entry.actor == "lead"
        and entry.detail.startswith("5 submissions")
    )
    assert store.purge(cutoff, actor="lead") == 0
    # the store works on after the purge (DuckDB reopened its rewritten file)
    assert (
        store.submit("after", "resident", 1, "fr", resident_answers(idea="after"))
        is SubmitResult.STORED
    )
    ids = [i.id for i in store.ideas("resident")]
    assert ids == sorted(ids) and len(set(ids)) == 4  # idea numbers go on, never reused


MARKER = "PURGE-MARKER-4f1c9e7a-benches-by-the-canal"


def _file_bytes(*paths: Path) -> bytes:
    return b"".join(p.read_bytes() for p in paths if p.exists())


def test_purged_text_is_gone_from_the_duckdb_file(isolated_database):
    store = DuckDBStore(isolated_database, SURVEYS.values())
    # keep strings verbatim in the file, so that finding no marker means it is really gone
    store._conn.execute("PRAGMA force_compression='uncompressed'")
    store.submit("secret", "resident", 1, "fr", resident_answers(idea=MARKER))
    for n in range(50):
        store.submit(f"keep{n}", "resident", 1, "fr", resident_answers(idea=f"kept {n}"))
    store._conn.execute("CHECKPOINT")
    wal = Path(f"{isolated_database}.wal")
    assert MARKER.encode() in _file_bytes(isolated_database, wal)  # the control: it is there
    _backdate(store, ["secret"], days=400)
    assert store.purge(dt.datetime.now(dt.UTC) - dt.timedelta(days=365), actor="lead") == 1
    assert MARKER.encode() not in _file_bytes(isolated_database, wal)
    assert store.count("resident") == 50
    store.close()
    assert MARKER.encode() not in _file_bytes(isolated_database, wal)
    with duckdb.connect(str(isolated_database), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM ideas").fetchone()[0] == 50
    leftovers = [p.name for p in isolated_database.parent.iterdir() if "compact" in p.name]
    assert leftovers == []


def test_purged_text_is_gone_from_the_postgresql_table_files(
    postgres_server, postgres_url, isolated_database
):
    from inclucities.store import open_store

    store = open_store(postgres_url, isolated_database, SURVEYS.values())
    try:
        store.submit("secret", "resident", 1, "fr", resident_answers(idea=MARKER))
        for n in range(50):
            store.submit(f"keep{n}", "resident", 1, "fr", resident_answers(idea=f"kept {n}"))
        dbname = postgres_url.rsplit("/", 1)[1]
        oid = postgres_server.execute(f"SELECT oid FROM pg_database WHERE datname = '{dbname}'")[0][
            0
        ]
        folder = postgres_server.data / "base" / str(oid)
        postgres_server.execute("CHECKPOINT")

        def in_table_files() -> bool:
            return any(MARKER.encode() in p.read_bytes() for p in folder.iterdir() if p.is_file())

        assert in_table_files()  # the control
        _backdate(store, ["secret"], days=400)
        assert store.purge(dt.datetime.now(dt.UTC) - dt.timedelta(days=365), actor="lead") == 1
        postgres_server.execute("CHECKPOINT")
        assert not in_table_files()
        assert store.count("resident") == 50
    finally:
        store.close()


def test_purge_command_deletes_answers_older_than_the_retention(isolated_database):
    store = DuckDBStore(isolated_database, SURVEYS.values())
    store.submit("ancient", "resident", 1, "fr", resident_answers(idea="ancient idea"))
    store.submit("recent", "resident", 1, "fr", resident_answers())
    _backdate(store, ["ancient"], days=400)
    store.close()
    env = {**os.environ, "INCLUCITIES_DB_PATH": str(isolated_database)}
    env.pop("INCLUCITIES_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "inclucities.store", "purge", "--older-than-months", "12"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "1 submission" in done.stdout
    check = DuckDBStore(isolated_database, SURVEYS.values())
    assert not check.has_submission("ancient") and check.has_submission("recent")
    assert check.audit_log()[-1].actor == "command line"
    check.close()
