"""The answer layout is recorded and versioned on both backends; definitions may grow (new
questions, new option codes such as "don't know"); version 1-2 DuckDB files are moved over."""

from __future__ import annotations

import json

import duckdb

from inclucities.results.summary import summarise
from inclucities.store import SCHEMA_VERSION, DuckDBStore, SubmitResult, open_store, quote
from inclucities.store.layout import AnswerLayout, layout_for
from inclucities.store.sql_schema import V1, V2
from inclucities.survey.models import Option, Question
from scripts.support.survey_helpers import RESIDENT, SURVEYS, resident_answers


def _grown():
    """The resident survey with a new option on `contact` and a new question at the end."""
    contact = RESIDENT.question("contact")
    extra = Option(id="no-answer-yet", label="Not yet")
    questions = [
        q.model_copy(update={"options": [*q.options, extra]}) if q.id == "contact" else q
        for q in RESIDENT.questions
    ]
    questions.append(
        Question(
            id="transport",
            type="single",
            text="Transport?",
            options=[Option(id="bus", label="Bus"), Option(id="bike", label="Bike")],
        )
    )
    assert contact is not None
    return RESIDENT.model_copy(update={"questions": questions, "version": 2})


def test_the_layout_is_recorded_and_grows_with_the_definition(open_backend):
    first = open_backend()
    first.submit("before", "resident", 1, "fr", resident_answers(contact="often"))
    history = first.layout_history("resident")
    assert [v for v, _ in history] == [1]
    assert AnswerLayout.from_json(history[0][1]) == layout_for(RESIDENT)
    first.close()

    grown = _grown()
    second = open_backend([grown, SURVEYS["academy"]])
    assert second.registration_errors == {}
    assert [v for v, _ in second.layout_history("resident")] == [1, 2]
    latest = AnswerLayout.from_json(second.layout_history("resident")[-1][1])
    assert latest.column("transport") is not None
    assert latest.column("contact").options[-1] == "no-answer-yet"
    answers = resident_answers(contact="no-answer-yet", transport="bike")
    assert second.submit("after", "resident", 2, "fr", answers) is SubmitResult.STORED
    summary = summarise(second, grown, min_cell=1)
    assert {c.key: c.count for c in summary.question("contact").options}["no-answer-yet"] == 1
    assert {c.key: c.count for c in summary.question("contact").options}["often"] == 1
    frame = second.responses_frame("resident")
    assert list(frame["transport"].fillna("-")) == ["-", "bike"]
    second.close()

    again = open_backend([grown])  # the same definition again: nothing new is recorded
    assert [v for v, _ in again.layout_history("resident")] == [1, 2]


def test_a_definition_that_would_lose_answers_disables_only_its_survey(open_backend):
    store = open_backend()
    store.submit("x", "resident", 1, "fr", resident_answers(contact="often"))
    store.close()
    fewer = [
        q.model_copy(update={"options": q.options[1:]}) if q.id == "contact" else q
        for q in RESIDENT.questions
    ]
    shrunk = RESIDENT.model_copy(update={"questions": fewer})
    again = open_backend([shrunk, SURVEYS["academy"]])
    assert "contact" in again.registration_errors["resident"]
    assert "often" in again.registration_errors["resident"]
    assert "academy" in again.surveys and "resident" not in again.surveys
    assert [v for v, _ in again.layout_history("resident")] == [1]


def test_both_backends_record_the_same_layout(isolated_database, postgres_url):
    duck = DuckDBStore(isolated_database, SURVEYS.values())
    pg = open_store(postgres_url, isolated_database, SURVEYS.values())
    try:
        for survey_id in SURVEYS:
            one = [json.loads(t) for _, t in duck.layout_history(survey_id)]
            two = [json.loads(t) for _, t in pg.layout_history(survey_id)]
            assert one == two and one
    finally:
        duck.close()
        pg.close()


def _old_style_database(path) -> None:
    """A database as version 2 of the store left it: three copies of every submission."""
    survey = RESIDENT
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            "CREATE TABLE schema_version "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
        for version, statements in ((1, V1), (2, V2)):
            for sql in statements:
                conn.execute(sql)
            conn.execute("INSERT INTO schema_version VALUES (?, now())", [version])
        layout = layout_for(survey)
        for name, values in layout.enum_types.items():
            literal = ", ".join(f"'{v}'" for v in values)
            conn.execute(f"CREATE TYPE {quote(name)} AS ENUM ({literal})")
        lang_type = quote(next(iter(layout.enum_types)))
        columns = "".join(f", {quote(c.name)} {quote(c.enum_type)}" for c in layout.columns)
        conn.execute(
            f"CREATE TABLE {quote(survey.table_name)} (submission_id VARCHAR NOT NULL, "
            f"lang {lang_type} NOT NULL, deleted BOOLEAN NOT NULL DEFAULT false{columns})"
        )
        for n, deleted in enumerate([False, False, True]):
            sid = f"old{n}"
            conn.execute(
                "INSERT INTO submissions VALUES (?, 'resident', 1, 'fr', "
                "TIMESTAMP '2025-05-01 10:00:00' + to_minutes(?), ?)",
                [sid, n, "2025-06-01" if deleted else None],
            )
            conn.execute(
                f"INSERT INTO {quote(survey.table_name)} (submission_id, lang, deleted, welcome, "
                "\"recommendations__1\") VALUES (?, 'fr', ?, '4', 'participation')",
                [sid, deleted],
            )
            conn.execute(
                "INSERT INTO ideas (submission_id, survey_id, question_id, text, lang, "
                "created_at, deleted) VALUES (?, 'resident', 'idea', ?, 'fr', now(), ?)",
                [sid, f"old idea {n}", deleted],
            )


def test_a_version_2_duckdb_file_is_moved_to_one_row_per_submission(isolated_database):
    isolated_database.parent.mkdir(parents=True)
    _old_style_database(isolated_database)
    store = DuckDBStore(isolated_database, SURVEYS.values())
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.registration_errors == {}
        assert store.count("resident") == 2
        assert store.submission_counts("resident").deleted == 1
        assert [i.text for i in store.ideas("resident")] == ["old idea 0", "old idea 1"]
        frame = store.responses_frame("resident", include_deleted=True)
        assert list(frame["submission_id"]) == ["old0", "old1", "old2"]
        assert list(frame["welcome"]) == ["4", "4", "4"]
        assert str(frame["created_at"][1]) == "2025-05-01 10:01:00"
        assert frame["deleted_at"].notna().tolist() == [False, False, True]
        assert store.restore("resident", ["old2"], actor="t", reason="undo") == 1
        assert store.idea_count("resident") == 3
        assert store.submit("new", "resident", 1, "fr", resident_answers()) is SubmitResult.STORED
        assert [v for v, _ in store.layout_history("resident")] == [1]
    finally:
        store.close()
    with duckdb.connect(str(isolated_database), read_only=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert "submissions" not in tables  # no second copy of a submission is kept
