"""Admin section: moderation of free-text ideas (only approved ones reach any public screen).

Each idea is shown as typed, in its own direction. Parts that look like personal data (a phone
number, an e-mail or a street address: `inclucities.pii`) are highlighted and labelled, and such
an idea is never approved in bulk: approving it alone asks the moderator to confirm they checked
it. With a LibreTranslate server configured, an idea in another language than the admin's can be
machine-translated; the translation shows under the original.
"""

from __future__ import annotations

import streamlit as st

from components.admin.pager import pager
from components.markup import show
from components.store_access import clear_summaries
from inclucities import admin_actions
from inclucities.auth import AdminSession
from inclucities.i18n import LANGUAGES, Translator, is_rtl
from inclucities.machine_translation import LibreTranslate, TranslationError, translator_from
from inclucities.pii import Kind, find_personal_data, segments
from inclucities.settings import get_settings
from inclucities.store import Idea, Store
from inclucities.survey.models import Survey
from inclucities.text import Literal

IDEAS_PER_PAGE = 50
STATUSES: tuple[str, ...] = ("pending", "approved", "hidden")
# What each button sets, shown unless the idea already has that status.
ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("approved", "approve", "admin.moderation.approve", ":material/check:"),
    ("hidden", "hide", "admin.moderation.hide", ":material/visibility_off:"),
    ("pending", "pending", "admin.moderation.back_to_pending", ":material/undo:"),
)


# Bulk buttons shown for each filter: (status they set, message, icon).
BULK: dict[str, tuple[tuple[str, str, str], ...]] = {
    "pending": (
        ("approved", "admin.moderation.approve_selected", ":material/done_all:"),
        ("hidden", "admin.moderation.hide_selected", ":material/visibility_off:"),
    ),
    "approved": (("hidden", "admin.moderation.hide_selected", ":material/visibility_off:"),),
    "hidden": (("approved", "admin.moderation.approve_selected", ":material/done_all:"),),
}
DONE_KEY = "admin_mod_done"
TRANSLATIONS_KEY = "admin_mod_translations"  # (idea id, admin language) -> (outcome, text)
PII_LABELS: dict[Kind, str] = {
    Kind.PHONE: "admin.moderation.pii.phone",
    Kind.EMAIL: "admin.moderation.pii.email",
    Kind.ADDRESS: "admin.moderation.pii.address",
}


def _select_key(idea_id: int) -> str:
    return f"admin_mod_sel_{idea_id}"


def _checked_key(idea_id: int) -> str:
    """The moderator's 'I checked: no personal data' for a flagged idea."""
    return f"admin_mod_checked_{idea_id}"


def flagged(idea: Idea) -> bool:
    """Whether the idea looks like it carries personal data (approved only one by one)."""
    return bool(find_personal_data(idea.text))


def _moderate(
    session: AdminSession, store: Store, idea_id: int, status: str, needs_check: bool = False
) -> None:
    if status == "approved" and needs_check and not st.session_state.get(_checked_key(idea_id)):
        return  # the button is disabled until then; a stale click approves nothing
    admin_actions.moderate_idea(session, store, idea_id, status)
    st.session_state.pop(_select_key(idea_id), None)
    st.session_state.pop(_checked_key(idea_id), None)
    clear_summaries()


def _moderate_many(session: AdminSession, store: Store, idea_ids: list[int], status: str) -> None:
    changed = admin_actions.moderate_ideas(session, store, idea_ids, status)
    for idea_id in idea_ids:
        st.session_state.pop(_select_key(idea_id), None)
    for name in [k for k in st.session_state if str(k).startswith("admin_mod_all")]:
        st.session_state.pop(name, None)
    st.session_state[DONE_KEY] = changed
    clear_summaries()


def _pin(session: AdminSession, store: Store, idea_id: int, pinned: bool) -> None:
    admin_actions.pin_idea(session, store, idea_id, pinned)
    clear_summaries()


def _select_page(all_key: str, idea_ids: list[int]) -> None:
    chosen = bool(st.session_state.get(all_key))
    for idea_id in idea_ids:
        st.session_state[_select_key(idea_id)] = chosen


def _bulk_bar(
    t: Translator,
    session: AdminSession,
    store: Store,
    status: str,
    offset: int,
    ids: list[int],
    flagged_ids: frozenset[int],
) -> None:
    """Select ideas, then approve or hide them all at once (one audited action). Ideas that may
    hold personal data are left out of a bulk approval: each is checked and approved alone."""
    selected = [i for i in ids if st.session_state.get(_select_key(i))]
    all_key = f"admin_mod_all_{status}_{offset}"  # one box per list and page
    skipped = [i for i in selected if i in flagged_ids]
    with st.container(horizontal=True, key="admin_mod_bulk", vertical_alignment="center"):
        st.checkbox(
            t("admin.moderation.select_page"),
            key=all_key,
            on_change=_select_page,
            args=(all_key, ids),
        )
        for target, label, icon in BULK.get(status, ()):
            chosen = (
                [i for i in selected if i not in flagged_ids] if target == "approved" else selected
            )
            st.button(
                t(label, count=len(chosen)),
                key=f"admin_mod_bulk_{target}",
                icon=icon,
                type="primary" if target == "approved" else "secondary",
                disabled=not chosen,
                on_click=_moderate_many,
                args=(session, store, chosen, target),
            )
    if skipped and any(target == "approved" for target, _, _ in BULK.get(status, ())):
        st.caption(t("admin.moderation.pii.bulk_skipped", count=len(skipped)))


def _translation_service() -> LibreTranslate | None:
    """The configured LibreTranslate server, or None (machine translation off)."""
    current = get_settings()
    key = current.libretranslate_api_key
    return translator_from(current.libretranslate_url, key.get_secret_value() if key else None)


def _translate(service: LibreTranslate, idea: Idea, target: str) -> None:
    """Ask the server once; keep the translation, or why there is none, for this session."""
    try:
        outcome = ("ok", service.translate(idea.text, idea.lang, target))
    except TranslationError as exc:
        outcome = (exc.reason, "")
    st.session_state.setdefault(TRANSLATIONS_KEY, {})[(idea.id, target)] = outcome


def _idea_text(t: Translator, idea: Idea) -> None:
    """The idea as typed, in its own direction, with what may be personal data marked and
    labelled in words (the highlight's colour is never the only sign)."""
    parts = [
        {
            "text": text,
            "kind": kind.value if kind else None,
            "label": t(PII_LABELS[kind]) if kind else "",
        }
        for text, kind in segments(idea.text, find_personal_data(idea.text))
    ]
    show(
        "moderation_idea.html.j2",
        parts=parts,
        lang=idea.lang,
        admin_lang=t.lang,
        admin_dir="rtl" if is_rtl(t.lang) else "ltr",
    )


def _translation(t: Translator, service: LibreTranslate | None, idea: Idea) -> None:
    """The Translate button of an idea in another language, and its outcome under the original."""
    if service is None or idea.lang == t.lang:
        return
    outcome = st.session_state.get(TRANSLATIONS_KEY, {}).get((idea.id, t.lang))
    if outcome is not None and outcome[0] == "ok":
        show(
            "moderation_translation.html.j2",
            label=t("admin.moderation.translation"),
            text=outcome[1],
            lang=t.lang,
            dir="rtl" if is_rtl(t.lang) else "ltr",
        )
        return
    if outcome is not None:  # a timeout or a failure: say which, and offer to try again
        timed_out = outcome[0] == "timeout"
        message = (
            "admin.moderation.translate_timeout"
            if timed_out
            else "admin.moderation.translate_failed"
        )
        st.warning(t(message), icon=":material/translate:")
    st.button(
        t("admin.moderation.translate" if outcome is None else "admin.moderation.translate_again"),
        key=f"translate_{idea.id}",
        icon=":material/translate:" if outcome is None else ":material/refresh:",
        on_click=_translate,
        args=(service, idea, t.lang),
    )


def render(t: Translator, session: AdminSession, store: Store, survey: Survey) -> None:
    st.markdown(t("admin.moderation.intro"))
    status = (
        st.segmented_control(
            t("admin.moderation.filter"),
            STATUSES,
            default="pending",
            key="admin_mod_filter",
            format_func=lambda s: t(f"admin.moderation.status.{s}"),
        )
        or "pending"
    )
    total = admin_actions.idea_total(session, store, survey.id, status)
    if total == 0:
        st.info(t("admin.moderation.empty"))
        return
    st.caption(t("admin.moderation.count", count=total))
    flag_note = st.empty()  # filled once the page's ideas are read
    done = st.session_state.pop(DONE_KEY, None)
    if done is not None:
        st.success(t("admin.moderation.bulk_done", count=int(done)), icon=":material/check:")
    offset = pager(t, f"admin_mod_page_{status}", total, IDEAS_PER_PAGE)
    ideas = admin_actions.moderation_queue(
        session, store, survey.id, status, offset=offset, limit=IDEAS_PER_PAGE
    )
    flagged_ids = frozenset(idea.id for idea in ideas if flagged(idea))
    if flagged_ids:
        note = (
            "admin.moderation.pii.count"
            if total <= IDEAS_PER_PAGE
            else "admin.moderation.pii.count_page"
        )
        flag_note.warning(t(note, count=len(flagged_ids)), icon=":material/privacy_tip:")
    _bulk_bar(t, session, store, status, offset, [idea.id for idea in ideas], flagged_ids)
    service = _translation_service()
    for idea in ideas:
        with st.container(border=True, key=f"admin_mod_idea_{idea.id}"):
            st.checkbox(t("admin.moderation.select"), key=_select_key(idea.id))
            _idea_text(t, idea)  # literal text (escaped), never Markdown or HTML from visitors
            _translation(t, service, idea)
            needs_check = idea.id in flagged_ids
            if needs_check:
                st.warning(t("admin.moderation.pii.warning"), icon=":material/privacy_tip:")
            question = survey.question(idea.question_id)
            language = LANGUAGES[idea.lang].native_name if idea.lang in LANGUAGES else idea.lang
            st.caption(
                t(
                    "admin.moderation.meta",
                    language=Literal(language),
                    question=Literal(t.text(question.text) if question else idea.question_id),
                    date=t.date(idea.created_at.date(), "medium"),
                )
            )
            if status == "approved":
                support = t("results.supports", count=idea.supports)
                st.caption(f"{t('results.pinned')} · {support}" if idea.pinned else support)
            elif needs_check:
                st.checkbox(t("admin.moderation.pii.checked"), key=_checked_key(idea.id))
            checked = bool(st.session_state.get(_checked_key(idea.id)))
            cols = st.columns(len(ACTIONS) + (1 if status == "approved" else 0))
            for col, (target, name, label, icon) in zip(cols[: len(ACTIONS)], ACTIONS, strict=True):
                if status != target:
                    col.button(
                        t(label),
                        key=f"{name}_{idea.id}",
                        icon=icon,
                        type="primary" if target == "approved" else "secondary",
                        disabled=target == "approved" and needs_check and not checked,
                        on_click=_moderate,
                        args=(session, store, idea.id, target, needs_check),
                    )
            if status == "approved":
                cols[-1].button(
                    t("admin.moderation.unpin" if idea.pinned else "admin.moderation.pin"),
                    key=f"pin_{idea.id}",
                    icon=":material/keep_off:" if idea.pinned else ":material/keep:",
                    on_click=_pin,
                    args=(session, store, idea.id, not idea.pinned),
                )
