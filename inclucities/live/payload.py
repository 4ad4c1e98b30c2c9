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
import threading
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from inclucities.i18n import LANGUAGES, Translator, is_rtl, translator
from inclucities.public_ideas import public_language, shown_languages, text_direction
from inclucities.survey.charts import (
    AGREEMENT_COLOURS,
    PROJECTOR_STYLE,
    RESULTS_STYLE,
    ChartStyle,
    agreement_spec,
    agreement_values,
    count_spec,
    count_values,
)
from inclucities.survey.form import scale_label
from inclucities.survey.models import AGREEMENT_LEVELS, LIST_TYPES, Question, Survey
from inclucities.survey.summary import (
    Cell,
    QuestionSummary,
    SurveySummary,
    WordCloud,
    is_profile,
)
from inclucities.text import collapse_blank_lines
from inclucities.wordcloud import arrange

MODES: tuple[str, ...] = ("results", "presenter")
IDEAS_LIMIT = 40
CHOICE_CHART_TYPES = frozenset({"single", "multi", "priorities"})


def style_for(mode: str) -> ChartStyle:
    return PROJECTOR_STYLE if mode == "presenter" else RESULTS_STYLE


def direction(lang: str) -> str:
    return "rtl" if is_rtl(lang) else "ltr"


# -- text helpers ---------------------------------------------------------------------------------


def statement(question: Question, item_id: str | None, t: Translator, with_question: bool) -> str:
    """A statement's label: the item alone, or 'question … item' when read out of context."""
    text = t.text(question.text)
    if item_id is None:
        return text
    item = next((i for i in question.items if i.id == item_id), None)
    label = t.text(item.label) if item else item_id
    return f"{text.rstrip('…').rstrip()} … {label}" if with_question else label


def _level_labels(t: Translator) -> list[str]:
    return [scale_label(t, lvl) for lvl in AGREEMENT_LEVELS]


def _option_labels(question: Question, t: Translator) -> dict[str, str]:
    return {o.id: t.text(o.label) for o in question.options}


def count_text(cell: Cell, t: Translator, k: int) -> str:
    """A count, or "fewer than k" when the small-cell rule hides it."""
    return t("results.fewer_than", k=k) if cell.suppressed else t.number(cell.count or 0)


def count_share_text(cell: Cell, t: Translator, k: int) -> str:
    """A count with its share, or "fewer than k" when the small-cell rule hides it."""
    if cell.suppressed:
        return t("results.fewer_than", k=k)
    share = f" ({t.percent(cell.share)})" if cell.share is not None else ""
    return f"{t.number(cell.count or 0)}{share}"


def not_enough(t: Translator, k: int, mode: str) -> str:
    """Why a question shows no figures yet; on the projector, one short line."""
    if mode == "presenter":
        return t("results.stage_waiting", count=k)
    return t("results.not_enough", k=k)


def _opinion_questions(survey: Survey, summary: SurveySummary) -> list[QuestionSummary]:
    return [q for q in summary.questions if q.type in CHOICE_CHART_TYPES and not q.profile]


# -- chart specs (static per survey, language and screen) -----------------------------------------


@dataclass(frozen=True)
class ChartSet:
    """Every chart spec one kind of screen may draw, under an id derived from their content."""

    id: str
    specs: dict[str, dict[str, Any]]

    def event(self) -> dict[str, Any]:
        return {"type": "specs", "id": self.id, "specs": self.specs}


_chart_sets: dict[tuple[str, int, str, str], ChartSet] = {}
_chart_lock = threading.Lock()


def chart_set(survey: Survey, lang: str, mode: str) -> ChartSet:
    """The specs for (survey, language, screen), built once per process (Altair, validated)."""
    key = (survey.id, survey.version, lang, mode)
    with _chart_lock:
        cached = _chart_sets.get(key)
    if cached is not None:
        return cached
    t = translator(lang)
    style = style_for(mode)
    rtl = is_rtl(lang)
    specs: dict[str, dict[str, Any]] = {}
    agreement = [q for q in survey.questions if q.type == "agreement"]
    labels = _level_labels(t)
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
            options = list(_option_labels(q, t).values())
            specs[f"count:{q.id}"] = count_spec(options, t("results.times_chosen"), style, rtl)
    digest = hashlib.sha256(json.dumps(specs, sort_keys=True).encode("utf-8")).hexdigest()[:12]
    built = ChartSet(digest, specs)
    with _chart_lock:
        _chart_sets[key] = built
    return built


# -- sections -------------------------------------------------------------------------------------


def _legend(t: Translator) -> list[dict[str, str]]:
    return [
        {"label": label, "colour": colour}
        for label, colour in zip(_level_labels(t), AGREEMENT_COLOURS, strict=True)
    ]


def _section(
    section_id: str,
    title: str | None,
    *,
    intro: str | None = None,
    essential: bool = False,
    chart: dict[str, Any] | None = None,
    table: dict[str, Any] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    return {
        "id": section_id,
        "title": title,
        "intro": intro,
        "essential": essential,
        "chart": chart,
        "table": table,
        "note": note,
    }


def _agreement_sections(
    survey: Survey, summary: SurveySummary, t: Translator, mode: str
) -> list[dict[str, Any]]:
    k = summary.min_cell
    style = style_for(mode)
    labels = _level_labels(t)
    groups: list[tuple[str, str, list[QuestionSummary]]] = []
    by_question = {
        q: [r for r in summary.agreement if r.question_id == q]
        for q in dict.fromkeys(r.question_id for r in summary.agreement)
    }
    if mode == "results":
        # the single statements together (the essentials); each grid of items on its own
        singles = [r for rows in by_question.values() if len(rows) == 1 for r in rows]
        if singles:
            groups.append(("agreement", t("results.agreement"), singles))
    for question_id, rows in by_question.items():
        if mode == "results" and len(rows) == 1:
            continue
        question = survey.question(question_id)
        title = t.text(question.text) if question is not None else question_id
        groups.append((f"agreement:{question_id}", title, rows))
    sections = []
    for section_id, heading, rows in groups:
        named = []
        for q in rows:
            question = survey.question(q.question_id)
            if question is None:
                continue
            named.append((statement(question, q.item_id, t, with_question=False), q))
        values = agreement_values(named, lambda lvl: scale_label(t, lvl), t.percent, style)
        table_rows = []
        for text, q in named:
            cells = {c.key: c for c in q.options}
            if q.answered.suppressed:
                table_rows.append([text, count_text(q.answered, t, k)] + ["–"] * len(labels))
            else:
                table_rows.append(
                    [text, count_text(q.answered, t, k)]
                    + [count_share_text(cells[lvl], t, k) for lvl in AGREEMENT_LEVELS]
                )
        chart = None
        if values:
            chart = {
                "spec": section_id,
                "alt": t("results.chart_alt", title=heading),
                "values": values,
                "legend": _legend(t),
            }
        sections.append(
            _section(
                section_id,
                heading,
                intro=t("results.agreement_intro") if section_id == "agreement" else None,
                essential=section_id == "agreement" or mode == "presenter",
                chart=chart,
                # the projector: a question still under the threshold is one line, no table
                table=(
                    {
                        "caption": t("results.table_caption"),
                        "columns": [t("results.statement"), t("results.answered"), *labels],
                        "rows": table_rows,
                    }
                    if values or mode == "results"
                    else None
                ),
                note=None if values else not_enough(t, k, mode),
            )
        )
    return sections


def _choice_section(
    survey: Survey, q: QuestionSummary, t: Translator, k: int, mode: str, essential: bool
) -> dict[str, Any] | None:
    """A chosen-options chart and table; a ranking question reads 'What matters most'."""
    question = survey.question(q.question_id)
    if question is None:
        return None
    labels = _option_labels(question, t)
    title = t.text(question.text)
    heading = t("results.priorities") if q.type == "priorities" and mode == "results" else title
    values = count_values(q.options, labels.__getitem__, style_for(mode))
    order = {c.key: index for index, c in enumerate(q.options)}
    ranked = sorted(q.options, key=lambda c: (c.suppressed, -(c.count or 0), order[c.key]))
    share_column = t("results.share_of_respondents")
    columns = [t("results.option"), t("results.times_chosen")]
    if question.type in LIST_TYPES:
        columns.append(share_column)
    rows = []
    for cell in ranked:
        row = [labels.get(cell.key, cell.key), count_text(cell, t, k)]
        if question.type in LIST_TYPES:
            row.append("–" if cell.suppressed or cell.share is None else t.percent(cell.share))
        rows.append(row)
    published = not q.answered.suppressed
    chart = None
    if published and values:
        chart = {
            "spec": f"count:{q.question_id}",
            "alt": t("results.chart_alt", title=title),
            "values": values,
            "legend": None,
        }
    answered = t("results.answered_by", count=q.answered.count or 0) if published else None
    intro = f"{title} {answered}" if heading != title and answered else (answered or None)
    return _section(
        f"count:{q.question_id}",
        heading,
        intro=intro,
        essential=essential,
        chart=chart,
        table=(
            {"caption": t("results.table_caption"), "columns": columns, "rows": rows}
            if published
            else None
        ),
        note=None if published else not_enough(t, k, mode),
    )


def _comparison_section(
    survey: Survey, summary: SurveySummary, t: Translator
) -> dict[str, Any] | None:
    if not summary.comparison_question or not summary.comparisons:
        return None
    k = summary.min_cell
    question = survey.question(summary.comparison_question)
    if question is None:
        return None
    names = _option_labels(question, t)
    columns = [t("results.statement")] + [
        t("results.group_column", group=names.get(g.key, g.key), n=count_text(g, t, k))
        for g in summary.comparison_groups
    ]
    rows = []
    for comparison in summary.comparisons:
        asked = survey.question(comparison.question_id)
        if asked is None:
            continue
        row = [statement(asked, comparison.item_id, t, with_question=True)]
        for g in comparison.groups:
            row.append(
                t("results.fewer_than", k=k) if g.agree_share is None else t.percent(g.agree_share)
            )
        rows.append(row)
    return _section(
        "comparison",
        t("results.comparison"),
        intro=t("results.comparison_intro"),
        table={"caption": t("results.comparison_intro"), "columns": columns, "rows": rows},
    )


def _profile_sections(
    survey: Survey, summary: SurveySummary, t: Translator
) -> list[dict[str, Any]]:
    k = summary.min_cell
    responses = t("results.responses")
    sections = [
        _section(
            "profile:lang",
            t("results.by_language"),
            table={
                "caption": t("results.by_language"),
                "columns": [t("results.language"), responses],
                "rows": [
                    [
                        LANGUAGES[c.key].native_name if c.key in LANGUAGES else c.key,
                        count_share_text(c, t, k),
                    ]
                    for c in summary.by_language
                ],
            },
        )
    ]
    for q in summary.questions:
        if not q.profile:
            continue
        question = survey.question(q.question_id)
        if question is None:
            continue
        labels = _option_labels(question, t)
        title = t.text(question.text)
        sections.append(
            _section(
                f"profile:{q.question_id}",
                title,
                table={
                    "caption": title,
                    "columns": [t("results.answer"), responses],
                    "rows": [
                        [labels.get(c.key, c.key), count_share_text(c, t, k)] for c in q.options
                    ],
                },
            )
        )
    return sections


def _word_cloud(
    survey: Survey, cloud: WordCloud, t: Translator, shown: frozenset[str]
) -> dict[str, Any]:
    """One word cloud: the words in reading order (biggest in the middle) with their relative
    size, and the same words as a table, most frequent first. A word's language is given only
    where that language's group is published (`shown`), as for ideas."""
    question = survey.question(cloud.question_id)
    title = t.text(question.text) if question is not None else cloud.question_id
    return {
        "id": f"cloud:{cloud.question_id}",
        "title": title,
        "intro": t("results.cloud.answers", count=cloud.answers),
        "alt": t("results.cloud.alt", title=title),
        "empty": t("results.cloud.empty"),
        "words": [
            {
                "text": w.text,
                "count": w.count,
                "weight": round(w.weight, 3),
                "lang": public_language(w.lang, shown) or "",
                "dir": text_direction(w.text),
                "label": t("results.cloud.word_label", word=w.text, count=w.count),
            }
            for w in arrange(list(cloud.words))
        ],
        "table": {
            "caption": t("results.cloud.caption", title=title),
            "columns": [t("results.cloud.word"), t("results.cloud.count")],
            "rows": [[w.text, t.number(w.count)] for w in cloud.words],
        },
    }


def _top_ideas(
    summary: SurveySummary, t: Translator, shown: frozenset[str]
) -> list[dict[str, Any]]:
    """The wall's ideas: pinned first, then by support; blank-line runs collapsed, no language
    name shown (the `lang` attribute tells screen readers how to read each one, where the
    language's group is published, `shown`: `inclucities.public_ideas`)."""
    return [
        {
            "id": idea.id,
            "text": collapse_blank_lines(idea.text.strip()),
            "lang": public_language(idea.lang, shown) or "",  # "": unknown, not the page's
            "dir": text_direction(idea.text),
            "supports": t("results.supports", count=idea.supports),
            "support_count": idea.supports,
            "pinned": t("results.pinned") if idea.pinned else None,
        }
        for idea in summary.top_ideas
    ]


def _ideas(summary: SurveySummary, t: Translator, shown: frozenset[str]) -> dict[str, Any]:
    """Approved ideas, newest first, as literal text in their own direction; each with its
    language's name only where the summary publishes that language's group (else the badge
    could single the author out: `inclucities.public_ideas`)."""
    items = []
    for idea in summary.approved_ideas[:IDEAS_LIMIT]:
        lang = public_language(idea.lang, shown)
        language = None
        if lang is not None:
            language = LANGUAGES[lang].native_name if lang in LANGUAGES else lang
        items.append(
            {
                "text": collapse_blank_lines(idea.text.strip()),
                "lang": lang or "",  # "": unknown, not the page's
                "dir": text_direction(idea.text),
                "language": language,
                "written_in": t("results.written_in", language=language) if language else None,
            }
        )
    approved = len(summary.approved_ideas)
    return {
        "title": t("results.ideas"),
        "count": summary.idea_count,
        "count_text": t("results.idea_count", count=summary.idea_count),
        "wall_count": t("results.wall_count", count=approved),
        "empty": t("results.wall_empty"),
        "items": items,
        "top_title": t("results.top_ideas"),
        "top": _top_ideas(summary, t, shown),
    }


def client_texts(t: Translator) -> dict[str, str]:
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


def number_locale(t: Translator) -> dict[str, Any]:
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
) -> dict[str, Any]:
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
    sections: list[dict[str, Any]] = []
    show = summary.ready and revealed  # hidden results stay hidden on every screen
    if show:
        sections += _agreement_sections(survey, summary, t, mode)
        opinion = _opinion_questions(survey, summary)
        first_priority = next((q.question_id for q in opinion if q.type == "priorities"), None)
        ordered = sorted(opinion, key=lambda q: q.type != "priorities")
        if mode == "results":
            for q in ordered:
                essential = q.question_id == first_priority
                section = _choice_section(survey, q, t, k, mode, essential)
                if section is not None:
                    sections.append(section)
                if q.question_id == first_priority:
                    comparison = _comparison_section(survey, summary, t)
                    if comparison is not None:
                        sections.append(comparison)
            sections += _profile_sections(survey, summary, t)
        else:
            for q in ordered:
                section = _choice_section(survey, q, t, k, mode, essential=True)
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
        "ideas": _ideas(summary, t, shown),
        "clouds": [_word_cloud(survey, c, t, shown) for c in summary.word_clouds],
        "texts": client_texts(t),
        "number_locale": number_locale(t),
    }


def payload_bytes(payload: dict[str, Any]) -> bytes:
    """Compact JSON (UTF-8), the form sent to every screen."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
