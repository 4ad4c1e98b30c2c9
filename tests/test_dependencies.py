"""Every import is declared: deptry checks the app against requirements.txt, and the tests and
scripts against requirements-dev.txt; in CI, the environment holds nothing else."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Folders with no Python of the project's own (and virtual environments someone made here).
NOT_CODE = ["node_modules", "static", "docs", "data", r"\.git", r"\.?venv", r"\.direnv"]
APP_CODE = [r"app\.py", "inclucities", "components", "pages", "surveys"]


def _deptry(*arguments: str, root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deptry", ".", "--no-ansi", *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_app_imports_only_its_declared_runtime_requirements():
    """pyproject.toml's [tool.deptry]: the app, with the dev tools counted as not installed."""
    result = _deptry()
    assert result.returncode == 0, result.stderr


def test_the_tests_and_scripts_import_only_declared_requirements():
    """Tests and scripts may use the dev tools too (DEP004), but nothing undeclared or
    reached only through another package (DEP001, DEP003)."""
    exclude = "|".join([*NOT_CODE, *APP_CODE])
    # --extend-exclude replaces pyproject's list, which leaves out scripts/ for the app's check
    result = _deptry(
        "--exclude", exclude, "--extend-exclude", "|".join(NOT_CODE), "--ignore", "DEP002,DEP004"
    )
    assert result.returncode == 0, result.stderr


def test_an_undeclared_import_fails_the_check(tmp_path):
    """The checker is not a formality: a module importing a package no requirement names makes
    it fail, naming the package, whether it is missing (DEP001) or only installed here because
    another package pulls it in (DEP003), as tests/test_hostile_urls.py once imported
    markdown_it."""
    for name in ("pyproject.toml", "requirements.txt", "requirements-dev.txt"):
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "requirements-tools.txt").write_text("pytest==9.0.3\n", encoding="utf-8")
    package = tmp_path / "inclucities"
    package.mkdir()
    imports = "import markdown_it\nimport not_a_declared_package\nimport yaml\n"
    (package / "__init__.py").write_text(imports, encoding="utf-8")
    result = _deptry("--ignore", "DEP002", root=tmp_path)
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert "DEP003 'markdown_it' imported but it is a transitive dependency" in report
    assert "DEP001 'not_a_declared_package' imported but missing" in report
    assert "Found 2 dependency issues" in report  # PyYAML is declared: no false alarm on yaml


_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA_MARKER = re.compile(r"extra\s*==\s*[\"']([^\"']+)[\"']")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(requirement: str) -> tuple[str, frozenset[str]]:
    """A requirement's distribution name and the extras it asks for ('psycopg[binary]')."""
    match = _REQUIREMENT.match(requirement)
    assert match, requirement
    extras = frozenset(_canonical(e) for e in (match.group(2) or "").split(",") if e.strip())
    return _canonical(match.group(1)), extras


def _declared(name: str) -> list[tuple[str, frozenset[str]]]:
    """Requirements of a requirements file, following its `-r` lines."""
    found: list[tuple[str, frozenset[str]]] = []
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += _declared(line[3:].strip())
        elif line:
            found.append(_parse(line))
    return found


def _closure(declared: list[tuple[str, frozenset[str]]]) -> set[str]:
    """The declared distributions and everything they require (with the extras asked for)."""
    found: set[tuple[str, frozenset[str]]] = set()
    todo = list(declared)
    while todo:
        name, extras = todo.pop()
        if (name, extras) in found:
            continue
        found.add((name, extras))
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            extra = _EXTRA_MARKER.search(requirement)
            if extra is None or _canonical(extra.group(1)) in extras:
                todo.append(_parse(requirement))
    return {name for name, _ in found}


@pytest.mark.skipif(not os.environ.get("CI"), reason="CI runs in a fresh virtual environment")
def test_ci_runs_in_a_fresh_environment_holding_only_what_is_declared():
    """`.ci/run` makes a new virtual environment for every run: nothing installed by hand can
    stand in for a missing requirement there."""
    assert sys.prefix != sys.base_prefix, "CI must run the tests inside a virtual environment"
    wanted = _closure(_declared("requirements-dev.txt"))
    installed = {_canonical(d.metadata["Name"]) for d in metadata.distributions()}
    tooling = {"pip", "setuptools", "wheel"}
    extra = sorted(installed - wanted - tooling)
    assert not extra, f"installed but declared nowhere: {extra}"
