"""Live sessions without Streamlit: find the one a link names, pick the current one, label it.

A session is one run of a survey in a room (an academy morning, a city meeting). It has its own
join code (`/j/<code>`); answers sent after joining by it carry its id, and a closed session
refuses them while the survey's other sessions stay open.
"""

from __future__ import annotations

from collections.abc import Sequence

from inclucities.i18n import Translator
from inclucities.share import JoinCode, make_qr, qr_svg, short_link
from inclucities.store import LiveSession, Store
from inclucities.store.base import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, normalise_join_code

SESSION_PARAM = "session"
"""The survey link's parameter naming the live session (its id, or its join code)."""
ALL_SESSIONS = "all"
"""The value of `?session=` (and of the presenter's choice) that means every session at once."""


def looks_like_session_code(value: str) -> bool:
    """Whether a typed or linked value has the shape of a session's join code."""
    code = normalise_join_code(value)
    return len(code) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in code)


def answering_session(
    store: Store, value: str | None, survey_id: str | None = None
) -> LiveSession | None:
    """The session an answer goes to: named by its join code only (any case). A session's id
    is public on the results pages, so answering into a session needs what the room was
    given, its code (in the QR code's and every respondent link too)."""
    if not value or not looks_like_session_code(value):
        return None
    found = store.session_by_code(value)
    if found is None or (survey_id is not None and found.survey_id != survey_id):
        return None
    return found


def current_session(sessions: Sequence[LiveSession]) -> LiveSession | None:
    """The session a live screen shows by default: the most recently opened one still open."""
    open_ones = [s for s in sessions if s.is_open]
    return max(open_ones, key=lambda s: s.opened_at) if open_ones else None


FSI, PDI = "\u2068", "\u2069"  # first-strong isolate: a part keeps its own direction


def session_label(session: LiveSession, t: Translator) -> str:
    """'Name · place · date' (the name and place as the presenter typed them). Each part is
    isolated (invisible marks), so a Latin name reads right in Arabic and an Arabic one in
    French."""
    parts = [session.name]
    if session.place:
        parts.append(session.place)
    if session.date is not None:
        parts.append(t.date(session.date, "medium"))
    return " · ".join(f"{FSI}{part}{PDI}" for part in parts)


def session_join_code(base: str, session: LiveSession, title: str = "") -> JoinCode:
    """The session's short link (`/j/<code>`) and the QR code of exactly that link."""
    link = short_link(base, session.join_code)
    qr = make_qr(link)
    return JoinCode(link=link, svg=qr_svg(qr, title=title), qr=qr, code=session.join_code)


def results_public(store: Store, survey_id: str, session_id: str | None = None) -> bool:
    """Whether the public may see the figures of one session, or of all sessions (None): only
    while the presenter has revealed that view's results (each starts hidden)."""
    return store.results_revealed(survey_id, session_id)
