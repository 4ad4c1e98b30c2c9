"""The browser code we write is linted (ESLint, eslint.config.mjs) and its pure functions are
unit-tested (node's test runner, tests/js/*.test.mjs); both run here, so `pytest` runs them.

Without node or the npm packages (`npm ci`) these skip locally with the reason; in CI they fail.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import require_program

ROOT = Path(__file__).resolve().parent.parent
ESLINT = ROOT / "node_modules" / "eslint" / "bin" / "eslint.js"
TESTS = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))
TIMEOUT = 180  # seconds: both take a few seconds; a hang must not stall the suite


def _node() -> str:
    return require_program(shutil.which("node"), "node is not installed; .ci/run needs it for npm")


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command), cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def test_eslint_finds_nothing_in_our_javascript():
    node = _node()
    require_program(str(ESLINT) if ESLINT.exists() else None, "ESLint is not installed: npm ci")
    result = _run(node, str(ESLINT), "--max-warnings", "0")
    assert result.returncode == 0, f"npx eslint:\n{result.stdout}\n{result.stderr}"


def test_eslint_lints_each_of_our_scripts_and_not_the_vendored_ones():
    """The config covers our files (a wrong glob would lint nothing and pass)."""
    node = _node()
    require_program(str(ESLINT) if ESLINT.exists() else None, "ESLint is not installed: npm ci")
    ours = [
        "static/js/live.js",
        "static/js/frame.js",
        "static/js/module-loader.js",
        "static/form/survey-form.js",
        "static/map/partner-map.js",
    ]
    for path in ours:
        result = _run(node, str(ESLINT), "--print-config", path)
        assert result.returncode == 0, f"{path}:\n{result.stderr}"
        assert '"no-unused-vars"' in result.stdout, f"{path} gets no rules from eslint.config.mjs"
    vendored = next((ROOT / "static" / "vendor").rglob("*.js"))
    result = _run(node, str(ESLINT), "--print-config", str(vendored.relative_to(ROOT)))
    assert result.stdout.strip() in ("", "undefined"), "static/vendor/ must be ignored"


def test_an_error_in_our_javascript_fails_the_lint(tmp_path):
    """The check is not a formality: a file with an undefined name is reported with its rule."""
    node = _node()
    require_program(str(ESLINT) if ESLINT.exists() else None, "ESLint is not installed: npm ci")
    bad = "export function shown(value) {\n  return valeu + 1;\n}\n"
    result = subprocess.run(
        [node, str(ESLINT), "--stdin", "--stdin-filename", "static/js/broken.js"],
        cwd=ROOT,
        input=bad,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'valeu' is not defined" in result.stdout and "no-undef" in result.stdout


def test_the_javascript_unit_tests_pass():
    node = _node()
    assert TESTS, "tests/js/*.test.mjs: no JavaScript unit tests found"
    result = _run(node, "--test", *(str(p.relative_to(ROOT)) for p in TESTS))
    assert result.returncode == 0, f"node --test tests/js/:\n{result.stdout}\n{result.stderr}"
    assert "# fail 0" in result.stdout, result.stdout
