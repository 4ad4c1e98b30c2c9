"""What a live screen receives: one JSON summary per survey, language and screen kind.

Built from the one suppressed `SurveySummary`, so a live screen can never show more than the
results page or the shareable export. Two parts:

- `chart_set(survey, lang, mode)`: the Vega-Lite specs of every chart that screen may draw.
  They depend on the survey's text only, so they are built once per process and sent once per
  connection (event `specs`), under an id that changes only when the text does.
- `build_payload(...)`: the current figures (event `summary`): headline, sections (chart values
  and table rows, every string already translated and formatted), approved ideas (newest first,
  and the wall's top ideas: pinned first, then by support), word clouds of short-text questions
  (words with their relative size, and the same words as a table), and the few interface texts
  the browser needs. Every string is plain text; the browser inserts it with
  `textContent`, never as HTML.

`mode` is `results` (phones and desktops: every section, tables shown) or `presenter` (the
projector: big type, opinion charts only). On both, no figure but the number of answers is
sent until the presenter reveals the results of the view shown (`revealed`: that session's
state, or the state of all sessions), and none again once they are hidden.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from inclucities.i18n import Translator, is_rtl, translator
from inclucities.memo import Memo
from inclucities.results.charts import (
    agreement_spec,
    count_spec,
)
from inclucities.results.model import SurveySummary
from inclucities.results.payload_types import ClientTexts, NumberLocale, Payload, Section
from inclucities.results.public_ideas import shown_languages
from inclucities.results.sections import (
    CHOICE_CHART_TYPES,
    agreement_sections,
    choice_section,
    comparison_section,
    ideas_part,
    level_labels,
    opinion_questions,
    option_labels,
    profile_sections,
    statement,
    style_for,
    word_cloud,
)
from inclucities.results.summary import is_profile
from inclucities.survey.models import Survey

MODES: tuple[str, ...] = ("results", "presenter")


def direction(lang: str) -> str:
    return "rtl" if is_rtl(lang) else "ltr"


# -- chart specs (static per survey, language and screen) -----------------------------------------


@dataclass(frozen=True)
class ChartSet:
    """Every chart spec one kind of screen may draw, under an id derived from their content."""

    id: str
    specs: dict[str, dict[str, Any]]

    def event(self) -> dict[str, Any]:
        return {"type": "specs", "id": self.id, "specs": self.specs}


_chart_sets: Memo[tuple[str, int, str, str], ChartSet] = Memo(256)


def chart_set(survey: Survey, lang: str, mode: str) -> ChartSet:
    """The specs for (survey, language, screen), built once per process (Altair, validated)."""
    key = (survey.id, survey.version, lang, mode)
    return _chart_sets.get(key, lambda: _build_chart_set(survey, lang, mode))


def _build_chart_set(survey: Survey, lang: str, mode: str) -> ChartSet:
    t = translator(lang)
    style = style_for(mode)
    rtl = is_rtl(lang)
    specs: dict[str, dict[str, Any]] = {}
    agreement = [q for q in survey.questions if q.type == "agreement"]
    labels = level_labels(t)
    share_title = t("results.share_axis")
    singles = [q for q in agreement if len(q.columns) == 1]
    if mode == "results" and singles:
        rows = [statement(q, None, t, with_question=False) for q in singles]
        specs["agreement"] = agreement_spec(rows, labels, share_title, style, rtl)
    for q in agreement:
        if mode == "results" and len(q.columns) == 1:
            continue
        rows = [statement(q, item, t, with_question=False) for _, item in q.columns]
        specs[f"agreement:{q.id}"] = agreement_spec(rows, labels, share_title, style, rtl)
    for q in survey.questions:
        if q.type in CHOICE_CHART_TYPES and not is_profile(survey, q):
            options = list(option_labels(q, t).values())
            specs[f"count:{q.id}"] = count_spec(options, t("results.times_chosen"), style, rtl)
    digest = hashlib.sha256(json.dumps(specs, sort_keys=True).encode("utf-8")).hexdigest()[:12]
    return ChartSet(digest, specs)


def client_texts(t: Translator) -> ClientTexts:
    """Interface texts the browser shows by itself ({time} is filled in there)."""
    return {
        "updated": t("results.updated", time="{time}"),
        "offline": t("results.offline", time="{time}"),
        "loading": t("results.loading"),
        "more": t("results.more"),
        "show_table": t("results.show_table"),
        "legend": t("results.legend"),
        "unavailable": t("results.unavailable_live"),
        "page": t("results.stage_page", current="{current}", total="{total}"),
    }


def number_locale(t: Translator) -> NumberLocale:
    """The language's number format for Vega's axis and bar labels (d3-format locale)."""
    sample = t.percent(0.5)
    digits = sample.rstrip("%").rstrip("\u00a0\u202f ")
    return {
        "decimal": t.locale.number_symbols.get("latn", {}).get("decimal", "."),
        "thousands": t.locale.number_symbols.get("latn", {}).get("group", ","),
        "grouping": [3],
        "currency": ["", ""],
        "percent": sample[len(digits) :] or "%",
    }


def build_payload(
    survey: Survey,
    summary: SurveySummary,
    lang: str,
    mode: str,
    *,
    version: str,
    revealed: bool,
    is_open: bool,
    closed_message: str = "results.closed",
) -> Payload:
    """The `summary` event for one (survey, language, screen) at one data version."""
    t = translator(lang)
    k = summary.min_cell
    shown = shown_languages(summary.by_language, k)  # languages an idea or word may name
    status: str | None = None
    if summary.total == 0:
        status = t("results.none_yet")
    elif not summary.ready:
        status = t("results.waiting", count=k - summary.total, k=k)
    elif not revealed:
        status = t("results.hidden_on_screen")
    sections: list[Section] = []
    show = summary.ready and revealed  # hidden results stay hidden on every screen
    if show:
        sections += agreement_sections(survey, summary, t, mode)
        opinion = opinion_questions(survey, summary)
        first_priority = next((q.question_id for q in opinion if q.type == "priorities"), None)
        ordered = sorted(opinion, key=lambda q: q.type != "priorities")
        if mode == "results":
            for q in ordered:
                essential = q.question_id == first_priority
                section = choice_section(survey, q, t, k, mode, essential)
                if section is not None:
                    sections.append(section)
                if q.question_id == first_priority:
                    comparison = comparison_section(survey, summary, t)
                    if comparison is not None:
                        sections.append(comparison)
            sections += profile_sections(survey, summary, t)
        else:
            for q in ordered:
                section = choice_section(survey, q, t, k, mode, essential=True)
                if section is not None:
                    sections.append(section)
    return {
        "type": "summary",
        "survey": survey.id,
        "title": t.text(survey.title),
        "mode": mode,
        "lang": t.lang,
        "dir": direction(t.lang),
        "version": version,
        "specs": chart_set(survey, t.lang, mode).id,
        "updated": summary.generated_at.astimezone(UTC).isoformat(timespec="seconds"),
        "total": summary.total,
        "ready": summary.ready,
        "k": k,
        "open": is_open,
        "revealed": revealed,
        "headline": {
            "count": t.number(summary.total),
            "label": t("results.total"),
            "status": status,
            "closed": None if is_open else t(closed_message),
        },
        "sections": sections,
        "ideas": ideas_part(summary, t, shown),
        "clouds": [word_cloud(survey, c, t, shown) for c in summary.word_clouds],
        "texts": client_texts(t),
        "number_locale": number_locale(t),
    }


def payload_bytes(payload: Payload | Mapping[str, Any]) -> bytes:
    """Compact JSON (UTF-8), the form sent to every screen."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
