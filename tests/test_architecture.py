"""Architecture: the logic package imports one way, never Streamlit; its types check (mypy)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "inclucities"
UI_LAYERS = ("streamlit", "components", "pages", "app")
DATABASE_DRIVERS = ("duckdb", "psycopg", "psycopg_pool")
STORE = PACKAGE / "store"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at any depth (a lazy import is still a dependency)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def logic_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def dependency_graph() -> dict[str, set[str]]:
    modules = logic_modules()
    return {
        name: {target for target in imports_of(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or [] when the graph runs one way."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            # a package's __init__ re-exporting its own modules is not a cycle between layers
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_the_logic_package_never_imports_streamlit_or_the_ui():
    offenders = [
        f"{name} imports {target}"
        for name, path in logic_modules().items()
        for target in imports_of(path)
        if target.split(".")[0] in UI_LAYERS
    ]
    assert offenders == []


def modules_above_the_store() -> list[Path]:
    """Every module of the app that is not the store: the rest of the package and the UI."""
    found = [*PACKAGE.rglob("*.py"), *(ROOT / "components").rglob("*.py")]
    found += [*(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]
    return sorted(path for path in found if not path.is_relative_to(STORE))


def test_only_the_store_imports_a_database_driver():
    offenders = [
        f"{path.relative_to(ROOT)} imports {target}"
        for path in modules_above_the_store()
        for target in imports_of(path)
        if target.split(".")[0] in DATABASE_DRIVERS
    ]
    assert offenders == []
    assert any("duckdb" in imports_of(p) for p in STORE.glob("*.py")), "the check looks at imports"


def test_the_logic_package_imports_run_one_way():
    assert find_cycle(dependency_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_top_level_survey_or_store_package_shadows_the_logic_package():
    assert not (ROOT / "surveys" / "__init__.py").exists()
    assert not list((ROOT / "surveys").glob("*.py")), "surveys/ holds definitions as data only"


def test_types_check_strictly_on_the_logic_package_and_the_ui():
    command = [sys.executable, "-m", "mypy"]  # the pinned mypy of this environment
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]


PACKAGE_LAYERS = ("survey", "store", "results", "live", "web")
"""Issue 27: the logic's sub-packages, lowest first; each imports only those before it."""


def package_of(module: str) -> str:
    """`inclucities.results.summary` -> `results`; a top-level module is its own package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_no_import_runs_back_up_the_layers():
    rank = {name: index for index, name in enumerate(PACKAGE_LAYERS)}
    offenders = []
    for name, targets in dependency_graph().items():
        here = package_of(name)
        for target in targets:
            there = package_of(target)
            if here in rank and there in rank and rank[there] > rank[here]:
                offenders.append(f"{name} imports {target}")
    assert offenders == []
    assert any(package_of(t) == "store" for t in dependency_graph()["inclucities.results.summary"])


def test_the_packages_import_each_other_one_way():
    packages: dict[str, set[str]] = {}
    for name, targets in dependency_graph().items():
        here = package_of(name)
        packages.setdefault(here, set()).update(
            package_of(t) for t in targets if package_of(t) != here
        )
    assert find_cycle(packages) == []
    assert "results" not in packages["survey"] and "store" not in packages["survey"]
