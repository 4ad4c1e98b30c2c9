"""Live results: totals, breakdowns, diverging agreement bars, priorities, comparison, ideas."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.charts import show_chart
from components.store_access import (
    REFRESH_SECONDS,
    StoreUnavailable,
    cached_summary,
    min_cell_size,
    survey_registry,
)
from inclucities.i18n import LANGUAGES, Translator, is_rtl
from inclucities.survey.charts import (
    agreement_frame,
    build_agreement_chart,
    build_priority_chart,
    priority_frame,
)
from inclucities.survey.models import AGREEMENT_LEVELS, Survey
from inclucities.survey.summary import Cell, QuestionSummary, SurveySummary

DEFAULT_SURVEY = "resident"


def _count(cell: Cell, t: Translator, k: int) -> str:
    return t("results.fewer_than", k=k) if cell.suppressed else t.number(cell.count or 0)


def _count_share(cell: Cell, t: Translator, k: int) -> str:
    if cell.suppressed:
        return t("results.fewer_than", k=k)
    share = f" ({t.percent(cell.share)})" if cell.share is not None else ""
    return f"{t.number(cell.count or 0)}{share}"


def _table(rows: list[dict[str, str]], index: str) -> None:
    """An accessible static table; the first column is the row header."""
    st.table(pd.DataFrame(rows).set_index(index))


def _breakdown(
    title: str, column: str, cells: Sequence[Cell], label, t: Translator, k: int
) -> None:
    st.subheader(title)
    rows = [{column: label(c.key), t("results.responses"): _count_share(c, t, k)} for c in cells]
    _table(rows, column)


def _statement(survey: Survey, q: QuestionSummary, t: Translator) -> str:
    question = survey.question(q.question_id)
    assert question is not None
    text = t.text(question.text)
    if q.item_id is None:
        return text
    item = next(i for i in question.items if i.id == q.item_id)
    return f"{text.rstrip('…').rstrip()} … {t.text(item.label)}"


def _agreement(survey: Survey, summary: SurveySummary, t: Translator) -> None:
    rows = [(_statement(survey, q, t), q) for q in summary.agreement]
    if not rows:
        return
    k = summary.min_cell
    labels = [t(f"survey.scale.{lvl}") for lvl in AGREEMENT_LEVELS]
    st.subheader(t("results.agreement"))
    st.caption(t("results.agreement_intro"))
    frame = agreement_frame(rows, lambda lvl: t(f"survey.scale.{lvl}"))
    chart = build_agreement_chart(frame, labels, "", t("results.share_axis"), rtl=is_rtl(t.lang))
    show_chart(chart, t("results.chart_alt", title=t("results.agreement")), width="stretch")
    st.caption(t("results.table_caption"))
    table = []
    for statement, q in rows:
        cells = {c.key: c for c in q.options}
        row = {t("results.statement"): statement, t("results.answered"): _count(q.answered, t, k)}
        for lvl, label in zip(AGREEMENT_LEVELS, labels, strict=True):
            row[label] = _count_share(cells[lvl], t, k)
        table.append(row)
    _table(table, t("results.statement"))


def _priorities(survey: Survey, summary: SurveySummary, t: Translator) -> None:
    k = summary.min_cell
    for question_id, cells in summary.priorities.items():
        question = survey.question(question_id)
        assert question is not None
        labels = {o.id: t.text(o.label) for o in question.options}
        st.subheader(t("results.priorities"))
        st.markdown(t.text(question.text))
        frame = priority_frame(cells, labels.__getitem__)
        chart = build_priority_chart(frame, "", t("results.times_chosen"), rtl=is_rtl(t.lang))
        show_chart(chart, t("results.chart_alt", title=t.text(question.text)), width="stretch")
        st.caption(t("results.table_caption"))
        rows = [
            {
                t("results.option"): labels[c.key],
                t("results.rank"): "–" if c.suppressed else t.number(rank),
                t("results.times_chosen"): _count(c, t, k),
            }
            for rank, c in enumerate(cells, start=1)
        ]
        _table(rows, t("results.option"))


def _comparison(survey: Survey, summary: SurveySummary, t: Translator) -> None:
    if not summary.comparison_question or not summary.comparisons:
        return
    k = summary.min_cell
    question = survey.question(summary.comparison_question)
    assert question is not None
    group_label = {o.id: t.text(o.label) for o in question.options}
    st.subheader(t("results.comparison"))
    st.caption(t("results.comparison_intro"))
    headers = {
        g.key: t("results.group_column", group=group_label[g.key], n=_count(g, t, k))
        for g in summary.comparison_groups
    }
    rows = []
    for comparison in summary.comparisons:
        q = summary.question(comparison.question_id, comparison.item_id)
        row = {t("results.statement"): _statement(survey, q, t)}
        for g in comparison.groups:
            row[headers[g.group]] = (
                t("results.fewer_than", k=k) if g.agree_share is None else t.percent(g.agree_share)
            )
        rows.append(row)
    _table(rows, t("results.statement"))


def _other_questions(survey: Survey, summary: SurveySummary, t: Translator) -> None:
    k = summary.min_cell
    shown = [
        q
        for q in summary.questions
        if q.type in {"single", "multi"} and q.question_id != (survey.city_question or survey).id
    ]
    if not shown:
        return
    st.subheader(t("results.other_questions"))
    for q in shown:
        question = survey.question(q.question_id)
        assert question is not None
        labels = {o.id: t.text(o.label) for o in question.options}
        st.markdown(
            f"**{t.text(question.text)}** — {t('results.answered')}: {_count(q.answered, t, k)}"
        )
        rows = [
            {t("results.answer"): labels[c.key], t("results.responses"): _count_share(c, t, k)}
            for c in q.options
        ]
        _table(rows, t("results.answer"))


def _ideas(summary: SurveySummary, t: Translator) -> None:
    if not summary.idea_count and not summary.approved_ideas:
        return
    st.subheader(t("results.ideas"))
    st.markdown(t("results.idea_count", count=summary.idea_count))
    for idea in summary.approved_ideas:
        with st.container(border=True):
            st.text(idea.text)  # plain text: never interpreted as Markdown or HTML


def render_summary(survey: Survey, summary: SurveySummary, t: Translator) -> None:
    """Every section of the results for one summary (also used by tests without a timer)."""
    k = summary.min_cell
    st.metric(t("results.total"), t.number(summary.total))
    st.caption(t("results.updated", time=summary.generated_at.strftime("%H:%M:%S")))
    if summary.total == 0:
        st.info(t("results.none_yet"), icon=":material/hourglass_empty:")
        return
    _breakdown(
        t("results.by_language"),
        t("results.language"),
        summary.by_language,
        lambda code: LANGUAGES[code].native_name if code in LANGUAGES else code,
        t,
        k,
    )
    city = survey.city_question
    if city is not None and summary.by_city:
        labels = {o.id: t.text(o.label) for o in city.options}
        _breakdown(
            t("results.by_city"), t("results.city"), summary.by_city, labels.__getitem__, t, k
        )
    _agreement(survey, summary, t)
    _priorities(survey, summary, t)
    _comparison(survey, summary, t)
    _other_questions(survey, summary, t)
    _ideas(summary, t)


@st.fragment(run_every=REFRESH_SECONDS)
def live_results(survey_id: str, lang: str) -> None:
    """Re-drawn every few seconds; the query behind it runs once per interval for everyone."""
    from inclucities.i18n import translator

    t = translator(lang)
    survey = survey_registry().get(survey_id)
    if survey is None:
        return
    try:
        summary = cached_summary(survey_id, min_cell_size())
    except StoreUnavailable:
        st.warning(t("results.unavailable"), icon=":material/database:")
        return
    render_summary(survey, summary, t)


def results_page(t: Translator) -> None:
    """Survey choice from `?survey=`, the intro, then the live fragment."""
    st.title(t("results.title"))
    registry = survey_registry()
    surveys = list(registry.surveys)
    survey_id = str(st.query_params.get("survey") or DEFAULT_SURVEY)
    if survey_id in registry.errors:
        st.error(t("results.definition_error"), icon=":material/error:")
        return
    if survey_id not in registry.surveys:
        survey_id = DEFAULT_SURVEY if DEFAULT_SURVEY in surveys else surveys[0]
    if len(surveys) > 1:
        chosen = st.segmented_control(
            t("results.choose_survey"),
            surveys,
            default=survey_id,
            key="results_survey",
            format_func=lambda sid: t.text(registry.surveys[sid].title),
        )
        if chosen and chosen != survey_id:
            survey_id = chosen
        st.query_params["survey"] = survey_id
    st.markdown(t("results.intro", k=min_cell_size()))
    st.page_link(
        "pages/survey.py",
        label=t("results.open_survey"),
        icon=":material/edit:",
        query_params={"survey": survey_id, "lang": t.lang},
    )
    live_results(survey_id, t.lang)
