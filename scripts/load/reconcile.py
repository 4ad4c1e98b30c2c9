"""After the server has stopped: what the database holds, against what clients saw acknowledged.

Each respondent writes its token (`LT<run>x<index>`) in the free-text answer. Any table with a
`submission_id` column and a text column holding tokens maps token -> submission ids; the table
of the survey's answers (`responses_<survey>`, else `submissions`, else the largest table with
that column) gives the rows per id. A phone also knows the id its submission must be stored
under (a hash of its secret): every acknowledged id must be there, once.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEXT_TYPES = {"VARCHAR", "TEXT", "CHARACTER VARYING"}


@dataclass
class Reconciliation:
    """Answers acknowledged, stored, lost and doubled."""

    acknowledged: int = 0
    stored: int = 0  # distinct submissions held
    lost: list[str] = field(default_factory=list)  # acknowledged tokens not stored
    doubled: list[str] = field(default_factory=list)  # tokens stored under 2+ ids, or ids 2+ rows
    unacknowledged_stored: list[str] = field(default_factory=list)
    unattributed: int = 0  # submissions with no token of this run
    ids_checked: int = 0  # acknowledged submission ids the clients knew
    missing_ids: list[str] = field(default_factory=list)  # of those, not stored
    note: str = ""


def _compare(
    acknowledged: set[str],
    ids_by_token: dict[str, set[str]],
    rows_by_id: dict[str, int],
    note: str = "",
    ids: set[str] | None = None,
) -> Reconciliation:
    result = Reconciliation(acknowledged=len(acknowledged), note=note)
    result.ids_checked = len(ids or ())
    result.missing_ids = sorted(i for i in ids or () if i not in rows_by_id)
    result.stored = len(rows_by_id)
    result.lost = sorted(t for t in acknowledged if not ids_by_token.get(t))
    doubled = {t for t, ids in ids_by_token.items() if len(ids) > 1}
    doubled |= {t for t, ids in ids_by_token.items() if any(rows_by_id.get(i, 0) > 1 for i in ids)}
    result.doubled = sorted(doubled)
    result.unacknowledged_stored = sorted(t for t in ids_by_token if t not in acknowledged)
    attributed = set().union(*ids_by_token.values()) if ids_by_token else set()
    result.unattributed = len(set(rows_by_id) - attributed)
    return result


def main_table(tables: list[str], survey: str | None) -> str | None:
    """The table holding one row per submission, among those with a submission_id."""
    for name in (f"responses_{survey}" if survey else "", "submissions", "answers"):
        if name in tables:
            return name
    return None


def _reconcile_sql(
    query: Callable[[str, list[Any]], list[tuple[Any, ...]]],
    columns_sql: str,
    pattern: re.Pattern[str],
    acknowledged: set[str],
    ids: set[str] | None = None,
    survey: str | None = None,
) -> Reconciliation:
    """The same reading on either backend: `query(sql, params)` with `?` placeholders."""
    columns: dict[str, dict[str, str]] = defaultdict(dict)
    for table, column, dtype in query(columns_sql, []):
        columns[table][column] = dtype.upper()
    with_ids = [t for t, cols in columns.items() if "submission_id" in cols]
    if not with_ids:
        return Reconciliation(len(acknowledged), note="no table with a submission_id column")
    ids_by_token: dict[str, set[str]] = defaultdict(set)
    prefix = pattern.pattern.split("x(")[0].replace("\\", "")
    for table in with_ids:
        for column, dtype in columns[table].items():
            if column == "submission_id" or dtype not in TEXT_TYPES:
                continue
            rows = query(
                f'SELECT submission_id, "{column}" FROM "{table}" WHERE "{column}" LIKE ?',
                [f"%{prefix}%"],
            )
            for submission_id, text in rows:
                for match in pattern.finditer(text or ""):
                    ids_by_token[match.group(0)].add(str(submission_id))
    main = main_table(with_ids, survey) or max(
        with_ids, key=lambda t: query(f'SELECT count(*) FROM "{t}"', [])[0][0]
    )
    rows_by_id = {
        str(i): n for i, n in query(f'SELECT submission_id, count(*) FROM "{main}" GROUP BY 1', [])
    }
    note = f"rows of table {main}; tokens found in the free-text answers"
    if rows_by_id and not ids_by_token:
        note += "; no token found: the free-text answer may not be stored any more"
    return _compare(acknowledged, dict(ids_by_token), rows_by_id, note, ids)


def reconcile_duckdb(
    path: Path,
    pattern: re.Pattern[str],
    acknowledged: set[str],
    ids: set[str] | None = None,
    survey: str | None = None,
) -> Reconciliation:
    """Read a DuckDB file (read-only, server stopped) and compare."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return _reconcile_sql(
            lambda sql, params: con.execute(sql, params).fetchall(),
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal",
            pattern,
            acknowledged,
            ids,
            survey,
        )
    finally:
        con.close()


def reconcile_postgres(
    url: str,
    pattern: re.Pattern[str],
    acknowledged: set[str],
    ids: set[str] | None = None,
    survey: str | None = None,
) -> Reconciliation:
    """Read the replicas' PostgreSQL database (servers stopped) and compare."""
    import psycopg

    with psycopg.connect(url) as con:
        return _reconcile_sql(
            lambda sql, params: con.execute(sql.replace("?", "%s"), params).fetchall(),
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema()",
            pattern,
            acknowledged,
            ids,
            survey,
        )


def reconcile_jsonl(path: Path, pattern: re.Pattern[str], acknowledged: set[str]) -> Reconciliation:
    """Read the bare page's JSON-lines file of submissions and compare."""
    ids_by_token: dict[str, set[str]] = defaultdict(set)
    rows_by_id: dict[str, int] = defaultdict(int)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            rows_by_id[row["submission_id"]] += 1
            for match in pattern.finditer(json.dumps(row["answers"], ensure_ascii=False)):
                ids_by_token[match.group(0)].add(row["submission_id"])
    return _compare(
        acknowledged, dict(ids_by_token), dict(rows_by_id), "lines of the bare page's file"
    )
