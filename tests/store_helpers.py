"""Test data for the store: many different valid resident answers, the same for every backend."""

from __future__ import annotations

import random

from scripts.support.survey_helpers import ACCESS_ITEMS, RESIDENT

LEVELS = ("1", "2", "3", "4", "5")


def varied_answers(rng: random.Random, idea: str | None = None) -> dict:
    """A valid resident answer set with every kind of question answered differently."""

    def option(question_id: str) -> str:
        return rng.choice(RESIDENT.question(question_id).option_ids)

    answers: dict = {
        "welcome": rng.choice(LEVELS),
        "belonging": rng.choice(LEVELS),
        "information": rng.choice(LEVELS),
        "access": {item: rng.choice(LEVELS) for item in ACCESS_ITEMS},
        "voice": rng.choice(LEVELS),
        "contact": option("contact"),
        "recommendations": rng.sample(
            RESIDENT.question("recommendations").option_ids, rng.randint(1, 3)
        ),
    }
    info_sources = RESIDENT.question("info_sources")
    if answers["information"] in info_sources.show_if.equals and rng.random() < 0.8:
        ordinary = [o for o in info_sources.option_ids if o not in info_sources.exclusive_ids]
        answers["info_sources"] = (
            sorted(info_sources.exclusive_ids)[:1]  # "nowhere", alone
            if rng.random() < 0.1
            else rng.sample(ordinary, rng.randint(1, 3))
        )
    if rng.random() < 0.8:
        answers["relationship"] = option("relationship")
        if answers["relationship"] == "newcomer" and rng.random() < 0.8:
            answers["arrival_support"] = option("arrival_support")
    for question_id in ("city", "age_group", "gender"):
        if rng.random() < 0.8:
            answers[question_id] = option(question_id)
    if idea is not None:
        answers["idea"] = idea
    return answers


def fill(
    store, count: int, seed: int = 7, prefix: str = "v", session_id: str | None = None
) -> list[str]:
    """Submit `count` varied answers (a third with an idea); returns the submission ids."""
    rng = random.Random(seed)
    ids = []
    for n in range(count):
        sid = f"{prefix}{n}"
        idea = f"idea {prefix}{n}" if n % 3 == 0 else None
        lang = rng.choice(["fr", "en", "ar", "uk", "nl"])
        store.submit(sid, "resident", 1, lang, varied_answers(rng, idea), session_id=session_id)
        ids.append(sid)
    return ids
