"""Benchmark both backends side by side, in one run:

- submissions per second with 1, 8 and 32 concurrent writers through the store, beside raw
  inserts of the same rows for that backend (one transaction per submission, no checks);
- the full results summary at 10,000, 100,000 and 1,000,000 synthetic responses;
- the live screens' change token at the largest size;
- every admin action at 100,000 responses (the admin page under Streamlit's AppTest).

PostgreSQL runs on a throwaway server started for the run (durable settings: fsync on), or on
`--database-url` (each test gets its own database there, dropped afterwards).

Run from the repository root:  python -m scripts.benchmark  [--rows 2000] [--repeats 15]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psycopg

from inclucities.results.summary import summarise
from inclucities.store import Store, SubmitResult, open_store
from inclucities.store.layout import answer_row
from inclucities.store.synthetic import insert_synthetic
from inclucities.survey.loader import load_survey_definitions
from inclucities.survey.models import AGREEMENT_LEVELS, Survey

WRITERS = (1, 8, 32)
SUMMARY_SIZES = (10_000, 100_000, 1_000_000)
ADMIN_SIZE = 100_000
BACKENDS = ("duckdb", "postgresql")


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


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


# -- where each backend's databases come from -------------------------------------------------


@dataclass
class Target:
    """Fresh databases of one backend: a DuckDB file in a temporary folder, or a new
    PostgreSQL database on the server."""

    backend: str
    folder: Path
    server_url: str | None = None  # postgresql://.../postgres

    @contextmanager
    def database(self, name: str) -> Iterator[tuple[str | None, Path]]:
        """(database URL or None, DuckDB path) of a fresh database, removed afterwards."""
        if self.backend == "duckdb":
            path = self.folder / f"{name}-{uuid.uuid4().hex[:6]}.duckdb"
            try:
                yield None, path
            finally:
                for leftover in (path, Path(f"{path}.wal")):
                    leftover.unlink(missing_ok=True)
            return
        assert self.server_url is not None
        dbname = f"bench_{name}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(self.server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        try:
            yield self.server_url.rsplit("/", 1)[0] + f"/{dbname}", self.folder / "unused"
        finally:
            with psycopg.connect(self.server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def open_for(url: str | None, path: Path, survey: Survey, writers: int = 10) -> Store:
    if url is None:
        return open_store(None, path, [survey])
    from inclucities.store.postgres_store import PostgresStore

    return PostgresStore(url, [survey], max_size=max(writers, 4))


# -- writes ---------------------------------------------------------------------------------


def bench_store(target: Target, survey: Survey, rows: list, writers: int) -> float:
    with target.database(f"store{writers}") as (url, path):
        store = open_for(url, path, survey, writers)
        failures: list[str] = []

        def work(chunk: list) -> None:
            for sid, lang, answers in chunk:
                result = store.submit(sid, survey.id, survey.version, lang, answers)
                if result is not SubmitResult.STORED:
                    failures.append(sid)

        elapsed = run_threads(writers, rows, work)
        assert not failures and store.count(survey.id) == len(rows)
        store.close()
    return len(rows) / elapsed


def _raw_rows(survey: Survey, rows: list) -> list[tuple[str, str, list[object], list]]:
    prepared = []
    for sid, lang, answers in rows:
        values, ideas = answer_row(survey, answers)
        prepared.append((sid, lang, values, ideas))
    return prepared


def bench_raw(target: Target, survey: Survey, rows: list, writers: int) -> float:
    """The same rows through the driver: one transaction per submission (its answer row and
    idea rows), with no validation, duplicate or closed-survey handling."""
    prepared = _raw_rows(survey, rows)
    columns = [c for q in survey.questions for c, _ in q.columns]
    quoted = [f'"{c}"' for c in columns]
    names = ", ".join(["submission_id", "survey_version", "lang", "created_at", *quoted])
    marks = ", ".join("?" for _ in range(len(columns) + 4))
    table = survey.table_name
    answer_sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
    idea_sql = (
        "INSERT INTO ideas (submission_id, survey_id, question_id, text, lang, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)"
    )
    with target.database(f"raw{writers}") as (url, path):
        open_for(url, path, survey).close()  # the same schema and types
        now = __import__("datetime").datetime.now()
        if url is None:
            conn = duckdb.connect(str(path))

            def work(chunk: list) -> None:
                cur = conn.cursor()
                for sid, lang, values, ideas in chunk:
                    cur.execute("BEGIN TRANSACTION")
                    cur.execute(answer_sql, [sid, survey.version, lang, now, *values])
                    for question_id, text in ideas:
                        cur.execute(idea_sql, [sid, survey.id, question_id, text, lang, now])
                    cur.execute("COMMIT")
                cur.close()

            elapsed = run_threads(writers, prepared, work)
            conn.close()
        else:
            pg_answer = answer_sql.replace("?", "%s")
            pg_idea = idea_sql.replace("?", "%s")

            def work(chunk: list) -> None:
                with psycopg.connect(url, autocommit=True) as conn:
                    for sid, lang, values, ideas in chunk:
                        with conn.transaction():
                            conn.execute(pg_answer, [sid, survey.version, lang, now, *values])
                            for question_id, text in ideas:
                                conn.execute(
                                    pg_idea, [sid, survey.id, question_id, text, lang, now]
                                )

            elapsed = run_threads(writers, prepared, work)
    return len(rows) / elapsed


# -- summaries --------------------------------------------------------------------------------


@dataclass
class SummaryFigures:
    load_s: float
    median_ms: float
    p95_ms: float
    token_ms: float


def bench_summary(target: Target, survey: Survey, size: int, repeats: int) -> SummaryFigures:
    with target.database(f"sum{size}") as (url, path):
        store = open_for(url, path, survey)
        started = time.perf_counter()
        insert_synthetic(store, survey, size, idea_every=10)
        load = time.perf_counter() - started
        summarise(store, survey)  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            summary = summarise(store, survey)
            times.append((time.perf_counter() - start) * 1000)
        assert summary.total == size
        tokens = []
        for _ in range(repeats * 4):
            start = time.perf_counter()
            store.data_version(survey.id)
            tokens.append((time.perf_counter() - start) * 1000)
        store.close()
    median, p95 = percentiles(times)
    return SummaryFigures(load, median, p95, statistics.median(tokens))


# -- the admin page ----------------------------------------------------------------------------


def bench_admin(target: Target, survey_id: str, size: int, repeats: int) -> dict[str, float]:
    """Median milliseconds of each admin action on `size` responses (AppTest, in process)."""
    from scripts import admin_timing

    surveys = load_survey_definitions().surveys
    with target.database(f"admin{size}") as (url, path):
        store = open_for(url, path, surveys[survey_id])
        insert_synthetic(store, surveys[survey_id], size, idea_every=10)
        store.close()
        return admin_timing.time_actions(url, path, survey_id, repeats)


# -- the run ----------------------------------------------------------------------------------


def start_postgres_for_benchmark() -> tuple[str, Any]:
    from scripts.support.pg_server import start_postgres

    server = start_postgres(settings={"shared_buffers": "256MB", "work_mem": "32MB"})
    return server.url("postgres"), server


def row(cells: list[str], widths: list[int]) -> str:
    return " ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=2000, help="submissions per write test")
    parser.add_argument("--repeats", type=int, default=15, help="summary runs per size")
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in SUMMARY_SIZES),
        help="summary sizes, comma-separated",
    )
    parser.add_argument("--admin-size", type=int, default=ADMIN_SIZE)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--database-url", help="an existing PostgreSQL server (any database)")
    parser.add_argument("--skip", default="", help="sections to skip: writes,summary,admin")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    skip = set(args.skip.split(","))
    sizes = [int(s) for s in args.sizes.split(",") if s]
    survey = load_survey_definitions().surveys["resident"]

    server = None
    with tempfile.TemporaryDirectory() as tmp:
        targets: dict[str, Target] = {}
        for backend in backends:
            if backend == "duckdb":
                targets[backend] = Target("duckdb", Path(tmp))
            elif args.database_url:
                targets[backend] = Target("postgresql", Path(tmp), args.database_url)
            else:
                url, server = start_postgres_for_benchmark()
                targets[backend] = Target("postgresql", Path(tmp), url)
        try:
            pg_version = ""
            if "postgresql" in targets:
                with psycopg.connect(targets["postgresql"].server_url or "") as conn:
                    found = conn.execute("SHOW server_version").fetchone()
                    pg_version = f", PostgreSQL {found[0] if found else '?'}"
            print(
                f"IncluCities Live benchmark - duckdb {duckdb.__version__}{pg_version}, "
                f"psycopg {psycopg.__version__}, Python {platform.python_version()}, "
                f"{platform.machine()}, {os.cpu_count()} CPUs, load average "
                f"{os.getloadavg()[0]:.1f}"
            )
            if "writes" not in skip:
                _writes(targets, survey, args.rows)
            if "summary" not in skip:
                _summaries(targets, survey, sizes, args.repeats)
            if "admin" not in skip:
                _admin(targets, args.admin_size, max(3, args.repeats // 3))
        finally:
            if server is not None:
                server.stop()


def _writes(targets: dict[str, Target], survey: Survey, count: int) -> None:
    rng = random.Random(3)
    langs = ["fr", "en", "nl", "es", "it", "el", "lv", "ar", "uk"]
    print()
    print(f"Writes ({count} submissions each, one commit per submission)")
    header = ["writers"]
    for backend in targets:
        header += [f"{backend} store/s", "raw/s", "store/raw"]
    widths = [8] + [max(len(h), 10) for h in header[1:]]
    print(row(header, widths))
    for writers in WRITERS:
        rows = [
            (f"w{writers}-{n}", rng.choice(langs), random_answers(survey, rng))
            for n in range(count)
        ]
        cells = [str(writers)]
        for target in targets.values():
            store_rate = bench_store(target, survey, rows, writers)
            raw_rate = bench_raw(target, survey, rows, writers)
            cells += [f"{store_rate:.0f}", f"{raw_rate:.0f}", f"{store_rate / raw_rate:.2f}"]
        print(row(cells, widths), flush=True)


def _summaries(targets: dict[str, Target], survey: Survey, sizes: list[int], repeats: int) -> None:
    print()
    print(
        f"Full results summary (summarise(), {repeats} runs after one warm-up; load = bulk "
        "insert of the synthetic rows, counts included)"
    )
    header = ["responses"]
    for backend in targets:
        header += [f"{backend} load s", "median ms", "p95 ms", "token ms"]
    widths = [10] + [max(len(h), 9) for h in header[1:]]
    print(row(header, widths))
    for size in sizes:
        cells = [f"{size:,}"]
        for target in targets.values():
            f = bench_summary(target, survey, size, repeats)
            cells += [
                f"{f.load_s:.1f}",
                f"{f.median_ms:.1f}",
                f"{f.p95_ms:.1f}",
                f"{f.token_ms:.2f}",
            ]
        print(row(cells, widths), flush=True)


def _admin(targets: dict[str, Target], size: int, repeats: int) -> None:
    print()
    print(f"Admin page at {size:,} responses (median ms of {repeats} runs per action, AppTest)")
    results = {b: bench_admin(t, "resident", size, repeats) for b, t in targets.items()}
    actions = list(next(iter(results.values())))
    widths = [max(len(a) for a in actions)] + [max(len(b), 10) for b in targets]
    print(row(["action", *(f"{b} ms" for b in targets)], widths))
    for action in actions:
        print(row([action, *(f"{results[b][action]:.0f}" for b in targets)], widths))


if __name__ == "__main__":
    main()
