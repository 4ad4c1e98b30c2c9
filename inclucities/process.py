"""The mentoring process as typed content: stages, dated events, benchmarks/toolkits and outputs."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from inclucities.content import (
    DATA_DIR,
    Content,
    ContentError,
    LocalText,
    Source,
    Sourced,
    check_sources,
    default_content,
    load_content,
    read_records,
)
from inclucities.i18n import Translator

STAGE_COUNT = 7
ICON_PATTERN = r"^:material/[a-z0-9_]+:$"  # Streamlit's Material Symbols syntax
PAIR_IDS = (1, 2, 3, 4)
THEME_ICONS = {
    "gender": ":material/female:",
    "city-for-all": ":material/location_city:",
    "labour": ":material/work:",
    "language": ":material/translate:",
}

EventKind = Literal[
    "kick-off",
    "milestone",
    "training",
    "steering",
    "study-visit-1",
    "study-visit-2",
    "study-visit-3",
    "transfer-workshop",
    "academy",
    "campaign",
    "exhibition",
    "conference",
]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]


class Stage(Sourced):
    """One of the seven stages of the mentoring process."""

    number: int = Field(ge=1, le=STAGE_COUNT)
    icon: str = Field(pattern=ICON_PATTERN)
    title: LocalText
    what: LocalText
    who: LocalText
    output: LocalText
    period: LocalText


class Event(Sourced):
    """A dated project event: an exact day (or day range) or only a month (or month range)."""

    id: str
    kind: EventKind
    start: date
    end: date | None = None
    precision: Literal["day", "month"] = "day"
    pairs: list[int] | Literal["all"]
    stage: int | None = Field(default=None, ge=1, le=STAGE_COUNT)
    title: LocalText
    place: LocalText | None = None
    note: LocalText | None = None
    uncertain: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        if self.precision == "month":
            for value in (self.start, self.end):
                if value is not None and value.day != 1:
                    raise ValueError("a month-precision date must be the 1st of its month")
        if self.pairs != "all" and (not self.pairs or any(p not in PAIR_IDS for p in self.pairs)):
            raise ValueError("pairs must be 'all' or a list of pair numbers 1-4")
        return self

    @property
    def pair_ids(self) -> tuple[int, ...]:
        """The pairs concerned; every pair for an 'all' event."""
        return PAIR_IDS if self.pairs == "all" else tuple(self.pairs)

    @property
    def is_for_all(self) -> bool:
        return self.pairs == "all"

    @property
    def last_day(self) -> date:
        """The last day the event may cover (end of month for month precision)."""
        last = self.end or self.start
        if self.precision == "month":
            return last.replace(day=calendar.monthrange(last.year, last.month)[1])
        return last

    @property
    def approximate(self) -> bool:
        """True when the exact day is unknown or the source is doubtful."""
        return self.precision == "month" or self.uncertain


class KeyFactor(Sourced):
    """A critical condition for reaching a benchmark."""

    title: LocalText
    text: LocalText


class Toolkit(Sourced):
    """A thematic benchmark with its key factors, or the leaflet's worked example."""

    id: str
    kind: Literal["example", "toolkit"]
    theme: str | None = None
    pair: int | None = Field(default=None, ge=1, le=4)
    benchmark: LocalText
    benchmark_note: LocalText | None = None
    key_factors: list[KeyFactor]

    @model_validator(mode="after")
    def _theme_for_toolkits(self) -> Toolkit:
        if self.kind == "toolkit" and (self.theme is None or self.pair is None):
            raise ValueError("a toolkit needs a theme and a pair")
        return self


class Highlight(Sourced):
    """A labelled detail of an output, e.g. what one city's one-stop shop offers."""

    label: LocalText
    text: LocalText


class OutputItem(Sourced):
    """A project output, objective or expected result."""

    id: str
    kind: Literal["output", "objective", "result"]
    icon: str = Field(pattern=ICON_PATTERN)
    title: LocalText
    text: LocalText
    highlights: list[Highlight] = Field(default_factory=list)


def _content(data_dir: Path) -> Content:
    """The shipped content (cached) or the content of another data directory (tests)."""
    return default_content() if data_dir == DATA_DIR else load_content(data_dir)


def _register(data_dir: Path) -> dict[str, Source]:
    return _content(data_dir).sources


def load_stages(data_dir: Path = DATA_DIR) -> list[Stage]:
    """The seven stages, in order, each checked against the source register."""
    stages = read_records(data_dir / "stages.yaml", Stage, key="number")
    register = _register(data_dir)
    for stage in stages:
        check_sources("stages.yaml", str(stage.number), stage.sources, register)
    numbers = [s.number for s in stages]
    if numbers != list(range(1, STAGE_COUNT + 1)):
        raise ContentError(
            f"stages.yaml: field 'number': expected 1 to {STAGE_COUNT} in order, got {numbers}"
        )
    return stages


def load_events(data_dir: Path = DATA_DIR) -> list[Event]:
    """Dated events sorted by start date; ids unique; sources checked."""
    events = read_records(data_dir / "events.yaml", Event)
    register = _register(data_dir)
    seen: set[str] = set()
    for event in events:
        if event.id in seen:
            raise ContentError(f"events.yaml: record '{event.id}', field 'id': duplicate id")
        seen.add(event.id)
        check_sources("events.yaml", event.id, event.sources, register)
    return sorted(events, key=lambda e: (e.start, e.id))


def load_toolkits(data_dir: Path = DATA_DIR) -> list[Toolkit]:
    """The education example and the four thematic toolkits, cross-checked with themes.yaml."""
    toolkits = read_records(data_dir / "toolkits.yaml", Toolkit)
    content = _content(data_dir)
    register, themes = content.sources, content.themes
    for kit in toolkits:
        check_sources("toolkits.yaml", kit.id, kit.sources, register)
        for i, factor in enumerate(kit.key_factors):
            check_sources("toolkits.yaml", f"{kit.id}.key_factors.{i}", factor.sources, register)
        if kit.kind == "toolkit":
            theme = themes.get(kit.theme or "")
            if theme is None or theme.pair != kit.pair:
                raise ContentError(
                    f"toolkits.yaml: record '{kit.id}', field 'theme': "
                    f"'{kit.theme}' is not the theme of pair {kit.pair}"
                )
    return toolkits


def load_outputs(data_dir: Path = DATA_DIR) -> list[OutputItem]:
    """Outputs, objectives and expected results, sources checked."""
    items = read_records(data_dir / "outputs.yaml", OutputItem)
    register = _register(data_dir)
    for item in items:
        check_sources("outputs.yaml", item.id, item.sources, register)
        for i, highlight in enumerate(item.highlights):
            check_sources("outputs.yaml", f"{item.id}.highlights.{i}", highlight.sources, register)
    return items


@lru_cache(maxsize=1)
def _stages_cached() -> tuple[Stage, ...]:
    return tuple(load_stages())


def default_stages() -> list[Stage]:
    """The shipped seven stages (loaded once per process)."""
    return list(_stages_cached())


@lru_cache(maxsize=1)
def _events_cached() -> tuple[Event, ...]:
    return tuple(load_events())


def default_events() -> list[Event]:
    """The shipped dated events, sorted by date (loaded once per process)."""
    return list(_events_cached())


@lru_cache(maxsize=1)
def _toolkits_cached() -> tuple[Toolkit, ...]:
    return tuple(load_toolkits())


def default_toolkits() -> list[Toolkit]:
    """The shipped education example and four toolkits (loaded once per process)."""
    return list(_toolkits_cached())


@lru_cache(maxsize=1)
def _outputs_cached() -> tuple[OutputItem, ...]:
    return tuple(load_outputs())


def default_outputs() -> list[OutputItem]:
    """The shipped outputs, objectives and expected results (loaded once per process)."""
    return list(_outputs_cached())


def parse_stage(value: str | None, count: int = STAGE_COUNT) -> tuple[int, bool]:
    """`?stage=` value -> (stage number, whether it was invalid); absent -> (1, False)."""
    if value is None or str(value).strip() == "":
        return 1, False
    try:
        number = int(str(value).strip())
    except ValueError:
        return 1, True
    if 1 <= number <= count:
        return number, False
    return 1, True


def events_for_pair(events: Iterable[Event], pair: int | None) -> list[Event]:
    """Events concerning `pair` (including all-partner events); every event when pair is None."""
    if pair is None:
        return list(events)
    return [e for e in events if pair in e.pair_ids]


def events_for_stage(events: Iterable[Event], stage: int) -> list[Event]:
    """Events linked to one stage, in date order."""
    return [e for e in events if e.stage == stage]


def source_keys(records: Iterable[object]) -> list[str]:
    """Every source key used by `records` and their nested sourced parts, first use first."""
    keys: list[str] = []

    def visit(value: object) -> None:
        if isinstance(value, Sourced):
            for key in value.sources:
                if key not in keys:
                    keys.append(key)
            for name in type(value).model_fields:
                visit(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    for record in records:
        visit(record)
    return keys


def split_outputs(items: Sequence[OutputItem]) -> dict[str, list[OutputItem]]:
    """Group output items by kind: output, objective, result."""
    grouped: dict[str, list[OutputItem]] = {"output": [], "objective": [], "result": []}
    for item in items:
        grouped[item.kind].append(item)
    return grouped


def pair_label(content: Content, t: Translator, pair: int) -> str:
    """'Pair 1: Brussels → Saint-Jean-de-la-Ruelle' in the page language."""
    p = content.pairs[pair]
    return t(
        "process.pair_option",
        number=pair,
        mentor=t.text(content.cities[p.mentor].name.as_dict()),
        mentee=t.text(content.cities[p.mentee].name.as_dict()),
    )


PROCESS_PARTS: tuple[str, ...] = ("stages", "timeline", "benchmarks", "outputs")


def parse_part(value: str | None, parts: Sequence[str]) -> str:
    """`?part=` value -> one of `parts` (ids, not labels); absent or unknown -> the first part."""
    wanted = str(value or "").strip().lower()
    return wanted if wanted in parts else parts[0]


def parse_choice(value: str | None, options: Sequence[int]) -> tuple[int, bool]:
    """`?rec=`-like value -> (a number among `options`, whether the value was refused).

    Absent -> the first option, not refused; a number not among `options` (or not a number)
    -> the first option, refused. `options` must not be empty.
    """
    if value is None or str(value).strip() == "":
        return options[0], False
    try:
        number = int(str(value).strip())
    except ValueError:
        return options[0], True
    return (number, False) if number in options else (options[0], True)


def neighbours(options: Sequence[int], current: int) -> tuple[int | None, int | None]:
    """The option before and after `current` in `options` (None at either end)."""
    index = list(options).index(current)
    before = options[index - 1] if index > 0 else None
    after = options[index + 1] if index + 1 < len(options) else None
    return before, after
