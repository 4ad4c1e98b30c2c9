"""The privacy notice follows the settings: controller, basis, retention, authority; admin warns."""

from __future__ import annotations

import pytest

from tests.apptest_utils import page_text, run_app, sign_in_as

CONFIGURED = {
    "INCLUCITIES_CONTROLLER_NAME": "Ville de Bruxelles, service Égalité des chances",
    "INCLUCITIES_CONTROLLER_CONTACT": "privacy@example.brussels",
    "INCLUCITIES_LEGAL_BASIS": "public_task",
    "INCLUCITIES_RETENTION_MONTHS": "6",
    "INCLUCITIES_COMPLAINT_AUTHORITY": "Autorité de protection des données",
    "INCLUCITIES_COMPLAINT_URL": "https://www.autoriteprotectiondonnees.be/citoyen",
}


@pytest.fixture
def configured(monkeypatch):
    for name, value in CONFIGURED.items():
        monkeypatch.setenv(name, value)


def test_the_notice_names_the_controller_basis_retention_and_authority(configured):
    at = run_app("pages/privacy.py", "en")
    assert not at.exception
    text = page_text(at)
    assert "Ville de Bruxelles, service Égalité des chances" in text
    assert "privacy@example.brussels" in text
    assert "article 6(1)(e)" in text
    assert "6 months after they were sent" in text
    assert "Autorité de protection des données" in text
    assert [b.url for b in at.get("link_button")] == [CONFIGURED["INCLUCITIES_COMPLAINT_URL"]]
    assert "anonymous answers" not in text and "de-identified, not anonymous" in text


def test_retention_follows_the_setting_with_the_right_plural(monkeypatch):
    monkeypatch.setenv("INCLUCITIES_RETENTION_MONTHS", "1")
    assert "1 month after" in page_text(run_app("pages/privacy.py", "en"))
    monkeypatch.setenv("INCLUCITIES_RETENTION_MONTHS", "24")
    assert "24 місяці" in page_text(run_app("pages/privacy.py", "uk"))


def test_without_settings_the_notice_says_what_is_missing(monkeypatch):
    for name in CONFIGURED:
        monkeypatch.delenv(name, raising=False)
    text = page_text(run_app("pages/privacy.py", "en"))
    assert "has not yet said who is responsible" in text
    assert "has not yet stated the legal basis" in text
    assert "data-protection authority of your country" in text
    assert "12 months after they were sent" in text  # the default retention


def _signed_in_admin(monkeypatch):
    sign_in_as(monkeypatch, "admin")
    return run_app("pages/admin.py", "en")


def test_the_admin_is_warned_until_the_privacy_settings_are_set(monkeypatch):
    for name in CONFIGURED:
        monkeypatch.delenv(name, raising=False)
    at = _signed_in_admin(monkeypatch)
    warnings = " ".join(w.value for w in at.warning)
    assert "privacy notice is incomplete" in warnings
    assert (
        "INCLUCITIES\\_CONTROLLER\\_NAME" in warnings or "INCLUCITIES_CONTROLLER_NAME" in warnings
    )
    for name, value in CONFIGURED.items():
        monkeypatch.setenv(name, value)
    at.run()
    assert "privacy notice is incomplete" not in " ".join(w.value for w in at.warning)
