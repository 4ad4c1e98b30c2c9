"""Presenter screen for a projector: join QR, live counter and charts, ideas wall, slides."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import streamlit as st

from components.charts import show_chart
from components.frame import escape
from components.navigation import PAGES
from components.store_access import (
    StoreUnavailable,
    cached_summary,
    get_store,
    min_cell_size,
    survey_registry,
)
from inclucities.i18n import LANGUAGES, Translator, is_rtl, translator
from inclucities.process import default_stages
from inclucities.recommendations import default_recommendations
from inclucities.settings import get_settings
from inclucities.share import JoinCode, base_url, join_code
from inclucities.survey.charts import (
    agreement_frame,
    build_agreement_chart,
    build_priority_chart,
    priority_frame,
)
from inclucities.survey.models import AGREEMENT_LEVELS, Survey

SURVEY_KEY = "presenter_survey"
LANG_KEY = "presenter_lang"
MODE_KEY = "presenter_mode"
HIDE_KEY = "presenter_hide_results"  # the sidebar toggle
HIDDEN_STATE = "presenter_results_hidden"  # what the live panel obeys
SYNC_TOGGLE = "presenter_sync_toggle"
SLIDE_KEY = "presenter_slide"
MODES: tuple[str, ...] = ("live", "wall", "slides")
WALL_LIMIT = 40
STAGE_KEY = "presenter_stage"


@dataclass(frozen=True)
class Slide:
    """One slide: a stage of the method or one of the recommendations."""

    kind: str  # "stage" | "recommendation"
    number: int
    icon: str
    title: str
    body: str
    details: tuple[tuple[str, str], ...] = ()


def build_slides(t: Translator) -> list[Slide]:
    """The 7 stages, then the 7 recommendations, in the presenter's language (en or fr)."""
    slides: list[Slide] = []
    for stage in sorted(default_stages(), key=lambda s: s.number):
        slides.append(
            Slide(
                "stage",
                stage.number,
                stage.icon,
                t.text(stage.title.as_dict()),
                t.text(stage.what.as_dict()),
                (
                    (t("presenter.slides.who"), t.text(stage.who.as_dict())),
                    (t("presenter.slides.output"), t.text(stage.output.as_dict())),
                    (t("presenter.slides.period"), t.text(stage.period.as_dict())),
                ),
            )
        )
    for rec in sorted(default_recommendations(), key=lambda r: r.number):
        slides.append(
            Slide(
                "recommendation",
                rec.number,
                rec.icon,
                t.text(rec.title.as_dict()),
                t.text(rec.explanation.as_dict()),
            )
        )
    return slides


def public_base() -> str | None:
    """Configured public URL, else the URL this presenter is using."""
    try:
        request_url = st.context.url
    except Exception:  # no browser request (e.g. under AppTest)
        request_url = None
    return base_url(
        get_settings().public_url,
        request_url,
        [spec.url_path for spec in PAGES],
    )


def render(t: Translator) -> None:
    registry = survey_registry()
    surveys = registry.surveys
    if not surveys:
        st.title(t("presenter.title"))
        st.warning(t("presenter.no_surveys"))
        return
    survey, lang, mode = _controls(t, surveys)
    survey_t = translator(lang)
    with st.container(key=STAGE_KEY):
        if mode == "slides":
            with st.container(key="presenter_slides"):
                _slides(t)
        elif mode == "wall":
            _wall_header(t, survey, survey_t)
            live_wall(survey.id)
        else:
            _live(t, survey, survey_t, lang)


def _controls(t: Translator, surveys: dict[str, Survey]) -> tuple[Survey, str, str]:
    ids = list(surveys)
    with st.sidebar:
        st.subheader(t("presenter.controls.heading"))
        survey_id = st.selectbox(
            t("presenter.controls.survey"),
            ids,
            key=SURVEY_KEY,
            format_func=lambda sid: t.text(surveys[sid].title),
        )
        if LANG_KEY not in st.session_state:
            st.session_state[LANG_KEY] = t.lang
        lang = st.selectbox(
            t("presenter.controls.language"),
            list(LANGUAGES),
            key=LANG_KEY,
            format_func=lambda code: LANGUAGES[code].native_name,
            help=t("presenter.controls.language_help"),
        )
        mode = st.radio(
            t("presenter.controls.mode"),
            MODES,
            key=MODE_KEY,
            format_func=lambda m: t(f"presenter.mode.{m}"),
        )
        if HIDE_KEY not in st.session_state or st.session_state.pop(SYNC_TOGGLE, False):
            st.session_state[HIDE_KEY] = results_hidden()
        st.toggle(
            t("presenter.controls.hide"),
            key=HIDE_KEY,
            help=t("presenter.controls.hide_help"),
            on_change=_sync_hidden,
        )
        st.markdown(t("presenter.controls.fullscreen_tip"))
    return surveys[survey_id], lang, mode


def _direction(lang: str) -> str:
    return "rtl" if is_rtl(lang) else "ltr"


def _join_block(t: Translator, code: JoinCode | None, survey_t: Translator) -> None:
    if code is None:
        st.warning(t("presenter.join.no_url"))
        return
    lead = escape(t("presenter.join.scan"))
    st.html(
        "<div class='presenter-join'>"
        f"<img class='join-qr' src='{code.svg_data_uri}' "
        f"alt='{escape(t('presenter.join.qr_alt', link=code.link))}'>"
        f"<p class='presenter-join-lead'>{lead}</p>"
        "<p><span class='presenter-link' data-testid='presenter-link'>"
        f"{escape(code.link)}</span></p>"
        "</div>"
    )


def current_join_code(t: Translator, survey: Survey, lang: str) -> JoinCode | None:
    base = public_base()
    if base is None:
        return None
    return join_code(base, survey.id, lang, title=t("presenter.join.qr_title"))


def _live(t: Translator, survey: Survey, survey_t: Translator, lang: str) -> None:
    left, right = st.columns([1, 2], gap="large")
    with left:
        _join_block(t, current_join_code(t, survey, lang), survey_t)
    with right:
        live_panel(survey.id, lang)


def _refresh_seconds() -> int:
    return get_settings().refresh_seconds


def results_hidden() -> bool:
    """Results start hidden; only the presenter reveals them."""
    return bool(st.session_state.get(HIDDEN_STATE, True))


def _sync_hidden() -> None:
    st.session_state[HIDDEN_STATE] = bool(st.session_state[HIDE_KEY])


@st.fragment(run_every=_refresh_seconds())
def live_panel(survey_id: str, lang: str) -> None:
    """Counter and charts; reruns on its own so a new answer shows within seconds."""
    t = _presenter_translator()
    survey_t = translator(lang)
    survey = survey_registry().surveys.get(survey_id)
    if survey is None:
        return
    with st.container(key=f"presenter_dir_{_direction(lang)}"):
        st.title(survey_t.text(survey.title))
    try:
        store = get_store()
        count = store.count(survey_id)
        is_open = store.is_survey_open(survey_id)
    except StoreUnavailable:
        st.warning(t("presenter.live.unavailable"))
        return
    st.metric(t("presenter.live.responses"), t.number(count))
    if not is_open:
        st.warning(t("presenter.live.closed"))
    if results_hidden():
        st.html(f"<div class='presenter-hidden'>{escape(t('presenter.live.hidden'))}</div>")
        if st.button(
            t("presenter.live.reveal"),
            key="presenter_reveal",
            type="primary",
            icon=":material/visibility:",
        ):
            st.session_state[HIDDEN_STATE] = False
            st.session_state[SYNC_TOGGLE] = True
            st.rerun()  # whole page, so the sidebar toggle shows the new state too
        return
    with st.container(key=f"presenter_charts_{_direction(lang)}"):
        _charts(survey, survey_t)


def _presenter_translator() -> Translator:
    from components.frame import current_translator

    return current_translator()


def _statement(survey: Survey, question_id: str, item_id: str | None, t: Translator) -> str:
    question = survey.question(question_id)
    if question is None:
        return question_id
    if item_id is None:
        return t.text(question.text)
    item = next((i for i in question.items if i.id == item_id), None)
    return t.text(item.label) if item else item_id


def _big(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The shared results charts, with type sized and darkened for a projector."""
    chart = chart.copy(deep=True)
    for part in getattr(chart, "layer", None) or [chart]:
        encoding = part.encoding
        y_channel = getattr(encoding, "y", alt.Undefined)
        if y_channel is not alt.Undefined and isinstance(y_channel["axis"], alt.Axis):
            y_channel["axis"].labelLimit = 560
        colour = getattr(encoding, "color", alt.Undefined)
        if colour is not alt.Undefined and isinstance(colour["legend"], alt.Legend):
            colour["legend"].columns = 2
    ink = "#1a1a2e"
    return (
        chart.configure_axis(
            labelFontSize=22, titleFontSize=20, labelColor=ink, titleColor=ink, gridColor="#d0d4dc"
        )
        .configure_legend(labelFontSize=20, symbolSize=300, labelLimit=420, labelColor=ink)
        .configure_text(fontSize=24, fontWeight="bold", color=ink)
        .configure_view(strokeWidth=0)
    )


def _charts(survey: Survey, survey_t: Translator) -> None:
    """The results charts (same builders and the same suppressed summary as the results page)."""
    summary = cached_summary(survey.id, min_cell_size())
    k = summary.min_cell
    if summary.total == 0:
        st.info(survey_t("results.none_yet"))
        return
    rtl = is_rtl(survey_t.lang)
    agreement = [
        (_statement(survey, q.question_id, q.item_id, survey_t), q) for q in summary.agreement
    ]
    if agreement:
        questions = {q.question_id for _, q in agreement}
        for question_id in dict.fromkeys(q.question_id for _, q in agreement):
            rows = [(label, q) for label, q in agreement if q.question_id == question_id]
            question = survey.question(question_id)
            if len(questions) > 1 or (question is not None and question.items):
                st.subheader(survey_t.text(question.text) if question else question_id)
            labels = [survey_t(f"survey.scale.{lvl}") for lvl in AGREEMENT_LEVELS]
            frame = agreement_frame(rows, lambda lvl: survey_t(f"survey.scale.{lvl}"))
            chart = build_agreement_chart(frame, labels, "", survey_t("results.share_axis"), rtl)
            alt_text = survey_t("results.chart_alt", title=survey_t.text(survey.title))
            show_chart(_big(chart.properties(height=alt.Step(52))), alt_text, width="stretch")
    for q in summary.questions:
        if q.type not in {"single", "multi", "priorities"}:
            continue
        question = survey.question(q.question_id)
        if question is None:
            continue
        labels = {o.id: survey_t.text(o.label) for o in question.options}
        ranked = sorted(q.options, key=lambda c: (c.suppressed, -(c.count or 0), c.key))
        frame = priority_frame(ranked, labels.__getitem__)
        st.subheader(survey_t.text(question.text))
        if frame.empty:
            st.caption(survey_t("results.fewer_than", k=k))
            continue
        chart = build_priority_chart(frame, "", survey_t("results.times_chosen"), rtl)
        alt_text = survey_t("results.chart_alt", title=survey_t.text(question.text))
        show_chart(_big(chart.properties(height=alt.Step(46))), alt_text, width="stretch")
    st.caption(_presenter_translator()("presenter.live.suppressed_note", k=k))


def _wall_header(t: Translator, survey: Survey, survey_t: Translator) -> None:
    with st.container(key=f"presenter_dir_{_direction(survey_t.lang)}"):
        st.title(survey_t.text(survey.title))
    st.caption(t("presenter.wall.intro"))


def wall_html(ideas: list, t: Translator) -> str:
    """Approved ideas as cards; every idea is escaped, so HTML or Markdown shows as typed."""
    cards = []
    for idea in ideas:
        language = LANGUAGES[idea.lang].native_name if idea.lang in LANGUAGES else idea.lang
        cards.append(
            f"<div class='presenter-idea' lang='{escape(idea.lang)}' dir='{_direction(idea.lang)}'>"
            f"{escape(idea.text)}"
            f"<br><span class='presenter-idea-lang' "
            f"aria-label='{escape(t('presenter.wall.language', language=language))}'>"
            f"{escape(language)}</span></div>"
        )
    return "<div class='presenter-wall'>" + "".join(cards) + "</div>"


@st.fragment(run_every=_refresh_seconds())
def live_wall(survey_id: str) -> None:
    """Approved ideas only, newest first, refreshing on their own."""
    t = _presenter_translator()
    try:
        ideas = get_store().ideas(survey_id, status="approved")
    except StoreUnavailable:
        st.warning(t("presenter.live.unavailable"))
        return
    if not ideas:
        st.info(t("presenter.wall.empty"))
        return
    newest = list(reversed(ideas))[:WALL_LIMIT]
    st.caption(t("presenter.wall.count", count=len(ideas)))
    st.html(wall_html(newest, t))


def _step(delta: int, total: int) -> None:
    current = st.session_state.get(SLIDE_KEY, 0)
    st.session_state[SLIDE_KEY] = min(max(current + delta, 0), total - 1)


def _slides(t: Translator) -> None:
    slides = build_slides(t)
    total = len(slides)
    index = min(max(st.session_state.get(SLIDE_KEY, 0), 0), total - 1)
    slide = slides[index]
    kicker_key = (
        "presenter.slides.stage" if slide.kind == "stage" else "presenter.slides.recommendation"
    )
    st.html(
        f"<p class='presenter-kicker'>{escape(t(kicker_key, number=slide.number, total=7))}</p>"
    )
    with st.container(key="presenter_slide_icon"):
        st.markdown(slide.icon)  # a :material/...: icon or an emoji, from our own content
    st.title(slide.title)
    st.markdown(escape(slide.body))
    if slide.details:
        cols = st.columns(len(slide.details))
        for col, (label, text) in zip(cols, slide.details, strict=True):
            with col:
                st.subheader(label)
                st.markdown(escape(text))
    nav = st.columns([1, 2, 1], vertical_alignment="center")
    nav[0].button(
        t("presenter.slides.previous"),
        key="presenter_prev",
        icon=":material/arrow_back:",
        disabled=index == 0,
        on_click=_step,
        args=(-1, total),
        width="stretch",
    )
    nav[1].progress(
        (index + 1) / total, text=t("presenter.slides.position", current=index + 1, total=total)
    )
    nav[2].button(
        t("presenter.slides.next"),
        key="presenter_next",
        icon=":material/arrow_forward:",
        type="primary",
        disabled=index == total - 1,
        on_click=_step,
        args=(1, total),
        width="stretch",
    )
