"""The sections of a live payload: every chart's values and table, each idea and word cloud,
as plain text already translated and formatted (the browser inserts it with `textContent`).

`mode` is `results` (phones and desktops: every section, tables shown) or `presenter` (the
projector: big type, opinion charts only).
"""

from __future__ import annotations

from inclucities.i18n import LANGUAGES, Translator
from inclucities.results.charts import (
    AGREEMENT_COLOURS,
    PROJECTOR_STYLE,
    RESULTS_STYLE,
    ChartStyle,
    agreement_values,
    count_values,
)
from inclucities.results.model import Cell, QuestionSummary, SurveySummary, WordCloud
from inclucities.results.payload_types import (
    Chart,
    Cloud,
    IdeaItem,
    Ideas,
    LegendEntry,
    Section,
    Table,
    TopIdea,
)
from inclucities.results.public_ideas import public_language, text_direction
from inclucities.survey.form import scale_label
from inclucities.survey.models import AGREEMENT_LEVELS, LIST_TYPES, Question, Survey
from inclucities.text import collapse_blank_lines
from inclucities.wordcloud import arrange

IDEAS_LIMIT = 40
CHOICE_CHART_TYPES = frozenset({"single", "multi", "priorities"})


def style_for(mode: str) -> ChartStyle:
    return PROJECTOR_STYLE if mode == "presenter" else RESULTS_STYLE


# -- text helpers ---------------------------------------------------------------------------------


def statement(question: Question, item_id: str | None, t: Translator, with_question: bool) -> str:
    """A statement's label: the item alone, or 'question … item' when read out of context."""
    text = t.text(question.text)
    if item_id is None:
        return text
    item = next((i for i in question.items if i.id == item_id), None)
    label = t.text(item.label) if item else item_id
    return f"{text.rstrip('…').rstrip()} … {label}" if with_question else label


def level_labels(t: Translator) -> list[str]:
    return [scale_label(t, lvl) for lvl in AGREEMENT_LEVELS]


def option_labels(question: Question, t: Translator) -> dict[str, str]:
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


def opinion_questions(survey: Survey, summary: SurveySummary) -> list[QuestionSummary]:
    return [q for q in summary.questions if q.type in CHOICE_CHART_TYPES and not q.profile]


# -- sections -------------------------------------------------------------------------------------


def _legend(t: Translator) -> list[LegendEntry]:
    return [
        {"label": label, "colour": colour}
        for label, colour in zip(level_labels(t), AGREEMENT_COLOURS, strict=True)
    ]


def _section(
    section_id: str,
    title: str | None,
    *,
    intro: str | None = None,
    essential: bool = False,
    chart: Chart | None = None,
    table: Table | None = None,
    note: str | None = None,
) -> Section:
    return {
        "id": section_id,
        "title": title,
        "intro": intro,
        "essential": essential,
        "chart": chart,
        "table": table,
        "note": note,
    }


def agreement_sections(
    survey: Survey, summary: SurveySummary, t: Translator, mode: str
) -> list[Section]:
    k = summary.min_cell
    style = style_for(mode)
    labels = level_labels(t)
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
        chart: Chart | None = None
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


def choice_section(
    survey: Survey, q: QuestionSummary, t: Translator, k: int, mode: str, essential: bool
) -> Section | None:
    """A chosen-options chart and table; a ranking question reads 'What matters most'."""
    question = survey.question(q.question_id)
    if question is None:
        return None
    labels = option_labels(question, t)
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
    chart: Chart | None = None
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


def comparison_section(survey: Survey, summary: SurveySummary, t: Translator) -> Section | None:
    if not summary.comparison_question or not summary.comparisons:
        return None
    k = summary.min_cell
    question = survey.question(summary.comparison_question)
    if question is None:
        return None
    names = option_labels(question, t)
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


def profile_sections(survey: Survey, summary: SurveySummary, t: Translator) -> list[Section]:
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
        labels = option_labels(question, t)
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


def word_cloud(survey: Survey, cloud: WordCloud, t: Translator, shown: frozenset[str]) -> Cloud:
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


def _topideas_part(summary: SurveySummary, t: Translator, shown: frozenset[str]) -> list[TopIdea]:
    """The wall's ideas: pinned first, then by support; blank-line runs collapsed, no language
    name shown (the `lang` attribute tells screen readers how to read each one, where the
    language's group is published, `shown`: `inclucities.results.public_ideas`)."""
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


def ideas_part(summary: SurveySummary, t: Translator, shown: frozenset[str]) -> Ideas:
    """Approved ideas, newest first, as literal text in their own direction; each with its
    language's name only where the summary publishes that language's group (else the badge
    could single the author out: `inclucities.results.public_ideas`)."""
    items: list[IdeaItem] = []
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
        "top": _topideas_part(summary, t, shown),
    }
