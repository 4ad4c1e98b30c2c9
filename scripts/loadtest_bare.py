"""A bare Streamlit app for scripts/loadtest.py: the survey's widgets and a live count, no more.

    streamlit run scripts/loadtest_bare.py

It draws the same number and kinds of widgets as the real survey, with the same keys, labels
and options, from the list the harness recorded while answering the real form
(LOADTEST_BARE_MANIFEST, a JSON file); without one it draws the resident survey's questions
from surveys/definitions/resident.yaml as radios, a select box, multiselects, a text area, a
consent checkbox and a send button. "Send" appends the answers to a JSON-lines file
(LOADTEST_BARE_OUT). `/results` and `/presenter` show a count and one chart in a fragment that
reruns every LOADTEST_BARE_REFRESH seconds, like the app's live pages did before issue 9.
Every figure of the real app is printed beside the same figure for this page.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("LOADTEST_BARE_OUT", ROOT / "data" / "local" / "bare.jsonl"))
REFRESH = float(os.environ.get("LOADTEST_BARE_REFRESH", "3"))
LEVELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]


def _en(label: Any) -> str:
    return str(label["en"] if isinstance(label, dict) else label)


def _labels(parent: dict[str, Any], values: list[str]) -> list[str]:
    """The labels a condition's values stand for (an agreement level: 1-5 on the scale)."""
    if parent["type"] == "agreement":
        return [LEVELS[int(v) - 1] for v in values if v.isdigit()]
    return [_en(o["label"]) for o in parent.get("options") or [] if str(o["id"]) in values]


def manifest_from_definition() -> list[dict[str, Any]]:
    """The resident survey as the form drew it before the redesign (no manifest given)."""
    raw = yaml.safe_load((ROOT / "surveys/definitions/resident.yaml").read_text("utf-8"))
    widgets: list[dict[str, Any]] = []
    for q in raw["questions"]:
        key = f"survey_resident_q_{q['id']}"
        options = [
            o["label"]["en"] if isinstance(o["label"], dict) else o["label"]
            for o in q.get("options") or []
        ]
        label = q["text"]["en"]
        base: dict[str, Any] = {"label": label, "screen": 0, "after": None}
        if q.get("show_if"):
            cond = q["show_if"]
            parent = next(p for p in raw["questions"] if p["id"] == cond["question"])
            wanted = _labels(parent, [str(v) for v in cond["equals"]])
            base["after"] = [f"survey_resident_q_{parent['id']}", wanted[0]]
            base["after_any"] = wanted
        scale = LEVELS + ([_en(q["no_answer"]["label"])] if q.get("no_answer") else [])
        if q["type"] == "agreement" and q.get("items"):
            for item in q["items"]:
                widgets.append(
                    {
                        **base,
                        "key": f"{key}__{item['id']}",
                        "kind": "radio",
                        "options": scale,
                        "label": item["label"]["en"],
                        "horizontal": True,
                    }
                )
        elif q["type"] == "agreement":
            widgets.append(
                {**base, "key": key, "kind": "radio", "options": scale, "horizontal": True}
            )
        elif q["type"] == "single":
            widgets.append({**base, "key": key, "kind": "radio", "options": options})
        elif q["type"] == "city":
            widgets.append({**base, "key": key, "kind": "selectbox", "options": options})
        elif q["type"] in ("multi", "priorities"):
            widgets.append(
                {
                    **base,
                    "key": key,
                    "kind": "multiselect",
                    "options": options,
                    "max_selections": q["max_selections"],
                }
            )
        else:
            widgets.append(
                {
                    **base,
                    "key": key,
                    "kind": "text_area",
                    "options": [],
                    "max_chars": q["max_length"],
                }
            )
    widgets.append(
        {
            "key": "survey_resident_consent",
            "kind": "checkbox",
            "label": "I agree",
            "options": [],
            "screen": 0,
            "after": None,
        }
    )
    widgets.append(
        {
            "key": "survey_resident_submit",
            "kind": "button",
            "label": "Send my answers",
            "options": [],
            "screen": 0,
            "after": None,
            "role": "send",
            "primary": True,
        }
    )
    widgets.append(
        {
            "key": "survey_resident_new",
            "kind": "button",
            "label": "New response",
            "options": [],
            "screen": 1,
            "after": ["send", True],
            "role": "",
        }
    )
    return widgets


@st.cache_resource
def manifest() -> list[dict[str, Any]]:
    """The widgets to draw, in the order the real form showed them."""
    path = os.environ.get("LOADTEST_BARE_MANIFEST")
    if path and Path(path).exists():
        return json.loads(Path(path).read_text("utf-8"))["widgets"]
    return manifest_from_definition()


def _visible(spec: dict[str, Any]) -> bool:
    after = spec.get("after")
    if not after or after[0] == "send":
        return True
    if spec.get("after_any"):
        return st.session_state.get(after[0]) in spec["after_any"]
    return st.session_state.get(after[0]) == after[1] or (
        isinstance(after[1], list) and st.session_state.get(after[0]) == after[1]
    )


def _draw(spec: dict[str, Any]) -> None:
    kind, key, label, options = spec["kind"], spec["key"], spec["label"], spec["options"]
    if kind == "radio":
        st.radio(label, options, index=None, key=key, horizontal=spec.get("horizontal", False))
    elif kind == "selectbox":
        st.selectbox(label, options, index=None, key=key)
    elif kind == "multiselect":
        st.multiselect(label, options, key=key, max_selections=spec.get("max_selections") or None)
    elif kind == "button_group":
        mode = "multi" if spec.get("multi") else "single"
        st.pills(label, options, selection_mode=mode, key=key)
    elif kind == "checkbox":
        st.checkbox(label, key=key)
    elif kind == "text_input":
        st.text_input(label, key=key, max_chars=spec.get("max_chars") or None)
    elif kind == "text_area":
        st.text_area(label, key=key, max_chars=spec.get("max_chars") or None)


def _send() -> None:
    state = st.session_state
    # answers of earlier steps: Streamlit forgets a widget's value once it is no longer drawn
    answers = dict(state.get("bare_answers", {}))
    answers.update({s["key"]: state[s["key"]] for s in manifest() if s["key"] in state})
    row = {"submission_id": state.setdefault("bare_id", uuid.uuid4().hex), "answers": answers}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    state["bare_done"] = True


def _next() -> None:
    st.session_state["bare_screen"] = st.session_state.get("bare_screen", 0) + 1


def _new() -> None:
    for name in ("bare_done", "bare_id", "bare_screen", "bare_answers"):
        st.session_state.pop(name, None)


def survey() -> None:
    """The survey's widgets, screen by screen, then a thank-you."""
    st.title("Survey")
    specs = manifest()
    if st.session_state.get("bare_done"):
        st.success("Thank you! Your answers have been received.")
        for spec in specs:
            if spec["kind"] == "button" and (spec.get("after") or [None])[0] == "send":
                st.button(spec["label"], key=spec["key"], on_click=_new)
        return
    screen = st.session_state.get("bare_screen", 0)
    for spec in specs:
        if spec["screen"] != screen or not _visible(spec):
            continue
        if spec["kind"] == "button":
            role = spec.get("role", "")
            if role in ("send", "next"):
                st.button(
                    spec["label"],
                    key=spec["key"],
                    on_click=_send if role == "send" else _next,
                    type="primary" if spec.get("primary") else "secondary",
                )
        else:
            _draw(spec)
            st.session_state.setdefault("bare_answers", {})[spec["key"]] = st.session_state.get(
                spec["key"]
            )


@st.fragment(run_every=REFRESH)
def live() -> None:
    """A count and one chart, redrawn every few seconds."""
    rows = OUT.read_text("utf-8").splitlines() if OUT.exists() else []
    st.metric("Responses", len(rows))
    langs = pd.DataFrame({"lang": ["en", "fr", "ar"], "n": [len(rows), len(rows) // 2, 1]})
    st.altair_chart(alt.Chart(langs).mark_bar().encode(x="n:Q", y="lang:N"), width="stretch")


def results() -> None:
    """The live results screen."""
    st.title("Results")
    live()


def presenter() -> None:
    """The presenter screen (the same live block)."""
    st.title("Presenter")
    live()


def home() -> None:
    """The default page (a default page has no path of its own, so the survey is not it)."""
    st.title("Bare page")


if __name__ == "__main__":  # as `streamlit run` runs it (imported, it only defines the widgets)
    page = st.navigation(
        [
            st.Page(home, title="Home", default=True),
            st.Page(survey, title="Survey", url_path="survey"),
            st.Page(results, title="Results", url_path="results"),
            st.Page(presenter, title="Presenter", url_path="presenter"),
        ],
        position="hidden",
    )
    page.run()
