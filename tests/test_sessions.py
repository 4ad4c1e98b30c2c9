"""Live sessions: two sessions of one survey at once, their comparison, and the snapshot."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from inclucities import admin_actions, snapshot
from inclucities.auth import AdminSession, NotAuthenticated
from inclucities.export import read_parquet
from inclucities.results.comparison import compare_sessions
from inclucities.results.payload import build_payload, chart_set
from inclucities.results.summary import summarise
from inclucities.sessions import answering_session, current_session
from inclucities.store import SubmitResult

LEVELS = ("1", "2", "3", "4", "5")


def academy_answers(rng: random.Random, high: bool) -> dict:
    pick = (lambda: rng.choice(["4", "5"])) if high else (lambda: rng.choice(["1", "2", "3"]))
    return {
        "first_recommendation": rng.choice(["participation", "migrant-women"]),
        "readiness": {"gender": pick(), "city-for-all": pick(), "labour": pick(), "language": "dk"},
    }


def answer(store, session, count: int, prefix: str, high: bool, seed: int = 1) -> list:
    rng = random.Random(seed)
    return [
        store.submit(
            f"{prefix}{n}", "academy", 2, "fr", academy_answers(rng, high), session_id=session.id
        )
        for n in range(count)
    ]


def signed_in() -> AdminSession:
    admin = AdminSession()
    admin.grant()
    return admin


def test_two_sessions_at_once_keep_answers_counts_and_closing_apart(any_store):
    store = any_store
    admin = signed_in()
    morning = admin_actions.start_session(
        admin, store, "academy", "Brussels academy, morning", "Brussels"
    )
    afternoon = admin_actions.start_session(admin, store, "academy", "Jelgava", "Jelgava")
    assert morning.join_code != afternoon.join_code
    assert answer(store, morning, 6, "m", high=False) == [SubmitResult.STORED] * 6
    assert answer(store, afternoon, 4, "a", high=True) == [SubmitResult.STORED] * 4
    assert store.count("academy", morning.id) == 6
    assert store.count("academy", afternoon.id) == 4
    assert store.count("academy") == 10

    admin_actions.close_session(admin, store, morning.id)
    late = store.submit(
        "m-late", "academy", 2, "fr", academy_answers(random.Random(9), True), session_id=morning.id
    )
    assert late is SubmitResult.CLOSED
    rng = random.Random(3)
    still = store.submit(
        "a-late", "academy", 2, "ar", academy_answers(rng, True), session_id=afternoon.id
    )
    assert still is SubmitResult.STORED
    assert store.count("academy", morning.id) == 6
    assert store.count("academy", afternoon.id) == 5
    assert current_session(store.sessions("academy")).id == afternoon.id

    # the small-cell rule per session shown: 5 answers publish, fewer would not
    k = 5
    both = summarise(store, store.survey("academy"), k)
    alone = summarise(store, store.survey("academy"), k, session_id=afternoon.id)
    assert both.total == 11 and alone.total == 5 and alone.ready
    assert not alone.question("readiness", "gender").answered.suppressed

    # exports filtered by session
    csv = admin_actions.export_responses_csv(admin, store, "academy", session_id=afternoon.id)
    assert csv.decode("utf-8").count("\n") == 1 + 5
    frame = read_parquet(
        admin_actions.export_responses_parquet(admin, store, "academy", session_id=morning.id)
    )
    assert len(frame) == 6
    book = admin_actions.export_codebook_csv(admin, store.survey("academy"), live=morning)
    assert morning.join_code in book.decode("utf-8")
    shareable = admin_actions.export_shareable_csv(
        admin, store, store.survey("academy"), min_cell=k, session_id=afternoon.id
    ).decode("utf-8")
    assert shareable.splitlines()[1].startswith('"total","","","","",5,')


def test_an_answer_finds_its_session_by_its_code_only_and_only_for_its_survey(any_store):
    store = any_store
    live = store.create_session("academy", "Room 2", actor="t")
    assert answering_session(store, live.join_code.lower(), "academy") == live
    assert answering_session(store, live.join_code, "academy") == live
    assert answering_session(store, live.id, "academy") is None  # public on /results
    assert answering_session(store, live.join_code, "resident") is None
    assert answering_session(store, "NOPE", "academy") is None
    assert answering_session(store, "all", "academy") is None


def test_sessions_need_a_signed_in_admin(any_store):
    with pytest.raises(NotAuthenticated):
        admin_actions.start_session(AdminSession(), any_store, "academy", "x")


def test_comparison_shows_differences_only_where_both_sessions_publish(store):
    before = store.create_session("academy", "Before", actor="t")
    after = store.create_session("academy", "After", actor="t")
    small = store.create_session("academy", "Small", actor="t")
    answer(store, before, 6, "b", high=False)
    answer(store, after, 7, "a", high=True, seed=2)
    answer(store, small, 3, "s", high=True, seed=3)
    survey = store.survey("academy")
    comparison = compare_sessions(store, survey, before, after, min_cell=5)
    assert (comparison.a.total, comparison.b.total) == (6, 7)
    assert comparison.comparable
    gender = next(s for s in comparison.statements if s.item_id == "gender")
    assert gender.agree_a == 0.0 and gender.agree_b == 1.0
    assert gender.agree_difference == pytest.approx(1.0)
    level5 = next(level for level in gender.levels if level.level == "5")
    assert level5.a.count == 0 and level5.b.count is not None
    assert level5.difference == pytest.approx(level5.b.share)
    # the "I don't know" item has no 1-5 answers: nothing to compare, nothing shown
    language = next(s for s in comparison.statements if s.item_id == "language")
    assert language.agree_difference is None

    # a session below k shows only its count
    tiny = compare_sessions(store, survey, before, small, min_cell=5)
    assert tiny.b.total == 3 and not tiny.b.ready
    for s in tiny.statements:
        assert s.b.answered.suppressed and s.agree_b is None and s.agree_difference is None
        assert all(level.b.suppressed and level.difference is None for level in s.levels)
    assert not tiny.comparable

    with pytest.raises(ValueError):
        compare_sessions(store, store.survey("resident"), before, after)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_snapshot_png_and_pdf_open(store, lang):
    live = store.create_session("academy", "Brussels academy, 7 Dec", actor="t")
    answer(store, live, 8, "p", high=True)
    survey = store.survey("academy")
    snap = snapshot.results_snapshot(
        store, survey, lang, 5, session_id=live.id, subtitle=[live.name]
    )
    width, height = snapshot.png_size(snap.png)
    # the PNG is the chart's own size, drawn at PNG_SCALE
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(snap.spec)
    svg_width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    assert width == round(svg_width * snapshot.PNG_SCALE)
    assert width > snapshot.SNAPSHOT_WIDTH and height > 400
    assert snap.pdf.startswith(b"%PDF")
    assert snapshot.pdf_pages(snap.pdf) >= 1
    titles = [part["title"]["text"] for part in snap.spec["vconcat"]]
    assert len(titles) == 2  # the agreement grid and the recommendations
    archive = zipfile.ZipFile(io.BytesIO(snapshot.bundle(snap, "wall")))
    assert sorted(archive.namelist()) == ["wall.pdf", "wall.png"]


def test_snapshot_never_shows_more_than_the_live_screen(store):
    live = store.create_session("academy", "Few", actor="t")
    answer(store, live, 3, "f", high=True)
    survey = store.survey("academy")
    summary = summarise(store, survey, 5, session_id=live.id)
    payload = build_payload(
        survey, summary, "fr", "results", version="1", revealed=True, is_open=True
    )
    spec = snapshot.snapshot_spec(payload, chart_set(survey, "fr", "results"), "T", ["Few"])
    assert all(
        "values" not in str(part.get("data", {})) or part.get("mark") for part in spec["vconcat"]
    )
    assert "3" in spec["title"]["subtitle"]
    assert snapshot.png_size(snapshot.render_png(spec, scale=1))[0] > 0
