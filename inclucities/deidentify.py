"""De-identified row-level exports: dates to the day, rare profile combinations generalised.

The answers carry no name, but a rare combination of profile answers (city × age × gender ×
relationship × language) could still single a respondent out. Every combination that occurs
fewer than k times is generalised by withholding, one profile column at a time from the most
specific, until every combination that still discloses something occurs at least k times.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from inclucities.survey.models import Survey

WITHHELD = "withheld"
"""The code that stands for a withheld profile answer while de-identifying; exports write the
words of the admin's language instead, or an empty cell (`Deidentified.marked`)."""
LANGUAGE_COLUMN = "lang"
TIMESTAMP_COLUMN = "created_at"
# Withheld first: the columns with the most distinct values single people out soonest.
GENERALISATION_ORDER: tuple[str, ...] = (
    "city",
    "age_group",  # resident survey v2 (16-24 band); "age" in v1
    "age",
    "gender",
    "relationship",
    LANGUAGE_COLUMN,
)


@dataclass(frozen=True)
class Deidentified:
    """A de-identified frame and, per profile column, how many answers were withheld."""

    frame: pd.DataFrame
    quasi_identifiers: tuple[str, ...]
    withheld: dict[str, int] = field(default_factory=dict)

    def marked(self, marker: str | None) -> pd.DataFrame:
        """The frame with every withheld answer written as `marker`: the words a reader of
        the export understands (in the admin's language), or None for an empty cell (Parquet).
        """
        frame = self.frame.copy()
        for column in self.quasi_identifiers:
            hidden = frame[column].eq(WITHHELD).fillna(False).astype(bool)
            if hidden.any():
                frame[column] = frame[column].astype(object)
                frame.loc[hidden, column] = marker
        return frame


def quasi_identifiers(survey: Survey, columns: pd.Index) -> tuple[str, ...]:
    """The profile columns of a responses frame, in the order they are generalised."""
    names = [q.id for q in survey.profile_questions] + [LANGUAGE_COLUMN]
    ordered = [c for c in GENERALISATION_ORDER if c in names]
    ordered += [c for c in names if c not in ordered]
    return tuple(c for c in ordered if c in columns)


def _rare(frame: pd.DataFrame, columns: tuple[str, ...], k: int) -> pd.Series:
    """Rows whose combination of `columns` occurs fewer than k times (all-withheld rows exempt)."""
    keys = frame[list(columns)].astype("string").fillna("")
    sizes = keys.groupby(list(columns), dropna=False)[columns[0]].transform("size")
    disclosed = (keys != WITHHELD).any(axis=1)
    return (sizes < k) & disclosed


def deidentify(frame: pd.DataFrame, survey: Survey, k: int) -> Deidentified:
    """Round timestamps to the day and withhold profile answers until no combination is rare."""
    safe = frame.copy()
    if TIMESTAMP_COLUMN in safe:
        safe[TIMESTAMP_COLUMN] = pd.to_datetime(safe[TIMESTAMP_COLUMN]).dt.floor("D").dt.date
    columns = quasi_identifiers(survey, safe.columns)
    withheld: dict[str, int] = {}
    if not columns or safe.empty:
        return Deidentified(safe, columns, withheld)
    for column in columns:
        safe[column] = safe[column].astype(object)
    for column in columns:
        rare = _rare(safe, columns, k)
        if not rare.any():
            break
        changed = rare & (safe[column] != WITHHELD)
        safe.loc[changed, column] = WITHHELD
        withheld[column] = int(changed.sum())
    return Deidentified(safe, columns, withheld)


def rare_combinations(frame: pd.DataFrame, columns: tuple[str, ...], k: int) -> int:
    """How many rows still disclose a profile combination that occurs fewer than k times."""
    if not columns or frame.empty:
        return 0
    return int(_rare(frame, columns, k).sum())
