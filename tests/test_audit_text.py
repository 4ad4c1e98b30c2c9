"""The audit log in the admin's words: every entry the store writes is described in each
language (no English left), at local time with its zone named."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from inclucities.audit_text import describe, local_time, zone_name
from inclucities.i18n import LANGUAGES, translator
from inclucities.store import AuditEntry
from tests.test_presenter import submit_idea

BRUSSELS = ZoneInfo("Europe/Brussels")
# words of the store's English detail forms and actor names that must not reach a translation
ENGLISH = re.compile(
    r"submission|ideas ->|idea \d|reason:|requested|\bmore\b|\bpresenter\b|\badmin\b"
)


def _every_kind_of_entry(store) -> list[AuditEntry]:
    """Open, close, moderate one and many, pin, remove, restore, reveal, session, override."""
    for n in range(3):
        submit_idea(f"a-{n}", f"idea number {n}", lang="fr")
    ideas = store.ideas("resident")
    store.set_survey_open("resident", False, actor="admin password")
    store.set_survey_open("resident", True, actor="admin password")
    store.set_idea_status(ideas[0].id, "approved", actor="admin password")
    store.set_ideas_status([i.id for i in ideas], "hidden", actor="admin")
    store.set_idea_pinned(ideas[0].id, True, actor="admin")
    store.soft_delete("resident", ["a-1"], actor="admin", reason="test answer")
    store.restore("resident", None, actor="admin", reason="mistake")
    live = store.create_session("resident", "Matin", actor="presenter passphrase")
    store.set_results_revealed("resident", True, actor="presenter passphrase", session_id=live.id)
    store.set_results_revealed("resident", False, actor="presenter passphrase")
    store.record_audit("admin password", "privacy_override", "resident", "survey")
    store.purge(dt.datetime(2000, 1, 1, tzinfo=dt.UTC), actor="command line")
    return store.audit_log("resident", include_global=True)


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_entry_the_store_writes_reads_in_the_admins_language(lang, store):
    entries = _every_kind_of_entry(store)
    t = translator(lang)
    sessions = {s.id: s.name for s in store.sessions("resident")}
    lines = [describe(e, t, BRUSSELS, sessions) for e in entries]
    assert len(lines) >= 12
    for entry, line in zip(entries, lines, strict=True):
        said = f"{line.actor} | {line.action} | {line.detail}"
        assert "admin.audit" not in said, said
        if entry.action in ("soft_delete", "restore"):  # the admin's own reason stays as typed
            said = said.replace("test answer", "").replace("mistake", "")
        assert not ENGLISH.findall(said.lower()), (entry, said)
    details = {e.action: line.detail for e, line in zip(entries, lines, strict=True)}
    assert "Matin" in details["reveal"]  # the session by its name, not its id
    assert details["hide"] == t("presenter.sessions.all")


def test_the_english_log_says_each_change_in_words(store):
    entries = _every_kind_of_entry(store)
    t = translator("en")
    by_action = {e.action: describe(e, t, BRUSSELS, {}) for e in entries}
    assert by_action["idea_status_bulk"].detail.startswith("Ideas: 3, now hidden")
    assert by_action["soft_delete"].detail == "Answers: 1 (chosen: 1); reason: test answer"
    assert by_action["restore"].detail == "Answers: 1 (all of them); reason: mistake"
    assert by_action["privacy_override"].detail == "Survey opened"
    assert by_action["open"].actor == "Admin (password)"
    assert by_action["session_create"].actor == "Presenter (passphrase)"


def test_times_are_local_with_the_zone_named():
    winter = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 7, 10, 0, tzinfo=dt.UTC)
    fr = translator("fr")
    assert "11:00" in local_time(winter, BRUSSELS, fr)
    assert "12:00" in local_time(summer, BRUSSELS, fr)
    assert "Europe centrale" in zone_name(BRUSSELS, fr, winter)
    assert "Bruxelles" in zone_name(BRUSSELS, fr, winter)
    assert "Central European" in zone_name(BRUSSELS, translator("en"), winter)
    naive = dt.datetime(2026, 12, 7, 10, 0)  # a backend that hands back UTC without a zone
    assert local_time(naive, BRUSSELS, fr) == local_time(winter, BRUSSELS, fr)


def test_an_unknown_time_zone_is_refused_with_its_name(monkeypatch):
    from inclucities.settings import SettingsError, get_settings

    monkeypatch.setenv("INCLUCITIES_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingsError, match="INCLUCITIES_TIMEZONE"):
        get_settings()
