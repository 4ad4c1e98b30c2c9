"""A snapshot of the live results (charts and counts) as PNG and PDF, rendered offline.

The figures are those of one `summary` payload (inclucities.results.payload), so a snapshot never
shows more than the live screen: the same suppressed summary, the same chart specs.

- The PNG: the charts stacked in one Vega-Lite `vconcat` under a title with the labelled facts
  (session, session date, when the snapshot was taken, answers), rendered by vl-convert.
- The PDF (inclucities.snapshot_pdf): A4 landscape with real, searchable text in every
  language, the results first, then the top ideas and the word clouds on a page of their own.

A build costs about half a second of CPU, so `snapshot_bundle` builds one snapshot per data
version (survey, session, language, k and the store's `data_version`, the token the live hub
watches), one build at a time, and shares its bytes: requests for the same version wait for the
build under way, others wait their turn. Call it for signed-in presenters only.
"""

from __future__ import annotations

import copy
import io
import struct
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import vl_convert as vlc
from babel.dates import format_time

from inclucities.i18n import Translator, translator
from inclucities.results.charts import DATA_NAME, INK
from inclucities.results.payload import ChartSet, build_payload, chart_set
from inclucities.results.payload_types import Payload
from inclucities.results.summary import summarise
from inclucities.snapshot_pdf import Header, snapshot_pdf
from inclucities.store import LiveSession, Store
from inclucities.survey.models import Survey

SNAPSHOT_WIDTH = 900  # pixels of each chart's plotting area
PNG_SCALE = 2.0  # sharp enough to print
CACHED_SNAPSHOTS = 8  # the latest versions kept (a few hundred kB each)
WAIT_SECONDS = 60.0  # how long a request may wait for the builds queued before it


@dataclass(frozen=True)
class Snapshot:
    png: bytes
    pdf: bytes
    spec: dict[str, Any]


SEGMENT_FITS = "datum.share >= 0.08"
"""Whether a segment's percentage fits on it, from its share: vl-convert evaluates the live
screens' pixel test (`scale('x', …)` in a condition) as false, which would hide them all."""


def _one_line(node: Any) -> Any:
    """Labels on one line: vl-convert misplaces the lines of right-to-left multi-line text."""
    if isinstance(node, dict):
        return {k: v if k == "lineBreak" else _one_line(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_one_line(item) for item in node]
    return node.replace("\n", " ") if isinstance(node, str) else node


def _inline(node: Any, values: list[dict[str, Any]]) -> Any:
    """A copy of a spec where the named data source is replaced by the values themselves."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "data" and isinstance(value, dict) and value.get("name") == DATA_NAME:
                out[key] = {"values": values}
            elif key == "test" and isinstance(value, str) and "datum.start" in value:
                out[key] = SEGMENT_FITS
            elif key == "legend" and value is None and "scale" in node:
                # the live page draws the legend in HTML; a picture needs its own
                out[key] = {
                    "orient": "top",
                    "title": None,
                    "labelFontSize": 14,
                    "labelLimit": 0,
                    "symbolSize": 200,
                }
            else:
                out[key] = _inline(value, values)
        return out
    if isinstance(node, list):
        return [_inline(item, values) for item in node]
    return node


def _chart(
    spec: dict[str, Any], values: list[dict[str, Any]], title: dict[str, Any]
) -> dict[str, Any]:
    sub: dict[str, Any] = _inline(copy.deepcopy(spec), values)
    for key in ("config", "autosize", "$schema"):
        sub.pop(key, None)
    sub["width"] = SNAPSHOT_WIDTH
    sub["title"] = title
    return sub


def _lines(*texts: str | None) -> list[str]:
    return [text for text in texts if text]


def snapshot_spec(
    payload: Payload, charts: ChartSet, heading: str, subtitle: list[str]
) -> dict[str, Any]:
    """One vconcat spec: the heading and counts, then every chart of the payload with its own
    title and number of answers; sections without a chart give their note or table rows."""
    rtl = payload.get("dir") == "rtl"
    anchor = "end" if rtl else "start"
    headline = payload["headline"]
    answers = translator(str(payload.get("lang") or "en"))
    lines = [*subtitle, answers("presenter.snapshot.answers", number=headline["count"])]
    lines += _lines(headline.get("status"), headline.get("closed"))
    parts: list[dict[str, Any]] = []
    config: dict[str, Any] = {}
    for section in payload["sections"]:
        chart = section.get("chart")
        title = {
            "text": section.get("title") or "",
            "subtitle": " ".join(_lines(section.get("intro"), section.get("note"))),
            "anchor": anchor,
            "fontSize": 16,
            "subtitleFontSize": 13,
            "subtitleLineHeight": 18,
            "color": INK,
        }
        if chart and chart["spec"] in charts.specs:
            spec = charts.specs[chart["spec"]]
            config = config or spec.get("config", {})
            part = _chart(spec, chart["values"], title)
            parts.append(_one_line(part) if rtl else part)
        elif section.get("note"):
            parts.append(_text_block(title, []))
    if not parts:
        parts.append(_text_block({"text": "", "anchor": anchor}, []))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": {
            "text": heading,
            # one line: vl-convert misplaces the lines of a right-to-left multi-line subtitle
            "subtitle": " · ".join(f"\u2068{line}\u2069" for line in lines),  # isolated
            "anchor": anchor,
            "fontSize": 22,
            "subtitleFontSize": 15,
            "subtitleLineHeight": 22,
            "subtitlePadding": 6,
            "color": INK,
            "subtitleColor": INK,
        },
        "background": "white",
        "padding": 24,
        "spacing": 36,
        "vconcat": parts,
        "config": {**config, "view": {"stroke": None}},
    }


def _text_block(title: dict[str, Any], rows: list[str]) -> dict[str, Any]:
    """A chartless section (its title and note), as an empty mark with a title."""
    return {
        "title": title,
        "width": SNAPSHOT_WIDTH,
        "height": 10,
        "data": {"values": [{"line": row} for row in rows] or [{"line": ""}]},
        "mark": {"type": "text", "align": "left"},
        "encoding": {"text": {"field": "line", "type": "nominal"}},
    }


def render_png(spec: dict[str, Any], scale: float = PNG_SCALE) -> bytes:
    """The PNG of a snapshot spec (vl-convert, offline)."""
    return bytes(vlc.vegalite_to_png(spec, scale=scale))


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header (its IHDR chunk)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has (its page objects)."""
    if not data.startswith(b"%PDF"):
        raise ValueError("not a PDF")
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages") or data.count(b"/Type/Page")


def _when(t: Translator, moment: datetime) -> dict[str, str]:
    """A moment's date and time in the language's own formats."""
    return {
        "date": t.date(moment.date(), "long"),
        "time": format_time(moment, "short", locale=t.locale),
    }


def header_lines(t: Translator, session: LiveSession | None, now: datetime) -> list[str]:
    """The labelled facts under the title: the session (or all sessions), its date, and when
    the snapshot was taken."""
    if session is None:
        return [t("presenter.sessions.all"), t("presenter.snapshot.taken", **_when(t, now))]
    name = " · ".join(part for part in (session.name, session.place) if part)
    day = session.date or session.opened_at.date()
    return [
        t("presenter.snapshot.session", session=name),
        t("presenter.snapshot.session_date", date=t.date(day, "long")),
        t("presenter.snapshot.taken", **_when(t, now)),
    ]


def build_snapshot(
    store: Store,
    survey: Survey,
    lang: str,
    min_cell: int,
    session: LiveSession | None,
    now: datetime,
) -> Snapshot:
    """The results of a survey or one of its sessions, now: the PNG of the charts, and the PDF
    with the results, the top ideas and the word clouds."""
    session_id = session.id if session else None
    summary = summarise(store, survey, min_cell, session_id=session_id)
    payload = build_payload(
        survey,
        summary,
        lang,
        "results",
        version="snapshot",
        revealed=True,
        is_open=store.is_survey_open(survey.id),
    )
    t = translator(lang)
    headline = payload["headline"]
    facts = header_lines(t, session, now)
    answers = t("presenter.snapshot.answers", number=headline["count"])
    status = _lines(headline.get("status"), headline.get("closed"))
    title = t.text(survey.title)
    spec = snapshot_spec(payload, chart_set(survey, lang, "results"), title, facts)
    pdf = snapshot_pdf(payload, Header(title, (*facts, answers, *status)))
    return Snapshot(png=render_png(spec), pdf=pdf, spec=spec)


def results_snapshot(
    store: Store,
    survey: Survey,
    lang: str,
    min_cell: int,
    *,
    session_id: str | None = None,
    subtitle: list[str] | None = None,
) -> Snapshot:
    """A snapshot built now, uncached (prefer `snapshot_bundle`); `subtitle` is no longer
    printed: the labelled header comes from the session itself."""
    del subtitle
    session = store.get_session(session_id) if session_id else None
    return build_snapshot(store, survey, lang, min_cell, session, datetime.now())


def bundle(snap: Snapshot, stem: str) -> bytes:
    """The PNG and the PDF in one ZIP (one click saves both); both are compressed already, so
    they are stored as they are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(f"{stem}.png", snap.png)
        archive.writestr(f"{stem}.pdf", snap.pdf)
    return buffer.getvalue()


def snapshot_stem(survey: Survey, session: LiveSession | None) -> str:
    """The name of the snapshot's files, without extension."""
    return f"inclucities_{survey.id}_{session.join_code if session else 'all'}_snapshot"


@dataclass(frozen=True)
class SnapshotKey:
    """What a snapshot shows: any change of the data makes a new `version`."""

    survey: str
    session: str | None
    lang: str
    min_cell: int
    version: str


class SnapshotBusy(RuntimeError):
    """The builds queued before this request took longer than it may wait."""


class SnapshotCache:
    """Snapshots by key, built one at a time; a request for a key being built waits for it and
    shares its bytes."""

    def __init__(self, size: int = CACHED_SNAPSHOTS) -> None:
        self._lock = threading.Lock()
        self._built: OrderedDict[SnapshotKey, bytes] = OrderedDict()
        self._size = size
        self.builds = 0

    def get(
        self, key: SnapshotKey, build: Callable[[], bytes], wait: float = WAIT_SECONDS
    ) -> bytes:
        """The bytes for `key`: the cached ones, or `build()` run once while others wait."""
        if not self._lock.acquire(timeout=wait):
            raise SnapshotBusy(f"no snapshot build slot within {wait} s")
        try:
            found = self._built.get(key)
            if found is None:
                found = build()
                self.builds += 1
                self._built[key] = found
                while len(self._built) > self._size:
                    self._built.popitem(last=False)
            self._built.move_to_end(key)
            return found
        finally:
            self._lock.release()


def snapshot_key(
    store: Store, survey: Survey, lang: str, session: LiveSession | None, min_cell: int
) -> SnapshotKey:
    """The key of the snapshot the store's data gives now (one cheap query)."""
    version = store.data_version(survey.id)
    return SnapshotKey(survey.id, session.id if session else None, lang, min_cell, version)


def snapshot_bundle(
    store: Store,
    survey: Survey,
    lang: str,
    session: LiveSession | None,
    now: datetime,
    *,
    min_cell: int,
    cache: SnapshotCache,
) -> bytes:
    """The ZIP of the snapshot (PNG and PDF) of a survey, or one of its sessions, at the
    store's current data version: built once, then shared until the data changes."""
    key = snapshot_key(store, survey, lang, session, min_cell)

    def build() -> bytes:
        snap = build_snapshot(store, survey, lang, min_cell, session, now)
        return bundle(snap, snapshot_stem(survey, session))

    return cache.get(key, build)
