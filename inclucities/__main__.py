"""Commands for the people running the app.

    python -m inclucities admin-link [--url https://survey.example.org]
        Print a one-time link that signs the admin in (valid 15 minutes, once): the way back in
        when the password is lost, or while someone floods the sign-in page. Anyone holding the
        link can use it: open it yourself, do not send it.

Store commands (migrate, purge, copy) are under `python -m inclucities.store`.
"""

from __future__ import annotations

import argparse
import sys

from inclucities.credentials import configured_credentials
from inclucities.settings import SettingsError, get_settings
from inclucities.signin import issue_link
from inclucities.web.signin import LINK_PATH


def admin_link(base_url: str | None) -> str:
    """The recovery link for this server's admin password, on `base_url` (or the public URL)."""
    credentials = configured_credentials()
    token = issue_link(credentials)
    base = (base_url or get_settings().public_url or "http://localhost:8501").rstrip("/")
    return f"{base}{LINK_PATH}?token={token}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m inclucities", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    link = commands.add_parser("admin-link", help="print a one-time admin sign-in link")
    link.add_argument("--url", help="the app's address (default: INCLUCITIES_PUBLIC_URL)")
    args = parser.parse_args(argv)
    try:
        print(admin_link(args.url))
    except SettingsError as exc:
        print(f"A setting is wrong: {exc}", file=sys.stderr)
        return 2
    except ValueError:
        print(
            "No admin password is set (INCLUCITIES_ADMIN_PASSWORD): nobody can sign in.",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
