"""Survey owner's console: sign-in, open/close, moderation, exports, soft delete, audit log."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from components.frame import escape
from components.store_access import (
    StoreUnavailable,
    clear_summaries,
    get_store,
    min_cell_size,
    survey_registry,
)
from inclucities import admin_actions
from inclucities.auth import (
    AdminSession,
    LoginOutcome,
    NotAuthenticated,
    Throttle,
    global_throttle_factory,
)
from inclucities.i18n import LANGUAGES, Translator
from inclucities.settings import get_settings
from inclucities.survey.models import Survey

SESSION_KEY = "admin_session"
SURVEY_KEY = "admin_survey"
CSV_MIME = "text/csv"
PARQUET_MIME = "application/vnd.apache.parquet"
IDEAS_PER_PAGE = 50


@st.cache_resource
def _global_throttle() -> Throttle:
    """Shared by every visitor of this server: fresh sessions cannot reset it."""
    return global_throttle_factory()


def admin_session() -> AdminSession:
    """This browser session's admin state."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = AdminSession()
    return st.session_state[SESSION_KEY]


def configured_password() -> str | None:
    secret = get_settings().admin_password
    return secret.get_secret_value() if secret is not None else None


def render(t: Translator) -> None:
    st.title(t("admin.title"))
    password = configured_password()
    if not password:
        _disabled(t)
        return
    session = admin_session()
    if not session.authenticated:
        _login(t, session, password)
        return
    _console(t, session)


def _disabled(t: Translator) -> None:
    st.warning(t("admin.disabled.title"), icon=":material/lock:")
    st.markdown(t("admin.disabled.how"))
    st.code(t("admin.disabled.env_example"), language="bash")
    st.markdown(t("admin.disabled.secrets"))
    st.code(t("admin.disabled.secrets_example"), language="toml")


def _login(t: Translator, session: AdminSession, password: str) -> None:
    st.markdown(t("admin.login.intro"))
    with st.form("admin_login_form"):
        candidate = st.text_input(t("admin.login.password"), type="password", key="admin_pw")
        submitted = st.form_submit_button(t("admin.login.submit"), type="primary")
    if not submitted:
        return
    result = session.login(candidate, password, _global_throttle())
    if result.outcome is LoginOutcome.SUCCESS:
        st.rerun()
    elif result.outcome is LoginOutcome.THROTTLED:
        st.error(t("admin.login.throttled", count=math.ceil(result.retry_after)))
    else:
        message = t("admin.login.wrong")
        if result.retry_after > 0:
            message += " " + t("admin.login.wait", count=math.ceil(result.retry_after))
        st.error(message)


def _survey_label(t: Translator, survey: Survey) -> str:
    return t.text(survey.title)


def _console(t: Translator, session: AdminSession) -> None:
    registry = survey_registry()
    try:
        store = get_store()
    except StoreUnavailable as exc:
        st.error(t("admin.store_unavailable", detail=exc.detail))
        return
    top = st.columns([4, 1], vertical_alignment="bottom")
    surveys = list(registry.surveys.values())
    if not surveys:
        st.info(t("admin.no_surveys"))
        return
    ids = [s.id for s in surveys]
    with top[0]:
        survey_id = st.selectbox(
            t("admin.survey_picker"),
            ids,
            key=SURVEY_KEY,
            format_func=lambda sid: _survey_label(t, registry.surveys[sid]),
        )
    with top[1]:
        if st.button(t("admin.sign_out"), key="admin_sign_out", icon=":material/logout:"):
            session.sign_out()
            st.rerun()
    survey = registry.surveys[survey_id]
    tabs = st.tabs(
        [
            t("admin.tab.status"),
            t("admin.tab.moderation"),
            t("admin.tab.export"),
            t("admin.tab.data"),
            t("admin.tab.audit"),
        ]
    )
    try:
        with tabs[0]:
            _status_tab(t, session, store, survey)
        with tabs[1]:
            _moderation_tab(t, session, store, survey)
        with tabs[2]:
            _export_tab(t, session, store, survey)
        with tabs[3]:
            _data_tab(t, session, store, survey)
        with tabs[4]:
            _audit_tab(t, session, store, survey)
    except NotAuthenticated:
        st.warning(t("admin.session_expired"))


# -- open / close -------------------------------------------------------------------------------


def _status_tab(t: Translator, session: AdminSession, store: Any, survey: Survey) -> None:
    is_open = store.is_survey_open(survey.id)
    count = store.count(survey.id)
    cols = st.columns(2)
    cols[0].metric(
        t("admin.status.state"), t("admin.status.open" if is_open else "admin.status.closed")
    )
    cols[1].metric(t("admin.status.responses"), t.number(count))
    st.caption(t("admin.status.closed_help"))
    if is_open:
        if st.button(t("admin.status.close"), key="admin_close", icon=":material/lock:"):
            admin_actions.set_survey_open(session, store, survey.id, False)
            clear_summaries()
            st.toast(t("admin.status.closed_done"))
            st.rerun()
    elif st.button(
        t("admin.status.open_action"), key="admin_open", type="primary", icon=":material/lock_open:"
    ):
        admin_actions.set_survey_open(session, store, survey.id, True)
        clear_summaries()
        st.toast(t("admin.status.opened_done"))
        st.rerun()


# -- moderation ---------------------------------------------------------------------------------


def _moderation_tab(t: Translator, session: AdminSession, store: Any, survey: Survey) -> None:
    st.markdown(t("admin.moderation.intro"))
    statuses = ["pending", "approved", "hidden"]
    status = (
        st.segmented_control(
            t("admin.moderation.filter"),
            statuses,
            default="pending",
            key="admin_mod_filter",
            format_func=lambda s: t(f"admin.moderation.status.{s}"),
        )
        or "pending"
    )
    ideas = admin_actions.moderation_queue(session, store, survey.id, status)
    if not ideas:
        st.info(t("admin.moderation.empty"))
        return
    st.caption(t("admin.moderation.count", count=len(ideas)))
    for idea in ideas[:IDEAS_PER_PAGE]:
        with st.container(border=True):
            st.text(idea.text)  # plain text: never Markdown or HTML from visitors
            question = survey.question(idea.question_id)
            language = LANGUAGES[idea.lang].native_name if idea.lang in LANGUAGES else idea.lang
            st.caption(
                t(
                    "admin.moderation.meta",
                    language=escape(language),
                    question=escape(t.text(question.text)) if question else idea.question_id,
                    date=t.date(idea.created_at.date(), "medium"),
                )
            )
            cols = st.columns(3)
            if status != "approved" and cols[0].button(
                t("admin.moderation.approve"),
                key=f"approve_{idea.id}",
                type="primary",
                icon=":material/check:",
            ):
                admin_actions.moderate_idea(session, store, idea.id, "approved")
                clear_summaries()
                st.rerun()
            if status != "hidden" and cols[1].button(
                t("admin.moderation.hide"), key=f"hide_{idea.id}", icon=":material/visibility_off:"
            ):
                admin_actions.moderate_idea(session, store, idea.id, "hidden")
                clear_summaries()
                st.rerun()
            if status != "pending" and cols[2].button(
                t("admin.moderation.back_to_pending"),
                key=f"pending_{idea.id}",
                icon=":material/undo:",
            ):
                admin_actions.moderate_idea(session, store, idea.id, "pending")
                clear_summaries()
                st.rerun()
    if len(ideas) > IDEAS_PER_PAGE:
        st.caption(t("admin.moderation.more", count=len(ideas) - IDEAS_PER_PAGE))


# -- exports ------------------------------------------------------------------------------------


def _export_tab(t: Translator, session: AdminSession, store: Any, survey: Survey) -> None:
    st.markdown(t("admin.export.intro"))
    bom = st.checkbox(
        t("admin.export.bom"), value=True, key="admin_bom", help=t("admin.export.bom_help")
    )
    min_cell = _min_cell()
    stem = f"inclucities_{survey.id}"

    st.subheader(t("admin.export.full_heading"))
    st.caption(t("admin.export.full_help"))
    cols = st.columns(3)
    cols[0].download_button(
        t("admin.export.csv"),
        data=lambda: admin_actions.export_responses_csv(session, store, survey.id, bom=bom),
        file_name=f"{stem}_responses.csv",
        mime=CSV_MIME,
        key="admin_dl_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    cols[1].download_button(
        t("admin.export.parquet"),
        data=lambda: admin_actions.export_responses_parquet(session, store, survey.id),
        file_name=f"{stem}_responses.parquet",
        mime=PARQUET_MIME,
        key="admin_dl_parquet",
        icon=":material/download:",
        on_click="ignore",
    )
    cols[2].download_button(
        t("admin.export.codebook"),
        data=lambda: admin_actions.export_codebook_csv(session, survey, bom=bom),
        file_name=f"{stem}_codebook.csv",
        mime=CSV_MIME,
        key="admin_dl_codebook",
        icon=":material/menu_book:",
        on_click="ignore",
    )
    st.subheader(t("admin.export.share_heading"))
    st.caption(t("admin.export.share_help", k=t.number(min_cell)))
    st.download_button(
        t("admin.export.share_csv"),
        data=lambda: admin_actions.export_shareable_csv(
            session, store, survey, min_cell=min_cell, bom=bom, lang=t.lang
        ),
        file_name=f"{stem}_shareable.csv",
        mime=CSV_MIME,
        key="admin_dl_share",
        icon=":material/share:",
        on_click="ignore",
    )


def _min_cell() -> int:
    return min_cell_size()


# -- soft delete / restore ----------------------------------------------------------------------


def _submission_label(t: Translator, row: Any) -> str:
    created = row["created_at"]
    when = created.strftime("%Y-%m-%d %H:%M:%S") if hasattr(created, "strftime") else str(created)
    return t("admin.data.row", when=when, lang=row["lang"], id=str(row["submission_id"])[:8])


def _data_tab(t: Translator, session: AdminSession, store: Any, survey: Survey) -> None:
    st.markdown(t("admin.data.intro"))
    frame = admin_actions.responses(session, store, survey.id, include_deleted=True)
    deleted_mask = frame["deleted_at"].notna() if "deleted_at" in frame else None
    active = frame[~deleted_mask] if deleted_mask is not None else frame
    removed = frame[deleted_mask] if deleted_mask is not None else frame.iloc[0:0]
    labels = {row["submission_id"]: _submission_label(t, row) for _, row in frame.iterrows()}

    st.subheader(t("admin.data.remove_heading"))
    chosen = st.multiselect(
        t("admin.data.remove_pick"),
        list(active["submission_id"]),
        key="admin_remove_pick",
        format_func=lambda sid: labels.get(sid, sid),
        placeholder=t("admin.data.pick_placeholder"),
    )
    reason = st.text_input(
        t("admin.data.reason"), key="admin_reason", placeholder=t("admin.data.reason_placeholder")
    )
    cols = st.columns(2)
    if cols[0].button(
        t("admin.data.remove_action"),
        key="admin_remove",
        disabled=not chosen,
        icon=":material/delete:",
    ):
        _confirm(t, session, store, survey, list(chosen), reason)
    if cols[1].button(
        t("admin.data.reset_action"),
        key="admin_reset",
        disabled=active.empty,
        icon=":material/restart_alt:",
    ):
        _confirm(t, session, store, survey, None, reason)
    _confirmation_dialog(t, session, store, survey)
    if "admin_flash" in st.session_state:
        st.success(st.session_state.pop("admin_flash"))

    st.subheader(t("admin.data.restore_heading"))
    if removed.empty:
        st.caption(t("admin.data.nothing_removed"))
        return
    to_restore = st.multiselect(
        t("admin.data.restore_pick"),
        list(removed["submission_id"]),
        key="admin_restore_pick",
        format_func=lambda sid: labels.get(sid, sid),
        placeholder=t("admin.data.pick_placeholder"),
    )
    restore_cols = st.columns(2)
    if restore_cols[0].button(
        t("admin.data.restore_action"),
        key="admin_restore",
        disabled=not to_restore,
        icon=":material/restore:",
    ):
        done = admin_actions.restore(session, store, survey.id, list(to_restore), reason or "-")
        st.session_state["admin_flash"] = t("admin.data.restored", count=done)
        clear_summaries()
        st.rerun()
    if restore_cols[1].button(
        t("admin.data.restore_all"), key="admin_restore_all", icon=":material/restore:"
    ):
        done = admin_actions.restore(session, store, survey.id, None, reason or "-")
        st.session_state["admin_flash"] = t("admin.data.restored", count=done)
        clear_summaries()
        st.rerun()


PENDING_KEY = "admin_pending_removal"


def _confirm(
    t: Translator,
    session: AdminSession,
    store: Any,
    survey: Survey,
    submission_ids: list[str] | None,
    reason: str,
) -> None:
    """Ask for confirmation; nothing is removed until the dialog's button is pressed."""
    st.session_state[PENDING_KEY] = {
        "survey_id": survey.id,
        "submission_ids": submission_ids,
        "reason": reason,
    }


def _drop_pending() -> None:
    st.session_state.pop(PENDING_KEY, None)


def _confirmation_dialog(t: Translator, session: AdminSession, store: Any, survey: Survey) -> None:
    """The dialog stays open across reruns until confirmed, cancelled or dismissed."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending or pending["survey_id"] != survey.id:
        return
    submission_ids = pending["submission_ids"]

    def body() -> None:
        if submission_ids is None:
            st.markdown(
                t(
                    "admin.confirm.reset_body",
                    count=store.count(survey.id),
                    survey=escape(t.text(survey.title)),
                )
            )
        else:
            st.markdown(t("admin.confirm.remove_body", count=len(submission_ids)))
        st.caption(t("admin.confirm.reversible"))
        cols = st.columns(2)
        if cols[0].button(t("admin.confirm.yes"), key="admin_confirm_yes", type="primary"):
            done = admin_actions.soft_delete(
                session,
                store,
                survey.id,
                submission_ids,
                pending["reason"] or t("admin.data.default_reason"),
            )
            _drop_pending()
            st.session_state.pop("admin_remove_pick", None)
            st.session_state["admin_flash"] = t("admin.data.removed", count=done)
            clear_summaries()
            st.rerun()
        if cols[1].button(t("admin.confirm.cancel"), key="admin_confirm_no"):
            _drop_pending()
            st.rerun()

    st.dialog(t("admin.confirm.title"), on_dismiss=_drop_pending)(body)()


# -- audit log ----------------------------------------------------------------------------------


def _audit_tab(t: Translator, session: AdminSession, store: Any, survey: Survey) -> None:
    st.markdown(t("admin.audit.intro"))
    entries = [
        e for e in admin_actions.audit_log(session, store) if e.survey_id in (None, survey.id)
    ]
    if not entries:
        st.caption(t("admin.audit.empty"))
        return
    rows = [
        {
            t("admin.audit.at"): e.at,
            t("admin.audit.actor"): e.actor,
            t("admin.audit.action"): t(f"admin.audit.kind.{e.action}"),
            t("admin.audit.detail"): e.detail or "",
        }
        for e in reversed(entries)
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
