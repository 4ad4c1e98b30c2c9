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


MUTABLE_CALLS = frozenset(
    {"dict", "list", "set", "OrderedDict", "defaultdict", "deque", "Lock", "RLock", "Event"}
)
"""Calls whose result is mutable state when bound at module level."""
STATEFUL_CLASSES = frozenset(
    {
        "DownloadRegistry",
        "SnapshotCache",
        "CheckQueue",
        "UsedLinks",
        "MemoryFailureLog",
        "Limits",
        "RateLimiter",
        "LiveHub",
        "AudioLibrary",
        "Runtime",
    }
)
"""The app's own classes that hold state across requests: `inclucities.runtime` owns them."""
STATE_OWNER = PACKAGE / "runtime.py"


def module_state(path: Path) -> list[str]:
    """Names a module binds, at its top level, to mutable state: a container literal or a
    container, lock or stateful object built there (a `Memo` of a pure function is a cache)."""
    found = []
    label = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name) and not t.id.startswith("__")]
            value = node.value
            called = value.func if isinstance(value, ast.Call) else None
            callee = ""
            if isinstance(called, ast.Name):
                callee = called.id
            elif isinstance(called, ast.Attribute):  # threading.Lock(), Limits.default()
                owner = called.value
                named = isinstance(owner, ast.Name) and owner.id in STATEFUL_CLASSES
                callee = owner.id if named and isinstance(owner, ast.Name) else called.attr
            mutable_literal = isinstance(value, ast.Dict | ast.List | ast.Set)
            constant = all(name.isupper() for name in names)  # a table read, never written
            if (mutable_literal and not constant) or callee in MUTABLE_CALLS | STATEFUL_CLASSES:
                found += [f"{label}: {name}" for name in names]
    return found


def test_shared_state_has_one_owner_the_runtime():
    """Issue 27: everything that lives across requests is a field of `Runtime`, which the
    app's lifespan opens and closes; no other module keeps state of its own."""
    modules = [p for p in modules_above_the_store() if p != STATE_OWNER]
    offenders = [name for path in modules for name in module_state(path)]
    assert offenders == []
    assert module_state(STATE_OWNER), "the check sees the runtime's own state"


def test_the_state_check_sees_what_it_forbids(tmp_path: Path):
    sample = tmp_path / "sample.py"
    text = (
        "import threading\n_seen: dict[str, int] = {}\n_lock = threading.Lock()\n"
        "LIMITS = Limits.default()\nTABLE = {'a': 1}\n_memo = Memo(8)\n"
    )
    sample.write_text(text, encoding="utf-8")
    names = [entry.split(": ")[1] for entry in module_state(sample)]
    assert names == ["_seen", "_lock", "LIMITS"]
