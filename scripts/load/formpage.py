"""What a phone reads in the light form's page: the script's settings, the two files the page
links, and the questions (their kind, choices, limits and conditions), from which it draws
valid answers as a person would, the way the page's script builds the JSON it sends."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

OFF_SCALE_SHARE = 0.1  # agreement answers given as "I don't know" / "does not apply"
SKIP_SHARE = 0.1  # optional questions a respondent leaves blank
EXCLUSIVE_SHARE = 0.1  # multi questions answered with their exclusive option alone
IDEA = "{token} more evening language courses"


@dataclass
class FormQuestion:
    """One question as the page draws it (`data-q`, `data-kind` and its inputs)."""

    id: str
    kind: str  # single, city, multi, priorities, agreement, grid, text
    required: bool = False
    max: int | None = None
    max_length: int | None = None
    show_if: dict[str, Any] | None = None
    choices: list[str] = field(default_factory=list)  # values, or a ranking's option ids
    exclusive: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # a grid's statements


@dataclass
class FormPage:
    """The script's settings (`.icf-config`), the page's files and its questions."""

    config: dict[str, Any]
    files: list[str]  # as written in the page (relative to it)
    questions: list[FormQuestion]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.config_text: list[str] = []
        self.in_config = False
        self.files: list[str] = []
        self.questions: dict[str, FormQuestion] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "script" and "icf-config" in classes:
            self.in_config = True
        elif tag == "script" and a.get("type") == "module" and a.get("src"):
            self.files.append(a["src"])
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.files.append(a["href"])
        elif "icf-q" in classes and a.get("data-q"):
            self._question(a)
        elif tag in ("input", "select", "textarea") and a.get("name"):
            self._field(tag, a)

    def _question(self, a: dict[str, str]) -> None:
        qid = a["data-q"]
        self.questions[qid] = FormQuestion(
            id=qid,
            kind=a.get("data-kind", ""),
            required="data-required" in a,
            max=int(a["data-max"]) if a.get("data-max") else None,
            max_length=int(a["data-max-length"]) if a.get("data-max-length") else None,
            show_if=json.loads(a["data-show-if"]) if a.get("data-show-if") else None,
        )

    def _field(self, tag: str, a: dict[str, str]) -> None:
        qid, _, rest = a["name"].partition(".")
        question = self.questions.get(qid)
        if question is None:
            return
        if tag == "select" and a.get("data-option"):
            question.choices.append(a["data-option"])
        elif tag == "input" and a.get("type") in ("radio", "checkbox"):
            if rest and rest not in question.lines:
                question.lines.append(rest)
            value = a.get("value", "")
            if value not in question.choices:
                question.choices.append(value)
            if "data-exclusive" in a and value not in question.exclusive:
                question.exclusive.append(value)
        elif tag in ("input", "textarea") and a.get("maxlength") and question.max_length is None:
            question.max_length = int(a["maxlength"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_config = False

    def handle_data(self, data: str) -> None:
        if self.in_config:
            self.config_text.append(data)


_pages: dict[str, FormPage] = {}


def read_form(html: str) -> FormPage:
    """The page's settings, files and questions (read once per distinct page)."""
    digest = hashlib.sha1(html.encode("utf-8")).hexdigest()
    found = _pages.get(digest)
    if found is None:
        reader = _Reader()
        reader.feed(html)
        config = json.loads("".join(reader.config_text)) if reader.config_text else {}
        found = _pages[digest] = FormPage(config, reader.files, list(reader.questions.values()))
    return found


def visible(question: FormQuestion, answers: dict[str, Any]) -> bool:
    """Whether a question's condition holds for the answers so far (as the script decides)."""
    if not question.show_if:
        return True
    given = answers.get(str(question.show_if.get("question")))
    wanted = [str(v) for v in question.show_if.get("equals", [])]
    if isinstance(given, str):
        return given in wanted
    if isinstance(given, list):
        return any(v in wanted for v in given)
    return False


def _scale(choices: list[str], rng: random.Random) -> str:
    scale = [c for c in choices if c.isdigit()]
    off = [c for c in choices if not c.isdigit()]
    if off and (not scale or rng.random() < OFF_SCALE_SHARE):
        return rng.choice(off)
    return rng.choice(scale)


def draw_answers(page: FormPage, token: str, rng: random.Random) -> dict[str, Any]:
    """Valid answers to the questions the page shows, in order; conditional questions only
    when their condition holds; the free-text answer always, carrying `token`."""
    answers: dict[str, Any] = {}
    for q in page.questions:
        if not visible(q, answers):
            continue
        if q.kind != "text" and not q.required and rng.random() < SKIP_SHARE:
            continue
        if q.kind == "text":
            text = IDEA.format(token=token)
            answers[q.id] = text[: q.max_length] if q.max_length else text
        elif q.kind == "grid":
            answers[q.id] = {line: _scale(q.choices, rng) for line in q.lines}
        elif q.kind == "agreement":
            answers[q.id] = _scale(q.choices, rng)
        elif q.kind == "multi":
            plain = [c for c in q.choices if c not in q.exclusive]
            if q.exclusive and (not plain or rng.random() < EXCLUSIVE_SHARE):
                answers[q.id] = [rng.choice(q.exclusive)]
            elif plain:
                limit = min(q.max or len(plain), len(plain))
                answers[q.id] = rng.sample(plain, rng.randint(1, limit))
        elif q.kind == "priorities":
            limit = min(q.max or len(q.choices), len(q.choices))
            if limit:
                answers[q.id] = rng.sample(q.choices, rng.randint(1, limit))
        elif q.choices:  # single, city
            answers[q.id] = rng.choice(q.choices)
    return answers


def payload(page: FormPage, answers: dict[str, Any], secret: str) -> dict[str, Any]:
    """The JSON the page's script sends (`payload()` in static/form/survey-form.js)."""
    config = page.config
    return {
        "survey": config.get("survey"),
        "version": config.get("version"),
        "lang": config.get("lang"),
        "session": config.get("session"),
        "submission": secret,
        "answers": answers,
        "consent": True,
    }


def ideas_body(page: FormPage, secret: str) -> dict[str, Any]:
    """The JSON the thank-you page sends for the ideas to support (`ideaBody()`)."""
    config = page.config
    return {
        "survey": config.get("survey"),
        "lang": config.get("lang"),
        "session": config.get("session"),
        "submission": secret,
    }
