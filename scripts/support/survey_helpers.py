"""Shared test data for the survey: the shipped definitions and a valid resident answer set."""

from __future__ import annotations

from inclucities.survey.loader import load_survey_definitions

SURVEYS = load_survey_definitions().surveys
RESIDENT = SURVEYS["resident"]
ACADEMY = SURVEYS["academy"]
ACCESS_ITEMS = ("education", "housing", "work", "language-courses", "health")


def resident_answers(**changes: object) -> dict:
    """Every required resident question answered validly, with `changes` on top."""
    base = {
        "welcome": "4",
        "belonging": "5",
        "information": "2",
        "access": dict.fromkeys(ACCESS_ITEMS, "3"),
        "voice": "1",
        "contact": "often",
        "recommendations": ["migrant-women", "participation"],
    }
    return base | changes
