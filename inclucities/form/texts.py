"""Every text the form and its script show, in one language, sent once with the form.

Plural messages are formatted here for each count the form can meet (Babel's plural rules stay
on the server); the script only fills `{option}`, `{item}` and such names into a few texts.
"""

from __future__ import annotations

from inclucities.i18n import LANGUAGES, Translator
from inclucities.survey.models import Survey
from inclucities.survey.steps import group_steps


def markup_texts(t: Translator, session_label: str | None = None) -> dict[str, str]:
    """Texts written into the form's markup."""
    return {
        "listen": t("survey.form.listen"),
        "listen_question": t("survey.form.listen_question"),
        "listen_intro": t("survey.form.listen_intro"),
        "listen_consent": t("survey.form.listen_consent"),
        "required": t("survey.required"),
        "no_place": t("survey.form.no_place"),
        "privacy": t("survey.privacy_link"),
        "back": t("survey.back"),
        "next": t("survey.next"),
        "submit": t("survey.submit"),
        "receipt_heading": t("survey.receipt.heading"),
        "receipt_help": t("survey.receipt.help"),
        "copy_code": t("survey.form.copy"),
        "withdraw": t("survey.form.withdraw"),
        "ideas_heading": t("survey.ideas.heading"),
        "ideas_refresh": t("survey.ideas.refresh"),
        "see_results": t("survey.see_results"),
        "new_response": t("survey.new_response"),
        "new_respondent": t("survey.form.new_respondent"),
        "new_respondent_help": t("survey.form.new_respondent_help"),
        "kiosk_now": t("survey.form.kiosk_now"),
        "kiosk_stay": t("survey.form.kiosk_stay"),
        "kiosk_receipt": t("survey.form.kiosk_receipt"),
        "kiosk_show_code": t("survey.form.kiosk_show_code"),
        "noscript": t("survey.form.noscript"),
        "session": t("survey.form.session", session=session_label or ""),
    }


def _by_count(t: Translator, key: str, counts: set[int]) -> dict[str, str]:
    return {str(count): t(key, count=count) for count in sorted(counts)}


def script_texts(survey: Survey, t: Translator) -> dict[str, object]:
    """Texts the script shows as the respondent goes: steps, checks, sending, the thank-you."""
    steps = len(group_steps(survey))
    limits = {q.max_selections for q in survey.questions if q.max_selections}
    lengths = {q.max_length for q in survey.questions if q.max_length}
    problems = set(range(1, len(survey.questions) + 2))  # every question, and the consent
    return {
        "step": {
            f"{number}/{total}": t("survey.step", number=t.number(number), total=t.number(total))
            for total in range(1, steps + 1)
            for number in range(1, total + 1)
        },
        "error": {
            "required": t("survey.error.required"),
            "required_items": t("survey.error.required_items"),
            "unknown_option": t("survey.error.unknown_option"),
            "invalid": t("survey.error.invalid"),
            "exclusive": t("survey.error.exclusive"),
            "consent": t("survey.error.consent"),
            "item_missing": t("survey.error.item_missing", item="{item}"),
            "too_many": _by_count(t, "survey.error.too_many", limits),
            "too_long": _by_count(t, "survey.error.too_long", lengths),
            "summary": _by_count(t, "survey.error.summary", problems),
        },
        "limit_reached": _by_count(t, "survey.limit_reached", limits),
        "place_taken": t("survey.form.place_taken", option="{option}", place="{place}"),
        "listen_playing": t("survey.form.listen_stop"),
        "listen_unavailable": t("survey.listen_unavailable"),
        "sending": t("survey.form.sending"),
        "offline": t("survey.offline_send"),
        "online": t("survey.form.online_sending"),
        "restored": t("survey.form.restored"),
        "resending": t("survey.form.resending"),
        "send_failed": t("survey.send_failed"),
        "rate_limited": t("survey.form.rate_limited"),
        "copied": t("survey.form.copied"),
        "thanks": t.text(survey.thank_you),
        "already": t("survey.already_received"),
        "device_answered": t("survey.form.device_answered"),
        "kiosk_countdown": t("survey.form.kiosk_countdown", seconds="{seconds}"),
        "closed": t("survey.closed"),
        "session_closed": t("survey.session_closed"),
        "ideas_failed": t("survey.ideas.failed"),
    }


def language_names() -> dict[str, str]:
    return {code: language.native_name for code, language in LANGUAGES.items()}
