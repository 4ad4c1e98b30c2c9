"""The survey page's one script (static/js/survey.js) and what it needs from the server.

The script adds a listen button beside every option, plays the phone's voice or the server's
clip, watches the connection (a translated notice; nothing is sent until the page is connected
again), and brings the first error or the new step into view. One script for the whole page,
delegated, rather than a component per button.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import streamlit as st

from components import markup
from components import survey_state as state
from inclucities.i18n import Translator, is_rtl
from inclucities.speech import clip_key, survey_texts
from inclucities.survey.form import scale_label
from inclucities.survey.models import Question, Survey

SCRIPT = Path(markup.ROOT) / "static" / "js" / "survey.js"
WAKE = "survey_wake"  # a hidden button the script presses after a reconnect (a full run)
_targets: dict[tuple[str, int, str], str] = {}


@lru_cache(maxsize=1)
def script() -> str:
    text = SCRIPT.read_text(encoding="utf-8")
    if "<" in text:  # Streamlit's sanitiser drops a script whose text has '<' and a letter
        raise ValueError(f"{SCRIPT} must not contain '<' (it is inlined in a script element)")
    return text


def _option_clips(question: Question, t: Translator) -> list[str]:
    if question.type == "agreement":
        return [clip_key(t.lang, scale_label(t, level)) for level in question.option_ids]
    return [clip_key(t.lang, t.text(o.label)) for o in question.options]


def listen_targets(survey: Survey, t: Translator) -> dict[str, dict[str, object]]:
    """Where the script puts listen buttons: by widget key, the label and each option's clip."""
    targets: dict[str, dict[str, object]] = {}
    for q in survey.questions:
        if q.items:
            for item in q.items:
                targets[state.widget_key(survey, q, item.id)] = {
                    "label": clip_key(t.lang, t.text(item.label)),
                    "options": _option_clips(q, t),
                }
        elif q.type in {"multi", "priorities"}:
            for option in q.options:
                label = clip_key(t.lang, t.text(option.label))
                targets[state.widget_key(survey, q, option.id)] = {"label": label}
        elif q.type != "text":
            targets[state.widget_key(survey, q)] = {"options": _option_clips(q, t)}
    consent = clip_key(t.lang, t("survey.consent_checkbox"))
    targets[state.key(survey, "consent")] = {"label": consent}
    return targets


def _config(survey: Survey, t: Translator) -> str:
    cache_key = (survey.id, survey.version, t.lang)
    if cache_key not in _targets:
        clips = {clip_key(t.lang, text): text for text in survey_texts(survey, t)}
        _targets[cache_key] = markup.render(
            "survey_assets.html",
            lang=t.lang,
            direction="rtl" if is_rtl(t.lang) else "ltr",
            clips=json.dumps(clips, ensure_ascii=False),
            targets=json.dumps(listen_targets(survey, t)),
            listen=t("survey.listen", text="{text}"),
            unavailable=t("survey.listen_unavailable"),
            offline=t("survey.offline"),
            offline_send=t("survey.offline_send"),
            online=t("survey.online"),
            script=script(),
        )
    return _targets[cache_key]


def show_assets(survey: Survey, t: Translator) -> None:
    """The script with its settings, and the hidden button it presses to wake a new session."""
    with st.container(key="survey_assets"):
        st.html(_config(survey, t), unsafe_allow_javascript=True)
        st.button(t("survey.reconnect"), key=WAKE)
