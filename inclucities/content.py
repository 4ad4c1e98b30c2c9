"""Content data (cities, associations, pairs, themes, sources) as validated, typed models."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from inclucities.i18n import LANGUAGES

CONTENT_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)  # every page in all nine languages

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
Model = TypeVar("Model", bound=BaseModel)


class ContentError(ValueError):
    """A content file is malformed; the message names the file, the record and the field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    """Text in every content language (the nine languages of the app)."""

    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)
    nl: str = Field(min_length=1)
    es: str = Field(min_length=1)
    it: str = Field(min_length=1)
    el: str = Field(min_length=1)
    lv: str = Field(min_length=1)
    ar: str = Field(min_length=1)
    uk: str = Field(min_length=1)

    def as_dict(self) -> dict[str, str]:
        return {lang: getattr(self, lang) for lang in CONTENT_LANGUAGES}


class LocalList(Strict):
    """A list of short texts in every content language, item for item."""

    en: list[str]
    fr: list[str]
    nl: list[str]
    es: list[str]
    it: list[str]
    el: list[str]
    lv: list[str]
    ar: list[str]
    uk: list[str]

    def as_dict(self) -> dict[str, list[str]]:
        return {lang: getattr(self, lang) for lang in CONTENT_LANGUAGES}


def _nine_languages(value: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        raise ValueError(f"missing text for language(s): {', '.join(missing)}")
    extra = sorted(set(value) - set(LANGUAGES))
    if extra:
        raise ValueError(f"unknown language code(s): {', '.join(extra)}")
    return value


EveryLanguage = Annotated[dict[str, str], AfterValidator(_nine_languages)]


class Source(Strict):
    """An entry of the source register, complete by itself: what a reader needs to find it.

    `title` is the source's own title in its own language; a title in [square brackets] is our
    description of a page whose own title we could not check. `short` is a short title in every
    language, for sources whose title a reader of another language needs explained. `url` is
    the public address (None when none is known); `site_only` means the address is the website
    that published the document, not the document itself.
    """

    key: str = Field(pattern=r"^[A-Z0-9][A-Za-z0-9-]*$")
    title: str = Field(min_length=1)
    title_language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    short: EveryLanguage | None = None
    publisher: str = Field(min_length=1)
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    url: str | None = Field(default=None, pattern=r"^https?://")
    site_only: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if self.site_only and not self.url:
            raise ValueError("site_only needs a url")
        return self


class Sourced(Strict):
    """A record whose facts are traceable to the source register."""

    sources: list[str] = Field(min_length=1)


class Figure(Sourced):
    """A number as a source states it."""

    value: float
    note: LocalText | None = None


class Association(Sourced):
    id: str
    acronym: str
    name: LocalText
    local_name: str | None = None
    country: str = Field(pattern=r"^[A-Z]{2}$")


class City(Sourced):
    id: str
    name: LocalText
    local_name: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    position_sources: list[str] = Field(default_factory=list)  # empty: no public source
    role: Literal["mentor", "mentee", "coordinator"]
    pair: int | None = Field(default=None, ge=1, le=4)
    association: str | None = None
    population: Figure | None = None
    foreign_origin_share: Figure | None = None
    foreign_origin_note: LocalText | None = None
    facts: LocalList | None = None


class Practice(Sourced):
    name: LocalText
    description: LocalText


class Pair(Sourced):
    id: int = Field(ge=1, le=4)
    mentor: str
    mentee: str
    theme: str
    challenges: LocalList
    strengths: LocalList
    best_practices: list[Practice]
    action_plan: LocalText
    note: LocalText | None = None


class Theme(Sourced):
    id: str
    pair: int = Field(ge=1, le=4)
    name: LocalText
    goal: LocalText
    icon: str


class Content(Strict):
    """Everything the explanatory pages show, cross-checked."""

    sources: dict[str, Source]
    associations: dict[str, Association]
    cities: dict[str, City]
    pairs: dict[int, Pair]
    themes: dict[str, Theme]

    def city_list(self) -> list[City]:
        return list(self.cities.values())

    def pair_for_city(self, city_id: str) -> Pair | None:
        city = self.cities.get(city_id)
        return self.pairs.get(city.pair) if city and city.pair else None


def _format_location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def read_records(path: Path, model: type[Model], *, key: str = "id") -> list[Model]:
    """Load a YAML list of records into `model`, one clear error per bad file/record/field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{path.name}: file not found") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML ({exc})") from exc
    if not isinstance(raw, list):
        raise ContentError(f"{path.name}: expected a list of records")
    records: list[Model] = []
    for index, item in enumerate(raw):
        label = item.get(key, f"#{index + 1}") if isinstance(item, dict) else f"#{index + 1}"
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = _format_location(first["loc"])
            raise ContentError(
                f"{path.name}: record '{label}', field '{field}': {first['msg']}"
            ) from exc
    return records


def check_sources(file: str, record: str, keys: list[str], register: dict[str, Source]) -> None:
    for source_key in keys:
        if source_key not in register:
            raise ContentError(
                f"{file}: record '{record}', field 'sources': unknown source key '{source_key}'"
            )


def check_same_length(file: str, record: str, field: str, value: LocalList) -> None:
    """Every language's list has as many items as the English one."""
    lists = value.as_dict()
    for lang, items in lists.items():
        if len(items) != len(lists["en"]):
            raise ContentError(
                f"{file}: record '{record}', field '{field}.{lang}': {len(items)} items, "
                f"English has {len(lists['en'])}"
            )
        for i, item in enumerate(items):
            if not item.strip():
                raise ContentError(f"{file}: record '{record}', field '{field}.{lang}.{i}': empty")


def load_content(data_dir: Path = DATA_DIR) -> Content:
    """Read and cross-check every content file in `data_dir`."""
    sources = {s.key: s for s in read_records(data_dir / "sources.yaml", Source, key="key")}
    associations = {a.id: a for a in read_records(data_dir / "associations.yaml", Association)}
    cities = {c.id: c for c in read_records(data_dir / "cities.yaml", City)}
    themes = {t.id: t for t in read_records(data_dir / "themes.yaml", Theme)}
    pairs = {p.id: p for p in read_records(data_dir / "pairs.yaml", Pair)}

    for a in associations.values():
        check_sources("associations.yaml", a.id, a.sources, sources)
    for c in cities.values():
        check_sources("cities.yaml", c.id, c.sources, sources)
        check_sources("cities.yaml", f"{c.id}.position_sources", c.position_sources, sources)
        for fig_name in ("population", "foreign_origin_share"):
            fig = getattr(c, fig_name)
            if fig is not None:
                check_sources("cities.yaml", f"{c.id}.{fig_name}", fig.sources, sources)
        if c.association and c.association not in associations:
            raise ContentError(
                f"cities.yaml: record '{c.id}', field 'association': unknown '{c.association}'"
            )
        if c.role != "coordinator" and c.pair not in pairs:
            raise ContentError(f"cities.yaml: record '{c.id}', field 'pair': unknown pair {c.pair}")
        if c.facts:
            check_same_length("cities.yaml", c.id, "facts", c.facts)
    for t in themes.values():
        check_sources("themes.yaml", t.id, t.sources, sources)
    for p in pairs.values():
        record = str(p.id)
        check_sources("pairs.yaml", record, p.sources, sources)
        for field_name, expected_role in (("mentor", "mentor"), ("mentee", "mentee")):
            city = cities.get(getattr(p, field_name))
            if city is None or city.role != expected_role or city.pair != p.id:
                raise ContentError(
                    f"pairs.yaml: record '{record}', field '{field_name}': "
                    f"'{getattr(p, field_name)}' is not a {expected_role} city of pair {p.id}"
                )
        if p.theme not in themes:
            raise ContentError(f"pairs.yaml: record '{record}', field 'theme': unknown '{p.theme}'")
        check_same_length("pairs.yaml", record, "challenges", p.challenges)
        check_same_length("pairs.yaml", record, "strengths", p.strengths)
        for i, practice in enumerate(p.best_practices):
            check_sources("pairs.yaml", f"{record}.best_practices.{i}", practice.sources, sources)
    return Content(
        sources=sources, associations=associations, cities=cities, pairs=pairs, themes=themes
    )


@lru_cache(maxsize=1)
def default_content() -> Content:
    """The shipped content, loaded once per process."""
    return load_content()
