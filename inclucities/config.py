"""Settings declared as data: name, environment variable, default and one line of help."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One configuration value, read from the environment, then Streamlit secrets."""

    name: str
    env_var: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db_path",
        "INCLUCITIES_DB_PATH",
        str(PROJECT_ROOT / "data" / "local" / "inclucities.duckdb"),
        "DuckDB file holding survey answers; its folder is created on first run.",
    ),
    Setting(
        "admin_password",
        "INCLUCITIES_ADMIN_PASSWORD",
        None,
        "Password for the admin page; with none set, the admin page is disabled.",
    ),
    Setting(
        "public_url",
        "INCLUCITIES_PUBLIC_URL",
        None,
        "Public base URL used in QR codes and share links (else the current request's URL).",
    ),
    Setting(
        "min_cell_size",
        "INCLUCITIES_MIN_CELL_SIZE",
        "5",
        "Smallest group a public breakdown may show; smaller groups read 'fewer than k'.",
    ),
    Setting(
        "refresh_seconds",
        "INCLUCITIES_REFRESH_SECONDS",
        "3",
        "How often live results and the presenter screen refresh themselves.",
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def get_setting(name: str, secrets: Mapping[str, object] | None = None) -> str | None:
    """Environment variable first, then Streamlit secrets (`name` key), then the default."""
    setting = SETTINGS_BY_NAME[name]
    value = os.environ.get(setting.env_var)
    if value:
        return value
    if secrets is not None:
        try:
            secret = secrets.get(name)
        except Exception:  # st.secrets raises when no secrets file exists
            secret = None
        if secret not in (None, ""):
            return str(secret)
    return setting.default


def get_int_setting(name: str, secrets: Mapping[str, object] | None = None) -> int:
    """An integer setting; a malformed value falls back to the default."""
    raw = get_setting(name, secrets)
    default = SETTINGS_BY_NAME[name].default
    try:
        return int(str(raw))
    except ValueError:
        return int(str(default))
