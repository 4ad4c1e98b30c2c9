"""The project as a package: `pip install -e .` finds the app's code, scripts run as modules from
the repository root without touching `sys.path`, and nothing outside tests/ imports from tests/."""

from __future__ import annotations

import ast
import fnmatch
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Folders with no Python of the project's own (and virtual environments someone made here).
NOT_CODE = {"node_modules", "static", "docs", "data", "tests", "build", "dist"}


def _code_outside_tests() -> list[Path]:
    found: list[Path] = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [
            name
            for name in subfolders
            if name not in NOT_CODE and not name.startswith(".") and "venv" not in name
        ]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return found


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def _discovered_packages(include: list[str], exclude: list[str]) -> set[str]:
    """What setuptools' `packages.find` (its PackageFinder) yields from the repository root:
    it walks folders holding an `__init__.py` only, and keeps the dotted names matching
    `include` and not `exclude` (fnmatch patterns)."""
    found: set[str] = set()

    def walk(folder: Path, prefix: str) -> None:
        for child in sorted(folder.iterdir()):
            if not child.is_dir() or "." in child.name or not (child / "__init__.py").exists():
                continue
            name = prefix + child.name
            if any(fnmatch.fnmatchcase(name, p) for p in include) and not any(
                fnmatch.fnmatchcase(name, p) for p in exclude
            ):
                found.add(name)
            walk(child, name + ".")

    walk(ROOT, "")
    return found


def test_no_script_changes_sys_path():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "scripts").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "sys.path" in line
    ]
    assert offenders == [], "run scripts as `python -m scripts.<name>` from the repository root"


def test_nothing_outside_tests_imports_from_tests():
    files = _code_outside_tests()
    assert ROOT / "app.py" in files and ROOT / "scripts" / "loadtest.py" in files
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in files
        for module in _imported_modules(path)
        if module == "tests" or module.startswith("tests.")
    ]
    assert offenders == []


def test_the_checks_see_an_import_from_tests(tmp_path):
    module = tmp_path / "tool.py"
    module.write_text(
        "import json\nfrom tests.conftest import x\nimport tests.e2e\nfrom . import tests\n",
        encoding="utf-8",
    )
    assert _imported_modules(module) == ["json", "tests.conftest", "tests.e2e"]


def test_every_folder_of_scripts_is_a_package():
    """`python -m scripts.loadtest` needs scripts/ (and its subfolders) to be packages."""
    folders = {path.parent for path in (ROOT / "scripts").rglob("*.py")}
    assert ROOT / "scripts" / "load" in folders and ROOT / "scripts" / "support" in folders
    assert [f for f in folders if not (f / "__init__.py").exists()] == []


def test_pyproject_finds_the_app_package_and_all_its_subpackages():
    assert PYPROJECT["build-system"]["build-backend"] == "setuptools.build_meta"
    find = PYPROJECT["tool"]["setuptools"]["packages"]["find"]
    packages = _discovered_packages(find["include"], find.get("exclude", []))
    expected = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "inclucities").rglob("__init__.py")
    }
    assert {"inclucities", "inclucities.web", "inclucities.store"} <= expected
    assert packages == expected  # tests/, scripts/, components/ and pages/ are not installed


def test_pip_installs_the_app_requirements_from_requirements_txt():
    """The editable install brings what the app needs; versions stay pinned in one place."""
    dynamic = PYPROJECT["tool"]["setuptools"]["dynamic"]
    assert "dependencies" in PYPROJECT["project"]["dynamic"]
    assert dynamic["dependencies"] == {"file": ["requirements.txt"]}
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert "-e" not in requirements.split()  # the quick start installs the requirements only


def test_a_script_runs_as_a_module_from_the_repository_root():
    result = subprocess.run(
        [sys.executable, "-m", "scripts.loadtest", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--replicas" in result.stdout


MAX_MODULE_LINES = 500


def test_no_module_of_the_project_is_over_500_lines():
    """Issue 27: modules stay small enough to read; split one by concern before it grows past."""
    files = [ROOT / "app.py"]
    for folder in ("inclucities", "components", "pages", "scripts"):
        files += sorted((ROOT / folder).rglob("*.py"))
    sizes = {path: len(path.read_text(encoding="utf-8").splitlines()) for path in files}
    offenders = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path, lines in sorted(sizes.items())
        if lines > MAX_MODULE_LINES
    ]
    assert len(files) > 50 and ROOT / "scripts" / "load" / "run.py" in sizes
    assert offenders == [], f"over {MAX_MODULE_LINES} lines: {offenders}"
