"""10,000 random and hostile payloads through the survey validation and the store (fixed seed).

Very long text, control and bidirectional-override characters, lone surrogates, HTML, SQL-looking
text, wrong types, unknown questions and options, too many choices, hostile submission ids and
language codes. Nothing may crash (only InvalidSubmission/ValueError, the documented refusals,
may escape the store), and every stored row must be valid for its survey definition.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections import Counter
from typing import Any

import duckdb

from inclucities.i18n import LANGUAGES
from inclucities.store import SubmitResult, SurveyStore, quote
from inclucities.survey.loader import load_survey_definitions
from inclucities.survey.models import AGREEMENT_LEVELS, LIST_TYPES, Question, Survey
from inclucities.survey.validation import InvalidSubmission, validate_answers
from scripts.support.e2e_utils import write_artifact

SEED = 20261122
PAYLOADS = 10_000

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE submissions; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM ideas WHERE ('1'='1",
    '=HYPERLINK("http://evil","x")',
    "+1+cmd|' /C calc'!A0",
    "\u202egnp.exe",  # right-to-left override
    "abc\u2066def\u2069\u200f\u061c",  # isolates and marks
    "\x00\x01\x07\x1b[31mred\x1b[0m\x7f",
    "line\r\nbreak\ttab\x0b\x0c",
    "\ud800 lone surrogate",
    "\ufeffbom\u200bzero-width",
    "𝕳𝖊𝖑𝖑𝖔 🧑🏽‍🤝‍🧑🏻 👩‍👩‍👧",
    "e\u0301\u0301\u0301\u0301 combining",
    "{{7*7}} ${7*7} %s %n",
    "../../etc/passwd",
    "NULL",
    "None",
    "   ",
    "",
]
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
WRONG_TYPES: list[Any] = [
    0,
    -1,
    2**70,
    3.14,
    float("nan"),
    float("inf"),
    True,
    None,
    b"bytes",
    [],
    [1, 2],
    [None],
    {},
    {"a": 1},
    ("tuple",),
    {"set"},
    object(),
    [["nested"]],
]


def _random_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(HOSTILE_TEXT)
    if kind < 0.5:
        return rng.choice(HOSTILE_TEXT) * rng.randint(50, 3000)  # very long
    if kind < 0.8:  # random code points from every plane, surrogates and controls included
        return "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 60)))
    return "".join(rng.choice("ab \u202e\x00<>'\";-\n") for _ in range(rng.randint(1, 80)))


def _valid_answer(rng: random.Random, question: Question) -> Any:
    if question.type in {"single", "city"}:
        return rng.choice(question.option_ids)
    if question.type in LIST_TYPES:
        count = rng.randint(1, question.max_selections or 1)
        return rng.sample(question.option_ids, count)
    if question.type == "agreement":
        if question.items:
            return {item.id: rng.choice(AGREEMENT_LEVELS) for item in question.items}
        return rng.choice(AGREEMENT_LEVELS)
    return "".join(rng.choice("abcdefgh ") for _ in range(rng.randint(1, 20))) + "x"


def _hostile_answer(rng: random.Random, question: Question) -> Any:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(WRONG_TYPES)
    if roll < 0.55:
        return _random_text(rng)
    if question.type in LIST_TYPES:
        pool = [*question.option_ids, "unknown", _random_text(rng)]
        return [rng.choice(pool) for _ in range(rng.randint(0, 12))]
    if question.items:
        items = [i.id for i in question.items] + ["bogus", "__proto__"]
        return {
            rng.choice(items): rng.choice([*AGREEMENT_LEVELS, "6", 5, None, _random_text(rng)])
            for _ in range(rng.randint(0, 8))
        }
    if question.options:
        return rng.choice([*question.option_ids, "other ", "UNKNOWN", question.option_ids[0] * 3])
    return rng.choice((*AGREEMENT_LEVELS, "0", "6", "", " 3"))


def _payload(rng: random.Random, survey: Survey) -> Any:
    if rng.random() < 0.02:
        return rng.choice([*WRONG_TYPES, "string", ["list"]])  # not even a mapping
    answers: dict[Any, Any] = {}
    hostile_share = rng.choice([0.0, 0.1, 0.3, 1.0])
    for question in survey.questions:
        if rng.random() < 0.1:
            continue  # missing
        if rng.random() < hostile_share:
            answers[question.id] = _hostile_answer(rng, question)
        else:
            answers[question.id] = _valid_answer(rng, question)
    if rng.random() < 0.05:
        answers[rng.choice(["evil", "'; DROP TABLE x; --", 42, None, "_consent"])] = "x"
    return answers


def _submission_id(rng: random.Random, index: int) -> str:
    roll = rng.random()
    if roll < 0.85:
        return f"fuzz-{index:05d}"
    if roll < 0.9:
        return f"fuzz-{rng.randrange(index + 1):05d}"  # replay of an earlier id
    return rng.choice(["", "x" * 65, "'; DROP TABLE submissions; --", "\u202eid", "\x00"])


def _lang(rng: random.Random) -> str:
    if rng.random() < 0.95:
        return rng.choice(list(LANGUAGES))
    return rng.choice(["", "xx", "EN", "en'; --", "\u202ear", "ar\x00"])


def _clean_stored_text(text: str) -> bool:
    return not any(
        (unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"} and ch != "\n") or ch in BIDI_CONTROLS
        for ch in text
    )


def test_ten_thousand_hostile_payloads(tmp_path):
    rng = random.Random(SEED)
    registry = load_survey_definitions()
    surveys = list(registry.surveys.values())
    store = SurveyStore(tmp_path / "fuzz.duckdb", surveys)
    outcomes: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    crashes: list[str] = []
    # each survey keeps its own answers: a submission id is unique within its survey
    expected_stored: dict[tuple[str, str], str] = {}  # (survey id, submission id) -> survey id
    started = time.monotonic()
    for index in range(PAYLOADS):
        survey = rng.choice(surveys)
        payload = _payload(rng, survey)
        consent = rng.choice([True, False, None])
        try:
            verdict = validate_answers(survey, payload, consent=consent)
            verdict_ok = validate_answers(survey, payload).ok
        except Exception as exc:  # validation must never raise
            crashes.append(f"validate #{index}: {type(exc).__name__}: {exc}"[:300])
            continue
        outcomes["valid" if verdict.ok else "invalid"] += 1
        for error in verdict.errors:
            refusals[error.code] += 1
        submission_id, lang = _submission_id(rng, index), _lang(rng)
        try:
            result = store.submit(submission_id, survey.id, survey.version, lang, payload)
        except InvalidSubmission:
            outcomes["store_refused_invalid"] += 1
            if verdict_ok:
                crashes.append(f"submit #{index}: store refused what validation accepted")
            continue
        except ValueError as exc:  # bad submission id or language: documented refusal
            outcomes["store_refused_id_or_lang"] += 1
            refusals[str(exc).split(" ")[0]] += 1
            continue
        except Exception as exc:
            crashes.append(f"submit #{index}: {type(exc).__name__}: {exc}"[:300])
            continue
        outcomes[f"store_{result.value}"] += 1
        if result is SubmitResult.STORED:
            assert verdict_ok, f"#{index}: the store kept a payload validation refuses"
            assert (survey.id, submission_id) not in expected_stored
            expected_stored[(survey.id, submission_id)] = survey.id
    elapsed = time.monotonic() - started
    store.close()

    # read everything back with a fresh, read-only connection and re-validate it
    stored_problems: list[str] = []
    check = SurveyStore(tmp_path / "fuzz.duckdb", surveys)
    try:
        rows = [
            (record["submission_id"], survey.id, record["lang"])
            for survey in surveys
            for record in check.responses_frame(survey.id).to_dict("records")
        ]
        ids = [(r[1], r[0]) for r in rows]
        if len(ids) != len(set(ids)):
            stored_problems.append("a submission id is stored twice")
        if {(r[1], r[0]): r[1] for r in rows} != expected_stored:
            stored_problems.append("stored submissions differ from the accepted ones")
        if any(r[2] not in LANGUAGES for r in rows):
            stored_problems.append("a stored language code is unknown")
        for survey in surveys:
            frame = check.responses_frame(survey.id)
            for record in frame.to_dict("records"):
                answers: dict[str, Any] = {}
                for question in survey.questions:
                    if question.items:
                        grid = {i.id: record.get(f"{question.id}.{i.id}") for i in question.items}
                        value: Any = {k: v for k, v in grid.items() if isinstance(v, str)}
                    else:
                        value = record.get(question.id)
                        if not isinstance(value, str):
                            value = None
                        elif question.type in LIST_TYPES:
                            value = value.split(";")
                    if value not in (None, {}, []):
                        answers[question.id] = value
                if not validate_answers(survey, answers).ok:
                    stored_problems.append(f"{survey.id}/{record['submission_id']}: invalid row")
            for question in survey.questions:
                if question.type != "text":
                    continue
                for text in [
                    i.text for i in check.ideas(survey.id) if i.question_id == question.id
                ]:
                    if len(text) > (question.max_length or 0) or not text.strip():
                        stored_problems.append(f"{survey.id}.{question.id}: bad length")
                    if not _clean_stored_text(text):
                        stored_problems.append(f"{survey.id}.{question.id}: control char kept")
    finally:
        check.close()
    with duckdb.connect(str(tmp_path / "fuzz.duckdb"), read_only=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        integrity = sum(
            conn.execute(f"SELECT count(*) FROM {quote(s.table_name)}").fetchone()[0]
            for s in surveys
        )

    write_artifact(
        "fault_hostile",
        {
            "seed": SEED,
            "payloads": PAYLOADS,
            "seconds": round(elapsed, 1),
            "outcomes": dict(outcomes),
            "refusal_codes": dict(refusals.most_common()),
            "stored": len(expected_stored),
            "crashes": crashes[:20],
            "crash_count": len(crashes),
            "stored_problems": stored_problems[:20],
        },
    )
    assert not crashes, "\n".join(crashes[:20])
    assert not stored_problems, "\n".join(stored_problems[:20])
    assert {"ideas", "audit_log", *(s.table_name for s in surveys)} <= tables, tables
    assert integrity == len(expected_stored)
    assert len(expected_stored) > 500, "the generator should also produce valid payloads"
    assert outcomes["invalid"] > 3000, "the generator should mostly produce hostile payloads"
