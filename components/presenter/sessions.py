"""The presenter's live sessions: which one the screens show, starting and closing one (signed-in
presenters and the admin only), two sessions compared side by side, and a snapshot of the results.

A session is one run of the survey in a room; the screens show the most recent open session by
default and can switch to all sessions at once.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress

import pandas as pd
import streamlit as st

from components import access, markup, privacy_gate
from components.store_access import StoreUnavailable, get_store, min_cell_size
from inclucities import admin_actions, runtime
from inclucities.auth import NotAuthenticated
from inclucities.i18n import Translator, is_rtl, translator
from inclucities.results.charts import (
    ChartStyle,
    agreement_spec,
    agreement_values,
    with_values,
    wrap_label,
)
from inclucities.results.comparison import SessionComparison, compare_sessions
from inclucities.results.model import QuestionSummary
from inclucities.results.sections import count_share_text, count_text, statement
from inclucities.sessions import ALL_SESSIONS, FSI, PDI, current_session, session_label
from inclucities.signin import Role, SignedIn
from inclucities.snapshot import snapshot_bundle, snapshot_stem
from inclucities.store import LiveSession
from inclucities.survey.form import scale_label
from inclucities.survey.models import AGREEMENT_LEVELS, Survey
from inclucities.text import Literal

SESSION_KEY = "presenter_session_{survey}"
# Labels beside the bars: a wide screen, and Streamlit's canvas draws right-to-left axis labels
# correctly (text marks placed with dir=rtl are not).
RTL_LABEL_ROOM = 520
# read from the back of the room: 24 px text, as on the live stage
COMPARE_STYLE = ChartStyle("compare", font_size=24, bar=28, wrap=40, labels_above=False)
ZWSP = "\u200b"
COMPARE_KEYS = ("presenter_compare_a_{survey}", "presenter_compare_b_{survey}")
COMPARE_PARAMS = ("compare_a", "compare_b")
CLOSE_PENDING_KEY = "presenter_close_pending"
OVERRIDE_KEY = "presenter_privacy_override"


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


def linked_session(survey: Survey) -> LiveSession | None:
    """The session a link names (`?session=`), else the current one: no widget, read-only."""
    sessions = survey_sessions(survey.id)
    by_id = {s.id: s for s in sessions}
    seed = st.query_params.get("session")
    if seed == ALL_SESSIONS:
        return None
    if seed in by_id:
        return by_id[seed]
    return current_session(sessions)


def _option_label(t: Translator, session: LiveSession | None) -> str:
    if session is None:
        return t("presenter.sessions.all")
    label = session_label(session, t)
    return label if session.is_open else t("presenter.sessions.closed_label", session=label)


def _start(t: Translator, survey: Survey, signed: SignedIn, overridden: bool) -> None:
    name = str(st.session_state.get("presenter_session_name") or "").strip()
    if not name:
        st.session_state["presenter_session_problem"] = "presenter.sessions.name_needed"
        return
    place = str(st.session_state.get("presenter_session_place") or "")
    day = st.session_state.get("presenter_session_date")
    one_per_device = bool(st.session_state.get("presenter_session_one_per_device"))
    try:
        acting = access.acting_session(signed)
        created = admin_actions.start_session(
            acting, get_store(), survey.id, name, place, day, one_answer_per_device=one_per_device
        )
        if overridden:
            admin_actions.record_privacy_override(
                acting, get_store(), survey.id, f"session {created.name} ({created.join_code})"
            )
    except (NotAuthenticated, StoreUnavailable, ValueError):
        st.session_state["presenter_session_problem"] = "presenter.sessions.start_failed"
        return
    st.session_state["presenter_session_problem"] = None
    st.session_state[SESSION_KEY.format(survey=survey.id)] = created.id
    st.session_state["presenter_session_name"] = ""
    st.session_state["presenter_session_place"] = ""
    st.session_state.pop(OVERRIDE_KEY, None)


def _set_closed(session_id: str, closed: bool, signed: SignedIn) -> None:
    st.session_state.pop(CLOSE_PENDING_KEY, None)
    action = admin_actions.close_session if closed else admin_actions.reopen_session
    with suppress(NotAuthenticated, StoreUnavailable, KeyError):
        action(access.acting_session(signed), get_store(), session_id)


def _ask_close(session_id: str) -> None:
    st.session_state[CLOSE_PENDING_KEY] = session_id


def _drop_close() -> None:
    st.session_state.pop(CLOSE_PENDING_KEY, None)


def _close_control(t: Translator, shown: LiveSession, signed: SignedIn) -> None:
    """Closing refuses the answers of anyone mid-form: it asks first, in place (the sidebar
    cannot hold a dialog)."""
    label = Literal(session_label(shown, t))
    if st.session_state.get(CLOSE_PENDING_KEY) != shown.id:
        st.button(
            t("presenter.sessions.close", session=label),
            key="presenter_session_close",
            icon=":material/lock:",
            on_click=_ask_close,
            args=(shown.id,),
        )
        return
    with st.container(border=True, key="presenter_close_confirm"):
        st.markdown(f"**{t('presenter.confirm.close_title')}**")
        st.write(t("presenter.confirm.close_body", session=f"{FSI}{session_label(shown, t)}{PDI}"))
        cols = st.columns(2)
        cols[0].button(
            t("presenter.confirm.close_yes"),
            key="presenter_session_close_yes",
            type="primary",
            on_click=_set_closed,
            args=(shown.id, True, signed),
        )
        cols[1].button(
            t("admin.confirm.cancel"), key="presenter_session_close_no", on_click=_drop_close
        )


def manage_sessions(
    t: Translator, survey: Survey, shown: LiveSession | None, signed: SignedIn
) -> None:
    """Start a session (name, place, date) or close the one shown, as the signed-in presenter."""
    # keyed: it stays open while the session picker above it appears or changes
    with st.expander(
        t("presenter.sessions.heading"), icon=":material/groups:", key="presenter_sessions_panel"
    ):
        allowed, overridden = privacy_gate.passes(
            t, OVERRIDE_KEY, may_override=signed.role is Role.ADMIN, compact=True
        )
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
            st.checkbox(
                t("presenter.sessions.one_per_device"),
                key="presenter_session_one_per_device",
                help=t("presenter.sessions.one_per_device_help"),
            )
            st.form_submit_button(
                t("presenter.sessions.start"),
                type="primary",
                icon=":material/play_arrow:",
                on_click=_start,
                args=(t, survey, signed, overridden),
                disabled=not allowed,
            )
        problem = st.session_state.get("presenter_session_problem")
        if problem:
            st.error(t(problem))
        if shown is not None:
            label = Literal(session_label(shown, t))
            if shown.one_answer_per_device:
                st.caption(t("presenter.sessions.one_per_device_on"))
            if shown.is_open:
                _close_control(t, shown, signed)
            else:
                st.button(
                    t("presenter.sessions.reopen", session=label),
                    key="presenter_session_reopen",
                    icon=":material/lock_open:",
                    on_click=_set_closed,
                    args=(shown.id, False, signed),
                )


def snapshot_button(t: Translator, survey: Survey, lang: str, shown: LiveSession | None) -> None:
    """One click: the current results (charts, counts, top ideas, the cloud) as PNG and PDF, in
    one ZIP. Built once per data version and shared; signed-in presenters only reach it."""

    def produce() -> bytes:
        return snapshot_bundle(
            get_store(),
            survey,
            lang,
            shown,
            dt.datetime.now(),
            min_cell=min_cell_size(),
            cache=runtime.current().snapshots,
        )

    st.download_button(
        t("presenter.snapshot.button"),
        produce,
        file_name=f"{snapshot_stem(survey, shown)}.zip",
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
    """Diverging bars, one row per statement and session (each row named by its session's
    short label, so colour is never the only signal); None when neither side can be shown."""
    style = COMPARE_STYLE
    rows: list[tuple[str, QuestionSummary]] = []
    for s in comparison.statements:
        question = survey.question(s.question_id)
        if question is None:
            continue
        text = statement(question, s.item_id, t, with_question=False)
        drawn = [(name, side) for name, side in zip(names, (s.a, s.b), strict=True) if _drawn(side)]
        for index, (name, side) in enumerate(drawn):
            # the statement once, beside its first bar, the next bar by its letter alone
            # (zero-width spaces keep each row's label distinct; no-break spaces keep the
            # letter on the statement's last line)
            label = f"{text}\u00a0—\u00a0{FSI}{name}{PDI}" if index == 0 else f"{FSI}{name}{PDI}"
            rows.append((label + ZWSP * len(rows) * (index > 0), side))
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


def _drawn(side: QuestionSummary) -> bool:
    """Whether a session's distribution of a statement is drawn (no hidden small group)."""
    return not any(c.suppressed for c in side.options if c.key in AGREEMENT_LEVELS)


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


def compared_ids(survey_id: str, ids: list[str]) -> list[str]:
    """The two sessions compared: the presenter's picks, else the link's, else the latest two
    (older first)."""
    picks = []
    for index, param in enumerate(COMPARE_PARAMS):
        chosen = st.session_state.get(COMPARE_KEYS[index].format(survey=survey_id))
        linked = st.query_params.get(param)
        picks.append(chosen if chosen in ids else linked if linked in ids else ids[1 - index])
    return picks


def compare_view(t: Translator, survey: Survey, lang: str, pick: bool = False) -> None:
    """Two sessions' agreement statements side by side, with the small-group rule; `pick`
    shows the presenter the two pickers (never on a projector)."""
    st_t = translator(lang)
    sessions = survey_sessions(survey.id)
    if len(sessions) < 2:
        st.info(t("presenter.compare.need_two"), icon=":material/compare_arrows:")
        return
    by_id = {s.id: s for s in sessions}
    ids = list(by_id)
    picks = compared_ids(survey.id, ids)
    if pick:
        for index, column in enumerate(st.columns(2)):
            key = COMPARE_KEYS[index].format(survey=survey.id)
            st.session_state[key] = picks[index]
            picks[index] = column.selectbox(
                t("presenter.compare.first" if index == 0 else "presenter.compare.second"),
                ids,
                key=key,
                format_func=lambda sid: session_label(by_id[sid], t),
            )
    a, b = by_id[picks[0]], by_id[picks[1]]
    try:
        comparison = compare_sessions(get_store(), survey, a, b, min_cell_size())
    except StoreUnavailable:
        st.warning(t("results.unavailable"), icon=":material/database:")
        return
    names = short_names(st_t)
    k = comparison.min_cell
    with st.container(key=f"presenter_compare_{'rtl' if is_rtl(lang) else 'ltr'}"):
        st.subheader(st_t("presenter.compare.heading"))
        _key(st_t, comparison, (a, b))
        chart = comparison_chart(comparison, survey, st_t, names)
        if chart is not None:
            _legend(st_t)
            st.vega_lite_chart(chart, width="stretch")
        else:
            st.caption(st_t("results.not_enough", k=k))
        st.caption(st_t("presenter.compare.rule", k=k))
        tables = (
            comparison_table(comparison, survey, st_t, names),
            level_table(comparison, survey, st_t, names),
        )
        if pick:  # the presenter's own screen: the figures, folded away
            with st.expander(st_t("results.show_table")):
                for table in tables:
                    st.dataframe(table, hide_index=True)
        else:  # the big screen: the chart only; every figure stays for screen readers
            _tables(st_t, tables)


def short_names(t: Translator) -> tuple[str, str]:
    """The sessions' short labels on the chart ("A", "B"); the key gives their full names."""
    return t("presenter.compare.short_a"), t("presenter.compare.short_b")


def _key(t: Translator, comparison: SessionComparison, sessions: tuple[LiveSession, ...]) -> None:
    """Each short label with its labelled count, and the session's full name, once."""
    sides = []
    for short, side, session in zip(
        short_names(t), (comparison.a, comparison.b), sessions, strict=True
    ):
        note = None if side.ready else t("presenter.compare.too_few", k=comparison.min_cell)
        sides.append(
            {
                "count": t("presenter.compare.count", session=short, count=side.total),
                "name": session_label(session, t),
                "note": note,
            }
        )
    markup.show(
        "compare_key.html",
        label=t("presenter.compare.key"),
        lang=t.lang,
        dir="rtl" if is_rtl(t.lang) else "ltr",
        sides=sides,
    )


def _tables(t: Translator, tables: tuple[pd.DataFrame, ...]) -> None:
    """The comparison's tables in the page, visually hidden (read by screen readers)."""
    captions = (t("presenter.compare.heading"), t("presenter.compare.levels"))
    markup.show(
        "compare_table.html",
        lang=t.lang,
        dir="rtl" if is_rtl(t.lang) else "ltr",
        tables=[
            {
                "caption": caption,
                "columns": [str(c) for c in table.columns],
                "rows": table.astype(str).values.tolist(),
            }
            for caption, table in zip(captions, tables, strict=True)
        ],
    )
