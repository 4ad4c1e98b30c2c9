"""What the form shows, in one language: the survey definition turned into plain view objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from inclucities.i18n import LANGUAGES, Translator, is_rtl
from inclucities.sessions import session_label
from inclucities.speech import answer_labels, clip_key, question_reading
from inclucities.store import LiveSession
from inclucities.survey.models import AGREEMENT_LEVELS, Question, Survey
from inclucities.survey.steps import LONG_TEXT, group_steps

Host = Literal["page", "streamlit"]
MAX_RANK_WORDS = 5  # places with their own word in the catalog (survey.rank.1 ... .5)


@dataclass(frozen=True)
class Choice:
    """One answer a respondent can pick; `value` is what is sent and stored."""

    value: str
    label: str
    hint: str = ""
    exclusive: bool = False
    off_scale: bool = False  # "I don't know" / "does not apply", beside the agreement scale


@dataclass(frozen=True)
class Line:
    """One statement of an agreement grid."""

    id: str
    label: str


@dataclass(frozen=True)
class QuestionView:
    """One question as the form draws it."""

    id: str
    kind: str  # single, city, multi, priorities, agreement, grid, text
    text: str
    help: str
    required: bool
    choices: list[Choice]
    lines: list[Line]
    step: int
    clip: str  # the read-aloud clip of the question and its answers
    max_selections: int | None = None
    max_length: int | None = None
    long_text: bool = False
    show_if: dict[str, object] | None = None
    note: str = ""  # "Choose up to 3", the text box's limit...
    places: list[tuple[int, str]] = field(default_factory=list)  # a ranking's (place, word)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    current: bool


@dataclass(frozen=True)
class FormView:
    """The whole form in one language, for one survey (and live session, if any)."""

    survey_id: str
    version: int
    lang: str
    direction: str
    title: str
    introduction: str
    introduction_clip: str
    session_id: str | None
    session_label: str | None
    steps: list[list[QuestionView]]
    consent_heading: str
    consent_text: str
    consent_clip: str
    consent_label: str
    root: str  # the path from the page back to the app's root ("" or "../")
    host: Host
    languages: list[LanguageLink]
    one_answer_per_device: bool = False  # the session's rule: no "new respondent" on this device


def rank_word(t: Translator, rank: int) -> str:
    return t(f"survey.rank.{rank}") if rank <= MAX_RANK_WORDS else t.number(rank)


def _choices(question: Question, t: Translator) -> list[Choice]:
    if question.type == "agreement":
        labels = answer_labels(question, t)
        scale = [Choice(level, labels[i]) for i, level in enumerate(AGREEMENT_LEVELS)]
        if question.no_answer is not None:
            scale.append(Choice(question.no_answer.id, labels[-1], off_scale=True))
        return scale
    return [
        Choice(o.id, t.text(o.label), t.text(o.hint) if o.hint else "", o.exclusive)
        for o in question.options
    ]


def _note(question: Question, t: Translator) -> str:
    if question.type == "multi" and question.max_selections:
        return t("survey.choose_up_to", count=question.max_selections)
    if question.type == "priorities":
        return t("survey.rank_hint")
    if question.type == "text" and question.max_length:
        return t("survey.text_limit", count=question.max_length)
    return ""


def question_view(question: Question, step: int, t: Translator) -> QuestionView:
    kind = "grid" if question.items else question.type
    places = []
    if question.type == "priorities":
        places = [(r, rank_word(t, r)) for r in range(1, (question.max_selections or 1) + 1)]
    show_if: dict[str, object] | None = None
    if question.show_if is not None:
        show_if = {"question": question.show_if.question, "equals": list(question.show_if.equals)}
    return QuestionView(
        id=question.id,
        kind=kind,
        text=t.text(question.text),
        help=t.text(question.help) if question.help else "",
        required=question.required,
        choices=_choices(question, t),
        lines=[Line(item.id, t.text(item.label)) for item in question.items],
        step=step,
        clip=clip_key(t.lang, question_reading(question, t)),
        max_selections=question.max_selections,
        max_length=question.max_length,
        long_text=(question.max_length or 0) > LONG_TEXT,
        show_if=show_if,
        note=_note(question, t),
        places=places,
    )


def language_links(href: str, lang: str) -> list[LanguageLink]:
    """Every language of the form, each named in its own language; `href` holds `{lang}`."""
    return [
        LanguageLink(code, language.native_name, href.replace("{lang}", code), code == lang)
        for code, language in LANGUAGES.items()
    ]


def form_view(
    survey: Survey,
    t: Translator,
    *,
    min_cell_size: int,
    session: LiveSession | None = None,
    root: str = "",
    host: Host = "page",
    language_href: str | None = None,
) -> FormView:
    """The form of `survey` in the translator's language. `language_href` (with `{lang}`) is
    the link of this same form in another language; the Streamlit page has its own picker."""
    plan = group_steps(survey)
    questions = {q.id: q for q in survey.questions}
    steps = [[question_view(questions[qid], i, t) for qid in step] for i, step in enumerate(plan)]
    consent = survey.consent_text(t.lang, min_cell_size)
    introduction = t.text(survey.introduction)
    return FormView(
        survey_id=survey.id,
        version=survey.version,
        lang=t.lang,
        direction="rtl" if is_rtl(t.lang) else "ltr",
        title=t.text(survey.title),
        introduction=introduction,
        introduction_clip=clip_key(t.lang, introduction),
        session_id=session.id if session is not None else None,
        session_label=session_label(session, t) if session is not None else None,
        one_answer_per_device=session is not None and session.one_answer_per_device,
        steps=steps,
        consent_heading=t("survey.consent_heading"),
        consent_text=consent,
        consent_clip=clip_key(t.lang, consent),
        consent_label=t("survey.consent_checkbox"),
        root=root,
        host=host,
        languages=language_links(language_href, t.lang) if language_href else [],
    )
