"""The ideas wall (issue 22): variants of one idea are one card, one-word answers stay in the
word cloud, and the ranking (pinned first, then supports) holds after merging."""

from __future__ import annotations

from inclucities.idea_wall import RankedIdea, idea_key, is_one_word, wall_ideas


def idea(n: int, text: str, supports: int = 0, pinned: bool = False) -> RankedIdea:
    return RankedIdea(n, text, "fr", supports, pinned)


def test_case_accents_spacing_and_end_punctuation_do_not_make_another_idea():
    assert idea_key("Plus de confiance !") == idea_key("plus  de confiance")
    assert idea_key("Écouter les habitants") == idea_key("ecouter les habitants.")
    assert idea_key("Ακούστε τους κατοίκους") == idea_key("ακουστε τους κατοικους")
    assert idea_key("plus de confiance") != idea_key("moins de confiance")


def test_variants_become_one_card_with_all_their_supports():
    cards = wall_ideas(
        [
            idea(1, "Plus de confiance", supports=4),
            idea(2, "des cours de langue gratuits", supports=3),
            idea(3, "plus de confiance !", supports=2),
        ],
        limit=8,
    )
    assert [(c.id, c.text, c.supports) for c in cards] == [
        (1, "Plus de confiance", 6),
        (2, "des cours de langue gratuits", 3),
    ]


def test_one_word_answers_are_left_to_the_word_cloud():
    assert is_one_word("Confiance") and is_one_word("  confiance  ")
    assert not is_one_word("plus de confiance")
    cards = wall_ideas([idea(1, "Confiance", 9), idea(2, "confiance mutuelle", 1)], limit=8)
    assert [c.text for c in cards] == ["confiance mutuelle"]


def test_a_pinned_variant_pins_the_card_and_merging_can_reorder():
    cards = wall_ideas(
        [
            idea(1, "un guichet unique", supports=5),
            idea(2, "des bancs au parc", supports=4),
            idea(3, "des bancs au parc", supports=4, pinned=True),
            idea(4, "Un guichet unique", supports=0),
        ],
        limit=8,
    )
    assert [(c.text, c.supports, c.pinned) for c in cards] == [
        ("des bancs au parc", 8, True),
        ("un guichet unique", 5, False),
    ]


def test_the_wall_keeps_its_limit():
    ranked = [idea(n, f"idée numéro {n}", supports=20 - n) for n in range(12)]
    assert [c.id for c in wall_ideas(ranked, limit=8)] == list(range(8))
