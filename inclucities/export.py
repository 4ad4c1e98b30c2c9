"""Safe exports: CSV (formula-neutralised, optional BOM), Parquet, codebook, shareable summary."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = b"\xef\xbb\xbf"


def neutralise_cell(value: Any) -> Any:
    """Prefix a quote to text a spreadsheet would run as a formula; other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            continue
        safe[column] = series.map(neutralise_cell, na_action="ignore").astype(object)
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe


def to_csv(frame: pd.DataFrame, bom: bool = False) -> bytes:
    """UTF-8 CSV with formulas neutralised; `bom=True` lets Excel read accents correctly."""
    text = neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n")
    data = text.encode("utf-8")
    return UTF8_BOM + data if bom else data


def to_parquet(frame: pd.DataFrame) -> bytes:
    """Parquet bytes (values kept as they are: Parquet is not opened as a spreadsheet)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=False)
    return buffer.getvalue()


def read_parquet(data: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(data), engine="pyarrow")
