"""Benchmark: store writes vs raw DuckDB inserts at 1, 8, 32 writers; summary time up to 1M rows.

Run from the repository root:  python scripts/benchmark.py  [--rows 2000] [--repeats 15]
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from inclucities.store import SubmitResult, SurveyStore  # noqa: E402
from inclucities.survey.loader import load_survey_definitions  # noqa: E402
from inclucities.survey.models import AGREEMENT_LEVELS, Survey  # noqa: E402
from inclucities.survey.summary import summarise  # noqa: E402
from inclucities.survey.synthetic import insert_synthetic  # noqa: E402

WRITERS = (1, 8, 32)
SUMMARY_SIZES = (10_000, 100_000, 1_000_000)


def random_answers(survey: Survey, rng: random.Random) -> dict[str, object]:
    """A valid answer to every question (optional ones answered too, to write full rows)."""
    answers: dict[str, object] = {}
    for q in survey.questions:
        if q.show_if is not None:
            continue
        if q.type == "agreement":
            if q.items:
                answers[q.id] = {i.id: rng.choice(AGREEMENT_LEVELS) for i in q.items}
            else:
                answers[q.id] = rng.choice(AGREEMENT_LEVELS)
        elif q.type in {"single", "city"}:
            answers[q.id] = rng.choice(q.option_ids)
        elif q.type in {"multi", "priorities"}:
            answers[q.id] = rng.sample(q.option_ids, rng.randint(1, q.max_selections or 1))
        elif q.type == "text":
            answers[q.id] = "Une idée pour une ville plus inclusive"[: q.max_length]
    return answers


def run_threads(count: int, jobs: list, work: Callable[[list], None]) -> float:
    """Split `jobs` over `count` threads; returns elapsed seconds."""
    chunks = [jobs[i::count] for i in range(count)]
    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def bench_store(path: Path, survey: Survey, rows: list, writers: int) -> float:
    store = SurveyStore(path, [survey])
    failures: list[str] = []

    def work(chunk: list) -> None:
        for sid, lang, answers in chunk:
            if (
                store.submit(sid, survey.id, survey.version, lang, answers)
                is not SubmitResult.STORED
            ):
                failures.append(sid)

    elapsed = run_threads(writers, rows, work)
    assert not failures and store.count(survey.id) == len(rows)
    store.close()
    return len(rows) / elapsed


def bench_raw(path: Path, survey: Survey, rows: list, writers: int) -> float:
    """The same rows through plain DuckDB: one transaction per submission (submission, answers
    and idea rows), with no validation, duplicate or closed-survey handling."""
    setup = SurveyStore(path, [survey])  # same schema and ENUM types
    insert_sql = setup._insert_sql[survey.id]
    setup.close()
    conn = duckdb.connect(str(path))
    prepared = []
    for sid, lang, answers in rows:
        row: list[object] = [sid, lang]
        for q in survey.questions:
            value = answers.get(q.id)
            if q.type == "text":
                continue
            if q.items:
                row.extend((value or {}).get(item) for _, item in q.columns)
            elif q.type in {"multi", "priorities"}:
                picked = list(value or [])
                row.extend((picked + [None] * len(q.columns))[: len(q.columns)])
            else:
                row.append(value)
        prepared.append((sid, lang, row))

    texts = [(q.id, rows[0][2][q.id]) for q in survey.questions if q.type == "text"]

    def work(chunk: list) -> None:
        cur = conn.cursor()
        for sid, lang, row in chunk:
            cur.execute("BEGIN TRANSACTION")
            cur.execute(
                "INSERT INTO submissions VALUES (?, ?, 1, ?, now()::TIMESTAMP, NULL)",
                [sid, survey.id, lang],
            )
            cur.execute(insert_sql, row)
            for question_id, text in texts:
                cur.execute(
                    "INSERT INTO ideas (submission_id, survey_id, question_id, text, lang, "
                    "created_at) VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)",
                    [sid, survey.id, question_id, text, lang],
                )
            cur.execute("COMMIT")
        cur.close()

    elapsed = run_threads(writers, prepared, work)
    conn.close()
    return len(rows) / elapsed


def bench_summary(path: Path, survey: Survey, size: int, repeats: int) -> tuple[float, float]:
    store = SurveyStore(path, [survey])
    insert_synthetic(store, survey, size)
    summarise(store, survey)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        summary = summarise(store, survey)
        times.append((time.perf_counter() - start) * 1000)
    assert summary.total == size
    store.close()
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2000, help="submissions per write test")
    parser.add_argument("--repeats", type=int, default=15, help="summary runs per size")
    args = parser.parse_args()
    survey = load_survey_definitions().surveys["resident"]
    rng = random.Random(3)
    langs = ["fr", "en", "nl", "es", "it", "el", "lv", "ar", "uk"]
    print(
        f"IncluCities Live benchmark - duckdb {duckdb.__version__}, Python "
        f"{platform.python_version()}, {platform.machine()}, "
        f"{__import__('os').cpu_count()} CPUs"
    )
    print()
    print(f"Writes ({args.rows} submissions each, one commit per submission, file on disk)")
    print(f"{'writers':>8} {'store /s':>10} {'raw /s':>10} {'store/raw':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for writers in WRITERS:
            rows = [
                (f"w{writers}-{n}", rng.choice(langs), random_answers(survey, rng))
                for n in range(args.rows)
            ]
            store_rate = bench_store(Path(tmp) / f"store{writers}.duckdb", survey, rows, writers)
            raw_rate = bench_raw(Path(tmp) / f"raw{writers}.duckdb", survey, rows, writers)
            print(
                f"{writers:>8} {store_rate:>10.0f} {raw_rate:>10.0f} {store_rate / raw_rate:>10.2f}"
            )
        print()
        print(f"Full results summary (summarise(), {args.repeats} runs after one warm-up)")
        print(f"{'responses':>10} {'median ms':>10} {'p95 ms':>10}")
        for size in SUMMARY_SIZES:
            median, p95 = bench_summary(Path(tmp) / f"sum{size}.duckdb", survey, size, args.repeats)
            print(f"{size:>10,} {median:>10.1f} {p95:>10.1f}")


if __name__ == "__main__":
    main()
