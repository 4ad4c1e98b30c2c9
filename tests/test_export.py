"""Safe exports: formula neutralisation, BOM, Parquet round-trip."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from inclucities.export import UTF8_BOM, neutralise_cell, read_parquet, to_csv, to_parquet


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://e")', "+1+2", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"],
)
def test_formula_cells_are_neutralised(dangerous):
    assert neutralise_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize(
    ("dangerous", "defused"),
    [
        ("\t=1", "'\t'=1"),  # a tab-separated reader would see "=1" as a cell of its own
        ("\r=1", "'\r'=1"),
        ("merci;=2*21;fin", "merci;'=2*21;fin"),
        ("a, +33 6 12", "a, '+33 6 12"),
        ('x;"=1+1"', 'x;"\'=1+1"'),
        ("ok|@SUM(A1)", "ok|'@SUM(A1)"),
        ("line one\n-2+3", "line one\n'-2+3"),
    ],
)
def test_every_part_a_separator_could_split_off_is_neutralised(dangerous, defused):
    assert neutralise_cell(dangerous) == defused


SEPARATORS = (",", ";", "\t", "|")
HOSTILE_IDEAS = [
    "merci;=2*21;fin",
    "a,=1+1",
    "=SUM(1;2)",
    "x|-2+3",
    "plain;text, with-hyphens and a=b",
    'quote";=1+1;"',
    "multi\n@line",
]


def _cells_as_read(data: bytes, separator: str) -> list[str]:
    """Every cell as a spreadsheet splitting on `separator` would see it, quote-aware or not."""
    text = data.decode("utf-8-sig")
    aware = [
        cell
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        for cell in row
    ]
    naive = [cell for line in text.splitlines() for cell in line.split(separator)]
    return aware + naive


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
def test_no_formula_reaches_a_spreadsheet_whatever_its_separator(separator):
    data = to_csv(pd.DataFrame({"idea": HOSTILE_IDEAS, "n": range(len(HOSTILE_IDEAS))}))
    for cell in _cells_as_read(data, separator):
        stripped = cell.strip().lstrip('"').strip()
        assert not stripped.startswith(("=", "+", "-", "@")), (separator, cell)


@pytest.mark.parametrize("harmless", ["hello", "été", "a=b", "", "'quoted"])
def test_harmless_text_is_unchanged(harmless):
    assert neutralise_cell(harmless) == harmless


def test_numbers_are_unchanged():
    assert neutralise_cell(-3) == -3
    assert neutralise_cell(2.5) == 2.5


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_neutralises_formulas_in_every_text_column():
    frame = pd.DataFrame(
        {
            "idea": ["=1+1", "+33 6 12", "-minus", "@user", "plain", None],
            "city": ["Roma", "Liège", "=evil", "Αθήνα", "Rīga", "Київ"],
            "age": [30, -4, 50, 60, 70, 80],
        }
    )
    rows = _rows(to_csv(frame))
    assert rows[0] == ["idea", "city", "age"]
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+33 6 12", "'-minus", "'@user", "plain", ""]
    assert rows[3][1] == "'=evil"
    assert rows[2][2] == "-4"  # a real number stays a number


def test_csv_header_names_are_neutralised_too():
    rows = _rows(to_csv(pd.DataFrame({"=x": ["a"]})))
    assert rows[0] == ["'=x"]


def test_bom_is_optional_and_accents_survive():
    frame = pd.DataFrame({"city": ["Liège", "Αθήνα", "الرباط"]})
    plain = to_csv(frame)
    excel = to_csv(frame, bom=True)
    assert not plain.startswith(UTF8_BOM)
    assert excel.startswith(UTF8_BOM)
    assert excel[len(UTF8_BOM) :] == plain
    assert "Liège" in plain.decode("utf-8")
    assert "الرباط" in plain.decode("utf-8")


def test_parquet_round_trip_keeps_values_and_types():
    frame = pd.DataFrame(
        {
            "submission_id": ["a1", "b2", "c3"],
            "answer": ["=1+1", "été", None],
            "score": [1, 5, 3],
            "created_at": pd.to_datetime(
                ["2024-05-01 10:00", "2024-05-01 10:05", "2024-05-02 09:00"], utc=True
            ),
        }
    )
    back = read_parquet(to_parquet(frame))
    pd.testing.assert_frame_equal(back, frame)
