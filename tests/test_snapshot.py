"""Issues 22 and 23, the snapshot: an A4 landscape PDF with real text in every language, labelled
dates, the top ideas and the word cloud on a second page; one build per data version, one build
at a time."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from inclucities import snapshot
from inclucities.i18n import LANGUAGES, translator

NOW = datetime(2026, 12, 7, 14, 5)
BIDI_MARKS = re.compile("[\u202a-\u202e\u200e\u200f]")  # pdftotext marks right-to-left runs


def _need_poppler() -> None:
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        return
    message = "pdftotext is not installed (apt-get install poppler-utils); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _raw_text(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    """What `pdftotext` reads from the PDF (one page or all)."""
    path = tmp_path / "snapshot.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def _pdf_text(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    """The text with the direction marks pdftotext puts around right-to-left runs left out,
    and every run of white space as one space."""
    return " ".join(BIDI_MARKS.sub("", _raw_text(pdf, tmp_path, page)).split())


def _pdf_info(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout


def _room(store, name: str, lang: str = "fr"):
    """A session of the academy with 8 answers, three approved one-word answers."""
    live = store.create_session("academy", name, actor="t", place="Mechelen", day=date(2026, 12, 7))
    words = ["confiance", "respect", "confiance", "ouverture"]
    for n in range(8):
        answers = {
            "first_recommendation": "participation" if n % 3 else "migrant-women",
            "readiness": {"gender": "4", "city-for-all": "5", "labour": "2", "language": "3"},
            "one_word": words[n % len(words)],
        }
        store.submit(f"{name}{n}", "academy", 2, lang, answers, session_id=live.id)
    for idea in store.ideas("academy", session_id=live.id)[:3]:
        store.set_idea_status(idea.id, "approved", actor="t")
    return live


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("fr", "Académie de Malines"),
        ("ar", "Académie de Malines"),
        ("ar", "أكاديمية مدينة مالين"),
    ],
)
def test_the_pdf_is_a4_landscape_and_its_text_is_searchable(store, tmp_path, lang, name):
    _need_poppler()
    live = _room(store, name)
    snap = snapshot.build_snapshot(store, store.survey("academy"), lang, 5, live, NOW)
    info = _pdf_info(snap.pdf, tmp_path)
    assert "Page size:       841.89 x 595.28 pts (A4)" in info
    assert re.search(r"Pages:\s+2\b", info)
    text = _pdf_text(snap.pdf, tmp_path)
    assert name in text  # plain spaces: no bidi isolate between the words
    assert not re.search("[\u2066-\u2069]", _raw_text(snap.pdf, tmp_path))
    first = _pdf_text(snap.pdf, tmp_path, page=1)
    assert "Mechelen" in first
    if lang == "fr":
        assert "Date de la session : 7 décembre 2026" in first
        assert "Instantané pris le 7 décembre 2026 à 14:05" in first
        assert "Réponses reçues : 8" in first
        assert "l'insertion sur le marché du travail" in first  # a chart's label is text too


def test_the_second_page_holds_the_top_ideas_and_the_word_cloud(store, tmp_path):
    _need_poppler()
    live = _room(store, "Jelgava")
    snap = snapshot.build_snapshot(store, store.survey("academy"), "en", 5, live, NOW)
    second = _pdf_text(snap.pdf, tmp_path, page=2)
    first = _pdf_text(snap.pdf, tmp_path, page=1)
    assert "Session: Jelgava · Mechelen" in first
    assert "Session date: December 7, 2026" in first
    assert "Snapshot taken: December 7, 2026, 2:05 PM" in first
    assert "confiance" in second and "respect" in second
    assert "One word for inclusion" in second  # the cloud's title
    assert "support" in second  # each idea with its supports
    assert "confiance" not in first


def test_an_empty_room_says_so_on_both_pages(store, tmp_path):
    _need_poppler()
    live = store.create_session("academy", "Empty room", actor="t")
    snap = snapshot.build_snapshot(store, store.survey("academy"), "en", 5, live, NOW)
    first = _pdf_text(snap.pdf, tmp_path, page=1)
    assert "Empty room" in first and "Answers received: 0" in first
    second = _pdf_text(snap.pdf, tmp_path, page=2)
    t = translator("en")
    assert " ".join(t("results.wall_empty").split()) in second
    assert " ".join(t("results.cloud.empty").split()) in second


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_language_builds_a_two_page_pdf_with_its_title(store, tmp_path, lang):
    _need_poppler()
    live = _room(store, "Room")
    survey = store.survey("academy")
    snap = snapshot.build_snapshot(store, survey, lang, 5, live, NOW)
    text = _pdf_text(snap.pdf, tmp_path)
    assert "Room · Mechelen" in text
    if lang != "ar":  # pdftotext reorders a line that mixes directions
        answers = translator(lang)("presenter.snapshot.answers", number="8")
        assert " ".join(answers.split()) in text
        assert " ".join(translator(lang)("results.top_ideas").split()) in text
    assert snapshot.pdf_pages(snap.pdf) == 2


def test_the_bundle_holds_the_png_and_the_pdf(store):
    live = _room(store, "Bundle")
    data = snapshot.snapshot_bundle(
        store, store.survey("academy"), "fr", live, NOW, min_cell=5, cache=snapshot.SnapshotCache()
    )
    stem = snapshot.snapshot_stem(store.survey("academy"), live)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == [f"{stem}.pdf", f"{stem}.png"]
    assert archive.read(f"{stem}.pdf").startswith(b"%PDF")
    assert snapshot.png_size(archive.read(f"{stem}.png"))[0] > snapshot.SNAPSHOT_WIDTH


def _slow_build(calls: list[str], started: threading.Event, release: threading.Event):
    def build(name: str) -> bytes:
        calls.append(name)
        started.set()
        assert release.wait(5)
        return name.encode()

    return build


def test_two_requests_for_the_same_version_share_one_build():
    cache = snapshot.SnapshotCache()
    key = snapshot.SnapshotKey("academy", "s1", "fr", 5, "12.3.0")
    calls: list[str] = []
    started, release = threading.Event(), threading.Event()
    build = _slow_build(calls, started, release)
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get(key, lambda: build("one"))))
        for _ in range(2)
    ]
    threads[0].start()
    assert started.wait(5)
    threads[1].start()  # arrives while the first build is under way
    time.sleep(0.05)
    release.set()
    for thread in threads:
        thread.join(5)
    assert calls == ["one"] and cache.builds == 1
    assert results == [b"one", b"one"]


def test_different_versions_build_one_at_a_time():
    cache = snapshot.SnapshotCache()
    active, most = [0], [0]
    guard = threading.Lock()

    def build(name: str) -> bytes:
        with guard:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.05)
        with guard:
            active[0] -= 1
        return name.encode()

    keys = [snapshot.SnapshotKey("academy", None, "fr", 5, str(v)) for v in range(3)]
    threads = [
        threading.Thread(target=cache.get, args=(key, lambda key=key: build(key.version)))
        for key in keys
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert cache.builds == 3 and most[0] == 1


def test_a_request_that_waits_too_long_is_refused():
    cache = snapshot.SnapshotCache()
    started, release = threading.Event(), threading.Event()
    build = _slow_build([], started, release)
    key = snapshot.SnapshotKey("academy", None, "fr", 5, "1")
    first = threading.Thread(target=cache.get, args=(key, lambda: build("slow")))
    first.start()
    assert started.wait(5)
    other = snapshot.SnapshotKey("academy", None, "en", 5, "1")
    with pytest.raises(snapshot.SnapshotBusy):
        cache.get(other, lambda: b"", wait=0.05)
    release.set()
    first.join(5)


def test_a_new_answer_makes_a_new_snapshot_and_the_same_data_does_not(store, monkeypatch):
    live = _room(store, "Versions")
    survey = store.survey("academy")
    cache = snapshot.SnapshotCache()
    built: list[str] = []
    real = snapshot.build_snapshot

    def counting(*args, **kwargs):
        built.append("build")
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshot, "build_snapshot", counting)
    before = snapshot.snapshot_key(store, survey, "fr", live, 5)
    first = snapshot.snapshot_bundle(store, survey, "fr", live, NOW, min_cell=5, cache=cache)
    again = snapshot.snapshot_bundle(store, survey, "fr", live, NOW, min_cell=5, cache=cache)
    assert again is first and built == ["build"]
    store.submit(
        "late", "academy", 2, "fr", {"first_recommendation": "participation"}, session_id=live.id
    )
    after = snapshot.snapshot_key(store, survey, "fr", live, 5)
    assert after != before and after.version != before.version
    snapshot.snapshot_bundle(store, survey, "fr", live, NOW, min_cell=5, cache=cache)
    assert built == ["build", "build"] and cache.builds == 2
    # another language or session is another snapshot
    assert snapshot.snapshot_key(store, survey, "ar", live, 5) != after
    assert snapshot.snapshot_key(store, survey, "fr", None, 5) != after
