"""A database with answers in it, for the live screens' tests and measurements."""

from __future__ import annotations

from pathlib import Path

from inclucities.store import SurveyStore
from inclucities.survey.loader import load_survey_definitions
from scripts.support.survey_helpers import resident_answers


def seed(db_path: Path, resident: int, academy: int) -> None:
    """`resident` answers (one person strongly disagrees; 2 in Arabic), `academy` answers."""
    surveys = load_survey_definitions().surveys
    store = SurveyStore(db_path, surveys.values())
    for i in range(resident):
        lang = "ar" if i < 2 else ("nl" if i % 3 == 0 else "fr")
        welcome = "1" if i == 0 else "45"[i % 2]
        store.submit(f"r{i}", "resident", 1, lang, resident_answers(welcome=welcome))
    readiness = surveys["academy"].question("readiness")
    assert readiness is not None
    for i in range(academy):
        store.submit(
            f"a{i}",
            "academy",
            1,
            "en",
            {
                "first_recommendation": "participation",
                "readiness": {item.id: "4" for item in readiness.items},
                "one_word": "Trust",
            },
        )
    store.close()
