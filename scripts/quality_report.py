"""Run the browser, accessibility and fault-drill tests; write docs/quality.md with the figures.

    python -m scripts.quality_report            # run everything (8-10 minutes), write it
    python -m scripts.quality_report --no-run   # rebuild the report out of tests/.artifacts only

Tests write their figures to tests/.artifacts/<name>.json (gitignored); pytest's JUnit XML gives
each test's outcome and duration. Exit status is 1 when any test failed (the report is still
written, so the failures are on record).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from scripts.quality_sections import (
    ARTIFACTS,
    ROOT,
    section_axe,
    section_drills,
    section_e2e,
    section_tests,
)

REPORT = ROOT / "docs" / "quality.md"

GROUPS: dict[str, list[str]] = {
    "End-to-end flows": [
        "tests/test_browser_pages.py",
        "tests/test_e2e_pages.py",
        "tests/test_e2e_survey.py",
        "tests/test_e2e_listen.py",
        "tests/test_e2e_live.py",
        "tests/test_browser_live.py",
        "tests/test_browser_presenter.py",
        "tests/test_browser_projector.py",
        "tests/test_browser_map.py",
        "tests/test_browser_wall.py",
        "tests/test_e2e_sessions.py",
        "tests/test_loadtest.py",
    ],
    "Accessibility": [
        "tests/test_a11y_pages.py",
        "tests/test_a11y_keyboard.py",
        "tests/test_a11y_admin.py",
    ],
    "Fault drills": [
        "tests/test_fault_hostile.py",
        "tests/test_fault_drills.py",
        "tests/test_fault_kill.py",
        "tests/test_e2e_resend.py",
        "tests/test_fault_storage.py",
        "tests/test_fault_replicas.py",
        "tests/test_browser_admin_attack.py",
        "tests/test_hostile_urls.py",
        "tests/test_browser_hostile.py",
        "tests/test_client_limits.py",
        "tests/test_export_route.py",
    ],
}


def run_group(name: str, paths: list[str]) -> list[dict]:
    """Run one pytest selection; return one row per test case from its JUnit XML."""
    xml_path = ARTIFACTS / f"junit_{name.split()[0].lower().replace('-', '_')}.xml"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    existing = [p for p in paths if (ROOT / p).exists()]
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={xml_path}",
        *existing,
    ]
    print(f"== {name}: {' '.join(existing)}", flush=True)
    subprocess.run(command, cwd=ROOT, check=False)
    return read_junit(xml_path)


def read_junit(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome, detail = "passed", ""
        for tag in ("failure", "error", "skipped"):
            node = case.find(tag)
            if node is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                detail = (
                    (node.get("message") or "").strip().splitlines()[0][:220]
                    if (node.get("message"))
                    else ""
                )
                break
        rows.append(
            {
                "test": f"{case.get('classname', '').split('.')[-1]}::{case.get('name')}",
                "outcome": outcome,
                "seconds": float(case.get("time") or 0),
                "detail": detail,
            }
        )
    return rows


def versions() -> dict[str, str]:
    found = {"Python": platform.python_version()}
    for module in ("streamlit", "playwright", "duckdb"):
        try:
            from importlib.metadata import version

            found[module.capitalize()] = version(module)
        except Exception:
            found[module.capitalize()] = "?"
    for binary in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(binary).exists():
            try:
                out = subprocess.run(
                    [binary, "--version"], capture_output=True, text=True, timeout=30
                ).stdout.strip()
                found["Chromium"] = out.removeprefix("Chromium ") or "?"
            except (OSError, subprocess.SubprocessError):
                found["Chromium"] = "?"
            break
    axe = ROOT / "node_modules" / "axe-core" / "package.json"
    found["axe-core"] = json.loads(axe.read_text())["version"] if axe.exists() else "missing"
    return found


def write_report(
    results: dict[str, list[dict]], since: float, seconds: float, finished: str | None
) -> None:
    found = versions()
    total = sum(len(rows) for rows in results.values())
    passed = sum(r["outcome"] == "passed" for rows in results.values() for r in rows)
    lines = [
        "# Quality report",
        "",
        "Written by `python -m scripts.quality_report` from a real run of the browser, "
        "accessibility and fault-drill tests (issue 6). Do not edit by hand: run the script.",
        "",
        f"- Run finished {finished or '?'}, took {seconds / 60:.1f} min "
        f"on {os.cpu_count()} CPU core(s); **{passed}/{total} tests passed**.",
        "- " + ", ".join(f"{k} {v}" for k, v in found.items()) + ".",
        "- What automated checks cannot judge, and how the app handles it: "
        "[accessibility.md](accessibility.md).",
        "",
    ]
    lines += section_tests(results)
    lines += section_axe(since)
    lines += section_drills(since)
    lines += section_e2e(since)
    REPORT.write_text("\n".join(lines).rstrip() + "\n", "utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}: {passed}/{total} passed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-run", action="store_true", help="only rebuild docs/quality.md from existing artifacts"
    )
    args = parser.parse_args()
    started = time.time()
    results: dict[str, list[dict]] = {}
    run_file = ARTIFACTS / "quality_run.json"
    if args.no_run:
        since = 0.0
        for group in GROUPS:
            results[group] = read_junit(
                ARTIFACTS / f"junit_{group.split()[0].lower().replace('-', '_')}.xml"
            )
        run = json.loads(run_file.read_text()) if run_file.exists() else {}
        junits = list(ARTIFACTS.glob("junit_*.xml"))
        seconds = run.get("seconds") or sum(r["seconds"] for rows in results.values() for r in rows)
        finished = run.get("finished") or (
            datetime.fromtimestamp(max(j.stat().st_mtime for j in junits), UTC).strftime(
                "%Y-%m-%d %H:%M UTC"
            )
            if junits
            else None
        )
    else:
        since = started
        for group, paths in GROUPS.items():
            results[group] = run_group(group, paths)
        seconds, finished = time.time() - started, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        run_file.write_text(json.dumps({"seconds": seconds, "finished": finished}))
    write_report(results, since, seconds, finished)
    failed = any(r["outcome"] in {"failed", "error"} for rows in results.values() for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
