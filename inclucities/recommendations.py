"""CEMR's seven recommendations and the EU policy context: models, loaders, filters and exports."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field

from inclucities import export
from inclucities.citations import Citations, citation_texts, numbers_label, sources_markdown
from inclucities.content import (
    DATA_DIR,
    Content,
    ContentError,
    LocalList,
    LocalText,
    Sourced,
    check_same_length,
    check_sources,
    default_content,
    load_content,
    read_records,
)
from inclucities.i18n import Translator
from inclucities.process import ICON_PATTERN
from inclucities.text import markdown_prose

RECOMMENDATION_IDS: tuple[str, ...] = (
    "whole-community",
    "inclusion-not-adaptation",
    "train-ecosystem",
    "participation",
    "migrant-women",
    "multilevel-governance",
    "support-networks",
)
Actor = Literal["municipality", "civil-society", "migrants", "national-government", "eu"]
Level = Literal["local", "regional", "national", "european"]
ACTORS: tuple[str, ...] = Actor.__args__  # type: ignore[attr-defined]
LEVELS: tuple[str, ...] = Level.__args__  # type: ignore[attr-defined]
LEVEL_ICONS = {
    "local": ":material/home_pin:",
    "regional": ":material/map:",
    "national": ":material/flag:",
    "european": ":material/public:",
}
ACTOR_ICONS = {
    "municipality": ":material/location_city:",
    "civil-society": ":material/volunteer_activism:",
    "migrants": ":material/luggage:",
    "national-government": ":material/account_balance:",
    "eu": ":material/euro:",
}
RECS_PARTS: tuple[str, ...] = ("list", "actors", "ranking", "policy")  # the page's tabs, by ?part=
MIN_CELL = 5  # the default small-cell rule; the live ranking passes the configured value


class Evidence(Sourced):
    """What a partner city did or found that backs a recommendation."""

    text: LocalText
    city: str | None = None


class Recommendation(Sourced):
    """One of CEMR's seven recommendations, with evidence and filter tags."""

    id: str
    number: int = Field(ge=1, le=7)
    icon: str = Field(pattern=ICON_PATTERN)
    title: LocalText
    explanation: LocalText
    evidence: list[Evidence] = Field(min_length=1)
    themes: list[str] = Field(min_length=1)
    actors: list[Actor] = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)


class PolicyItem(Sourced):
    """A piece of the EU policy context (a policy, a partnership, a call)."""

    id: str
    kind: Literal["eu-policy", "partnership", "call"]
    icon: str = Field(pattern=ICON_PATTERN)
    when: LocalText
    title: LocalText
    summary: LocalText
    points: LocalList | None = None


def _content(data_dir: Path) -> Content:
    return default_content() if data_dir == DATA_DIR else load_content(data_dir)


def load_recommendations(data_dir: Path = DATA_DIR) -> list[Recommendation]:
    """The seven recommendations in order, with tags and sources cross-checked."""
    recs = read_records(data_dir / "recommendations.yaml", Recommendation)
    content = _content(data_dir)
    for rec in recs:
        check_sources("recommendations.yaml", rec.id, rec.sources, content.sources)
        for i, item in enumerate(rec.evidence):
            record = f"{rec.id}.evidence.{i}"
            check_sources("recommendations.yaml", record, item.sources, content.sources)
            if item.city is not None and item.city not in content.cities:
                raise ContentError(
                    f"recommendations.yaml: record '{record}', field 'city': unknown '{item.city}'"
                )
        for theme in rec.themes:
            if theme not in content.themes:
                raise ContentError(
                    f"recommendations.yaml: record '{rec.id}', field 'themes': unknown '{theme}'"
                )
    ids = tuple(r.id for r in recs)
    if ids != RECOMMENDATION_IDS:
        raise ContentError(
            f"recommendations.yaml: field 'id': expected {list(RECOMMENDATION_IDS)} in order, "
            f"got {list(ids)}"
        )
    if [r.number for r in recs] != list(range(1, len(recs) + 1)):
        raise ContentError("recommendations.yaml: field 'number': expected 1 to 7 in order")
    return recs


def load_policy(data_dir: Path = DATA_DIR) -> list[PolicyItem]:
    """The policy-context items, sources checked."""
    items = read_records(data_dir / "policy.yaml", PolicyItem)
    register = _content(data_dir).sources
    for item in items:
        check_sources("policy.yaml", item.id, item.sources, register)
        if item.points is not None:
            check_same_length("policy.yaml", item.id, "points", item.points)
    return items


@lru_cache(maxsize=1)
def _recommendations_cached() -> tuple[Recommendation, ...]:
    return tuple(load_recommendations())


def default_recommendations() -> list[Recommendation]:
    """The shipped seven recommendations (loaded once per process)."""
    return list(_recommendations_cached())


@lru_cache(maxsize=1)
def _policy_cached() -> tuple[PolicyItem, ...]:
    return tuple(load_policy())


def default_policy() -> list[PolicyItem]:
    """The shipped policy-context items (loaded once per process)."""
    return list(_policy_cached())


def filter_recommendations(
    recs: Iterable[Recommendation],
    themes: Iterable[str] = (),
    actors: Iterable[str] = (),
    levels: Iterable[str] = (),
) -> list[Recommendation]:
    """Keep recommendations matching any chosen value in each facet; an empty facet keeps all."""
    wanted: tuple[set[str], ...] = (set(themes), set(actors), set(levels))

    def keep(rec: Recommendation) -> bool:
        tags: tuple[set[str], ...] = (set(rec.themes), set(rec.actors), set(rec.levels))
        return all(not want or bool(want & have) for want, have in zip(wanted, tags, strict=True))

    return [rec for rec in recs if keep(rec)]


Labeller = Callable[[str], str]


def export_rows(
    recs: Sequence[Recommendation],
    t: Translator,
    label: Labeller,
    city_name: Labeller,
    citations: Citations | None = None,
) -> list[dict[str, str]]:
    """One flat row per recommendation in `t`'s language; `label` turns tag ids into words.

    Each evidence line carries its citation numbers, and the `sources` cell the full citations
    of every number used in the row, so a CSV row can be traced on its own.
    """
    cites = citations if citations is not None else Citations()
    rows: list[dict[str, str]] = []
    for rec in recs:
        cited = numbers_label(cites.cite(rec.sources))
        explanation = f"{t.text(rec.explanation.as_dict())} {cited}"
        evidence = [
            (f"{city_name(e.city)}: " if e.city else "")
            + t.text(e.text.as_dict())
            + f" {numbers_label(cites.cite(e.sources))}"
            for e in rec.evidence
        ]
        used = [*rec.sources, *(k for e in rec.evidence for k in e.sources)]
        rows.append(
            {
                "number": str(rec.number),
                "id": rec.id,
                "title": t.text(rec.title.as_dict()),
                "explanation": explanation,
                "evidence": " | ".join(evidence),
                "themes": ", ".join(label(f"theme:{x}") for x in rec.themes),
                "actors": ", ".join(label(f"actor:{x}") for x in rec.actors),
                "levels": ", ".join(label(f"level:{x}") for x in rec.levels),
                "sources": citation_texts(cites, used, t),
            }
        )
    return rows


def to_csv(rows: Sequence[dict[str, str]], headers: dict[str, str]) -> bytes:
    """CSV with translated `headers` (column id -> heading), in the rows' column order; written
    by the one CSV writer of the exports (quoted, formula-safe, with a BOM for Excel)."""
    columns = list(headers)
    frame = pd.DataFrame(
        [[row[c] for c in columns] for row in rows], columns=[headers[c] for c in columns]
    )
    return export.to_csv(frame, bom=True)


def to_markdown(
    recs: Sequence[Recommendation],
    t: Translator,
    label: Labeller,
    city_name: Labeller,
    headings: dict[str, str],
) -> str:
    """A Markdown document: title, one section per recommendation, then the numbered sources."""
    cites = Citations()
    lines = [f"# {headings['document']}", ""]
    for rec in recs:
        lines += [
            f"## {rec.number}. {markdown_prose(t.text(rec.title.as_dict()))}",
            "",
            markdown_prose(t.text(rec.explanation.as_dict()))
            + f" {markdown_prose(numbers_label(cites.cite(rec.sources)))}",
            "",
            f"**{headings['evidence']}**",
            "",
        ]
        for item in rec.evidence:
            where = f"{city_name(item.city)}: " if item.city else ""
            numbers = numbers_label(cites.cite(item.sources))
            lines.append(f"- {markdown_prose(where + t.text(item.text.as_dict()) + ' ' + numbers)}")
        lines += [
            "",
            f"- **{headings['themes']}:** " + ", ".join(label(f"theme:{x}") for x in rec.themes),
            f"- **{headings['actors']}:** " + ", ".join(label(f"actor:{x}") for x in rec.actors),
            f"- **{headings['levels']}:** " + ", ".join(label(f"level:{x}") for x in rec.levels),
            "",
        ]
    lines.append(sources_markdown(cites, t))
    return "\n".join(lines).rstrip() + "\n"


def tag_label(t: Translator, content: Content, tag: str) -> str:
    """'theme:gender' / 'actor:eu' / 'level:local' -> words in the page language."""
    facet, value = tag.split(":", 1)
    if facet == "theme":
        return t.text(content.themes[value].name.as_dict())
    return t(f"recommendations.{facet}.{value}")


def ranking_table(
    shares: dict[str, float | None],
    recs: Sequence[Recommendation],
    t: Translator,
    min_cell: int = MIN_CELL,
) -> pd.DataFrame:
    """Rows for the ranking chart/table; a suppressed (None) share says 'fewer than k'."""
    rows = []
    for rec in recs:
        share = shares.get(rec.id)
        rows.append(
            {
                "recommendation": f"{rec.number}. {t.text(rec.title.as_dict())}",
                "order": rec.number,
                "value": share if share is not None else float("nan"),
                "display": t.percent(share)
                if share is not None
                else t("recommendations.ranking.fewer_than", k=min_cell),
            }
        )
    return pd.DataFrame(rows, columns=["recommendation", "order", "value", "display"])
