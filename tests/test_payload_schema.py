"""Issue 27: the live payload has a declared type, shared with the browser code as JSON Schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from inclucities.results.payload import build_payload
from inclucities.results.payload_types import PAYLOAD, payload_schema, payload_schema_text
from inclucities.results.summary import summarise
from scripts.support.survey_helpers import RESIDENT, SURVEYS, resident_answers

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "static" / "js" / "live-payload.schema.json"
LIVE_JS = ROOT / "static" / "js" / "live.js"


def test_the_schema_file_the_browser_code_reads_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == payload_schema_text(), (
        'regenerate it: python -c "from inclucities.results.payload_types import '
        "payload_schema_text; print(payload_schema_text(), end='')\" > " + str(SCHEMA_FILE)
    )


def _fill(store, n: int, prefix: str, **changes) -> None:
    for i in range(n):
        store.submit(f"{prefix}{i}", "resident", 1, "fr", resident_answers(**changes))


@pytest.mark.parametrize("mode", ["results", "presenter"])
@pytest.mark.parametrize("revealed", [True, False])
def test_every_payload_holds_to_its_declared_shape(store, mode, revealed):
    _fill(store, 7, "a", idea="Un café des langues")
    for idea in store.ideas("resident"):
        store.set_idea_status(idea.id, "approved", actor="t")
    sections = 0
    for survey in (RESIDENT, SURVEYS["academy"]):
        summary = summarise(store, survey, 5)
        for lang in ("fr", "ar"):
            payload = build_payload(
                survey, summary, lang, mode, version="v1", revealed=revealed, is_open=False
            )
            PAYLOAD.validate_python(payload)  # raises on a missing, extra or mistyped field
            json.loads(json.dumps(payload))  # and it is plain JSON
            sections += len(payload["sections"])
    assert (sections > 0) is revealed, "the check looked at sections too"


def test_an_undeclared_field_is_refused(store):
    summary = summarise(store, RESIDENT, 5)
    built = build_payload(
        RESIDENT, summary, "en", "results", version="v", revealed=True, is_open=True
    )
    payload = {**built, "secret": "x"}
    with pytest.raises(ValidationError):
        PAYLOAD.validate_python(payload)
    del payload["secret"]
    payload["headline"] = {**built["headline"], "count": 3}  # a number where text is declared
    with pytest.raises(ValidationError):
        PAYLOAD.validate_python(payload)


def _properties(name: str) -> set[str]:
    schema = payload_schema()
    found = schema if name == "Payload" else schema["$defs"][name]
    return set(found["properties"])


# live.js's local names for the payload's parts (DOM elements have other names)
READERS = {
    r"\bpayload\.headline\.(\w+)": {"Headline"},
    r"\bpayload\.(\w+)": {"Payload"},
    r"\bsection\.(\w+)": {"Section"},
    r"\bcloud\.(\w+)": {"Cloud"},
    r"\bword\.(\w+)": {"CloudWord"},
    r"\bidea\.(\w+)": {"IdeaItem", "TopIdea"},
}


def test_the_browser_code_reads_only_declared_fields():
    code = LIVE_JS.read_text(encoding="utf-8")
    undeclared = []
    read = 0
    for pattern, parts in READERS.items():
        declared = set().union(*(_properties(p) for p in parts))
        for field in re.findall(pattern, code):
            read += 1
            if field not in declared:
                undeclared.append(f"{pattern} -> {field}")
    assert read > 30, "the patterns found the reads"
    assert undeclared == []
