"""Row-level exports are de-identified: no time finer than a day, no rare profile combination."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from inclucities import admin_actions
from inclucities.auth import AdminSession
from inclucities.deidentify import WITHHELD, deidentify, quasi_identifiers, rare_combinations
from scripts.support.survey_helpers import RESIDENT, resident_answers

CITIES = ("brussels", "mechelen", "capaci", "jelgava", None)
AGES = ("25-44", "45-64", "65-plus", None)
GENDERS = ("woman", "man", None)
LANGS = ("fr", "en", "ar")


def _frame(rows: list[tuple]) -> pd.DataFrame:
    start = datetime(2026, 12, 7, 9, 31, 17)
    return pd.DataFrame(
        {
            "submission_id": [f"s{n}" for n in range(len(rows))],
            "created_at": [start + timedelta(minutes=7 * n) for n in range(len(rows))],
            "lang": [r[0] for r in rows],
            "city": [r[1] for r in rows],
            "age_group": [r[2] for r in rows],
            "gender": [r[3] for r in rows],
            "welcome": ["4"] * len(rows),
        }
    )


profile_rows = st.lists(
    st.tuples(
        st.sampled_from(LANGS),
        st.sampled_from(CITIES),
        st.sampled_from(AGES),
        st.sampled_from(GENDERS),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(rows=profile_rows, k=st.integers(min_value=2, max_value=6))
def test_no_disclosed_profile_combination_is_rarer_than_k(rows, k):
    frame = _frame(rows)
    result = deidentify(frame, RESIDENT, k)
    assert rare_combinations(result.frame, result.quasi_identifiers, k) == 0
    assert len(result.frame) == len(frame)  # nobody dropped; only profile answers withheld
    assert list(result.frame["welcome"]) == list(frame["welcome"])  # opinions untouched
    for column in result.quasi_identifiers:
        kept = result.frame[column] != WITHHELD
        assert (result.frame[column][kept].fillna("-") == frame[column][kept].fillna("-")).all()


def test_timestamps_are_rounded_to_the_day():
    result = deidentify(_frame([("fr", "brussels", "25-44", "woman")] * 3), RESIDENT, 2)
    assert {str(value) for value in result.frame["created_at"]} == {"2026-12-07"}


def test_a_unique_respondent_loses_the_answers_that_single_them_out():
    rows = [("fr", "brussels", "25-44", "woman")] * 5 + [("ar", "jelgava", "65-plus", "man")]
    result = deidentify(_frame(rows), RESIDENT, 5).frame
    lone = result.iloc[-1]
    assert [lone["city"], lone["age_group"], lone["gender"], lone["lang"]] == [WITHHELD] * 4
    assert (result.iloc[:5]["city"] == "brussels").all()  # the common group keeps its answers


def test_profile_columns_come_from_the_survey_definition():
    columns = quasi_identifiers(
        RESIDENT, pd.Index(["lang", "city", "age_group", "gender", "welcome"])
    )
    assert set(columns) == {"lang", "city", "age_group", "gender"}
    assert "welcome" not in columns


def test_the_csv_export_and_codebook_say_what_was_done(store):
    for n in range(6):
        store.submit(f"d{n}", "resident", RESIDENT.version, "fr", resident_answers(city="brussels"))
    store.submit("lone", "resident", RESIDENT.version, "ar", resident_answers(city="jelgava"))
    session = AdminSession()
    session.grant()
    data = admin_actions.export_responses_csv(session, store, "resident").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert all(len(row["created_at"]) == 10 for row in rows), "no time of day in the export"
    lone = next(row for row in rows if row["submission_id"] == "lone")
    marker = admin_actions.withheld_text("en")  # the words of the admin's language
    assert marker == "withheld (small group)"
    assert lone["city"] == marker and lone["lang"] == marker
    book = admin_actions.export_codebook_csv(session, RESIDENT).decode("utf-8")
    notes = [row for row in csv.DictReader(io.StringIO(book)) if row["type"] == "note"]
    assert {row["variable"] for row in notes} >= {
        "created_at",
        "city",
        "age_group",
        "gender",
        "lang",
    }
    assert all("Withheld to protect" in row["text_en"] for row in notes if row["code"])
