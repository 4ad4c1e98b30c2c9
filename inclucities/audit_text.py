"""The audit log in the admin's words: who acted, what was done, when (in the local time zone).

The store writes each entry's detail in a fixed English form (a log file stays greppable); this
module reads those forms back and says them in the admin's language, with no plural forms to get
wrong ("Answers: 3"). A detail in no known form is shown as it is, as plain text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_timezone_location, get_timezone_name

from inclucities.i18n import Translator
from inclucities.store import AuditEntry

# actor names the store and the sign-in write (anything else is a name given on the command line)
KNOWN_ACTORS: dict[str, str] = {
    "admin": "admin",
    "admin password": "admin_password",
    "presenter": "presenter",
    "presenter passphrase": "presenter_passphrase",
    "respondent": "respondent",
    "command line": "command_line",
}
IDEA_STATUSES = ("pending", "approved", "hidden")


@dataclass(frozen=True)
class AuditLine:
    """One entry as the admin reads it."""

    at: str  # local date and time
    actor: str
    action: str
    detail: str


def local_time(moment: dt.datetime, zone: ZoneInfo, t: Translator) -> str:
    """A stored (UTC) moment in the local zone, formatted for the admin's language."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return format_datetime(aware.astimezone(zone), format="medium", locale=t.locale)


def zone_name(zone: ZoneInfo, t: Translator, at: dt.datetime | None = None) -> str:
    """The zone's name in the admin's language ("heure d'Europe centrale (Bruxelles)"); generic,
    as the log holds winter and summer times alike."""
    moment = (at or dt.datetime.now(dt.UTC)).astimezone(zone)
    generic = get_timezone_name(moment, width="long", locale=t.locale, zone_variant="generic")
    city = get_timezone_location(zone, locale=t.locale, return_city=True)
    return f"{generic} ({city})" if city and city not in generic else generic


def actor_words(actor: str, t: Translator) -> str:
    known = KNOWN_ACTORS.get(actor)
    return t(f"admin.audit.actor.{known}") if known else actor


def _status(status: str, t: Translator) -> str:
    return t(f"admin.audit.status.{status}") if status in IDEA_STATUSES else status


def _ids(listed: str, t: Translator) -> str:
    """ "1, 3, 5 and 2 more" (the store's short list) in the admin's words."""
    found = re.fullmatch(r"(.*) and (\d+) more", listed)
    if found is None:
        return listed
    return t("admin.audit.more", ids=found[1], more=t.number(int(found[2])))


def _answers(count: str, t: Translator) -> str:
    return t("admin.audit.detail.answers", count=t.number(int(count)))


def _idea_status(found: re.Match[str], t: Translator, _: Mapping[str, str]) -> str:
    return t(
        "admin.audit.detail.idea_status",
        idea=found[1],
        before=_status(found[2], t),
        after=_status(found[3], t),
    )


def _idea_bulk(found: re.Match[str], t: Translator, _: Mapping[str, str]) -> str:
    return t(
        "admin.audit.detail.idea_bulk",
        count=t.number(int(found[1])),
        after=_status(found[2], t),
        ids=_ids(found[3], t),
    )


def _removal(found: re.Match[str], t: Translator, _: Mapping[str, str]) -> str:
    scope = (
        t("admin.audit.detail.scope_all")
        if found[2] == "all"
        else t("admin.audit.detail.scope_chosen", count=t.number(int(found[3])))
    )
    return t(
        "admin.audit.detail.removal", answers=_answers(found[1], t), scope=scope, reason=found[4]
    )


def _purge(found: re.Match[str], t: Translator, _: Mapping[str, str]) -> str:
    before = dt.date.fromisoformat(found[2])
    return t("admin.audit.detail.purge", answers=_answers(found[1], t), date=t.date(before))


def _idea(found: re.Match[str], t: Translator, _: Mapping[str, str]) -> str:
    return t("admin.audit.detail.idea", idea=found[1])


def _one_answer(_: re.Match[str], t: Translator, __: Mapping[str, str]) -> str:
    return _answers("1", t)


def _override(found: re.Match[str], t: Translator, _: Mapping[str, str]) -> str:
    if found[1] == "survey":
        return t("admin.audit.detail.override_survey")
    return t("admin.audit.detail.override_session", session=found[2])


def _session(found: re.Match[str], t: Translator, sessions: Mapping[str, str]) -> str:
    return sessions.get(found[0], found[0])


Describe = Callable[[re.Match[str], Translator, Mapping[str, str]], str]
_IDEA = (re.compile(r"idea (\d+)"), _idea)
_REMOVAL = (
    re.compile(r"(\d+) submissions \((all|(\d+) requested)\); reason: (.*)", re.S),
    _removal,
)
_SESSION = (re.compile(r".+", re.S), _session)
# the store's detail forms, by action (inclucities/store/sql_*.py write them)
FORMS: dict[str, tuple[re.Pattern[str], Describe]] = {
    "idea_status": (re.compile(r"idea (\d+): (\w+) -> (\w+)"), _idea_status),
    "idea_status_bulk": (re.compile(r"(\d+) ideas -> (\w+): (.*)"), _idea_bulk),
    "idea_pin": _IDEA,
    "idea_unpin": _IDEA,
    "soft_delete": _REMOVAL,
    "restore": _REMOVAL,
    "purge": (
        re.compile(r"(\d+) submissions created before (\d{4}-\d{2}-\d{2})(?: \d{2}:\d{2} UTC)?"),
        _purge,
    ),
    "withdraw": (re.compile(r"1 submission"), _one_answer),
    "privacy_override": (re.compile(r"(survey|session) ?(.*)", re.S), _override),
    "reveal": _SESSION,
    "hide": _SESSION,
}


def detail_words(entry: AuditEntry, t: Translator, sessions: Mapping[str, str]) -> str:
    """The entry's detail in the admin's words; `sessions` names session ids."""
    if entry.action in ("reveal", "hide") and not entry.detail:
        return t("presenter.sessions.all")
    if not entry.detail:
        return ""
    form = FORMS.get(entry.action)
    if form is not None:
        found = form[0].fullmatch(entry.detail)
        if found is not None:
            return form[1](found, t, sessions)
    return entry.detail


def action_words(action: str, t: Translator) -> str:
    key = f"admin.audit.kind.{action}"
    said = t(key)
    return action if said == key else said


def describe(
    entry: AuditEntry, t: Translator, zone: ZoneInfo, sessions: Mapping[str, str]
) -> AuditLine:
    return AuditLine(
        at=local_time(entry.at, zone, t),
        actor=actor_words(entry.actor, t),
        action=action_words(entry.action, t),
        detail=detail_words(entry, t, sessions),
    )
