"""The shared store's schema, version by version, and how its rows become values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inclucities.store.base import (
    Idea,
    LiveSession,
)

V1 = (
    """CREATE TABLE submissions (
        submission_id VARCHAR PRIMARY KEY,
        survey_id VARCHAR NOT NULL,
        survey_version INTEGER NOT NULL,
        lang VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        deleted_at TIMESTAMP
    )""",
    """CREATE TABLE survey_state (
        survey_id VARCHAR PRIMARY KEY,
        is_open BOOLEAN NOT NULL,
        changed_at TIMESTAMP NOT NULL,
        changed_by VARCHAR NOT NULL
    )""",
    "CREATE SEQUENCE idea_seq START 1",
    """CREATE TABLE ideas (
        idea_id BIGINT PRIMARY KEY DEFAULT nextval('idea_seq'),
        submission_id VARCHAR NOT NULL,
        survey_id VARCHAR NOT NULL,
        question_id VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        lang VARCHAR NOT NULL,
        status VARCHAR NOT NULL DEFAULT 'pending',
        created_at TIMESTAMP NOT NULL,
        deleted BOOLEAN NOT NULL DEFAULT false
    )""",
    "CREATE SEQUENCE audit_seq START 1",
    """CREATE TABLE audit_log (
        entry_id BIGINT DEFAULT nextval('audit_seq'),
        logged_at TIMESTAMP NOT NULL,
        actor VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        survey_id VARCHAR,
        detail VARCHAR
    )""",
)
V2 = (
    # Bumped by every change other than a new submission (which changes the count), so live
    # screens can tell with one cheap query whether anything they show changed.
    """CREATE TABLE survey_versions (
        survey_id VARCHAR PRIMARY KEY,
        version BIGINT NOT NULL
    )""",
    # Whether the presenter has revealed the results on the projector ('' = no session).
    """CREATE TABLE results_visibility (
        survey_id VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL,
        revealed BOOLEAN NOT NULL,
        changed_at TIMESTAMP NOT NULL,
        changed_by VARCHAR NOT NULL,
        PRIMARY KEY (survey_id, session_id)
    )""",
)
# Version 3: each survey's answer table holds its whole submission (one soft-delete flag,
# `deleted_at`); the answer layout is recorded; sessions, supports, the login throttle.
V3_BEFORE_ANSWERS = ("CREATE SEQUENCE submission_seq START 1",)
V3_AFTER_ANSWERS = (
    "DROP TABLE submissions",
    "ALTER TABLE ideas DROP COLUMN deleted",
    "ALTER TABLE ideas ADD COLUMN session_id VARCHAR",
    "ALTER TABLE ideas ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT false",
    "CREATE UNIQUE INDEX ideas_answer ON ideas (submission_id, question_id)",
    """CREATE TABLE answer_layouts (
        survey_id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        layout VARCHAR NOT NULL,
        definition_version INTEGER,
        recorded_at TIMESTAMP NOT NULL,
        PRIMARY KEY (survey_id, version)
    )""",
    """CREATE TABLE live_sessions (
        session_id VARCHAR PRIMARY KEY,
        survey_id VARCHAR NOT NULL,
        join_code VARCHAR NOT NULL UNIQUE,
        name VARCHAR NOT NULL,
        place VARCHAR,
        session_date DATE,
        opened_at TIMESTAMP NOT NULL,
        closed_at TIMESTAMP,
        created_by VARCHAR NOT NULL
    )""",
    # One row per (idea, supporter); `slot` 1..3 makes "at most three per supporter and session"
    # a uniqueness rule the database enforces even for concurrent clicks.
    """CREATE TABLE idea_supports (
        idea_id BIGINT NOT NULL,
        supporter VARCHAR NOT NULL,
        survey_id VARCHAR NOT NULL,
        session_key VARCHAR NOT NULL,
        slot INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (idea_id, supporter),
        UNIQUE (supporter, session_key, slot)
    )""",
    """CREATE TABLE login_failures (
        scope VARCHAR NOT NULL,
        failed_at TIMESTAMP NOT NULL
    )""",
)
# Version 4: the secrets the server keys receipt codes with (made once, shared by every replica,
# in no export). Supports are bound to a stored submission from now on: `idea_supports.supporter`
# holds the supporting submission's id, so its primary key (idea_id, supporter) allows one support
# per idea per submission. Supports stored before (keyed by a browser hash) are kept as they are.
V4 = (
    """CREATE TABLE server_secrets (
        name VARCHAR PRIMARY KEY,
        secret VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
    )""",
)
# Version 5: the session rule "one answer per device" (a row only for sessions that have it), and
# the devices that answered in such a session: a keyed hash of the browser's respondent cookie,
# with no link to the answer it sent (so a withdrawal or an export never reaches it).
V5 = (
    """CREATE TABLE session_rules (
        session_id VARCHAR PRIMARY KEY,
        one_answer_per_device BOOLEAN NOT NULL
    )""",
    """CREATE TABLE session_devices (
        session_id VARCHAR NOT NULL,
        device VARCHAR NOT NULL,
        PRIMARY KEY (session_id, device)
    )""",
)
SCHEMA_VERSION = 5


AUDIT_ID_LIST = 20  # bulk actions list at most this many ids in the audit detail


def _short(ids: Sequence[object]) -> str:
    shown = ", ".join(str(i) for i in ids[:AUDIT_ID_LIST])
    return shown + (f" and {len(ids) - AUDIT_ID_LIST} more" if len(ids) > AUDIT_ID_LIST else "")


def _idea(row: Sequence[Any]) -> Idea:
    return Idea(
        id=int(row[0]),
        survey_id=row[1],
        question_id=row[2],
        text=row[3],
        lang=row[4],
        status=row[5],
        created_at=row[6],
        session_id=row[7],
        pinned=bool(row[8]),
        supports=int(row[9] or 0),
    )


def _session(row: Sequence[Any]) -> LiveSession:
    return LiveSession(*row)


SESSION_TABLE_COLUMNS = (
    "session_id, survey_id, join_code, name, place, session_date, opened_at, closed_at, created_by"
)
SESSION_COLUMNS = f"{SESSION_TABLE_COLUMNS}, coalesce(one_answer_per_device, false)"
SESSIONS = "live_sessions LEFT JOIN session_rules USING (session_id)"
