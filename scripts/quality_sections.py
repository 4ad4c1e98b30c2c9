"""The sections of docs/quality.md, built from the figures the tests left in tests/.artifacts."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / ".artifacts"
LANGS = ["en", "fr", "nl", "es", "it", "el", "lv", "ar", "uk"]


def load(name: str, since: float) -> dict | None:
    path = ARTIFACTS / f"{name}.json"
    if not path.exists() or path.stat().st_mtime < since:
        return None
    return json.loads(path.read_text("utf-8"))["data"]


def test_cell(test_id: str) -> str:
    """A test's name as code, and its parameters (which may be hostile text) after it, escaped."""
    name, bracket, params = test_id.partition("[")
    if not bracket:
        return f"`{md_cell(name)}`"
    shown = "".join(f"\\{c}" if c in "\\`[]()<>*_!#:~" else c for c in params[:-1])
    return f"`{md_cell(name)}` [{md_cell(shown)[:80]}]"


def md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def section_tests(results: dict[str, list[dict]]) -> list[str]:
    lines = ["## Test results", ""]
    for group, rows in results.items():
        passed = sum(r["outcome"] == "passed" for r in rows)
        total_seconds = sum(r["seconds"] for r in rows)
        lines += [f"### {group}: {passed}/{len(rows)} passed ({total_seconds:.0f} s)", ""]
        if not rows:
            lines += ["_Not run._", ""]
            continue
        lines += ["| Test | Outcome | Seconds | Detail |", "|---|---|---:|---|"]
        for r in rows:
            lines.append(
                f"| {test_cell(r['test'])} | {r['outcome']} | {r['seconds']:.1f} | "
                f"{md_cell(r['detail'])} |"
            )
        lines.append("")
    return lines


def section_axe(since: float) -> list[str]:
    lines = [
        "## Accessibility audit (axe-core, WCAG 2.0/2.1 A and AA)",
        "",
        "Serious or critical violations per page and language (total violations of any "
        "impact in brackets). Exclusions are listed in [accessibility.md](accessibility.md).",
        "",
    ]
    data = {lang: load(f"a11y_pages_{lang}", since) for lang in LANGS}
    pages: list[str] = []
    for per_page in data.values():
        for page in per_page or {}:
            if page not in pages:
                pages.append(page)
    if not pages:
        return [*lines, "_No axe figures from this run._", ""]
    lines += ["| Page | " + " | ".join(LANGS) + " |", "|---|" + "---:|" * len(LANGS)]
    rules: dict[str, dict] = {}
    blocking_total = transient_total = audited = 0
    for page in pages:
        cells = []
        for lang in LANGS:
            entry = (data.get(lang) or {}).get(page)
            if entry is None:
                cells.append("–")
                continue
            audited += 1
            blocking_total += entry["serious_or_critical"]
            transient_total += entry.get("transient_nodes", 0)
            cells.append(f"{entry['serious_or_critical']} ({entry['total']})")
            for violation in entry.get("violations", []):
                rule = rules.setdefault(
                    violation["id"],
                    {
                        "impact": violation["impact"],
                        "help": violation["help"],
                        "pages": set(),
                        "nodes": 0,
                        "example": "",
                    },
                )
                rule["pages"].add(f"{page}/{lang}")
                rule["nodes"] += len(violation["nodes"])
                if not rule["example"] and violation["nodes"]:
                    node = violation["nodes"][0]
                    why = [ln.strip() for ln in node["summary"].splitlines()[1:] if ln.strip()]
                    rule["example"] = f"`{node['html'][:90]}` ({page}/{lang}): " + (
                        why[0] if why else node["summary"]
                    )
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Pages audited: **{audited}** (page × language); serious or critical violations: "
        f"**{blocking_total}**. Violations seen while a page was still drawing and gone on a "
        f"second look 1.5 s later (not counted): {transient_total} elements.",
        "",
    ]
    if rules:
        lines += [
            "| Rule | Impact | Elements | Page/language pairs | Example |",
            "|---|---|---:|---:|---|",
        ]
        for rule_id, rule in sorted(rules.items()):
            lines.append(
                f"| {rule_id} | {rule['impact']} | {rule['nodes']} | {len(rule['pages'])} | "
                f"{md_cell(rule['example'][:300])} |"
            )
        lines.append("")
    arabic = data.get("ar") or {}
    if arabic:
        rtl = [p for p, e in arabic.items() if e["html_lang"] == "ar"]
        rtl_ok = [
            p
            for p in rtl
            if arabic[p]["html_dir"] == "rtl" and (arabic[p].get("heading_dir", "rtl") == "rtl")
        ]
        english = [p for p, e in arabic.items() if e["html_lang"] != "ar"]
        lines.append(
            f"- Right to left: {len(rtl_ok)}/{len(rtl)} Arabic pages have `<html dir=rtl>` and "
            f"a right-to-left heading; shown in English with a notice (left to right): "
            f"{', '.join(english) or 'none'}."
        )
    hosts = {"": "the form in the Streamlit survey page", "_light": "the light form page"}
    for lang in ("en", "ar"):
        for suffix, host in hosts.items():
            figures = load(f"a11y_keyboard_{lang}{suffix}", since)
            if not figures:
                continue
            presses = figures["tab_presses"]
            between = [n for name, n in presses.items() if name != "welcome"]
            lines.append(
                f"- Keyboard only ({lang}, {host}): the resident survey was completed and sent "
                f"with Tab, Space, arrows, typing and Enter; every stop showed a focus ring; "
                f"at most {max(between, default=0)} Tab presses between two consecutive stops "
                f"after the first question ({presses.get('welcome', '?')} to reach it from the "
                f"top of the page)."
            )
    lines.append("")
    return lines


def section_drills(since: float) -> list[str]:
    lines = ["## Fault drills", ""]
    kill = load("fault_kill", since)
    if kill:
        kills = "; ".join(
            f"after {k['after_acknowledged']} acknowledged (t={k['at_second']} s, back in "
            f"{k['downtime_seconds']} s)"
            for k in kill["kills"]
        )
        lines += [
            "### SIGKILL during concurrent submissions",
            "",
            f"- {kill['clients']} browser clients, {kill['attempted']} submissions attempted "
            f"in {kill['seconds']} s (bounds: {kill['bounds']['attempts']} submissions or "
            f"{kill['bounds']['time_limit_seconds']:.0f} s).",
            f"- Server killed with SIGKILL {len(kill['kills'])} time(s): {kills}.",
            f"- Acknowledged (thank-you shown): **{kill['acknowledged']}**; acknowledged but "
            f"missing: **{kill['acknowledged_missing']}**; stored twice: "
            f"**{kill['stored_twice']}**; partly written: **{kill['half_written']}**.",
            f"- Submissions caught between the send click and the thank-you by a kill: "
            f"{kill.get('submits_in_flight_at_kill', '–')}.",
            f"- Acknowledged after waiting for a restart (the phone resent the same "
            f"submission on its own): {kill.get('acknowledged_across_a_kill', '–')}; receipts "
            f"shown that are not the stored answer's: **{kill.get('receipt_mismatches', '–')}**.",
            f"- Never acknowledged: **{kill['unacknowledged']}** (of which stored: "
            f"{kill['unacknowledged_but_stored']}).",
            f"- Rows in the database: {kill['stored_submissions']}; client-side timeouts or "
            f"page errors recovered by reloading: {kill['client_errors']}.",
            "",
        ]
    locked = load("fault_locked", since)
    if locked:
        pages = locked.get("pages", {})
        broken = [p for p, v in pages.items() if v["exceptions"]]
        lines += [
            "### Database file locked by another process",
            "",
            f"- Survey page message: “{locked.get('survey_message', '–')}”; answers kept.",
            "- Pages that need the database say so instead: "
            + ", ".join(
                f"{p} {'yes' if v.get('message_shown') else 'NO'}"
                for p, v in pages.items()
                if "message_shown" in v
            )
            + ".",
            "- Pages without a main heading meanwhile: "
            + (", ".join(p for p, v in pages.items() if not v["heading"]) or "none")
            + ".",
            f"- Other pages without an error: {len(pages) - len(broken)}/{len(pages)}"
            + (f"; **crashing: {', '.join(broken)}**" if broken else "")
            + ".",
            f"- The answer sent during the lock, kept on the phone, was sent once the lock was "
            f"released (nothing pressed): {locked.get('kept_answer_sent_after_unlock', False)}; "
            f"new answers are taken again without a restart: "
            f"{locked.get('recovered_after_unlock', False)}; stored: "
            + (
                ", ".join(f"“{w}” ×{n}" for w, n in locked["stored"].items())
                if locked.get("stored")
                else "–"
            )
            + ".",
            "",
        ]
    malformed = load("fault_malformed", since)
    if malformed:
        pages = malformed.get("pages", {})
        lines += [
            "### Malformed survey definition",
            "",
            f"- Broken file: `{malformed['file']}` (a missing translation and an invalid option "
            "id). That survey shows a clear message; the details for the site team read:",
            "",
            "  ```",
            *[f"  {line}" for line in str(malformed.get("details", "")).splitlines()],
            "  ```",
            f"- Other pages without an error: "
            f"{sum(not v['exceptions'] for v in pages.values())}/{len(pages)}; the resident "
            f"survey was still completed and sent in "
            f"{malformed.get('resident_submitted_seconds', '–')} s.",
            "",
        ]
    lines += drills_resend(since)
    hostile = load("fault_hostile", since)
    if hostile:
        outcomes = hostile["outcomes"]
        lines += [
            "### Random and hostile inputs (validation and store, no browser)",
            "",
            f"- {hostile['payloads']:,} payloads, seed {hostile['seed']}, "
            f"{hostile['seconds']} s; by the form's rules (consent included): valid "
            f"{outcomes.get('valid', 0):,}, invalid {outcomes.get('invalid', 0):,}.",
            f"- Store: stored {outcomes.get('store_stored', 0):,}, duplicates recognised "
            f"{outcomes.get('store_duplicate', 0):,}, refused as invalid "
            f"{outcomes.get('store_refused_invalid', 0):,}, refused for the submission id or "
            f"language {outcomes.get('store_refused_id_or_lang', 0):,}.",
            f"- Crashes: **{hostile['crash_count']}**; invalid rows stored: "
            f"**{len(hostile['stored_problems'])}**.",
            "- Refusal codes: "
            + ", ".join(f"{code} {n:,}" for code, n in hostile["refusal_codes"].items())
            + ".",
            "",
        ]
    if len(lines) == 2:
        lines += ["_No drill figures from this run._", ""]
    return lines


def drills_resend(since: float) -> list[str]:
    """The drills where the phone keeps unsent answers and resends the same submission: the
    server killed or down, the disk full or the database read-only, replicas behind Caddy."""
    lines: list[str] = []
    resend = load("resend", since)
    if resend:
        stored = resend.get("stored", {})
        lines += [
            "### Resend: a kill during a send, a send while the server is down",
            "",
            f"- Killed the moment the answer was committed (thank-you already shown: "
            f"{resend.get('thank_you_before_kill', '–')}): after the restart the phone resent "
            f"it by itself and showed its receipt: {resend.get('thank_you_after_restart', '–')}.",
            f"- Sent while the server was down: the phone said “{resend.get('offline_notice', '–')}"
            "” and sent the answers once the server was back.",
            "- Times each answer is stored: "
            + (", ".join(f"{case} {n}" for case, n in stored.items()) or "–")
            + ".",
            "",
        ]
    for name, title in (
        ("fault_disk_full", "Disk full"),
        ("fault_read_only", "Database file turned read-only"),
    ):
        storage = load(name, since)
        if not storage:
            continue
        during = storage.get("healthz_during", {})
        lines += [
            f"### {title}",
            "",
            f"- The respondent is told (French): “{storage.get('message', '–')}”; answers kept "
            f"on the page and in the phone's storage: {storage.get('kept_on_the_phone', '–')}.",
            f"- /healthz meanwhile: {during.get('status', '–')} "
            f"(database: {during.get('database', '–')}).",
            f"- Once repaired, the phone sent the same submission by itself: "
            f"{storage.get('resent_on_its_own', False)}; stored once each: "
            + (
                str(all(n == 1 for n in storage["stored"].values()))
                if storage.get("stored")
                else "–"
            )
            + ".",
            "",
        ]
    replicas = load("fault_replicas", since)
    if replicas:
        kill = replicas.get("kill", {})
        lines += [
            "### Replicas behind Caddy, one PostgreSQL database",
            "",
            f"- {replicas['replicas']} replicas, {replicas['clients']} browser clients, "
            f"{replicas['attempted']} submissions in {replicas['seconds']} s; replica "
            f"{kill.get('replica', '–')} killed with SIGKILL after "
            f"{kill.get('after_acknowledged', '–')} acknowledged ({kill.get('in_flight', '–')} "
            f"in flight); browsers moved by the balancer: {replicas['clients_moved']}.",
            f"- Acknowledged: **{replicas['acknowledged']}** (per replica: "
            + ", ".join(
                f"{r}: {n}" for r, n in replicas["acknowledged_per_replica"].items() if r != "-1"
            )
            + f"); missing: **{replicas['acknowledged_missing']}**; stored twice: "
            f"**{replicas['stored_twice']}**; receipt mismatches: "
            f"**{replicas['receipt_mismatches']}**; never acknowledged: "
            f"**{replicas['unacknowledged']}**; partly written: **{replicas['half_written']}**.",
            "- The survey closed on one replica refused the next send on the others after "
            + ", ".join(f"{s} s" for s in replicas["closed_refused_after_seconds"].values())
            + f"; stored after closing: **{replicas['stored_after_close']}**.",
            f"- Totals on each replica's results page: {', '.join(replicas['totals_on_replicas'])}"
            f" (database: {replicas['stored']}).",
            "",
        ]
    return lines


def section_e2e(since: float) -> list[str]:
    lines = ["## End-to-end figures", ""]
    live = load("e2e_live", since)
    if live:
        lines.append(
            f"- Live update without reload: results {live['results'][0]} → {live['results'][1]}, "
            f"presenter {live['presenter'][0]} → {live['presenter'][1]}."
        )
    offline = load("e2e_offline_send", since)
    if offline:
        lines.append(
            "- Send pressed offline: the answers stayed on the phone and were sent, once, when "
            f"the connection came back: {offline.get('sent_after_reconnect', False)}."
        )
    tabs = load("e2e_tab_presses_step2", since)
    if tabs:
        lines.append(
            f"- Keyboard: {tabs['presses']} Tab presses cross the survey's access grid (five "
            "lines of answers) from its heading to Next."
        )
    export = load("e2e_export", since)
    if export:
        lines.append(
            f"- CSV export `{export['file']}`: {export['rows']} rows, "
            f"{len(export['columns'])} columns, formula cells neutralised, UTF-8 BOM."
        )
    if len(lines) == 2:
        lines.append("_No end-to-end figures from this run._")
    lines.append("")
    return lines
