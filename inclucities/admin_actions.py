"""Admin actions on the survey store; each one refuses to run without a signed-in admin session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import cast, get_args

import pandas as pd

from inclucities import export
from inclucities.auth import AdminSession, require_admin
from inclucities.deidentify import Deidentified, deidentify, quasi_identifiers
from inclucities.i18n import LANGUAGES, is_rtl, translator
from inclucities.results.summary import summarise
from inclucities.settings import get_settings
from inclucities.store import (
    AnswerStore,
    AuditEntry,
    Idea,
    IdeaStatus,
    LiveSession,
    ModerationStore,
    PrivacyStore,
    SessionStore,
    Store,
    StoreCore,
    SubmissionCounts,
)
from inclucities.survey.models import AGREEMENT_LEVELS, Survey

AGREEMENT_LABEL_KEY = "survey.scale.{level}"


def set_survey_open(
    session: AdminSession | None, store: SessionStore, survey_id: str, is_open: bool
) -> None:
    """Open or close a survey (a closed survey thanks visitors and stores nothing)."""
    actor = require_admin(session)
    store.set_survey_open(survey_id, is_open, actor=actor)


def record_privacy_override(
    session: AdminSession | None, store: StoreCore, survey_id: str, what: str
) -> None:
    """Audit the admin's decision to open (`what`: "survey" or "session") although the privacy
    notice is incomplete."""
    actor = require_admin(session)
    store.record_audit(actor, "privacy_override", survey_id, what)


def idea_status(value: str) -> IdeaStatus:
    """A status named by the admin's page, checked (ValueError for anything else)."""
    for status in get_args(IdeaStatus):
        if value == status:
            return cast(IdeaStatus, status)
    raise ValueError(f"unknown idea status {value!r}")


def moderation_queue(
    session: AdminSession | None,
    store: ModerationStore,
    survey_id: str,
    status: str | None = "pending",
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[Idea]:
    """Free-text ideas awaiting a decision (or with a given status), a page at a time."""
    require_admin(session)
    chosen = None if status is None else idea_status(status)
    return list(store.ideas(survey_id, status=chosen, limit=limit, offset=offset))


def idea_total(
    session: AdminSession | None,
    store: ModerationStore,
    survey_id: str,
    status: str | None = "pending",
) -> int:
    """How many ideas have this status (counted in the database, not loaded)."""
    require_admin(session)
    chosen = None if status is None else idea_status(status)
    return int(store.idea_count(survey_id, status=chosen))


def moderate_idea(
    session: AdminSession | None, store: ModerationStore, idea_id: int, status: str
) -> None:
    """Approve or hide one idea; only approved ideas reach the wall and the results page."""
    chosen = idea_status(status)
    actor = require_admin(session)
    store.set_idea_status(idea_id, chosen, actor=actor)


def moderate_ideas(
    session: AdminSession | None, store: ModerationStore, idea_ids: Iterable[int], status: str
) -> int:
    """Approve, hide or set back many ideas at once (one audit entry); how many changed."""
    chosen = idea_status(status)
    actor = require_admin(session)
    return int(store.set_ideas_status([int(i) for i in idea_ids], chosen, actor=actor))


def pin_idea(
    session: AdminSession | None, store: ModerationStore, idea_id: int, pinned: bool
) -> None:
    """Pin an idea to the top of the wall, or unpin it (audited by the store)."""
    actor = require_admin(session)
    store.set_idea_pinned(int(idea_id), bool(pinned), actor=actor)


def responses(
    session: AdminSession | None,
    store: AnswerStore,
    survey_id: str,
    include_deleted: bool = False,
    session_id: str | None = None,
) -> pd.DataFrame:
    """The raw responses frame (of one live session, or all), for export and for choosing test
    answers to remove."""
    require_admin(session)
    return store.responses_frame(survey_id, include_deleted=include_deleted, session_id=session_id)


def responses_page(
    session: AdminSession | None,
    store: AnswerStore,
    survey_id: str,
    *,
    offset: int,
    limit: int,
    deleted: bool,
) -> pd.DataFrame:
    """One page of responses (newest first), live ones or removed ones, paged in SQL."""
    require_admin(session)
    return store.responses_page(survey_id, offset=offset, limit=limit, deleted=deleted)


def submission_counts(
    session: AdminSession | None, store: AnswerStore, survey_id: str
) -> SubmissionCounts:
    """Live and removed submissions, counted in the database."""
    require_admin(session)
    return store.submission_counts(survey_id)


def soft_delete(
    session: AdminSession | None,
    store: PrivacyStore,
    survey_id: str,
    submission_ids: list[str] | None,
    reason: str,
) -> int:
    """Hide some submissions (or, with None, the whole survey) reversibly; the store audits it."""
    actor = require_admin(session)
    return store.soft_delete(survey_id, submission_ids=submission_ids, actor=actor, reason=reason)


def restore(
    session: AdminSession | None,
    store: PrivacyStore,
    survey_id: str,
    submission_ids: list[str] | None,
    reason: str,
) -> int:
    """Undo a soft delete."""
    actor = require_admin(session)
    return store.restore(survey_id, submission_ids=submission_ids, actor=actor, reason=reason)


def audit_log(
    session: AdminSession | None,
    store: StoreCore,
    survey_id: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Audit entries; for one survey (with the store-wide ones), newest first, when given."""
    require_admin(session)
    if survey_id is None:
        return store.audit_log()
    return store.audit_log(survey_id, include_global=True, limit=limit, newest_first=True)


# -- exports ------------------------------------------------------------------------------------


def deidentified(
    session: AdminSession | None,
    store: AnswerStore,
    survey_id: str,
    min_cell: int | None = None,
    session_id: str | None = None,
) -> Deidentified:
    """Every live response (of one live session, or all), de-identified: dates to the day, rare
    profile combinations withheld."""
    k = min_cell if min_cell is not None else get_settings().min_cell_size
    frame = responses(session, store, survey_id, session_id=session_id)
    return deidentify(frame, store.survey(survey_id), k)


def deidentified_responses(
    session: AdminSession | None,
    store: AnswerStore,
    survey_id: str,
    min_cell: int | None = None,
    session_id: str | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """The de-identified responses, each withheld answer written in the admin's language."""
    result = deidentified(session, store, survey_id, min_cell, session_id)
    return result.marked(withheld_text(lang))


def withheld_text(lang: str) -> str:
    """What a withheld cell reads in the admin's language."""
    return translator(lang)("admin.export.withheld")


def yes_no(lang: str) -> tuple[str, str]:
    """The words yes-or-no cells are written with in the admin's language."""
    t = translator(lang)
    return t("admin.export.yes"), t("admin.export.no")


def export_responses_csv(
    session: AdminSession | None,
    store: AnswerStore,
    survey_id: str,
    bom: bool = False,
    session_id: str | None = None,
    lang: str = "en",
    separator: str = export.COMMA,
) -> bytes:
    """Every live response as CSV, de-identified and with formulas neutralised."""
    frame = deidentified_responses(session, store, survey_id, session_id=session_id, lang=lang)
    return export.to_csv(frame, bom=bom, separator=separator, booleans=yes_no(lang))


def export_responses_parquet(
    session: AdminSession | None, store: AnswerStore, survey_id: str, session_id: str | None = None
) -> bytes:
    """Every live response as Parquet, de-identified and typed: agreement levels as integers,
    yes-or-no as booleans, withheld answers as nulls."""
    result = deidentified(session, store, survey_id, session_id=session_id)
    typed = export.parquet_responses(result.marked(None), store.survey(survey_id))
    return export.to_parquet(typed)


def export_responses_xlsx(
    session: AdminSession | None,
    store: AnswerStore,
    survey: Survey,
    lang: str = "en",
    session_id: str | None = None,
    live: LiveSession | None = None,
) -> bytes:
    """An Excel workbook: the de-identified responses, each coded column followed by its labels
    in the admin's language, and the codebook; formula-safe like the CSV."""
    t = translator(lang)
    frame = deidentified_responses(session, store, survey.id, session_id=session_id, lang=lang)
    labels = export.answer_labels(survey, lang, agreement_texts(lang))
    answers = export.with_labels(
        export.agreement_as_numbers(frame, survey),
        labels,
        lambda column: t("admin.export.label_column", column=column),
    )
    words = yes_no(lang)
    book = export.spell_booleans(codebook_frame(survey, live, lang), *words)
    return export.to_xlsx(
        [
            (t("admin.export.sheet_answers"), export.spell_booleans(answers, *words)),
            (t("admin.export.sheet_codebook"), book),
        ],
        right_to_left=is_rtl(lang),
    )


def codebook_frame(
    survey: Survey, live: LiveSession | None = None, lang: str = "en"
) -> pd.DataFrame:
    """The codebook, its notes written for files exported in `lang` (the withheld words and the
    yes-or-no words are that language's)."""
    k = get_settings().min_cell_size
    notes = deidentification_notes(survey, k, lang)
    if live is not None:
        texts = {
            code: translator(code)("admin.codebook.session", name=live.name, code=live.join_code)
            for code in LANGUAGES
        }
        notes.append(("session_id", live.id, texts))
    return export.codebook(survey, level_labels=agreement_labels(), notes=notes)


def export_codebook_csv(
    session: AdminSession | None,
    survey: Survey,
    bom: bool = False,
    live: LiveSession | None = None,
    lang: str = "en",
    separator: str = export.COMMA,
) -> bytes:
    """Questions and answer codes with their text in every language, and what was withheld;
    with `live`, a note says the data files cover that one session."""
    require_admin(session)
    book = codebook_frame(survey, live, lang)
    return export.to_csv(book, bom=bom, separator=separator, booleans=yes_no(lang))


def deidentification_notes(
    survey: Survey, k: int, lang: str = "en"
) -> list[tuple[str, str, dict[str, str]]]:
    """(variable, code, text per language) rows telling a reader what de-identification did,
    how yes-or-no cells read, and where the Parquet file differs, for files exported in `lang`."""
    columns = quasi_identifiers(survey, pd.Index([q.id for q in survey.questions] + ["lang"]))
    readers = {code: translator(code) for code in LANGUAGES}
    marker = withheld_text(lang)
    yes, no = yes_no(lang)
    notes: list[tuple[str, str, dict[str, str]]] = [
        ("created_at", "", {code: t("admin.codebook.day") for code, t in readers.items()})
    ]
    for column in columns:
        texts = {
            code: t("admin.codebook.withheld", count=k, code=marker)
            + " "
            + t("admin.codebook.withheld_why")
            for code, t in readers.items()
        }
        notes.append((column, marker, texts))
    for question in survey.questions:
        if question.type != "agreement" or question.no_answer is None:
            continue
        for variable in export.variables(question):
            flag = export.no_answer_column(variable, question.no_answer.id)
            texts = {
                code: t("admin.codebook.no_answer", label=t.text(question.no_answer.label))
                for code, t in readers.items()
            }
            notes.append((flag, "", texts))
    notes.append(
        (
            "required",
            "",
            {code: t("admin.codebook.booleans", yes=yes, no=no) for code, t in readers.items()},
        )
    )
    notes.append(("", "", {code: t("admin.codebook.labels") for code, t in readers.items()}))
    return notes


def agreement_labels() -> dict[str, dict[str, str]]:
    """Agreement level labels per language ("4 = Agree"), from the survey catalogs when they
    define them."""
    labels: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        words = agreement_texts(lang)
        labels[lang] = {
            level: level if words[level] == level else f"{level} = {words[level]}"
            for level in AGREEMENT_LEVELS
        }
    return labels


def agreement_texts(lang: str) -> dict[str, str]:
    """Agreement level -> its words in `lang` ("Agree"), or the level itself when the catalog
    has none."""
    t = translator(lang)
    texts: dict[str, str] = {}
    for level in AGREEMENT_LEVELS:
        key = AGREEMENT_LABEL_KEY.format(level=level)
        text = t(key)
        texts[level] = level if text == key else text
    return texts


def export_shareable_csv(
    session: AdminSession | None,
    store: Store,
    survey: Survey,
    min_cell: int,
    bom: bool = False,
    lang: str = "en",
    session_id: str | None = None,
    separator: str = export.COMMA,
) -> bytes:
    """Counts only, no free text, small cells suppressed (within the session exported, when one
    is chosen): fit to share outside the team. The column `suppressed` reads yes or no in `lang`.
    """
    require_admin(session)
    summary = summarise(store, survey, min_cell=min_cell, session_id=session_id)
    levels = agreement_labels().get(lang, {})
    return export.to_csv(
        export.shareable_frame(summary, survey, lang=lang, level_labels=levels),
        bom=bom,
        separator=separator,
        booleans=yes_no(lang),
    )


# -- live sessions --------------------------------------------------------------------------------


def start_session(
    session: AdminSession | None,
    store: SessionStore,
    survey_id: str,
    name: str,
    place: str | None = None,
    day: date | None = None,
    *,
    one_answer_per_device: bool = False,
) -> LiveSession:
    """Open a live session of a survey (its own join code); the store audits it."""
    actor = require_admin(session)
    created: LiveSession = store.create_session(
        survey_id,
        name,
        actor=actor,
        place=(place or "").strip() or None,
        day=day,
        one_answer_per_device=one_answer_per_device,
    )
    return created


def close_session(session: AdminSession | None, store: SessionStore, session_id: str) -> None:
    """Stop one session's answers; the survey's other sessions stay open."""
    actor = require_admin(session)
    store.close_session(session_id, actor=actor)


def reopen_session(session: AdminSession | None, store: SessionStore, session_id: str) -> None:
    actor = require_admin(session)
    store.reopen_session(session_id, actor=actor)
