"""Store commands for the people running the app.

    python -m inclucities.store migrate
        Create or update the schema and the surveys' answer tables (run once before starting
        several replicas; the app also does it when it starts).
    python -m inclucities.store purge --older-than-months 12
        Delete for good every answer older than the retention period, audited; the deleted data
        is then gone from the database files too.
    python -m inclucities.store copy-to-postgres data/local/inclucities.duckdb [--to URL]
        Copy a DuckDB file into the PostgreSQL database (INCLUCITIES_DATABASE_URL by default).
        Idempotent: run it again and every answer is still stored once.

The database is the one the settings name (INCLUCITIES_DATABASE_URL, else INCLUCITIES_DB_PATH).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from inclucities.settings import SettingsError, get_settings
from inclucities.store.base import StoreUnavailable
from inclucities.store.factory import is_postgres_url, open_store
from inclucities.store.interfaces import Store

COMMAND_ACTOR = "command line"


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError("no such date")  # pragma: no cover - day 1 always exists


def _open() -> Store:
    from inclucities.survey.loader import load_survey_definitions

    settings = get_settings()
    url = settings.database_url.get_secret_value() if settings.database_url else None
    return open_store(url, settings.db_path, load_survey_definitions().surveys.values())


def _migrate(_args: argparse.Namespace) -> int:
    store = _open()
    try:
        print(f"{store.backend} at {store.location}: schema version {store.schema_version()}")
        for survey_id in sorted(store.surveys):
            versions = store.layout_history(survey_id)
            print(f"  {survey_id}: answer layout version {versions[-1][0]}")
        for survey_id, error in sorted(store.registration_errors.items()):
            print(f"  {survey_id}: NOT STORED: {error}")
        return 1 if store.registration_errors else 0
    finally:
        store.close()


def _purge(args: argparse.Namespace) -> int:
    if args.older_than_months < 1:
        print("--older-than-months must be 1 or more", file=sys.stderr)
        return 2
    cutoff = months_before(datetime.now(UTC), args.older_than_months)
    store = _open()
    try:
        deleted = store.purge(cutoff, actor=args.actor)
    finally:
        store.close()
    noun = "submission" if deleted == 1 else "submissions"
    print(f"Purged {deleted} {noun} created before {cutoff:%Y-%m-%d %H:%M} UTC ({store.location}).")
    return 0


def _copy(args: argparse.Namespace) -> int:
    from inclucities.store.copy import copy_duckdb_to_postgres
    from inclucities.survey.loader import load_survey_definitions

    settings = get_settings()
    target = args.to or (
        settings.database_url.get_secret_value() if settings.database_url else None
    )
    if not is_postgres_url(target):
        print(
            "name the PostgreSQL database: --to postgresql://... or set INCLUCITIES_DATABASE_URL",
            file=sys.stderr,
        )
        return 2
    assert target is not None
    report = copy_duckdb_to_postgres(
        args.source, target, load_survey_definitions().surveys.values(), actor=args.actor
    )
    for line in report.lines():
        print(line)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m inclucities.store",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--actor", default=COMMAND_ACTOR, help="name written to the audit log")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create or update the schema").set_defaults(run=_migrate)
    purge = commands.add_parser("purge", help="delete answers older than the retention period")
    purge.add_argument("--older-than-months", type=int, required=True)
    purge.set_defaults(run=_purge)
    copy = commands.add_parser("copy-to-postgres", help="copy a DuckDB file into PostgreSQL")
    copy.add_argument("source", help="the DuckDB file")
    copy.add_argument("--to", help="postgresql:// URL (default: INCLUCITIES_DATABASE_URL)")
    copy.set_defaults(run=_copy)
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
    except (StoreUnavailable, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
