"""Project hygiene: settings documented, README commands present, code passes ruff."""

from __future__ import annotations

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
    """requirements.txt runs the app; requirements-dev.txt adds the tools (listed, with no -r
    line, in requirements-tools.txt, which pyproject.toml reads as the `dev` extra)."""
    runtime, tools = _packages("requirements.txt"), _packages("requirements-tools.txt")
    assert runtime and all("==" in line for line in runtime)
    assert tools and all("==" in line for line in tools)
    runtime_names = {line.split("==")[0].split("[")[0].lower() for line in runtime}
    for tool in ("pytest", "playwright", "ruff", "mypy", "hypothesis", "deptry"):
        assert tool not in runtime_names, f"{tool} is a test tool, not a runtime requirement"
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in dev if line and not line.startswith("#")] == [
        "-r requirements.txt",
        "-r requirements-tools.txt",
    ]


def test_ci_makes_a_new_virtual_environment_for_the_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'venv_dir="$(mktemp -d)"' in ci
    assert 'python3 -m venv "$venv_dir/venv"' in ci
    assert ci.index('. "$venv_dir/venv/bin/activate"') < ci.index(TEST_COMMAND)


def _ruff() -> list[str]:
    return [sys.executable, "-m", "ruff"]  # the pinned ruff of this environment


def test_ruff_lint_passes():
    result = subprocess.run([*_ruff(), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_format_passes():
    result = subprocess.run(
        [*_ruff(), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
