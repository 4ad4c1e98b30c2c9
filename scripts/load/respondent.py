"""A respondent on a phone: opens the QR link, answers one widget at a time (each change sent
and its rerun awaited, as the frontend does), presses "next" between steps, then "send"."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.WidgetStates_pb2 import WidgetState

from scripts.load.protocol import RunOutcome, SessionError, StreamlitSession, now
from scripts.load.protocol_tree import Node
from scripts.load.survey import (
    AGREEMENT_LEVELS,
    CONSENT_KEY,
    HIDDEN_KEY,
    ROOT,
    Plan,
    Question,
    button_role,
    match_key,
)

MAX_ACTIONS = 120
LOCALES = {"en": "en-GB", "ar": "ar-SA", "el": "el-GR", "uk": "uk-UA"}


def catalog_labels(pattern: str) -> set[str]:
    """Button texts in every language for catalog keys matching `pattern` (e.g. survey.submit),
    so a button without a telling key is still recognised by what it says."""
    wanted = re.compile(pattern)
    labels: set[str] = set()
    for path in sorted((ROOT / "data" / "i18n").glob("*.po*")):
        context = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("msgctxt "):
                context = line[8:].strip().strip('"')
            elif line.startswith(("msgstr ", "msgid ")) and wanted.match(context):
                text = line.split(" ", 1)[1].strip().strip('"')
                if text:
                    labels.add(text)
    return labels


SEND_LABELS = catalog_labels(r"^survey\.(submit|send)\w*$")
NEXT_LABELS = catalog_labels(r"^survey\.(next|continue)\w*$")


@dataclass
class RespondentResult:
    """What one respondent saw: latencies, acknowledgement, problems."""

    token: str
    lang: str
    kind: str = "protocol"
    started: float = 0.0
    open_seconds: float | None = None
    interactions: list[float] = field(default_factory=list)
    send_seconds: float | None = None
    sent_at: float | None = None
    acknowledged_at: float | None = None
    error: str | None = None
    unmatched: list[str] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        """The respondent saw the thank-you."""
        return self.acknowledged_at is not None


def _option_index(level: int, count: int) -> int:
    """An agreement level (0-4) on a scale drawn with `count` options (the scale first, then any
    "I don't know" or "does not apply")."""
    if count >= AGREEMENT_LEVELS:
        return level
    return round(level * (count - 1) / (AGREEMENT_LEVELS - 1))


def _pick_label(options: list[str], plan: Plan, question: Question, option_id: str) -> str:
    label = plan.label(question, option_id)
    if label in options:
        return label
    if len(options) == len(question.options) and option_id in question.options:
        return options[question.options.index(option_id)]
    matches = [o for o in options if label and label in o]
    return matches[0] if matches else options[0]


def _options(node: Node) -> list[str]:
    if node.kind == "button_group":
        return [option.content for option in node.proto.options]
    return list(getattr(node.proto, "options", []))


def _is_multi(node: Node) -> bool:
    if node.kind == "multiselect":
        return True
    if node.kind == "button_group":
        return node.proto.click_mode == node.proto.MULTI_SELECT
    return False


def planned_states(node: Node, plan: Plan, questions: list[Question]) -> list[WidgetState] | None:
    """The states a phone user gives this widget, one interaction each; [] when the plan
    leaves it as it is; None when the driver cannot tell what the widget is."""
    match = match_key(node.key, questions)
    kind = node.kind
    if match is None:
        if kind == "checkbox" and CONSENT_KEY.search(node.key):
            return [WidgetState(bool_value=True)]
        return None
    question, answer = match.question, plan.answers.get(match.question.id)
    if answer is None:
        return []
    if kind in ("text_input", "text_area"):
        return [WidgetState(string_value=str(answer))] if question.type == "text" else None
    if kind == "checkbox":
        chosen = answer if isinstance(answer, list) else [answer]
        if match.option is None:
            return None
        return [WidgetState(bool_value=True)] if match.option in chosen else []
    options = _options(node)
    if not options:
        return None
    if question.type == "agreement":
        level = answer.get(match.item) if isinstance(answer, dict) else answer
        if level is None:
            return None
        label = options[_option_index(int(level), len(options))]
        return [_single(node, label)]
    chosen_ids = answer if isinstance(answer, list) else [answer]
    if (
        match.option is not None
        and not _is_multi(node)
        and question.type in ("multi", "priorities")
    ):
        # one picker per option whose choices are places (1st, 2nd, 3rd): explicit ranking
        if match.option not in chosen_ids:
            return []
        place = chosen_ids.index(match.option)
        return [_single(node, options[min(place, len(options) - 1)])]
    if match.rank is not None:
        if match.rank > len(chosen_ids):
            return []
        return [_single(node, _pick_label(options, plan, question, chosen_ids[match.rank - 1]))]
    labels = [_pick_label(options, plan, question, oid) for oid in chosen_ids]
    if _is_multi(node):
        limit = getattr(node.proto, "max_selections", 0) or len(labels)
        labels = list(dict.fromkeys(labels))[:limit]
        states = []
        for i in range(1, len(labels) + 1):
            state = WidgetState()
            state.string_array_value.data.extend(labels[:i])
            states.append(state)
        return states
    return [_single(node, labels[0])]


def _single(node: Node, label: str) -> WidgetState:
    if node.kind == "button_group":
        state = WidgetState()
        state.string_array_value.data.append(label)
        return state
    return WidgetState(string_value=label)


def _same(a: WidgetState | None, b: WidgetState) -> bool:
    """The widget already holds that value (restored from a draft, or a default)."""
    return (
        a is not None
        and a.WhichOneof("value") == b.WhichOneof("value")
        and (_value(a) == _value(b))
    )


def _value(state: WidgetState) -> Any:
    kind = state.WhichOneof("value")
    if kind is None:
        return None
    value = getattr(state, kind)
    return list(value.data) if hasattr(value, "data") else value


def alerts(session: StreamlitSession, fmt: int) -> list[str]:
    """Texts of alert boxes of one format (Alert.ERROR, Alert.SUCCESS...) on the page."""
    return [node.proto.body for node in session.elements("alert") if node.proto.format == fmt]


@dataclass
class ManifestRecorder:
    """Notes every widget the survey showed, on which screen and after which answer, so the
    bare page can draw the same number and kinds of widgets (scripts/loadtest_bare.py)."""

    widgets: list[dict[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def note(self, session: StreamlitSession, screen: int, after: tuple[str, Any] | None) -> None:
        """Record widgets that are new on screen since the last look (a step drawn but hidden
        is recorded on the screen where it shows)."""
        for node in session.shown_widgets(HIDDEN_KEY):
            # a button ("next", "back") is drawn again on every step it shows on
            seen = f"{node.key}@{screen}" if node.kind == "button" else node.key
            if not node.key or seen in self.seen:
                continue
            self.seen.add(seen)
            proto = node.proto
            spec: dict[str, Any] = {
                "key": node.key,
                "kind": node.kind,
                "label": getattr(proto, "label", ""),
                "options": _options(node),
                "screen": screen,
                "after": list(after) if after else None,
                "in_fragment": bool(node.fragment_id),
            }
            if node.kind == "radio":
                spec["horizontal"] = proto.horizontal
            if node.kind in ("multiselect",):
                spec["max_selections"] = proto.max_selections
            if node.kind == "button_group":
                spec["multi"] = _is_multi(node)
            if node.kind in ("text_input", "text_area"):
                spec["max_chars"] = proto.max_chars
            if node.kind == "button":
                spec["primary"] = proto.type == "primary"
                spec["role"] = button_role(node.key, proto.label, SEND_LABELS, NEXT_LABELS)
            self.widgets.append(spec)


async def answer_survey(
    base_url: str,
    plan: Plan,
    questions: list[Question],
    *,
    think: tuple[float, float] = (0.0, 0.0),
    rng: random.Random | None = None,
    assets: list[str] | None = None,
    recorder: ManifestRecorder | None = None,
    survey: str = "resident",
    timeout: float = 120.0,
    ready: asyncio.Event | None = None,
    go: asyncio.Event | None = None,
) -> RespondentResult:
    """One respondent, start to thank-you, over the protocol; never raises. With `ready` and
    `go`, it answers everything, sets `ready`, and presses send only once `go` is set."""
    rng = rng or random.Random()
    result = RespondentResult(plan.token, plan.lang, started=now())
    session = StreamlitSession(
        base_url,
        "survey",
        f"survey={survey}&lang={plan.lang}",
        locale=LOCALES.get(plan.lang, f"{plan.lang}-{plan.lang.upper()}"),
        assets=assets,
        timeout=timeout,
    )
    try:
        opened = await session.open()
        result.open_seconds = opened.seconds
        await drive(
            session, session.change, plan, questions, think, rng, result, recorder, ready, go
        )
    except (SessionError, OSError, TimeoutError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a harness bug must not stop the other respondents
        result.error = f"harness: {type(exc).__name__}: {exc}"
    finally:
        if ready is not None:
            ready.set()  # never leave the caller waiting
        if session.exceptions and result.error is None and not result.acknowledged:
            result.error = "; ".join(session.exceptions[:3])
        await session.close()
    return result


async def drive(
    session: StreamlitSession,
    act: Callable[[Node, WidgetState], Awaitable[RunOutcome]],
    plan: Plan,
    questions: list[Question],
    think: tuple[float, float],
    rng: random.Random,
    result: RespondentResult,
    recorder: ManifestRecorder | None,
    ready: asyncio.Event | None = None,
    go: asyncio.Event | None = None,
) -> None:
    """Answer what is on screen, top to bottom, step by step, then send. `act` performs one
    change (over the protocol, or by a click in a real browser) and waits for its rerun."""
    pending: dict[str, list[WidgetState]] = {}
    handled: set[str] = set()
    screens_left: set[frozenset[str]] = set()
    screen = 0
    after: tuple[str, Any] | None = None
    if recorder is not None:
        recorder.note(session, screen, None)
    for _ in range(MAX_ACTIONS):
        node, state = _next_change(session, plan, questions, pending, handled, result)
        if node is not None and state is not None:
            await asyncio.sleep(rng.uniform(*think))
            outcome = await act(node, state)
            result.interactions.append(outcome.seconds)
            after = (node.key, _value(state))
            if recorder is not None:
                recorder.note(session, screen, after)
            continue
        buttons = {
            button_role(n.key, n.proto.label, SEND_LABELS, NEXT_LABELS): n
            for n in session.shown_widgets(HIDDEN_KEY)
            if n.kind == "button" and not n.proto.disabled
        }
        signature = frozenset(n.key for n in session.shown_widgets(HIDDEN_KEY))
        if "next" in buttons and signature not in screens_left:
            screens_left.add(signature)
            await asyncio.sleep(rng.uniform(*think))
            outcome = await act(buttons["next"], WidgetState(trigger_value=True))
            result.interactions.append(outcome.seconds)
            screen += 1
            if recorder is not None:
                recorder.note(session, screen, None)
            continue
        if "send" in buttons:
            await asyncio.sleep(rng.uniform(*think))
            if ready is not None:
                ready.set()
            if go is not None:
                await go.wait()
            outcome = await act(buttons["send"], WidgetState(trigger_value=True))
            result.sent_at = outcome.sent
            result.send_seconds = outcome.seconds
            still_there = any(
                button_role(n.key, n.proto.label, SEND_LABELS, NEXT_LABELS) == "send"
                for n in session.shown_widgets(HIDDEN_KEY)
                if n.kind == "button"
            )
            errors = alerts(session, Alert.ERROR)
            if still_there or errors:
                result.error = "not accepted: " + " | ".join(errors[:3] or ["send still shown"])
            else:
                result.acknowledged_at = outcome.done
                if recorder is not None:
                    recorder.note(session, screen + 1, ("send", True))
            return
        result.error = "stuck: no unanswered widget, no next or send button"
        if ready is not None:
            ready.set()
        return
    result.error = f"stuck: more than {MAX_ACTIONS} actions"
    if ready is not None:
        ready.set()


def _next_change(
    session: StreamlitSession,
    plan: Plan,
    questions: list[Question],
    pending: dict[str, list[WidgetState]],
    handled: set[str],
    result: RespondentResult,
) -> tuple[Node | None, WidgetState | None]:
    """The first widget on screen (top to bottom) that still needs a tap, and its new state."""
    for node in session.shown_widgets(HIDDEN_KEY):
        key = node.key or node.widget_id
        if node.kind == "button" or key in handled or getattr(node.proto, "disabled", False):
            continue
        if key not in pending:
            states = planned_states(node, plan, questions)
            if states is None:
                handled.add(key)
                if node.kind not in ("component_instance", "bidi_component") or key:
                    result.unmatched.append(f"{node.kind}:{key}")
                continue
            pending[key] = states
        while pending[key] and _same(session.state_of(node), pending[key][0]):
            pending[key].pop(0)
        if not pending[key]:
            handled.add(key)
            continue
        return node, pending[key].pop(0)
    return None, None


def respondent_token(run_id: str, index: int) -> str:
    """The marker a respondent writes in the free-text answer, found again in the database."""
    return f"LT{run_id}x{index:04d}"


def token_pattern(run_id: str) -> re.Pattern[str]:
    """Matches the tokens of one run."""
    return re.compile(rf"LT{re.escape(run_id)}x(\d{{4}})")


def save_manifest(recorder: ManifestRecorder, path: Path) -> None:
    """Write the recorded widgets as JSON for the bare page."""
    import json

    path.write_text(json.dumps({"widgets": recorder.widgets}, ensure_ascii=False, indent=1))
