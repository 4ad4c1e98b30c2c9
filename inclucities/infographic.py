"""Values for the infographic pages (process, recommendations) in the page language.

Each function gathers the plain data one template in components/content/templates shows (the
markup and its escaping stay in the templates). Citation numbers are taken in the order the page
has always numbered them: a fact's sources get the next free numbers when it is first cited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from inclucities.citations import Citations
from inclucities.content import Content
from inclucities.i18n import Translator
from inclucities.process import (
    STAGE_COUNT,
    THEME_ICONS,
    Event,
    Highlight,
    KeyFactor,
    OutputItem,
    Stage,
    Toolkit,
    events_for_stage,
    pair_label,
)
from inclucities.process_charts import event_date_label
from inclucities.recommendations import (
    ACTOR_ICONS,
    LEVEL_ICONS,
    PolicyItem,
    Recommendation,
    tag_label,
)

Values = dict[str, object]
FACETS = (("what", "info"), ("who", "groups"), ("output", "inventory_2"))
TAG_FACETS = (("theme", THEME_ICONS), ("actor", ACTOR_ICONS), ("level", LEVEL_ICONS))


def hero(lead: str, stats: Iterable[tuple[str, str]]) -> Values:
    """A page banner: the lead sentence and its big figures (value, label)."""
    return {"lead": lead, "stats": [{"value": v, "label": label} for v, label in stats]}


def process_hero(t: Translator, stages: Sequence[Stage], content: Content) -> Values:
    cities = sum(1 for c in content.city_list() if c.role != "coordinator")
    stats = [
        (t.number(len(stages)), t("process.hero.stages")),
        (t.number(len(content.pairs)), t("process.hero.pairs")),
        (t.number(cities), t("process.hero.cities")),
        (t("process.hero.years_value"), t("process.hero.years")),
    ]
    return hero(t("process.lead"), stats)


def recommendations_hero(t: Translator, recs: Sequence[Recommendation]) -> Values:
    evidence = sum(len(r.evidence) for r in recs)
    cities = {e.city for r in recs for e in r.evidence if e.city}
    stats = [
        (t.number(len(recs)), t("recommendations.hero.recommendations")),
        (t.number(evidence), t("recommendations.hero.evidence")),
        (t.number(len(cities)), t("recommendations.hero.cities")),
    ]
    return hero(t("recommendations.lead"), stats)


def stage_flow(t: Translator, stages: Sequence[Stage], current: int) -> Values:
    """Every stage with its number, icon, title and period; `current` is marked."""
    items = [
        {
            "number": stage.number,
            "current": stage.number == current,
            "icon": stage.icon,
            "title": t.text(stage.title.as_dict()),
            "period": t.text(stage.period.as_dict()),
        }
        for stage in stages
    ]
    return {"stages": items, "label": t("process.flow_label")}


def stage_card(t: Translator, stage: Stage, events: Sequence[Event], cites: Citations) -> Values:
    """One stage: what, who, output, its dated events (cited first), then its own sources."""
    facets = [
        {
            "icon": symbol,
            "heading": t(f"process.facet.{name}"),
            "text": t.text(getattr(stage, name).as_dict()),
        }
        for name, symbol in FACETS
    ]
    dated = [
        {
            "date": event_date_label(e, t),
            "title": t.text(e.title.as_dict()),
            "approximate": e.approximate,
            "cites": cites.cite(e.sources),
        }
        for e in events_for_stage(events, stage.number)
    ]
    return {
        "title": t.text(stage.title.as_dict()),
        "of": t("process.stage_of", number=stage.number, count=STAGE_COUNT),
        "number": stage.number,
        "icon_name": stage.icon,
        "period": t.text(stage.period.as_dict()),
        "facets": facets,
        "events": dated,
        "events_heading": t("process.stage_events"),
        "approximate": t("process.timeline.approximate"),
        "cites": cites.cite(stage.sources),
        "cite_label": t("core.citation.cited"),
    }


def picked_event(t: Translator, row: Mapping[str, object]) -> Values:
    """The event tapped in the timeline (a row of `timeline_table`), written out in full."""
    details = [
        (t(f"process.timeline.col.{name}"), str(row.get(name) or ""))
        for name in ("date", "track", "kind", "place", "precision", "note")
    ]
    numbers = [int(n) for n in str(row.get("cite_numbers") or "").split()]
    return {
        "heading": t("process.timeline.selected"),
        "title": str(row.get("event") or ""),
        "details": [{"label": label, "text": text} for label, text in details if text],
        "cites": numbers,
        "cite_label": t("core.citation.cited"),
    }


def facts(t: Translator, items: Iterable[KeyFactor | Highlight], cites: Citations) -> list[Values]:
    """Labelled facts (key factors, highlights) with their citation numbers, in order."""
    return [
        {
            "label": t.text((f.title if isinstance(f, KeyFactor) else f.label).as_dict()),
            "text": t.text(f.text.as_dict()),
            "cites": cites.cite(f.sources),
        }
        for f in items
    ]


def bench_labels(t: Translator) -> Values:
    return {
        "benchmark_label": t("process.bench.benchmark"),
        "factors_label": t("process.bench.key_factors"),
        "cite_label": t("core.citation.cited"),
    }


def bench_example(
    t: Translator, example: Toolkit, cites: Citations, sources: Iterable[str]
) -> Values:
    """The leaflet's worked example; `sources` back the definition under it."""
    factors = facts(t, example.key_factors, cites)
    return {
        "example_label": t("process.bench.example"),
        "benchmark": t.text(example.benchmark.as_dict()),
        "factors": factors,
        "definition": t("process.bench.definition"),
        "cites": cites.cite(sources),
        **bench_labels(t),
    }


def toolkit_cards(
    t: Translator, toolkits: Iterable[Toolkit], content: Content, cites: Citations
) -> Values:
    """The pairs' toolkits (not the worked example): theme, pair, benchmark, key factors."""
    kits: list[Values] = []
    for kit in (k for k in toolkits if k.kind == "toolkit"):
        theme = content.themes[kit.theme or ""]
        factors = facts(t, kit.key_factors, cites)
        kits.append(
            {
                "icon": THEME_ICONS[theme.id],
                "theme": t.text(theme.name.as_dict()),
                "pair": pair_label(content, t, kit.pair or 0),
                "benchmark": t.text(kit.benchmark.as_dict()),
                "note": t.text(kit.benchmark_note.as_dict()) if kit.benchmark_note else "",
                "factors": factors,
                "cites": cites.cite(kit.sources),
            }
        )
    return {"kits": kits, "no_factors": t("process.bench.no_factors"), **bench_labels(t)}


def output_cards(t: Translator, items: Iterable[OutputItem], cites: Citations) -> Values:
    """Output items as cards: icon, title, text, highlights (cited first), sources."""
    cards: list[Values] = []
    for item in items:
        highlights = facts(t, item.highlights, cites)
        cards.append(
            {
                "icon": item.icon,
                "title": t.text(item.title.as_dict()),
                "text": t.text(item.text.as_dict()),
                "highlights": highlights,
                "cites": cites.cite(item.sources),
            }
        )
    return {
        "items": cards,
        "cite_label": t("core.citation.cited"),
        "details_label": t("process.outputs.details"),
    }


def numbered(t: Translator, items: Iterable[OutputItem], cites: Citations) -> Values:
    """Objectives or expected results as a numbered list."""
    entries = [
        {
            "icon": it.icon,
            "title": t.text(it.title.as_dict()),
            "text": t.text(it.text.as_dict()),
            "cites": cites.cite(it.sources),
        }
        for it in items
    ]
    return {"entries": entries, "cite_label": t("core.citation.cited")}


def _tag_rows(t: Translator, content: Content, rec: Recommendation) -> list[Values]:
    values: dict[str, Sequence[str]] = {
        "theme": rec.themes,
        "actor": rec.actors,
        "level": rec.levels,
    }
    return [
        {
            "heading": t(f"recommendations.facet.{facet}"),
            "chips": [
                {"icon": icons[v], "text": tag_label(t, content, f"{facet}:{v}")}
                for v in values[facet]
            ],
        }
        for facet, icons in TAG_FACETS
    ]


def recommendation_cards(
    t: Translator, recs: Iterable[Recommendation], content: Content, cites: Citations
) -> Values:
    """One card per recommendation; its evidence is cited before its own sources."""
    cards: list[Values] = []
    for rec in recs:
        evidence = [
            {
                "city": t.text(content.cities[e.city].name.as_dict()) if e.city else "",
                "text": t.text(e.text.as_dict()),
                "cites": cites.cite(e.sources),
            }
            for e in rec.evidence
        ]
        cards.append(
            {
                "id": rec.id,
                "number": rec.number,
                "icon": rec.icon,
                "title": t.text(rec.title.as_dict()),
                "explanation": t.text(rec.explanation.as_dict()),
                "cites": cites.cite(rec.sources),
                "evidence": evidence,
                "facets": _tag_rows(t, content, rec),
            }
        )
    return {
        "recs": cards,
        "evidence_label": t("recommendations.evidence"),
        "cite_label": t("core.citation.cited"),
    }


def policy_cards(t: Translator, items: Iterable[PolicyItem], cites: Citations) -> Values:
    """The EU policy context, one dated card per item; CEMR's call is accented."""
    cards = [
        {
            "accent": item.kind == "call",
            "icon": item.icon,
            "when": t.text(item.when.as_dict()),
            "title": t.text(item.title.as_dict()),
            "summary": t.text(item.summary.as_dict()),
            "points": t.items(item.points.as_dict()) if item.points else None,
            "cites": cites.cite(item.sources),
        }
        for item in items
    ]
    return {"items": cards, "cite_label": t("core.citation.cited")}
