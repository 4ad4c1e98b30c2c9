"""What a respondent answers (a plan drawn from surveys/definitions/resident.yaml), and how a
widget found on the page is matched to a question: by its key and element type only, so the
same driver works on the form whatever its layout (one page or steps, fragments, multiselects or
checkboxes, explicit ranking)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = ROOT / "surveys" / "definitions" / "resident.yaml"
LANGS = ("en", "fr", "nl", "es", "it", "el", "lv", "ar", "uk")
AGREEMENT_LEVELS = 5
SEND_KEY = re.compile(r"(submit|send)", re.I)
NEXT_KEY = re.compile(r"(next|continue|forward)", re.I)
CONSENT_KEY = re.compile(r"consent", re.I)
# a survey step drawn but not shown (the old Streamlit form hid such containers by CSS)
HIDDEN_KEY = re.compile(r"^survey_.*__hidden")
RANK_SUFFIX = re.compile(r"(?:rank|choice|pick|position)?_*(\d)$", re.I)


@dataclass(frozen=True)
class Question:
    """The parts of a question definition the driver needs."""

    id: str
    type: str
    options: tuple[str, ...]  # option ids
    labels: dict[str, dict[str, str]]  # option id -> language -> label
    items: tuple[str, ...]
    max_selections: int | None
    max_length: int | None
    show_if: tuple[str, tuple[str, ...]] | None


def load_questions(path: Path = DEFINITION) -> list[Question]:
    """The questions of the survey definition, in order."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = []
    for q in raw["questions"]:
        options = q.get("options") or []
        labels = {
            o["id"]: (
                o["label"] if isinstance(o["label"], dict) else dict.fromkeys(LANGS, o["label"])
            )
            for o in options
        }
        cond = q.get("show_if")
        questions.append(
            Question(
                id=q["id"],
                type=q["type"],
                options=tuple(o["id"] for o in options),
                labels=labels,
                items=tuple(i["id"] for i in q.get("items") or []),
                max_selections=q.get("max_selections"),
                max_length=q.get("max_length"),
                show_if=(cond["question"], tuple(cond["equals"])) if cond else None,
            )
        )
    return questions


def survey_titles(path: Path = DEFINITION) -> set[str]:
    """The survey's title in every language (how a survey picker names it)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    title = raw.get("title") or {}
    return set(title.values()) if isinstance(title, dict) else {str(title)}


@dataclass
class Plan:
    """One respondent's answers: option ids (or levels 0-4, or text) per question id."""

    lang: str
    token: str
    answers: dict[str, Any] = field(default_factory=dict)

    def label(self, question: Question, option_id: str) -> str:
        """The text of an option in this respondent's language."""
        texts = question.labels.get(option_id, {})
        return texts.get(self.lang) or texts.get("en") or option_id


def make_plan(
    questions: list[Question], lang: str, token: str, rng: random.Random, full: bool = False
) -> Plan:
    """Random but valid answers to every question; `full` takes every conditional branch."""
    plan = Plan(lang, token)
    targets = {q.show_if[0]: q.show_if[1] for q in questions if q.show_if}
    for q in questions:
        if q.type == "agreement":
            if q.items:
                plan.answers[q.id] = {item: rng.randrange(AGREEMENT_LEVELS) for item in q.items}
            else:
                plan.answers[q.id] = rng.randrange(AGREEMENT_LEVELS)
        elif q.type in ("single", "city"):
            wanted = targets.get(q.id)
            if wanted and (full or rng.random() < 0.5):
                plan.answers[q.id] = wanted[0]  # opens the conditional question
            else:
                plan.answers[q.id] = rng.choice(q.options)
        elif q.type in ("multi", "priorities"):
            limit = q.max_selections or 1
            count = limit if (full or q.type == "priorities") else rng.randint(1, limit)
            plan.answers[q.id] = rng.sample(list(q.options), count)
        elif q.type == "text":
            plan.answers[q.id] = f"{token} more evening language courses"[: q.max_length or 500]
    return plan


def _boundary(needle: str, haystack: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", haystack) is not None


@dataclass(frozen=True)
class Match:
    """Which question (and item, option or rank) a widget key stands for."""

    question: Question
    rest: str  # what follows the question id in the key
    item: str | None
    option: str | None
    rank: int | None


def match_key(key: str, questions: list[Question]) -> Match | None:
    """The question a widget key belongs to (`survey_resident_q_access__housing`: access,
    item housing); the longest question id that appears as a whole word wins."""
    lowered = key.lower()
    found = [q for q in questions if _boundary(q.id, lowered)]
    if not found:
        return None
    question = max(found, key=lambda q: len(q.id))
    rest = lowered.split(question.id, 1)[1]
    item = next((i for i in question.items if _boundary(i, rest)), None)
    option = next(
        (o for o in sorted(question.options, key=len, reverse=True) if _boundary(o, rest)), None
    )
    rank_match = RANK_SUFFIX.search(rest) if rest else None
    rank = int(rank_match.group(1)) if rank_match and item is None and option is None else None
    return Match(question, rest, item, option, rank)


def button_role(key: str, label: str, send_labels: set[str], next_labels: set[str]) -> str:
    """'send', 'next' or '' for a button, from its key (else its label in the catalogs)."""
    if SEND_KEY.search(key) or label in send_labels:
        return "send"
    if NEXT_KEY.search(key) or label in next_labels:
        return "next"
    return ""
