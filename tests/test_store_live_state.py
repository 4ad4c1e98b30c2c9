"""What live screens watch: a change token, the shared open/closed and reveal states."""

from __future__ import annotations

from inclucities.store import SurveyStore
from scripts.support.survey_helpers import SURVEYS, resident_answers


def test_the_data_version_changes_with_every_change_a_screen_shows(store: SurveyStore):
    seen = [store.data_version("resident")]

    def changed() -> bool:
        now = store.data_version("resident")
        fresh = now not in seen
        seen.append(now)
        return fresh

    assert not changed()  # reading twice is not a change
    store.submit("s1", "resident", 1, "fr", resident_answers(idea="Plus de bancs"))
    assert changed()
    idea = store.ideas("resident")[0]
    store.set_idea_status(idea.id, "approved", actor="admin")
    assert changed()
    store.soft_delete("resident", ["s1"], actor="admin", reason="test")
    assert changed()
    store.restore("resident", ["s1"], actor="admin", reason="test")
    assert changed()
    store.set_survey_open("resident", False, actor="admin")
    assert changed()
    store.set_results_revealed("resident", True, actor="admin")
    assert changed()
    assert not changed()


def test_open_state_and_reveal_are_shared_through_the_database(isolated_database):
    first = SurveyStore(isolated_database, SURVEYS.values())
    second = SurveyStore(isolated_database, SURVEYS.values())
    try:
        assert first.is_survey_open("resident") and second.is_survey_open("resident")
        first.set_survey_open("resident", False, actor="admin")
        assert not second.is_survey_open("resident")
        assert not second.results_revealed("resident")  # hidden until the presenter reveals
        first.set_results_revealed("resident", True, actor="admin")
        assert second.results_revealed("resident")
        assert not second.results_revealed("resident", session_id="other-session")
        actions = [entry.action for entry in second.audit_log("resident")]
        assert actions == ["close", "reveal"]
    finally:
        first.close()
        second.close()
