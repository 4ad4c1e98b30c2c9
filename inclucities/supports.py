"""Ideas the room can vote up: who supports (a one-way key, never a person) and what they see.

A respondent's supports are bound to their stored submission: the supporter is the submission
id (a one-way hash of the phone's secret, the survey and the live session), the store accepts it
only while that submission is stored and live in the idea's session, and the primary key
(idea, supporter) keeps one support per idea per submission, at most `MAX_SUPPORTS_PER_SESSION`,
however often the phone clicks, reloads or reconnects. Fresh cookies without an answer support
nothing; withdrawing the answer withdraws its supports.

Nobody supports their own idea: the list marks it and the store refuses it (`OWN_IDEA`). A
support can be taken back while the session is open (`Store.withdraw_support`); its slot is then
free, so the limit counts only the supports given now. Giving or taking back twice changes
nothing the second time.
"""

from __future__ import annotations

from inclucities.store import MAX_SUPPORTS_PER_SESSION, Idea, Store, SupportResult

SUPPORTABLE_LIMIT = (
    30  # approved ideas offered on the thank-you step, pinned and most supported first
)

__all__ = [
    "MAX_SUPPORTS_PER_SESSION",
    "SUPPORTABLE_LIMIT",
    "SupportResult",
    "marks",
    "supportable",
]


def supportable(store: Store, survey_id: str, session_id: str | None = None) -> list[Idea]:
    """The approved ideas of this session a respondent may support: pinned first, then the
    newest (an order that does not move under the respondent's finger as supports arrive)."""
    if not store.may_have_ideas(survey_id, "approved", session_id):
        return []  # most rooms: every thank-you asks, and the full listing is 5 times dearer
    ideas = store.ideas(
        survey_id,
        status="approved",
        session_id=session_id,
        limit=SUPPORTABLE_LIMIT,
        newest_first=True,
    )
    return sorted(ideas, key=lambda idea: not idea.pinned)


def marks(
    store: Store, supporter: str, session_id: str | None = None
) -> tuple[frozenset[int], frozenset[int]]:
    """The ideas this supporter (a submission id) supports now in this session, and its own
    ideas (which it may not support)."""
    given = frozenset(store.supported_ideas(supporter, session_id))
    return given, frozenset(store.own_ideas(supporter))
