"""The element tree and widget states a Streamlit tab keeps, as the frontend keeps them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState

WIDGET_TYPES = {
    "radio",
    "selectbox",
    "multiselect",
    "checkbox",
    "text_input",
    "text_area",
    "button",
    "button_group",
    "component_instance",
    "bidi_component",
    "number_input",
    "slider",
}
ID_KEY = re.compile(r"^\$\$ID-[0-9a-f]+-(.*)$")


def user_key(widget_id: str) -> str:
    """The `key=` a widget was given (`$$ID-<hash>-<key>`), or '' for an unkeyed one."""
    match = ID_KEY.match(widget_id)
    key = match.group(1) if match else ""
    return "" if key == "None" else key


@dataclass
class Node:
    """One element or block of the tree, where the frontend would draw it."""

    path: tuple[int, ...]
    kind: str  # element type ("radio", "metric"...) or "block:<type>"
    proto: Any
    run_id: int  # the session's run generation that drew it
    fragment_id: str
    arrived: float

    @property
    def widget_id(self) -> str:
        """The widget id of a widget element, else ''."""
        if self.kind in WIDGET_TYPES:
            return str(getattr(self.proto, "id", ""))
        return ""

    @property
    def key(self) -> str:
        """The widget's user key, or a keyed container's key ('' when it has none)."""
        if self.widget_id:
            return user_key(self.widget_id)
        if self.kind.startswith("block:") and self.proto.id:
            return user_key(self.proto.id)
        return ""


class PageTree:
    """The nodes drawn (by delta path) and the widget states a session would send."""

    nodes: dict[tuple[int, ...], Node]
    widget_states: dict[str, WidgetState]

    def _clear_stale(self, run_id: int, fragments: list[str]) -> None:
        """Drop what the last run did not draw again (only inside its fragments, for a
        fragment run), then the state of widgets no longer on screen."""
        stale = [
            path
            for path, node in self.nodes.items()
            if node.run_id != run_id and (not fragments or node.fragment_id in fragments)
        ]
        for path in stale:
            del self.nodes[path]
        orphans = [
            path for path in self.nodes if any(path[:i] in stale for i in range(1, len(path)))
        ]
        for path in orphans:
            self.nodes.pop(path, None)
        active = {node.widget_id for node in self.nodes.values() if node.widget_id}
        for widget_id in list(self.widget_states):
            if widget_id not in active:
                del self.widget_states[widget_id]

    # -- widget state as the frontend keeps it ------------------------------------------------

    def _register_widget(self, node: Node) -> None:
        """Initial value when a widget first shows, or the value the server sets."""
        proto, kind, widget_id = node.proto, node.kind, node.widget_id
        known = widget_id in self.widget_states
        set_value = bool(getattr(proto, "set_value", False))
        if known and not set_value:
            return
        state = WidgetState(id=widget_id)
        if kind in ("radio", "selectbox"):
            if set_value:
                if proto.HasField("raw_value"):
                    state.string_value = proto.raw_value
            elif proto.HasField("default") and 0 <= proto.default < len(proto.options):
                state.string_value = proto.options[proto.default]
        elif kind == "multiselect":
            values = (
                list(proto.raw_values)
                if set_value
                else [proto.options[i] for i in proto.default if 0 <= i < len(proto.options)]
            )
            state.string_array_value.data.extend(values)
        elif kind == "button_group":
            contents = [option.content for option in proto.options]
            values = (
                list(proto.raw_values)
                if set_value
                else [contents[i] for i in proto.default if 0 <= i < len(contents)]
            )
            state.string_array_value.data.extend(values)
        elif kind == "checkbox":
            state.bool_value = proto.value if set_value else proto.default
        elif kind in ("text_input", "text_area"):
            if set_value:
                if proto.HasField("value"):
                    state.string_value = proto.value
            elif proto.HasField("default"):
                state.string_value = proto.default
        elif kind in ("button", "component_instance", "bidi_component"):
            return  # no state until clicked or set by the component
        else:
            return
        self.widget_states[widget_id] = state

    # -- reading the page -------------------------------------------------------------------

    def ordered(self, container: int | None = 0) -> Iterator[Node]:
        """Nodes in document order (main area only by default; None for every container)."""
        for path in sorted(self.nodes):
            if container is None or (path and path[0] == container):
                yield self.nodes[path]

    def widgets(self, container: int | None = 0) -> list[Node]:
        """Widget elements in document order."""
        return [node for node in self.ordered(container) if node.widget_id]

    def shown_widgets(self, hidden_key: re.Pattern[str], container: int | None = 0) -> list[Node]:
        """Widgets a user can see: none inside a keyed container the page's CSS hides (a
        survey step that is drawn but not current)."""
        hidden = [
            node.path
            for node in self.ordered(container)
            if node.kind.startswith("block:") and hidden_key.search(node.key)
        ]
        return [
            node
            for node in self.widgets(container)
            if not any(node.path[: len(path)] == path for path in hidden)
        ]

    def elements(self, kind: str, container: int | None = 0) -> list[Node]:
        """Elements of one type ("metric", "alert"...) in document order."""
        return [node for node in self.ordered(container) if node.kind == kind]

    def state_of(self, node: Node) -> WidgetState | None:
        """The state this session would send for a widget."""
        return self.widget_states.get(node.widget_id)
