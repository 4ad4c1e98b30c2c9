"""The live payload's declared shape: what `build_payload` sends and `static/js/live.js` reads.

Each part is a TypedDict (checked by mypy where it is built); `payload_schema()` gives the same
shape as JSON Schema, kept in `static/js/live-payload.schema.json` for the browser code (a test
fails when the file is out of date, when a payload breaks it, or when live.js reads a field it
does not declare).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import ConfigDict, TypeAdapter, with_config
from typing_extensions import TypedDict

STRICT = ConfigDict(extra="forbid")


@with_config(STRICT)
class LegendEntry(TypedDict):
    label: str
    colour: str


@with_config(STRICT)
class Chart(TypedDict):
    spec: str  # the id of its Vega-Lite spec in the `specs` event
    alt: str
    values: list[dict[str, Any]]
    legend: list[LegendEntry] | None


@with_config(STRICT)
class Table(TypedDict):
    caption: str
    columns: list[str]
    rows: list[list[str]]


@with_config(STRICT)
class Section(TypedDict):
    id: str
    title: str | None
    intro: str | None
    essential: bool  # shown before "more" on a phone, and on every projector page
    chart: Chart | None
    table: Table | None
    note: str | None


@with_config(STRICT)
class CloudWord(TypedDict):
    text: str
    count: int
    weight: float
    lang: str  # "" unless the word's language group is published
    dir: str
    label: str


@with_config(STRICT)
class Cloud(TypedDict):
    id: str
    title: str
    intro: str
    alt: str
    empty: str
    words: list[CloudWord]
    table: Table


@with_config(STRICT)
class TopIdea(TypedDict):
    id: int
    text: str
    lang: str
    dir: str
    supports: str
    support_count: int
    pinned: str | None


@with_config(STRICT)
class IdeaItem(TypedDict):
    text: str
    lang: str
    dir: str
    language: str | None
    written_in: str | None


@with_config(STRICT)
class Ideas(TypedDict):
    title: str
    count: int
    count_text: str
    wall_count: str
    empty: str
    items: list[IdeaItem]
    top_title: str
    top: list[TopIdea]


@with_config(STRICT)
class Headline(TypedDict):
    count: str
    label: str
    status: str | None
    closed: str | None


@with_config(STRICT)
class ClientTexts(TypedDict):
    updated: str
    offline: str
    loading: str
    more: str
    show_table: str
    legend: str
    unavailable: str
    page: str


@with_config(STRICT)
class NumberLocale(TypedDict):
    decimal: str
    thousands: str
    grouping: list[int]
    currency: list[str]
    percent: str


@with_config(STRICT)
class Payload(TypedDict):
    """The `summary` event for one (survey, language, screen) at one data version."""

    type: Literal["summary"]
    survey: str
    title: str
    mode: str
    lang: str
    dir: str
    version: str
    specs: str  # the id of the chart set the screen must hold
    updated: str
    total: int
    ready: bool
    k: int
    open: bool
    revealed: bool
    headline: Headline
    sections: list[Section]
    ideas: Ideas
    clouds: list[Cloud]
    texts: ClientTexts
    number_locale: NumberLocale


PAYLOAD = TypeAdapter(Payload)


def payload_schema() -> dict[str, Any]:
    """The payload's JSON Schema (what the browser code may rely on)."""
    return PAYLOAD.json_schema()


def payload_schema_text() -> str:
    """The schema as the file `static/js/live-payload.schema.json` holds it."""
    return json.dumps(payload_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
