"""One survey question on the page: its heading with a listen button, its errors, its widgets.

Every option is shown in full, in the page's language and direction: radios for one choice,
tick boxes for "up to N", and a row of places (1st, 2nd, 3rd...) beside each option of a
ranking, so the order is one the respondent sees and can change, never the order of clicks.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components import markup
from components import survey_state as state
from inclucities.i18n import Translator
from inclucities.speech import clip_key
from inclucities.survey.form import missing_items, places_of, scale_label, settle_places
from inclucities.survey.models import Question, Survey
from inclucities.survey.steps import LONG_TEXT
from inclucities.survey.validation import FieldError

MAX_RANK_WORDS = 5  # places with their own word in the catalog (survey.rank.1 ... .5)


def _seed(key: str, value: Any) -> None:
    """Give a widget back its answer (after another page, or a condition hid it)."""
    if key not in st.session_state and value not in (None, "", [], {}):
        st.session_state[key] = value


def heading(survey: Survey, question: Question, t: Translator) -> None:
    text = t.text(question.text)
    markup.show(
        "survey_question.html",
        anchor=f"{survey.id}-q-{question.id}",
        text=text,
        required=t("survey.required") if question.required else "",
        clip=clip_key(t.lang, text),
        listen=t("survey.listen", text=text),
    )


def _errors(errors: list[FieldError], t: Translator) -> None:
    for error in errors:
        st.error(t(error.message_key, **error.params), icon=":material/error:")


def rank_label(t: Translator, rank: int) -> str:
    return t(f"survey.rank.{rank}") if rank <= MAX_RANK_WORDS else t.number(rank)


def _option_labels(question: Question, t: Translator) -> dict[str, str]:
    if question.type == "agreement":
        labels = {level: scale_label(t, level) for level in question.option_ids}
        if question.no_answer is not None:  # "I don't know" / "does not apply", off the scale
            labels[question.no_answer.id] = t.text(question.no_answer.label)
        return labels
    return {o.id: t.text(o.label) for o in question.options}


def _hints(question: Question, t: Translator) -> list[str] | None:
    hints = [getattr(o, "hint", None) for o in question.options]
    return [t.text(h) if h else "" for h in hints] if any(hints) else None


def _radio(key: str, label: str, question: Question, t: Translator, **extra: Any) -> Any:
    labels = _option_labels(question, t)
    return st.radio(
        label,
        list(labels),
        index=None,
        key=key,
        format_func=labels.__getitem__,
        captions=None if question.type == "agreement" else _hints(question, t),
        **extra,
    )


def _grid(survey: Survey, question: Question, t: Translator, shown: bool, saved: Any) -> Any:
    given = saved if isinstance(saved, dict) else {}
    for item in question.items:
        _seed(state.widget_key(survey, question, item.id), given.get(item.id))
    missing = set(missing_items(question, _grid_now(survey, question)))
    value: dict[str, str] = {}
    for item in question.items:
        key = state.widget_key(survey, question, item.id)
        label = t.text(item.label)
        if shown and item.id in missing and len(missing) < len(question.items):
            st.error(t("survey.error.item_missing", item=label), icon=":material/error:")
        with st.container(key=f"{key}-scale"):
            picked = _radio(key, label, question, t, horizontal=True)
        if picked is not None:
            value[item.id] = picked
    return value


def _grid_now(survey: Survey, question: Question) -> dict[str, Any]:
    keys = {i.id: state.widget_key(survey, question, i.id) for i in question.items}
    return {i: st.session_state.get(k) for i, k in keys.items() if st.session_state.get(k)}


def _ticks(survey: Survey, question: Question, t: Translator, saved: Any) -> list[str]:
    keys = {o.id: state.widget_key(survey, question, o.id) for o in question.options}
    for option_id, key in keys.items():
        _seed(key, option_id in (saved or []))
    chosen = [o for o, key in keys.items() if st.session_state.get(key)]
    full = question.max_selections is not None and len(chosen) >= question.max_selections
    alone = question.exclusive_ids
    hints = _hints(question, t) or [""] * len(question.options)
    for option, hint in zip(question.options, hints, strict=True):
        key = keys[option.id]
        # an option such as "nowhere" is chosen alone: it and the others exclude each other
        excluded = any(o != option.id and (o in alone or option.id in alone) for o in chosen)
        blocked = option.id not in chosen and (full or excluded)
        st.checkbox(t.text(option.label), key=key, disabled=blocked)
        if hint:
            st.caption(hint)
    if full:
        st.caption(t("survey.limit_reached", count=len(chosen)))
    return [o for o, key in keys.items() if st.session_state.get(key)]


def _places(survey: Survey, question: Question, t: Translator, saved: Any) -> list[str]:
    keys = {o.id: state.widget_key(survey, question, o.id) for o in question.options}
    if not any(key in st.session_state for key in keys.values()):
        for option_id, rank in places_of(saved or []).items():
            _seed(keys[option_id], rank)
    before = state.places(survey, question)
    now = {o: st.session_state.get(key) for o, key in keys.items()}
    settled = settle_places(now, before)
    for option_id, place in settled.items():
        if place != now[option_id]:
            st.session_state[keys[option_id]] = place
    before.clear()
    before.update(settled)
    st.caption(t("survey.rank_hint"))
    ranks = list(range(1, (question.max_selections or 1) + 1))
    hints = _hints(question, t) or [""] * len(question.options)
    for option, hint in zip(question.options, hints, strict=True):
        with st.container(key=f"{keys[option.id]}-places"):
            st.segmented_control(
                t.text(option.label),
                ranks,
                key=keys[option.id],
                format_func=lambda rank: rank_label(t, rank),
            )
            if hint:
                st.caption(hint)
    return state.list_value(question, {o: st.session_state.get(k) for o, k in keys.items()})


def render_question(
    survey: Survey, question: Question, t: Translator, errors: list[FieldError]
) -> None:
    """The question's block; its current answer goes into the session's answers."""
    saved = state.answers(survey).get(question.id)
    key = state.widget_key(survey, question)
    label = t.text(question.text)
    with st.container(key=state.key(survey, f"block_{question.id}")):
        heading(survey, question, t)
        if question.help:
            st.caption(t.text(question.help))
        _errors(errors, t)
        if question.items:
            value: Any = _grid(survey, question, t, bool(errors), saved)
        elif question.type == "multi":
            value = _ticks(survey, question, t, saved)
        elif question.type == "priorities":
            value = _places(survey, question, t, saved)
        elif question.type == "text":
            _seed(key, saved)
            long = (question.max_length or 0) > LONG_TEXT
            widget = st.text_area if long else st.text_input
            value = widget(
                label, key=key, max_chars=question.max_length, label_visibility="collapsed"
            )
            if question.max_length:  # the box cuts a longer paste silently: say the limit
                st.caption(t("survey.text_limit", count=question.max_length))
        else:  # one choice: an agreement statement, a single choice or the city
            _seed(key, saved)
            if question.type == "agreement":
                with st.container(key=f"{key}-scale"):
                    value = _radio(
                        key, label, question, t, horizontal=True, label_visibility="collapsed"
                    )
            else:
                value = _radio(key, label, question, t, label_visibility="collapsed")
    state.answers(survey)[question.id] = value
