"""Admin actions: refused without a signed-in session; closing, moderation, soft delete, exports."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from inclucities import admin_actions, export
from inclucities.auth import AdminSession, NotAuthenticated
from inclucities.results.summary import summarise
from inclucities.store import SubmitResult, SurveyStore
from inclucities.survey.loader import load_survey_definitions


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def registry():
    return load_survey_definitions()


@pytest.fixture
def store(tmp_path, registry):
    s = SurveyStore(tmp_path / "admin.duckdb", registry.surveys.values())
    yield s
    s.close()


@pytest.fixture
def academy(registry):
    return registry.surveys["academy"]


@pytest.fixture
def admin():
    session = AdminSession(clock=FakeClock())
    session.grant()
    return session


def answer(store, survey, n, *, choice="participation", word="housing", lang="en", level="4"):
    return store.submit(
        f"sub-{n}",
        survey.id,
        survey.version,
        lang,
        {
            "first_recommendation": choice,
            "readiness": {item.id: level for item in survey.question("readiness").items},
            "one_word": word,
        },
    )


def signed_out_sessions():
    never = AdminSession(clock=FakeClock())
    signed_out = AdminSession(clock=FakeClock())
    signed_out.grant()
    signed_out.sign_out()
    expired_clock = FakeClock()
    expired = AdminSession(clock=expired_clock, idle_seconds=10)
    expired.grant()
    expired_clock.now += 11
    return [None, never, signed_out, expired]


@pytest.mark.parametrize(
    "session", signed_out_sessions(), ids=["none", "never", "signed_out", "expired"]
)
def test_every_admin_action_refuses_without_authentication(session, store, academy):
    assert answer(store, academy, 1) is SubmitResult.STORED
    idea = store.ideas(academy.id)[0]
    actions = [
        lambda: admin_actions.set_survey_open(session, store, academy.id, False),
        lambda: admin_actions.moderation_queue(session, store, academy.id),
        lambda: admin_actions.moderate_idea(session, store, idea.id, "approved"),
        lambda: admin_actions.responses(session, store, academy.id),
        lambda: admin_actions.soft_delete(session, store, academy.id, None, "test"),
        lambda: admin_actions.restore(session, store, academy.id, None, "test"),
        lambda: admin_actions.audit_log(session, store),
        lambda: admin_actions.export_responses_csv(session, store, academy.id),
        lambda: admin_actions.export_responses_parquet(session, store, academy.id),
        lambda: admin_actions.export_codebook_csv(session, academy),
        lambda: admin_actions.export_shareable_csv(session, store, academy, min_cell=5),
    ]
    for action in actions:
        with pytest.raises(NotAuthenticated):
            action()
    # and nothing changed
    assert store.is_survey_open(academy.id)
    assert store.ideas(academy.id)[0].status == "pending"
    assert store.count(academy.id) == 1
    assert store.audit_log() == []


def test_closing_a_survey_stops_storage(store, academy, admin):
    assert answer(store, academy, 1) is SubmitResult.STORED
    admin_actions.set_survey_open(admin, store, academy.id, False)
    assert not store.is_survey_open(academy.id)
    assert answer(store, academy, 2) is SubmitResult.CLOSED
    assert store.count(academy.id) == 1
    assert len(store.ideas(academy.id)) == 1
    admin_actions.set_survey_open(admin, store, academy.id, True)
    assert answer(store, academy, 3) is SubmitResult.STORED
    assert store.count(academy.id) == 2
    actions = [(e.action, e.actor) for e in store.audit_log()]
    assert actions == [("close", "admin"), ("open", "admin")]


def test_only_approved_ideas_leave_the_queue(store, academy, admin):
    answer(store, academy, 1, word="trust")
    answer(store, academy, 2, word="spam")
    queue = admin_actions.moderation_queue(admin, store, academy.id)
    assert [i.text for i in queue] == ["trust", "spam"]
    admin_actions.moderate_idea(admin, store, queue[0].id, "approved")
    admin_actions.moderate_idea(admin, store, queue[1].id, "hidden")
    assert [i.text for i in store.ideas(academy.id, status="approved")] == ["trust"]
    assert admin_actions.moderation_queue(admin, store, academy.id) == []
    with pytest.raises(ValueError):
        admin_actions.moderate_idea(admin, store, queue[0].id, "published")


def test_soft_delete_is_reversible_and_audited(store, academy, admin):
    for n in range(3):
        answer(store, academy, n)
    removed = admin_actions.soft_delete(admin, store, academy.id, ["sub-0"], "test answer")
    assert removed == 1
    assert store.count(academy.id) == 2
    assert admin_actions.soft_delete(admin, store, academy.id, None, "reset") == 2
    assert store.count(academy.id) == 0
    assert admin_actions.responses(admin, store, academy.id).empty
    assert admin_actions.restore(admin, store, academy.id, None, "oops") == 3
    assert store.count(academy.id) == 3
    log = admin_actions.audit_log(admin, store)
    assert [e.action for e in log] == ["soft_delete", "soft_delete", "restore"]
    assert "test answer" in log[0].detail


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_responses_csv_neutralises_formulas_and_leaves_out_removed_answers(store, academy, admin):
    answer(store, academy, 1, word='=HYPERLINK("http://evil")')
    answer(store, academy, 2, word="@SUM(A1)", lang="fr")
    answer(store, academy, 3, word="removed")
    admin_actions.soft_delete(admin, store, academy.id, ["sub-3"], "test")
    data = admin_actions.export_responses_csv(admin, store, academy.id, bom=True)
    assert data.startswith(export.UTF8_BOM)
    rows = _csv_rows(data)
    assert [r["one_word"] for r in rows] == ['\'=HYPERLINK("http://evil")', "'@SUM(A1)"]
    assert rows[0]["first_recommendation"] == "participation"
    assert rows[0]["readiness.gender"] == "4"


def test_parquet_export_round_trips_the_responses(store, academy, admin):
    for n in range(4):
        answer(store, academy, n, word=f"=idea {n}", lang=["en", "fr", "ar", "uk"][n])
    data = admin_actions.export_responses_parquet(admin, store, academy.id)
    back = export.read_parquet(data)
    raw = store.responses_frame(academy.id)
    assert back["submission_id"].tolist() == raw["submission_id"].tolist()
    levels = [f"readiness.{item.id}" for item in academy.question("readiness").items]
    texts = [c for c in raw.columns if c not in ("created_at", "lang", *levels)]
    pd.testing.assert_frame_equal(
        back[texts].astype(object).where(back[texts].notna(), None),
        raw[texts].astype(object).where(raw[texts].notna(), None),
        check_dtype=False,
    )
    # agreement levels are numbers, with the "I don't know" choice as a boolean beside them
    for column in levels:
        assert str(back[column].dtype) == "Int64"
        assert back[column].tolist() == [int(v) for v in raw[column]]
        assert back[f"{column}_dk"].tolist() == [False] * 4
    assert back["one_word"].tolist()[0] == "=idea 0"  # Parquet keeps values exactly
    # de-identified: dates only, and four languages of one answer each are too rare to show:
    # withheld, they are nulls in Parquet
    assert {str(d) for d in back["created_at"]} == {str(d.date()) for d in raw["created_at"]}
    assert back["lang"].isna().all()


def test_codebook_lists_questions_and_options_in_every_language(academy, admin):
    rows = _csv_rows(admin_actions.export_codebook_csv(admin, academy))
    for lang in ("en", "fr", "nl", "es", "it", "el", "lv", "ar", "uk"):
        assert f"text_{lang}" in rows[0]
    variables = {r["variable"] for r in rows}
    assert {"first_recommendation", "one_word"} <= variables
    assert {f"readiness.{item.id}" for item in academy.question("readiness").items} <= variables
    option = academy.question("first_recommendation").options[0]
    row = next(r for r in rows if r["code"] == option.id)
    assert row["text_fr"] == option.label["fr"]
    assert row["text_ar"] == option.label["ar"]
    levels = [r["code"] for r in rows if r["variable"] == "readiness.gender" and r["code"]]
    assert levels == ["1", "2", "3", "4", "5", "dk"]  # the scale, then "I don't know"
    dk = next(r for r in rows if r["variable"] == "readiness.gender" and r["code"] == "dk")
    assert dk["text_fr"] == academy.question("readiness").no_answer.label["fr"]


def test_shareable_export_drops_free_text_and_suppresses_small_cells(store, academy, admin):
    for n in range(6):
        answer(store, academy, n, choice="participation", word=f"secret idea {n}")
    for n in range(6, 8):
        answer(store, academy, n, choice="migrant-women", word="another secret")
    for idea in store.ideas(academy.id):
        store.set_idea_status(idea.id, "approved", actor="admin")
    data = admin_actions.export_shareable_csv(admin, store, academy, min_cell=5)
    text = data.decode("utf-8")
    assert "secret" not in text  # no free text, not even approved ideas
    rows = _csv_rows(data)
    first = {
        r["code"]: r
        for r in rows
        if r["variable"] == "first_recommendation" and r["section"] == "option"
    }
    assert first["participation"]["count"] == "6"
    # an opinion question answered by k people or more shows in full (the small-group rule
    # hides profile cells, not the 2 among 8 who chose an option)
    assert first["migrant-women"]["count"] == "2"
    assert first["migrant-women"]["suppressed"] == "no"  # a word, never Python's False
    assert first["whole-community"]["count"] == "0"
    for r in rows:  # profile breakdowns (here the language) still hide every cell below k
        if r["section"] == "language" and r["count"]:
            assert int(r["count"]) >= 5
    assert "one_word" not in {r["variable"] for r in rows}


def test_shareable_frame_matches_the_shared_summary(store, academy):
    for n in range(7):
        answer(store, academy, n)
    summary = summarise(store, academy, min_cell=5)
    frame = export.shareable_frame(summary, academy)
    total = frame[frame["section"] == "total"].iloc[0]
    assert total["count"] == summary.total == 7
