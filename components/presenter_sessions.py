"""The presenter's live sessions: which one the screens show, starting and closing one (signed-in
admins only), two sessions compared side by side, and a snapshot of the results.

A session is one run of the survey in a room; the screens show the most recent open session by
default and can switch to all sessions at once.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress

import pandas as pd
import streamlit as st

from components import admin_view, markup
from components.store_access import StoreUnavailable, get_store, min_cell_size
from inclucities import admin_actions
from inclucities.auth import NotAuthenticated
from inclucities.i18n import Translator, is_rtl, translator
from inclucities.live.payload import count_share_text, count_text, statement
from inclucities.sessions import ALL_SESSIONS, FSI, PDI, current_session, session_label
from inclucities.snapshot import bundle, results_snapshot
from inclucities.store import LiveSession
from inclucities.survey.charts import (
    ChartStyle,
    agreement_spec,
    agreement_values,
    with_values,
    wrap_label,
)
from inclucities.survey.compare_sessions import SessionComparison, compare_sessions
from inclucities.survey.form import scale_label
from inclucities.survey.models import AGREEMENT_LEVELS, Survey
from inclucities.text import Literal, markdown_literal

SESSION_KEY = "presenter_session_{survey}"
# Labels beside the bars: a wide screen, and Streamlit's canvas draws right-to-left axis labels
# correctly (text marks placed with dir=rtl are not).
RTL_LABEL_ROOM = 340
COMPARE_STYLE = ChartStyle("compare", font_size=15, bar=24, wrap=38, labels_above=False)
COMPARE_KEYS = ("presenter_compare_a_{survey}", "presenter_compare_b_{survey}")


def survey_sessions(survey_id: str) -> list[LiveSession]:
    try:
        return sorted(get_store().sessions(survey_id), key=lambda s: s.opened_at, reverse=True)
    except StoreUnavailable:
        return []


def choose_session(t: Translator, survey: Survey) -> LiveSession | None:
    """The session the screens show (the current one by default), or None for all sessions."""
    sessions = survey_sessions(survey.id)
    if not sessions:
        return None
    by_id = {s.id: s for s in sessions}
    options = [*by_id, ALL_SESSIONS]
    key = SESSION_KEY.format(survey=survey.id)
    seed = st.query_params.get("session")  # the projector view opens with the same session
    if key not in st.session_state and seed in options:
        st.session_state[key] = seed
    if st.session_state.get(key) not in options:
        current = current_session(sessions)
        st.session_state[key] = current.id if current is not None else ALL_SESSIONS
    chosen = st.selectbox(
        t("presenter.sessions.shown"),
        options,
        key=key,
        format_func=lambda sid: _option_label(t, by_id.get(sid)),
        help=t("presenter.sessions.shown_help"),
    )
    return by_id.get(chosen)


def _option_label(t: Translator, session: LiveSession | None) -> str:
    if session is None:
        return t("presenter.sessions.all")
    label = session_label(session, t)
    return label if session.is_open else t("presenter.sessions.closed_label", session=label)


def _start(t: Translator, survey: Survey) -> None:
    name = str(st.session_state.get("presenter_session_name") or "").strip()
    if not name:
        st.session_state["presenter_session_problem"] = "presenter.sessions.name_needed"
        return
    place = str(st.session_state.get("presenter_session_place") or "")
    day = st.session_state.get("presenter_session_date")
    try:
        created = admin_actions.start_session(
            admin_view.admin_session(), get_store(), survey.id, name, place, day
        )
    except (NotAuthenticated, StoreUnavailable, ValueError):
        st.session_state["presenter_session_problem"] = "presenter.sessions.start_failed"
        return
    st.session_state["presenter_session_problem"] = None
    st.session_state[SESSION_KEY.format(survey=survey.id)] = created.id
    st.session_state["presenter_session_name"] = ""
    st.session_state["presenter_session_place"] = ""


def _set_closed(session_id: str, closed: bool) -> None:
    action = admin_actions.close_session if closed else admin_actions.reopen_session
    with suppress(NotAuthenticated, StoreUnavailable, KeyError):
        action(admin_view.admin_session(), get_store(), session_id)


def manage_sessions(t: Translator, survey: Survey, shown: LiveSession | None) -> None:
    """Start a session (name, place, date) or close the one shown: signed-in admins only."""
    # keyed: it stays open while the session picker above it appears or changes
    with st.expander(
        t("presenter.sessions.heading"), icon=":material/groups:", key="presenter_sessions_panel"
    ):
        password = admin_view.configured_password()
        admin = admin_view.admin_session()
        if not password:
            st.caption(t("presenter.sessions.no_admin"))
            return
        if not admin.authenticated:
            st.caption(t("presenter.sessions.sign_in"))
            admin_view.login_form(
                t, admin, password, form_key="presenter_login", field_key="presenter_pw"
            )
            return
        with st.form("presenter_session_form", clear_on_submit=False):
            st.text_input(
                t("presenter.sessions.name"),
                key="presenter_session_name",
                max_chars=200,
                placeholder=t("presenter.sessions.name_example"),
            )
            st.text_input(
                t("presenter.sessions.place"), key="presenter_session_place", max_chars=200
            )
            st.date_input(
                t("presenter.sessions.date"), key="presenter_session_date", value=dt.date.today()
            )
            st.form_submit_button(
                t("presenter.sessions.start"),
                type="primary",
                icon=":material/play_arrow:",
                on_click=_start,
                args=(t, survey),
            )
        problem = st.session_state.get("presenter_session_problem")
        if problem:
            st.error(t(problem))
        if shown is not None:
            label = Literal(session_label(shown, t))
            if shown.is_open:
                st.button(
                    t("presenter.sessions.close", session=label),
                    key="presenter_session_close",
                    icon=":material/lock:",
                    on_click=_set_closed,
                    args=(shown.id, True),
                )
            else:
                st.button(
                    t("presenter.sessions.reopen", session=label),
                    key="presenter_session_reopen",
                    icon=":material/lock_open:",
                    on_click=_set_closed,
                    args=(shown.id, False),
                )


def snapshot_button(t: Translator, survey: Survey, lang: str, shown: LiveSession | None) -> None:
    """One click: the current results (charts and counts) as PNG and PDF, in one ZIP."""
    subtitle = [
        session_label(shown, translator(lang))
        if shown
        else translator(lang)("presenter.sessions.all")
    ]
    stem = f"inclucities_{survey.id}_{shown.join_code if shown else 'all'}_snapshot"

    def produce() -> bytes:
        snap = results_snapshot(
            get_store(),
            survey,
            lang,
            min_cell_size(),
            session_id=shown.id if shown else None,
            subtitle=subtitle,
        )
        return bundle(snap, stem)

    st.download_button(
        t("presenter.snapshot.button"),
        produce,
        file_name=f"{stem}.zip",
        mime="application/zip",
        key="presenter_snapshot",
        icon=":material/photo_camera:",
        help=t("presenter.snapshot.help"),
        on_click="ignore",
    )


# -- comparison ---------------------------------------------------------------------------------


def _percent(t: Translator, value: float | None) -> str:
    return "–" if value is None else t.percent(value)


def _points(t: Translator, value: float | None) -> str:
    if value is None:
        return "–"
    points = round(value * 100)
    return t("presenter.compare.points", sign="+" if points > 0 else "", points=t.number(points))


def comparison_table(
    comparison: SessionComparison, survey: Survey, t: Translator, names: tuple[str, str]
) -> pd.DataFrame:
    """Statement by statement: each session's answers and agreement, and the difference."""
    k = comparison.min_cell
    rows = []
    for s in comparison.statements:
        question = survey.question(s.question_id)
        if question is None:
            continue
        row = {t("results.statement"): statement(question, s.item_id, t, with_question=True)}
        for name, side in zip(names, (s.a, s.b), strict=True):
            row[t("presenter.compare.answered", session=name)] = count_text(side.answered, t, k)
        row[t("presenter.compare.agree", session=names[0])] = _percent(t, s.agree_a)
        row[t("presenter.compare.agree", session=names[1])] = _percent(t, s.agree_b)
        row[t("presenter.compare.difference")] = _points(t, s.agree_difference)
        rows.append(row)
    return pd.DataFrame(rows)


def level_table(
    comparison: SessionComparison, survey: Survey, t: Translator, names: tuple[str, str]
) -> pd.DataFrame:
    """Every level of every statement in both sessions (count and share), with the difference."""
    k = comparison.min_cell
    rows = []
    for s in comparison.statements:
        question = survey.question(s.question_id)
        if question is None:
            continue
        text = statement(question, s.item_id, t, with_question=False)
        for level in s.levels:
            row = {
                t("results.statement"): text,
                t("results.answer"): scale_label(t, level.level),
            }
            for name, cell in zip(names, (level.a, level.b), strict=True):
                row[name] = count_share_text(cell, t, k)
            row[t("presenter.compare.difference")] = _points(t, level.difference)
            rows.append(row)
    return pd.DataFrame(rows)


def comparison_chart(
    comparison: SessionComparison, survey: Survey, t: Translator, names: tuple[str, str]
) -> dict[str, object] | None:
    """Diverging bars, one row per statement and session (the session named in the row label,
    so colour is never the only signal); None when neither side can be shown."""
    style = COMPARE_STYLE
    rows = []
    for s in comparison.statements:
        question = survey.question(s.question_id)
        if question is None:
            continue
        text = statement(question, s.item_id, t, with_question=False)
        for name, side in zip(names, (s.a, s.b), strict=True):
            rows.append((f"{text} — {FSI}{name}{PDI}", side))
    values = agreement_values(rows, lambda lvl: scale_label(t, lvl), t.percent, style)
    if not values:
        return None
    labels = [scale_label(t, lvl) for lvl in AGREEMENT_LEVELS]
    shown = list(dict.fromkeys(v["statement"] for v in values))
    spec = agreement_spec(
        [label for label, _ in rows if wrap_label(label, style.wrap) in shown],
        labels,
        t("results.share_axis"),
        style,
        is_rtl(t.lang),
    )
    if is_rtl(t.lang):
        _flip_row_labels(spec)
    return with_values(spec, values)


def _flip_row_labels(node: object) -> None:
    """Right to left: the row labels sit right of the bars, against them. Streamlit draws the
    chart on a canvas in a right-to-left page, which swaps a label's left and right alignment
    and misjudges its width: so 'right' here, and the labels' room reserved (pixels)."""
    if isinstance(node, dict):
        axis = node.get("axis")
        if isinstance(axis, dict) and axis.get("orient") == "right":
            axis["labelAlign"] = "right"
            axis["minExtent"] = RTL_LABEL_ROOM
            axis["maxExtent"] = RTL_LABEL_ROOM
        for value in node.values():
            _flip_row_labels(value)
    elif isinstance(node, list):
        for item in node:
            _flip_row_labels(item)


def _legend(t: Translator) -> None:
    """The levels' colours, drawn in HTML (it wraps and follows the text direction)."""
    markup.show(
        "compare_legend.html",
        label=t("results.legend"),
        lang=t.lang,
        dir="rtl" if is_rtl(t.lang) else "ltr",
        items=[{"level": lvl, "label": scale_label(t, lvl)} for lvl in AGREEMENT_LEVELS],
    )


def compare_view(t: Translator, survey: Survey, lang: str) -> None:
    """Pick two sessions; agreement statements side by side, with the small-group rule."""
    st_t = translator(lang)
    sessions = survey_sessions(survey.id)
    if len(sessions) < 2:
        st.info(t("presenter.compare.need_two"), icon=":material/compare_arrows:")
        return
    by_id = {s.id: s for s in sessions}
    ids = list(by_id)
    picks = []
    columns = st.columns(2)
    for index, column in enumerate(columns):
        key = COMPARE_KEYS[index].format(survey=survey.id)
        if st.session_state.get(key) not in ids:
            st.session_state[key] = ids[1 - index] if len(ids) > 1 else ids[0]  # older first
        picks.append(
            column.selectbox(
                t("presenter.compare.first" if index == 0 else "presenter.compare.second"),
                ids,
                key=key,
                format_func=lambda sid: session_label(by_id[sid], t),
            )
        )
    a, b = by_id[picks[0]], by_id[picks[1]]
    try:
        comparison = compare_sessions(get_store(), survey, a, b, min_cell_size())
    except StoreUnavailable:
        st.warning(t("results.unavailable"), icon=":material/database:")
        return
    names = (a.name, b.name)
    k = comparison.min_cell
    with st.container(key=f"presenter_compare_{'rtl' if is_rtl(lang) else 'ltr'}"):
        st.subheader(st_t("presenter.compare.heading"))
        totals = st.columns(2)
        for column, side, session in zip(totals, (comparison.a, comparison.b), (a, b), strict=True):
            column.metric(markdown_literal(session_label(session, st_t)), st_t.number(side.total))
            if not side.ready:
                column.caption(st_t("presenter.compare.too_few", k=k))
        chart = comparison_chart(comparison, survey, st_t, names)
        if chart is not None:
            _legend(st_t)
            st.vega_lite_chart(chart, width="stretch")
        else:
            st.caption(st_t("results.not_enough", k=k))
        st.caption(st_t("presenter.compare.rule", k=k))
        st.dataframe(comparison_table(comparison, survey, st_t, names), hide_index=True)
        with st.expander(st_t("presenter.compare.levels")):
            st.dataframe(level_table(comparison, survey, st_t, names), hide_index=True)
