"""Ideas the room can vote up: who supports (a one-way key, never a person) and what they see.

A respondent's supports are keyed by a hash of the same browser token that makes their
submission idempotent (`inclucities.respondent`), the survey and the live session, so one
browser supports each idea once, and at most `MAX_SUPPORTS_PER_SESSION` ideas per session,
however often it clicks, reloads or reconnects. The store keeps only this hash.
"""

from __future__ import annotations

import hashlib

from inclucities.store import MAX_SUPPORTS_PER_SESSION, Idea, Store, SupportResult

SUPPORTABLE_LIMIT = (
    30  # approved ideas offered on the thank-you step, pinned and most supported first
)

__all__ = [
    "MAX_SUPPORTS_PER_SESSION",
    "SUPPORTABLE_LIMIT",
    "SupportResult",
    "supportable",
    "supporter_key",
]


def supporter_key(respondent: str, survey_id: str, session_id: str | None = None) -> str:
    """The opaque supporter of one respondent (a cookie token, or a per-visit id without one)
    in one survey and session: the same respondent always gives the same key."""
    material = "\x1f".join(("inclucities-supporter-v1", respondent, survey_id, session_id or ""))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]


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
