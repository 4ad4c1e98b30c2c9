"""The settings object: environment, then secrets, then defaults; bad values name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclucities import settings as settings_module
from inclucities.settings import SettingsError, get_settings


def test_defaults_apply_without_environment(monkeypatch):
    monkeypatch.delenv("INCLUCITIES_MIN_CELL_SIZE", raising=False)
    monkeypatch.delenv("INCLUCITIES_PUBLIC_URL", raising=False)
    current = get_settings()
    assert current.min_cell_size == 5
    assert current.public_url is None


def test_environment_wins_over_secrets(monkeypatch, tmp_path: Path):
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('min_cell_size = 7\npublic_url = "https://secrets.example"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INCLUCITIES_PUBLIC_URL", raising=False)
    monkeypatch.setenv("INCLUCITIES_MIN_CELL_SIZE", "9")
    current = get_settings()
    assert current.min_cell_size == 9
    assert current.public_url == "https://secrets.example"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("INCLUCITIES_MIN_CELL_SIZE", "1"),
        ("INCLUCITIES_MIN_CELL_SIZE", "five"),
        ("INCLUCITIES_REFRESH_SECONDS", "0"),
        ("INCLUCITIES_PUBLIC_URL", "localhost:8501"),
    ],
)
def test_a_bad_value_is_refused_with_the_variable_named(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        get_settings()


def test_settings_are_reread_when_the_environment_changes(monkeypatch):
    monkeypatch.setenv("INCLUCITIES_MIN_CELL_SIZE", "6")
    assert get_settings().min_cell_size == 6
    monkeypatch.setenv("INCLUCITIES_MIN_CELL_SIZE", "8")
    assert get_settings().min_cell_size == 8


def test_every_setting_has_help_for_the_readme():
    for _env, _key, _default, help_text in settings_module.documented_settings():
        assert help_text.strip()
