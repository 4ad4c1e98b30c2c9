"""Admin section: exports, served only to this signed-in admin's browser by an HTTP route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from components import markup
from components.store_access import min_cell_size
from inclucities import admin_actions, export, runtime
from inclucities.auth import AdminSession
from inclucities.i18n import Translator
from inclucities.sessions import ALL_SESSIONS, session_label
from inclucities.store import LiveSession, Store
from inclucities.survey.models import Survey
from inclucities.web import exports

CSV_MIME = "text/csv; charset=utf-8"
PARQUET_MIME = "application/vnd.apache.parquet"
SEPARATOR_KEY = "admin_csv_separator"


@dataclass(frozen=True)
class Link:
    kind: str
    label: str
    filename: str
    url: str


def _link(
    session: AdminSession,
    kind: str,
    label: str,
    filename: str,
    mime: str,
    produce: Callable[[], bytes],
) -> Link:
    token = runtime.current().downloads.issue(filename, mime, produce, session.key)
    return Link(kind, label, filename, exports.export_url(token))


def _session_filter(t: Translator, store: Store, survey: Survey) -> LiveSession | None:
    """Every session, or one: the exports below then hold only its answers (and the shareable
    summary applies the small-cell rule within it)."""
    sessions = store.sessions(survey.id)
    if not sessions:
        return None
    by_id = {s.id: s for s in sessions}
    chosen = st.selectbox(
        t("admin.export.session"),
        [ALL_SESSIONS, *by_id],
        key=f"admin_export_session_{survey.id}",
        format_func=lambda sid: (
            t("presenter.sessions.all") if sid == ALL_SESSIONS else session_label(by_id[sid], t)
        ),
        help=t("admin.export.session_help"),
    )
    return by_id.get(chosen)


SHARE_RULES: tuple[str, ...] = ("start", "opinion", "profile", "hidden", "sessions")


def separator_choice(t: Translator) -> str:
    """The CSV separator, by default the one a spreadsheet in the admin's language expects
    (keyed by language, so switching language brings that language's default)."""
    default = export.csv_separator(t.lang)
    names = {
        export.COMMA: t("admin.export.separator_comma"),
        export.SEMICOLON: t("admin.export.separator_semicolon"),
    }
    chosen = st.radio(
        t("admin.export.separator"),
        export.CSV_SEPARATORS,
        index=export.CSV_SEPARATORS.index(default),
        format_func=lambda sep: names[sep],
        horizontal=True,
        key=f"{SEPARATOR_KEY}_{t.lang}",
        help=t("admin.export.separator_help"),
    )
    return str(chosen or default)


def render(t: Translator, session: AdminSession, store: Store, survey: Survey) -> None:
    st.markdown(t("admin.export.intro"))
    bom = st.checkbox(
        t("admin.export.bom"), value=True, key="admin_bom", help=t("admin.export.bom_help")
    )
    separator = separator_choice(t)
    lang = t.lang
    min_cell = min_cell_size()
    stem = f"inclucities_{survey.id}"
    live = _session_filter(t, store, survey)
    session_id = live.id if live is not None else None
    if live is not None:
        stem += f"_{live.join_code}"

    st.subheader(t("admin.export.full_heading"))
    st.caption(t("admin.export.full_help"))
    st.caption(
        t(
            "admin.export.withheld_note",
            marker=admin_actions.withheld_text(lang),
            k=t.number(min_cell),
        )
    )
    full = [
        _link(
            session,
            "csv",
            t("admin.export.csv"),
            f"{stem}_responses.csv",
            CSV_MIME,
            lambda: admin_actions.export_responses_csv(
                session,
                store,
                survey.id,
                bom=bom,
                session_id=session_id,
                lang=lang,
                separator=separator,
            ),
        ),
        _link(
            session,
            "xlsx",
            t("admin.export.xlsx"),
            f"{stem}_responses.xlsx",
            export.XLSX_MIME,
            lambda: admin_actions.export_responses_xlsx(
                session, store, survey, lang=lang, session_id=session_id, live=live
            ),
        ),
        _link(
            session,
            "parquet",
            t("admin.export.parquet"),
            f"{stem}_responses.parquet",
            PARQUET_MIME,
            lambda: admin_actions.export_responses_parquet(
                session, store, survey.id, session_id=session_id
            ),
        ),
        _link(
            session,
            "codebook",
            t("admin.export.codebook"),
            f"{stem}_codebook.csv",
            CSV_MIME,
            lambda: admin_actions.export_codebook_csv(
                session, survey, bom=bom, live=live, lang=lang, separator=separator
            ),
        ),
    ]
    markup.show("admin_downloads.html", links=full)
    st.subheader(t("admin.export.share_heading"))
    k = t.number(min_cell)
    rules = [t(f"admin.export.share_rule_{name}", k=k) for name in SHARE_RULES]
    st.caption("\n".join([t("admin.export.share_help", k=k), "", *(f"- {rule}" for rule in rules)]))
    shareable = _link(
        session,
        "shareable",
        t("admin.export.share_csv"),
        f"{stem}_shareable.csv",
        CSV_MIME,
        lambda: admin_actions.export_shareable_csv(
            session,
            store,
            survey,
            min_cell=min_cell,
            bom=bom,
            lang=lang,
            session_id=session_id,
            separator=separator,
        ),
    )
    markup.show("admin_downloads.html", links=[shareable])
