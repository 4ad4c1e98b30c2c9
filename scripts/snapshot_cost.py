"""CPU seconds of the presenter's snapshot: one build (summary, PNG, PDF), and four clients
asking at once for the same data version (one build, shared).

    python -m scripts.snapshot_cost [--answers 40] [--lang fr]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from inclucities import snapshot
from inclucities.store import LiveSession, SurveyStore
from inclucities.survey.loader import load_survey_definitions

WORDS = ("confiance", "respect", "ouverture", "تضامن", "довіра", "solidarité")


def filled(folder: Path, answers: int) -> tuple[SurveyStore, LiveSession]:
    """An academy session with `answers` answers, every one-word answer approved."""
    store = SurveyStore(folder / "cost.duckdb", load_survey_definitions().surveys.values())
    live = store.create_session("academy", "Académie de Malines", actor="cost", place="Mechelen")
    rng = random.Random(1)
    for n in range(answers):
        readiness = {item: rng.choice("12345") for item in ("gender", "city-for-all", "labour")}
        answer = {
            "first_recommendation": rng.choice(["participation", "migrant-women"]),
            "readiness": {**readiness, "language": "dk"},
            "one_word": rng.choice(WORDS),
        }
        store.submit(f"cost{n}", "academy", 2, "fr", answer, session_id=live.id)
    for idea in store.ideas("academy"):
        store.set_idea_status(idea.id, "approved", actor="cost")
    return store, live


def cpu(action: Callable[[], object]) -> float:
    """Process CPU seconds of one call (every thread of the process counted)."""
    start = time.process_time()
    action()
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=40)
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store, live = filled(Path(folder), args.answers)
        survey = store.survey("academy")
        now = datetime.now()

        def build() -> None:
            snapshot.build_snapshot(store, survey, args.lang, 5, live, now)

        print(f"first build (renderers start): {cpu(build):.3f} s CPU")
        print(f"one build: {min(cpu(build) for _ in range(3)):.3f} s CPU (best of 3)")
        cache = snapshot.SnapshotCache()

        def four_at_once() -> None:
            def ask() -> None:
                snapshot.snapshot_bundle(
                    store, survey, args.lang, live, now, min_cell=5, cache=cache
                )

            threads = [threading.Thread(target=ask) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        print(f"four clients, one version: {cpu(four_at_once):.3f} s CPU, {cache.builds} build")
        print(f"the same again (cached): {cpu(four_at_once):.3f} s CPU, {cache.builds} build")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
