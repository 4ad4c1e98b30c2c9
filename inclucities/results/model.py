"""What a summary is made of: cells, question summaries, group results, word clouds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from inclucities.idea_wall import RankedIdea
from inclucities.wordcloud import Word


@dataclass(frozen=True)
class Cell:
    """One number of a breakdown; when `suppressed`, `count` and `share` are None."""

    key: str
    count: int | None
    suppressed: bool
    share: float | None = None  # of the breakdown's base (respondents who answered)


@dataclass(frozen=True)
class QuestionSummary:
    """Option counts of one question (or one item of an agreement grid)."""

    question_id: str
    item_id: str | None
    type: str
    answered: Cell  # respondents who answered; options of multi/priorities can sum to more
    options: tuple[Cell, ...]
    # agreement only: answers outside the 1-5 scale ("don't know" / "does not apply"), counted
    # apart; `answered` and the option shares then cover the 1-5 answers only
    no_answer: Cell | None = None
    profile: bool = False  # about the respondent (cells below k hidden), not an opinion

    @property
    def key(self) -> str:
        return self.question_id if self.item_id is None else f"{self.question_id}.{self.item_id}"


@dataclass(frozen=True)
class GroupResult:
    """One comparison group's answers to one agreement statement."""

    group: str
    answered: Cell
    agree_share: float | None  # share answering 4 or 5; None when the group is suppressed


@dataclass(frozen=True)
class Comparison:
    question_id: str
    item_id: str | None
    groups: tuple[GroupResult, ...]

    @property
    def key(self) -> str:
        return self.question_id if self.item_id is None else f"{self.question_id}.{self.item_id}"


@dataclass(frozen=True)
class ApprovedIdea:
    text: str
    lang: str


@dataclass(frozen=True)
class WordCloud:
    """The words of the approved answers to one short-text question (see inclucities.wordcloud)."""

    question_id: str
    answers: int  # approved answers the words come from
    words: tuple[Word, ...]


@dataclass(frozen=True)
class SurveySummary:
    """Everything the results, presenter and recommendations pages show for one survey."""

    survey_id: str
    min_cell: int
    generated_at: datetime
    total: int
    by_language: tuple[Cell, ...]
    by_city: tuple[Cell, ...]
    questions: tuple[QuestionSummary, ...]
    priorities: dict[str, tuple[Cell, ...]]  # question id -> options ranked, suppressed last
    comparison_question: str | None
    comparison_groups: tuple[Cell, ...]
    comparisons: tuple[Comparison, ...]
    idea_count: int
    approved_ideas: tuple[ApprovedIdea, ...] = field(default_factory=tuple)
    top_ideas: tuple[RankedIdea, ...] = field(default_factory=tuple)
    word_clouds: tuple[WordCloud, ...] = field(default_factory=tuple)

    @property
    def ready(self) -> bool:
        """Whether the group shown has enough answers (k) for any result to be published."""
        return self.total >= self.min_cell

    def question(self, question_id: str, item_id: str | None = None) -> QuestionSummary:
        for q in self.questions:
            if q.question_id == question_id and q.item_id == item_id:
                return q
        raise KeyError(question_id if item_id is None else f"{question_id}.{item_id}")

    @property
    def agreement(self) -> tuple[QuestionSummary, ...]:
        return tuple(q for q in self.questions if q.type == "agreement")
