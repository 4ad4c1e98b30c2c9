"""Moving a DuckDB file into PostgreSQL: everything arrives once, however often it runs."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from inclucities.results.summary import summarise
from inclucities.store import DuckDBStore, SubmitResult, open_store
from scripts.support.survey_helpers import SURVEYS, resident_answers
from tests.store_helpers import fill

ROOT = Path(__file__).resolve().parent.parent


def _source(path: Path) -> None:
    store = DuckDBStore(path, SURVEYS.values())
    session = store.create_session(
        "resident", "Brussels academy", actor="lead", day=dt.date(2025, 12, 7)
    )
    fill(store, 40)
    fill(store, 9, seed=4, prefix="s", session_id=session.id)
    room = store.create_session("resident", "Room", actor="lead", one_answer_per_device=True)
    store.submit("d1", "resident", 1, "fr", resident_answers(), session_id=room.id, device="mark-1")
    store.submit("receipt", "resident", 1, "fr", resident_answers(), receipt_hash="ab" * 32)
    ideas = store.ideas("resident")
    store.set_ideas_status([i.id for i in ideas[:6]], "approved", actor="mod")
    store.set_idea_pinned(ideas[0].id, True, actor="mod")
    store.server_secret("receipt-v2")  # made on the first receipt
    store.support_idea(ideas[1].id, "receipt")  # supporters are stored answers
    store.support_idea(ideas[2].id, "receipt")
    store.soft_delete("resident", ["v1", "v2"], actor="mod", reason="test answers")
    store.set_survey_open("academy", False, actor="lead")
    store.set_results_revealed("resident", True, actor="presenter", session_id=session.id)
    store.close()


def _run(source: Path, url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "INCLUCITIES_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "inclucities.store", "copy-to-postgres", str(source), "--to", url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_copying_a_duckdb_file_into_postgresql_twice_stores_everything_once(
    isolated_database, postgres_url
):
    _source(isolated_database)
    first = _run(isolated_database, postgres_url)
    assert first.returncode == 0, first.stderr
    assert "responses_resident: 51 in the file, 51 added" in first.stdout
    second = _run(isolated_database, postgres_url)
    assert second.returncode == 0, second.stderr
    assert "responses_resident: 51 in the file, 0 added, 51 there already" in second.stdout
    assert "ideas: 17 in the file, 0 added" in second.stdout

    duck = DuckDBStore(isolated_database, SURVEYS.values())
    pg = open_store(postgres_url, isolated_database, SURVEYS.values())
    try:
        assert pg.submission_counts("resident") == duck.submission_counts("resident")
        survey = SURVEYS["resident"]
        one, two = summarise(duck, survey, min_cell=2), summarise(pg, survey, min_cell=2)
        assert one.questions == two.questions and one.total == two.total == 49
        assert [(i.text, i.status, i.pinned, i.supports) for i in pg.ideas("resident")] == [
            (i.text, i.status, i.pinned, i.supports) for i in duck.ideas("resident")
        ]
        session = duck.sessions("resident")[0]
        assert pg.session_by_code(session.join_code) == session
        assert pg.count("resident", session.id) == 9
        assert pg.results_revealed("resident", session.id)
        room = duck.sessions("resident")[1]
        assert pg.get_session(room.id) == room and room.one_answer_per_device
        again = pg.submit(  # the device's mark came along: it answered in that room already
            "d2", "resident", 1, "fr", resident_answers(), session_id=room.id, device="mark-1"
        )
        assert again == SubmitResult.DEVICE_ANSWERED
        assert not pg.is_survey_open("academy")
        assert pg.supported_ideas("receipt") == [
            next(i.id for i in pg.ideas("resident") if i.text == t.text)
            for t in duck.ideas("resident")[1:3]
        ]
        assert pg.server_secret("receipt-v2") == duck.server_secret("receipt-v2")  # same key
        assert pg.withdraw("ab" * 32) is True  # the receipt still works after the move
        left = pg.responses_frame("resident", include_deleted=True)
        assert len(left) == 50 and left["submission_id"].is_unique
        copied = [e for e in pg.audit_log() if e.action == "copy_from_duckdb"]
        assert len(copied) == 2
        kept = [e.action for e in pg.audit_log("resident")]
        assert kept.count("soft_delete") == 1  # audit entries arrive once too
    finally:
        duck.close()
        pg.close()
