"""Project hygiene: settings documented, README commands present, code passes ruff."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from inclucities.settings import settings_table

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "pip install -r requirements-dev.txt && pytest"


def test_readme_configuration_table_is_generated_from_the_settings():
    assert settings_table() in README


def test_readme_gives_the_two_command_quick_start_and_the_test_command():
    for command in ("pip install -r requirements.txt", "streamlit run app.py", TEST_COMMAND):
        assert command in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == TEST_COMMAND


def _packages(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith(("#", "-r"))]


def test_requirements_are_pinned_and_split():
    runtime, dev = _packages("requirements.txt"), _packages("requirements-dev.txt")
    assert runtime and all("==" in line for line in runtime)
    assert dev and all("==" in line for line in dev)
    runtime_names = {line.split("==")[0].split("[")[0].lower() for line in runtime}
    for tool in ("pytest", "playwright", "ruff", "mypy", "hypothesis"):
        assert tool not in runtime_names, f"{tool} is a test tool, not a runtime requirement"
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")


def _ruff() -> list[str]:
    found = shutil.which("ruff")
    return [found] if found else [sys.executable, "-m", "ruff"]


def test_ruff_lint_passes():
    result = subprocess.run([*_ruff(), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_format_passes():
    result = subprocess.run(
        [*_ruff(), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
