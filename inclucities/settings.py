"""The one settings object: environment, then `.streamlit/secrets.toml`, then defaults."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from inclucities.memo import Memo
from inclucities.signin import password_problem

PROJECT_ROOT = Path(__file__).absolute().parent.parent
ENV_PREFIX = "INCLUCITIES_"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "local" / "inclucities.duckdb"
DEFAULT_AUDIO_DIR = PROJECT_ROOT / "data" / "local" / "audio"


class SettingsError(ValueError):
    """A setting has a value the app cannot use; the message names the variable."""


class Settings(BaseSettings):
    """Every configurable value of the app; each field's description is its README line."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", frozen=True, validate_default=True
    )

    db_path: Path = Field(
        DEFAULT_DB_PATH,
        description="DuckDB file holding survey answers; its folder is created on first run.",
    )
    database_url: SecretStr | None = Field(
        None,
        description=(
            "PostgreSQL database (postgresql://user:password@host:5432/name) shared by several "
            "app replicas; when unset, answers go to the DuckDB file `db_path`."
        ),
    )
    admin_password: SecretStr | None = Field(
        None,
        description="Password for the admin page; with none set, the admin page is disabled.",
    )
    presenter_password: SecretStr | None = Field(
        None,
        description=(
            "Passphrase for presenters: they run the screens (reveal, sessions, snapshots) "
            "without seeing the data; the admin password works for presenting too."
        ),
    )
    public_url: str | None = Field(
        None,
        description=(
            "Public base URL used in QR codes and share links (else the machine's network address)."
        ),
    )
    min_cell_size: int = Field(
        5,
        ge=2,
        le=1000,
        description=(
            "Smallest group a public breakdown may show; smaller groups read 'fewer than k'."
        ),
    )
    refresh_seconds: int = Field(
        3,
        ge=1,
        le=60,
        description=(
            "How often the recommendations page refreshes its live ranking (the results and "
            "presenter screens are pushed each change instead)."
        ),
    )

    behind_proxy: bool = Field(
        False,
        description=(
            "Trust the X-Forwarded-For header for the visitor's address (set it when a reverse "
            "proxy sits in front of the app), from the addresses in `trusted_proxies` only."
        ),
    )
    trusted_proxies: str = Field(
        "127.0.0.1/8,::1/128,172.16.0.0/12",
        description=(
            "Addresses or networks of the reverse proxies whose X-Forwarded-For is believed, "
            "comma-separated (default: this machine and Docker's networks)."
        ),
    )

    @property
    def proxy_networks(self) -> tuple[str, ...]:
        """The trusted proxies' networks, when the app runs behind a proxy (else none)."""
        if not self.behind_proxy:
            return ()
        return tuple(part.strip() for part in self.trusted_proxies.split(",") if part.strip())

    controller_name: str | None = Field(
        None,
        description="Who is responsible for the survey data (the data controller), as shown "
        "on the privacy notice.",
    )
    controller_contact: str | None = Field(
        None,
        description="How respondents reach the controller or its data-protection officer "
        "(e-mail or postal address).",
    )
    legal_basis: Literal["public_task", "consent", "legitimate_interests"] | None = Field(
        None,
        description="Legal basis for processing the answers (GDPR article 6): public_task, "
        "consent or legitimate_interests.",
    )
    retention_months: int = Field(
        12,
        ge=1,
        le=120,
        description="How many months answers are kept before the purge deletes them for good.",
    )
    complaint_authority: str | None = Field(
        None,
        description="The data-protection authority respondents may complain to, by name.",
    )
    complaint_url: str | None = Field(
        None, description="The web address of that authority's complaint page."
    )

    timezone: str = Field(
        "Europe/Brussels",
        description="Time zone the admin's audit log shows times in (an IANA name such as "
        "Europe/Paris); the database keeps UTC.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use a name like Europe/Brussels)"
            ) from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    audio_dir: Path = Field(
        DEFAULT_AUDIO_DIR,
        description=(
            "Folder of the read-aloud clips made with espeak-ng (`scripts/build_audio.py`, "
            "or on first use)."
        ),
    )

    libretranslate_url: str | None = Field(
        None,
        description=(
            "A self-hosted LibreTranslate server (e.g. http://127.0.0.1:5000): moderators then "
            "get a Translate button, a machine translation shown under the original idea. "
            "Off when unset."
        ),
    )
    libretranslate_api_key: SecretStr | None = Field(
        None, description="The API key of that LibreTranslate server, if it asks for one."
    )

    @field_validator("libretranslate_url", "libretranslate_api_key", mode="before")
    @classmethod
    def _translation_blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("libretranslate_url")
    @classmethod
    def _translation_url(cls, value: str | None) -> str | None:
        return cls._http_url(value)

    @field_validator(
        "public_url",
        "admin_password",
        "presenter_password",
        "controller_name",
        "controller_contact",
        "legal_basis",
        "complaint_authority",
        "complaint_url",
        "database_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("public_url", "complaint_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("must start with http:// or https:// and name a host")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip():
                ipaddress.ip_network(part.strip(), strict=False)  # ValueError names the bad one
        return value

    @field_validator("admin_password", "presenter_password")
    @classmethod
    def _strong_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and (problem := password_problem(value.get_secret_value())):
            raise ValueError(problem)
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        text = value.get_secret_value().strip()
        parts = urlsplit(text)
        if parts.scheme not in {"postgresql", "postgres"} or not (parts.hostname or parts.query):
            raise ValueError("must be a postgresql://user:password@host:port/database URL")
        return SecretStr(text)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        secrets = [path for path in _secrets_files() if path.is_file()]
        toml_sources = tuple(TomlConfigSettingsSource(settings_cls, path) for path in secrets)
        return (init_settings, env_settings, *toml_sources)


def _secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets: the working directory's, then the project's."""
    found = [Path.cwd() / ".streamlit" / "secrets.toml", SECRETS_FILE]
    return list(dict.fromkeys(path.absolute() for path in found))


def env_var(name: str) -> str:
    """The environment variable of a setting, e.g. `INCLUCITIES_MIN_CELL_SIZE`."""
    return ENV_PREFIX + name.upper()


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"{env_var(name)} (secrets key '{name}'): {message}")
    return "; ".join(lines)


_cache: Memo[tuple[object, ...], Settings] = Memo(1)


def _cache_key() -> tuple[object, ...]:
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX)))
    stamps = tuple(
        (str(path), path.stat().st_mtime_ns) for path in _secrets_files() if path.is_file()
    )
    return env, stamps, str(Path.cwd())


def _load() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def get_settings() -> Settings:
    """The current settings, re-read only when the environment or the secrets file changes.

    Raises SettingsError naming each bad variable.
    """
    return _cache.get(_cache_key(), _load)


# Without these the privacy notice cannot say who holds the answers nor why: no survey opens and
# no session starts before they are set, unless the admin overrides (audited).
PRIVACY_NOTICE_ESSENTIALS = ("controller_name", "controller_contact", "legal_basis")


def privacy_notice_incomplete(current: Settings) -> list[str]:
    """The essential privacy-notice settings still unset (their environment variables)."""
    return [env_var(name) for name in PRIVACY_NOTICE_ESSENTIALS if getattr(current, name) is None]


def privacy_settings_missing(current: Settings) -> list[str]:
    """The privacy-notice settings still unset (the admin sees a warning until none is)."""
    names = ("controller_name", "controller_contact", "legal_basis", "complaint_authority")
    return [env_var(name) for name in names if getattr(current, name) is None]


def documented_settings() -> list[tuple[str, str, str, str]]:
    """(environment variable, secrets key, default, help) for each setting, for the README."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default
        if default is None:
            shown = "none"
        elif isinstance(default, Path):
            shown = f"`{default.relative_to(PROJECT_ROOT)}`"
        else:
            shown = f"`{default}`"
        rows.append((f"`{env_var(name)}`", f"`{name}`", shown, field.description or ""))
    return rows


def settings_table() -> str:
    """The README's configuration table, generated from the settings object."""
    lines = [
        "| Environment variable | Secrets key | Default | What it does |",
        "| --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in documented_settings()]
    return "\n".join(lines)
