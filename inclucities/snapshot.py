"""A snapshot of the live results (charts and counts) as PNG and PDF, rendered offline.

The figures are those of one `summary` payload (inclucities.live.payload), so a snapshot never
shows more than the live screen: the same suppressed summary, the same chart specs. The charts
are stacked in one Vega-Lite `vconcat` under a title with the number of answers, then rendered
by vl-convert (no browser, no network): a PNG image and a one-page PDF.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
from dataclasses import dataclass
from typing import Any

import vl_convert as vlc

from inclucities.i18n import translator
from inclucities.live.payload import ChartSet, build_payload, chart_set
from inclucities.store import Store
from inclucities.survey.charts import DATA_NAME, INK
from inclucities.survey.models import Survey
from inclucities.survey.summary import summarise

SNAPSHOT_WIDTH = 900  # pixels of each chart's plotting area
PNG_SCALE = 2.0  # sharp enough to print


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
    payload: dict[str, Any], charts: ChartSet, heading: str, subtitle: list[str]
) -> dict[str, Any]:
    """One vconcat spec: the heading and counts, then every chart of the payload with its own
    title and number of answers; sections without a chart give their note or table rows."""
    rtl = payload.get("dir") == "rtl"
    anchor = "end" if rtl else "start"
    headline = payload["headline"]
    lines = [*subtitle, f"{headline['label']}: {headline['count']}"]
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


def render(spec: dict[str, Any], scale: float = PNG_SCALE) -> Snapshot:
    """The PNG and PDF of a snapshot spec (vl-convert, offline)."""
    png = vlc.vegalite_to_png(spec, scale=scale)
    pdf = vlc.vegalite_to_pdf(spec)
    return Snapshot(png=png, pdf=pdf, spec=spec)


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


def results_snapshot(
    store: Store,
    survey: Survey,
    lang: str,
    min_cell: int,
    *,
    session_id: str | None = None,
    subtitle: list[str] | None = None,
) -> Snapshot:
    """The results (every chart, with its counts) of a survey or one of its sessions, now."""
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
    lines = [*(subtitle or []), t.date(summary.generated_at.date(), "long")]
    spec = snapshot_spec(payload, chart_set(survey, lang, "results"), t.text(survey.title), lines)
    return render(spec)


def bundle(snap: Snapshot, stem: str) -> bytes:
    """The PNG and the PDF in one ZIP (one click saves both)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.png", snap.png)
        archive.writestr(f"{stem}.pdf", snap.pdf)
    return buffer.getvalue()
