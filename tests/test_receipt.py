"""Receipt codes: stable for one submission, forgiving to type, stored only as a hash; a code
withdraws exactly its own answers."""

from __future__ import annotations

import pytest

from inclucities.receipt import ALPHABET, normalise, receipt_code, receipt_hash
from inclucities.store import DuckDBStore
from tests.survey_helpers import SURVEYS, resident_answers


def test_a_submission_always_gets_the_same_readable_code():
    code = receipt_code("abc123")
    assert code == receipt_code("abc123") != receipt_code("abc124")
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert all(ch in ALPHABET for ch in "".join(groups))


@pytest.mark.parametrize(
    "typed",
    ["{c}", "{c_lower}", " {c_spaced} ", "{c_nodash}"],
)
def test_a_code_is_read_whatever_the_case_spaces_or_dashes(typed):
    code = receipt_code("respondent-1")
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
            codes[sid] = receipt_code(sid)
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
    from inclucities import services
    from tests.apptest_utils import page_text, run_app

    store = services.get_store()
    store.submit(
        "mine",
        "resident",
        1,
        "fr",
        resident_answers(idea="mon idée"),
        receipt_hash=receipt_hash(receipt_code("mine")),
    )
    at = run_app("pages/privacy.py", lang="fr")
    at.text_input(key="privacy_code").input("pas un code")
    at.button[0].click().run()
    assert "12 lettres et chiffres" in page_text(at)
    at.text_input(key="privacy_code").input(receipt_code("other"))
    at.button[0].click().run()
    assert [w.value for w in at.warning if "Aucune réponse" in w.value]
    assert store.count("resident") == 1
    at.text_input(key="privacy_code").input(receipt_code("mine").lower().replace("-", " "))
    at.button[0].click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Vos réponses ont été supprimées définitivement."]
    assert store.count("resident") == 0
    assert store.ideas("resident") == []
