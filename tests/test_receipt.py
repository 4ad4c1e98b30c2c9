"""Receipt codes: stable for one submission, forgiving to type, stored only as a hash; a code
withdraws exactly its own answers."""

from __future__ import annotations

import pytest

from inclucities.receipt import (
    ALPHABET,
    RECEIPT_SECRET,
    legacy_receipt_code,
    normalise,
    receipt_code,
    receipt_hash,
)
from inclucities.store import DuckDBStore
from scripts.support.survey_helpers import SURVEYS, resident_answers

KEY = bytes(range(32))


def test_a_submission_always_gets_the_same_readable_code():
    code = receipt_code("abc123", KEY)
    assert code == receipt_code("abc123", KEY) != receipt_code("abc124", KEY)
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert all(ch in ALPHABET for ch in "".join(groups))


@pytest.mark.parametrize(
    "typed",
    ["{c}", "{c_lower}", " {c_spaced} ", "{c_nodash}"],
)
def test_a_code_is_read_whatever_the_case_spaces_or_dashes(typed):
    code = receipt_code("respondent-1", KEY)
    text = typed.format(
        c=code,
        c_lower=code.lower(),
        c_spaced=code.replace("-", " "),
        c_nodash=code.replace("-", ""),
    )
    assert normalise(text) == code


def test_letters_that_look_like_digits_are_read_as_digits():
    assert normalise("0O1I-L000-1111") == "0011-1000-1111"


@pytest.mark.parametrize("typed", ["", "ABC", "K7QF-3M9X-2PZD-XXXX", "K7QF-3M9X-2PZ!", "<script>"])
def test_anything_else_is_not_a_code(typed):
    assert normalise(typed) is None


def test_the_store_keeps_a_hash_and_the_code_withdraws_only_its_own_answers(tmp_path):
    store = DuckDBStore(tmp_path / "r.duckdb", SURVEYS.values())
    try:
        codes = {}
        for sid in ("one", "two"):
            codes[sid] = receipt_code(sid, KEY)
            store.submit(
                sid,
                "resident",
                1,
                "fr",
                resident_answers(idea=f"idea {sid}"),
                receipt_hash=receipt_hash(codes[sid]),
            )
        frame = store.responses_frame("resident", include_deleted=True)
        assert codes["one"] not in frame.to_csv()  # only the hash is stored
        assert store.withdraw(receipt_hash(normalise(codes["one"].lower()) or ""))
        assert store.count("resident") == 1
        assert [i.text for i in store.ideas("resident")] == ["idea two"]
        assert not store.withdraw(receipt_hash(codes["one"]))  # gone for good
    finally:
        store.close()


def test_the_privacy_page_withdraws_answers_by_their_code(isolated_database):
    from inclucities import runtime
    from tests.apptest_utils import page_text, run_app

    store = runtime.get_store()
    store.submit(
        "mine",
        "resident",
        1,
        "fr",
        resident_answers(idea="mon idée"),
        receipt_hash=receipt_hash(receipt_code("mine", KEY)),
    )
    at = run_app("pages/privacy.py", lang="fr")
    at.text_input(key="privacy_code").input("pas un code")
    at.button[0].click().run()
    assert "12 lettres et chiffres" in page_text(at)
    at.text_input(key="privacy_code").input(receipt_code("other", KEY))
    at.button[0].click().run()
    assert [w.value for w in at.warning if "Aucune réponse" in w.value]
    assert store.count("resident") == 1
    at.text_input(key="privacy_code").input(receipt_code("mine", KEY).lower().replace("-", " "))
    at.button[0].click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Vos réponses ont été supprimées définitivement. Dans les 5 minutes, leur texte est "
        "aussi effacé des fichiers de la base de données."
    ]
    assert store.count("resident") == 0
    assert store.ideas("resident") == []


def test_a_code_needs_the_server_secret_so_submission_ids_alone_give_none():
    """Issue 23: an export's submission ids no longer give anyone the receipt codes."""
    other = bytes(reversed(range(32)))
    assert receipt_code("abc123", KEY) != receipt_code("abc123", other)
    assert receipt_code("abc123", KEY) != legacy_receipt_code("abc123")
    with pytest.raises(ValueError):
        receipt_code("abc123", b"short")


def test_the_secret_is_made_once_kept_in_the_database_and_shared(tmp_path):
    path = tmp_path / "s.duckdb"
    store = DuckDBStore(path, SURVEYS.values())
    try:
        first = store.server_secret(RECEIPT_SECRET)
        assert len(first) == 32 and store.server_secret(RECEIPT_SECRET) == first
        assert store.server_secret("another") != first
    finally:
        store.close()
    again = DuckDBStore(path, SURVEYS.values())  # a restart, or another replica
    try:
        assert again.server_secret(RECEIPT_SECRET) == first
    finally:
        again.close()


def test_a_code_given_before_the_secret_still_withdraws_its_answers(tmp_path):
    store = DuckDBStore(tmp_path / "l.duckdb", SURVEYS.values())
    try:
        old = legacy_receipt_code("before")
        store.submit(
            "before", "resident", 1, "fr", resident_answers(), receipt_hash=receipt_hash(old)
        )
        assert store.withdraw(receipt_hash(old))
    finally:
        store.close()


def test_withdrawing_is_slowed_per_address_with_a_message(isolated_database, monkeypatch):
    """Issue 23: withdrawal tries are limited per device and per address, not only per
    Streamlit session (a new session used to start from zero)."""
    from components.survey import receipt as receipt_view
    from inclucities import runtime
    from inclucities.form.limits import Limit, Limits, RateLimiter
    from inclucities.i18n import translator
    from tests.apptest_utils import run_app

    limits = Limits(RateLimiter(Limit(5, 0.001)), RateLimiter(Limit(2, 0.001)))
    monkeypatch.setattr(runtime.current(), "withdrawal_limits", limits)
    monkeypatch.setattr(receipt_view, "client_address", lambda: "192.0.2.1")
    for _ in range(2):  # two fresh sessions, as a script with fresh cookies would open
        at = run_app("pages/privacy.py", lang="fr")
        at.text_input(key="privacy_code").input(receipt_code("nobody", KEY))
        at.button[0].click().run()
        assert not at.error
    at = run_app("pages/privacy.py", lang="fr")
    at.text_input(key="privacy_code").input(receipt_code("nobody", KEY))
    at.button[0].click().run()
    assert [e.value for e in at.error] == [translator("fr")("limits.too_fast")]
