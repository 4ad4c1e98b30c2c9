"""Docs that cannot drift: every file, test, module and command named in the docs exists."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Made by running the app or the tests, or by the person deploying: named, never shipped.
NOT_SHIPPED = (
    "data/local/",
    "tests/.artifacts/",
    "node_modules/",
    "static/audio/",
    ".streamlit/secrets.toml",
)
TOP_FOLDERS = (
    ".ci",
    ".streamlit",
    "components",
    "data",
    "docs",
    "inclucities",
    "pages",
    "scripts",
    "static",
    "surveys",
    "tests",
)
ROOT_FILES = re.compile(
    r"^(app\.py|README\.md|pyproject\.toml|package(-lock)?\.json|requirements(-dev)?\.txt"
    r"|compose\.yaml)$"
)
PATH_IN_CODE = re.compile(
    r"(?<![\w/.-])((?:" + "|".join(re.escape(f) for f in TOP_FOLDERS) + r")/[\w./*<>{}-]*)"
)
TEST_REF = re.compile(r"^(?:tests/)?(test_\w+)(?:\.py)?::(\w+)(?:\[[^\]]*\])?$")
MODULE_REF = re.compile(r"^((?:inclucities|surveys)(?:\.\w+)+)$")
SCRIPT_RUN = re.compile(r"python -m (scripts(?:\.\w+)+)")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def code_spans(text: str) -> list[str]:
    without_fences = re.sub(r"```.*?```", lambda m: m.group(0).replace("`", ""), text, flags=re.S)
    spans = re.findall(r"`([^`\n]+)`", without_fences)
    spans += [
        line for block in re.findall(r"```\w*\n(.*?)```", text, re.S) for line in block.split("\n")
    ]
    return spans


def path_exists(reference: str) -> bool:
    reference = reference.rstrip(".,:;)")
    if reference.startswith(NOT_SHIPPED):
        return True
    pattern = re.sub(r"<[^>]+>|\{[^}]+\}", "*", reference)
    if "*" in pattern:
        return any(ROOT.glob(pattern.rstrip("/")))
    return (ROOT / pattern).exists()


def _functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def problems_in(doc: Path) -> list[str]:
    text = doc.read_text(encoding="utf-8")
    found: list[str] = []
    for span in code_spans(text):
        span = span.strip()
        if ROOT_FILES.match(span) and not (ROOT / span).exists():
            found.append(f"{doc.name}: `{span}` does not exist")
        for reference in PATH_IN_CODE.findall(span):
            if not path_exists(reference):
                found.append(f"{doc.name}: `{reference}` does not exist")
        for script in SCRIPT_RUN.findall(span):
            if not (ROOT / (script.replace(".", "/") + ".py")).exists():
                found.append(f"{doc.name}: script `{script}` does not exist")
        if match := TEST_REF.match(span):
            module, function = match.groups()
            path = ROOT / "tests" / f"{module}.py"
            if not path.exists() or function not in _functions_in(path):
                found.append(f"{doc.name}: test `{span}` does not exist")
        if match := MODULE_REF.match(span):
            name = match.group(1)
            module_name, _, attribute = name.rpartition(".")
            try:
                importlib.import_module(name)
            except ImportError:
                try:
                    module = importlib.import_module(module_name)
                except ImportError:
                    module = None
                if module is None or not hasattr(module, attribute):
                    found.append(f"{doc.name}: `{name}` is not a module or name of the package")
    for target in LINK.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        if not (doc.parent / target).exists():
            found.append(f"{doc.name}: link to `{target}` does not exist")
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_everything_a_doc_names_exists(doc: Path):
    assert problems_in(doc) == []


def test_the_checker_catches_a_stale_name(tmp_path: Path):
    doc = tmp_path / "stale.md"
    doc.write_text(
        "Run `python scripts/no_such_script.py` or `python -m scripts.no_such_tool --short`, "
        "see `tests/test_nothing.py::test_gone` "
        "and `inclucities.no_such_module`, or [this](missing.md).\n",
        encoding="utf-8",
    )
    problems = " ".join(problems_in(doc))
    for name in ("no_such_script.py", "no_such_tool", "test_gone", "no_such_module", "missing.md"):
        assert name in problems
