"""Pydantic models of a survey definition: questions, options, conditions, text in 9 languages."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from inclucities.i18n import LANGUAGES

QUESTION_ID = r"^[a-z][a-z0-9_]{0,39}$"  # also a SQL column name, so no hyphens
OPTION_ID = r"^[a-z0-9][a-z0-9_-]{0,39}$"
SURVEY_ID = r"^[a-z][a-z0-9_]{0,29}$"  # also part of a SQL table name

QuestionType = Literal["single", "multi", "agreement", "priorities", "city", "text"]
CHOICE_TYPES: frozenset[str] = frozenset({"single", "multi", "priorities", "city"})
LIST_TYPES: frozenset[str] = frozenset({"multi", "priorities"})
AGREEMENT_LEVELS: tuple[str, ...] = ("1", "2", "3", "4", "5")  # strongly disagree .. strongly agree
AGREE_LEVELS: frozenset[str] = frozenset({"4", "5"})
# An agreement question may offer one answer outside the scale, stored as its own code and kept
# out of the 1-5 distribution: "dk" (I don't know) or "na" (does not apply to me).
DONT_KNOW = "dk"
NOT_APPLICABLE = "na"
NO_ANSWER_CODES: tuple[str, ...] = (DONT_KNOW, NOT_APPLICABLE)
OTHER_CITY = "other"
MAX_TEXT_LENGTH = 2000


def _expand_text(value: object) -> object:
    """A plain string (a proper name) means the same text in every language."""
    if isinstance(value, str):
        return dict.fromkeys(LANGUAGES, value)
    return value


def _check_languages(value: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        raise ValueError(f"missing text for language(s): {', '.join(missing)}")
    extra = sorted(set(value) - set(LANGUAGES))
    if extra:
        raise ValueError(f"unknown language code(s): {', '.join(extra)}")
    return value


LocalText = Annotated[
    dict[str, str],
    BeforeValidator(_expand_text),
    AfterValidator(_check_languages),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    """One answer option; its id is what is stored.

    `hint` is an optional one-line explanation shown under the label (e.g. what a
    recommendation means in plain words); `exclusive` means the option cannot be chosen together
    with another one of a multiple-choice question (e.g. "nowhere").
    """

    id: str = Field(pattern=OPTION_ID)
    label: LocalText
    hint: LocalText | None = None
    exclusive: bool = False


class NoAnswer(Strict):
    """The answer outside the agreement scale: its code ('dk' or 'na') and its label."""

    id: Literal["dk", "na"]
    label: LocalText


class Item(Strict):
    """One statement of an agreement grid (e.g. access to housing)."""

    id: str = Field(pattern=OPTION_ID)
    label: LocalText


class Condition(Strict):
    """Show a question only if an earlier answer is one of `equals`."""

    question: str = Field(pattern=QUESTION_ID)
    equals: list[str] = Field(min_length=1)


class Question(Strict):
    """One question of a survey."""

    id: str = Field(pattern=QUESTION_ID)
    type: QuestionType
    required: bool = False
    text: LocalText
    help: LocalText | None = None
    options: list[Option] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    max_selections: int | None = Field(default=None, ge=1)
    max_length: int | None = Field(default=None, ge=1, le=MAX_TEXT_LENGTH)
    show_if: Condition | None = None
    no_answer: NoAnswer | None = None  # agreement only: "I don't know" / "does not apply to me"
    # A profile question describes the respondent (city, age, gender...): its answers combined
    # could single someone out, so breakdowns and row-level exports protect them.
    profile: bool = False

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        if self.type in CHOICE_TYPES:
            if len(self.options) < 2:
                raise ValueError("field 'options': a choice question needs at least two options")
            ids = [o.id for o in self.options]
            if len(set(ids)) != len(ids):
                raise ValueError("field 'options': option ids must be unique")
        elif self.options:
            raise ValueError(f"field 'options': a {self.type} question takes no options")
        if self.type in LIST_TYPES:
            if self.max_selections is None:
                raise ValueError("field 'max_selections': required for multi and priorities")
            if self.max_selections > len(self.options):
                raise ValueError("field 'max_selections': larger than the number of options")
        elif self.max_selections is not None:
            raise ValueError(f"field 'max_selections': not allowed on a {self.type} question")
        if self.type == "text":
            if self.max_length is None:
                raise ValueError("field 'max_length': required for a text question")
        elif self.max_length is not None:
            raise ValueError(f"field 'max_length': not allowed on a {self.type} question")
        if self.items and self.type != "agreement":
            raise ValueError("field 'items': only agreement questions have items")
        if self.no_answer is not None and self.type != "agreement":
            raise ValueError("field 'no_answer': only agreement questions have one")
        if any(o.exclusive for o in self.options) and self.type != "multi":
            raise ValueError("field 'options': only multiple-choice options can be exclusive")
        if len({i.id for i in self.items}) != len(self.items):
            raise ValueError("field 'items': item ids must be unique")
        if self.type == "city" and OTHER_CITY not in {o.id for o in self.options}:
            raise ValueError(f"field 'options': a city question needs an '{OTHER_CITY}' option")
        return self

    @property
    def option_ids(self) -> list[str]:
        """Every value this question stores: for agreement, the scale then its no-answer code."""
        if self.type == "agreement":
            extra = [self.no_answer.id] if self.no_answer is not None else []
            return [*AGREEMENT_LEVELS, *extra]
        return [o.id for o in self.options]

    @property
    def exclusive_ids(self) -> frozenset[str]:
        """Options that must be chosen alone (multiple choice)."""
        return frozenset(o.id for o in self.options if o.exclusive)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def columns(self) -> list[tuple[str, str | None]]:
        """(column, item id) pairs this question is stored in; each column holds one option id.

        Agreement grids use one column per item; multiple choice and priorities one column per
        rank (`q__1`, `q__2`...), so that counting is a plain GROUP BY; text goes to `ideas`.
        """
        if self.type == "text":
            return []
        if self.items:
            return [(f"{self.id}__{item.id}", item.id) for item in self.items]
        if self.type in LIST_TYPES:
            return [(f"{self.id}__{k}", None) for k in range(1, (self.max_selections or 1) + 1)]
        return [(self.id, None)]


class Compare(Strict):
    """Which answer splits respondents into groups to compare (e.g. newcomers vs long-term)."""

    question: str = Field(pattern=QUESTION_ID)
    groups: list[str] = Field(min_length=2)


class Survey(Strict):
    """A whole survey definition, one file.

    `consent` may contain `{k}`, the smallest group the results show: format it with
    `consent_text(lang, k)`, never show the raw text. `min_age`, when set, is the youngest age
    allowed to answer; the introduction must state it (checked by the tests).
    """

    id: str = Field(pattern=SURVEY_ID)
    version: int = Field(ge=1)
    minutes: int = Field(ge=1, le=30)
    min_age: int | None = Field(default=None, ge=1, le=99)
    title: LocalText
    introduction: LocalText
    consent: LocalText
    thank_you: LocalText
    questions: list[Question] = Field(min_length=1)
    compare: Compare | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Survey:
        seen: dict[str, Question] = {}
        for q in self.questions:
            if q.id in seen:
                raise ValueError(f"question '{q.id}': duplicate question id")
            if q.show_if is not None:
                target = seen.get(q.show_if.question)
                if target is None:
                    raise ValueError(
                        f"question '{q.id}': field 'show_if.question' must name an earlier "
                        f"question, not '{q.show_if.question}'"
                    )
                if target.type not in CHOICE_TYPES and not (
                    target.type == "agreement" and not target.items
                ):
                    raise ValueError(
                        f"question '{q.id}': field 'show_if.question' must be a choice question "
                        "or a single agreement statement"
                    )
                unknown = sorted(set(q.show_if.equals) - set(target.option_ids))
                if unknown:
                    raise ValueError(
                        f"question '{q.id}': field 'show_if.equals' has unknown option(s) "
                        f"{', '.join(unknown)} of '{target.id}'"
                    )
            seen[q.id] = q
        if self.min_age is not None:
            missing = [lang for lang, text in self.introduction.items()
                       if str(self.min_age) not in text]  # fmt: skip
            if missing:
                raise ValueError(
                    f"field 'introduction': must state the minimum age {self.min_age} "
                    f"in every language (not in: {', '.join(missing)})"
                )
        with_k = [lang for lang, text in self.consent.items() if "{k}" in text]
        if with_k and len(with_k) != len(self.consent):
            missing = sorted(set(self.consent) - set(with_k))
            raise ValueError(f"field 'consent': '{{k}}' is missing in {', '.join(missing)}")
        if sum(q.type == "city" for q in self.questions) > 1:
            raise ValueError("field 'questions': at most one city question per survey")
        if self.compare is not None:
            target = seen.get(self.compare.question)
            if target is None or target.type not in {"single", "city"}:
                raise ValueError(
                    "field 'compare.question' must name a single-choice question, "
                    f"not '{self.compare.question}'"
                )
            unknown = sorted(set(self.compare.groups) - set(target.option_ids))
            if unknown:
                raise ValueError(
                    f"field 'compare.groups' has unknown option(s) {', '.join(unknown)}"
                )
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def consent_text(self, lang: str, k: int) -> str:
        """The consent text in `lang`, with `{k}` (the small-cell rule) filled in.

        Call with the configured size: `survey.consent_text(t.lang,
        get_settings().min_cell_size)`. Only `{k}` is replaced, so other braces stay as written.
        """
        text = self.consent.get(lang) or self.consent["en"]
        return text.replace("{k}", str(k))

    @property
    def profile_questions(self) -> list[Question]:
        """Questions that describe the respondent rather than their opinion."""
        return [q for q in self.questions if q.profile]

    @property
    def city_question(self) -> Question | None:
        return next((q for q in self.questions if q.type == "city"), None)

    @property
    def table_name(self) -> str:
        return f"responses_{self.id}"
