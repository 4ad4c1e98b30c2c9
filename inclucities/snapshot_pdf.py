"""The snapshot as an A4 landscape PDF with real text (fpdf2, shaped by HarfBuzz).

Every word is text in the file, in one embedded font with Latin, Greek, Cyrillic and Arabic
letters (DejaVu Sans, static/fonts/), so a PDF reader can search and copy it in all nine
languages; Arabic is shaped and laid out right to left. The figures are those of one `summary`
payload (inclucities.results.payload), so the PDF never shows more than the live screens: the
results (diverging agreement bars, counted options, tables) on the first page, then the top
ideas and the word clouds on a page of their own. No Streamlit, no browser, no network.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from inclucities.palette import PALETTE
from inclucities.results.charts import AGREEMENT_COLOURS, GRID, INK, PRIORITY_COLOUR
from inclucities.results.payload_types import (
    Chart,
    Cloud,
    CloudWord,
    Ideas,
    LegendEntry,
    Payload,
    Section,
    Table,
    TopIdea,
)
from inclucities.survey.models import AGREEMENT_LEVELS

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT = "DejaVu"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
MARGIN = 36.0  # points (half an inch) on every side
LINE = 1.3  # line height, as a multiple of the font size
LABEL_SHARE = 0.4  # of the text width: the row labels beside the bars
COUNT_WIDTH = 80.0  # the labelled count column beside the labels
BAR_HEIGHT = 13.0
GRID_COLUMNS = 3  # a two-column table (a profile breakdown) flows in this many columns
CLOUD_TABLE_COLUMNS = 5  # the words of a cloud with their counts, in this many columns
SEGMENT_FITS = 0.08  # a segment shows its percentage from this share on (as the live charts)
CLOUD_SIZES = (10.0, 30.0)  # font sizes of the rarest and the most frequent word
MUTED = "#4a4a5a"


@dataclass(frozen=True)
class Header:
    """The first lines of the first page: the survey's title and the labelled facts under it."""

    title: str
    lines: tuple[str, ...]


def _rgb(colour: str) -> tuple[int, int, int]:
    """(r, g, b) from '#rrggbb'."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _text_on(colour: str) -> str:
    """Ink or white, whichever reads on a segment of this colour."""
    r, g, b = _rgb(colour)
    return INK if 0.299 * r + 0.587 * g + 0.114 * b > 150 else PALETTE.white


class SnapshotPDF(FPDF):
    """An A4 landscape page in points, with the snapshot font and the page's direction."""

    def __init__(self, rtl: bool) -> None:
        super().__init__(orientation="landscape", unit="pt", format="A4")
        self.rtl = rtl
        for style, path in FONT_FILES.items():
            self.add_font(FONT, style, str(path))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, MARGIN)
        self.set_text_shaping(True, direction="rtl" if rtl else "ltr")
        self.set_text_color(*_rgb(INK))

    @property
    def width(self) -> float:
        """The width of the text area."""
        return float(self.w - 2 * MARGIN)

    @property
    def align(self) -> str:
        """Where a line starts: right in a right-to-left language."""
        return "R" if self.rtl else "L"

    def left(self, offset: float, width: float) -> float:
        """The page x of a box `offset` from the line's start, mirrored right to left."""
        return float(self.w - MARGIN - offset - width) if self.rtl else MARGIN + offset

    @contextmanager
    def direction(self, rtl: bool) -> Iterator[None]:
        """Text of another direction (an idea in its own language), then back."""
        self.set_text_shaping(True, direction="rtl" if rtl else "ltr")
        try:
            yield
        finally:
            self.set_text_shaping(True, direction="rtl" if self.rtl else "ltr")

    def paragraph(self, text: str, size: float, *, bold: bool = False, colour: str = INK) -> None:
        """A paragraph across the text area, wrapped, starting on a new line."""
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*_rgb(colour))
        self.set_x(MARGIN)
        self.multi_cell(self.width, size * LINE, text, align=self.align)
        self.set_x(MARGIN)
        self.set_text_color(*_rgb(INK))

    def lines_of(self, text: str, width: float, size: float, bold: bool = False) -> int:
        """How many lines `text` takes in a box of `width` at `size`."""
        self.set_font(FONT, "B" if bold else "", size)
        lines = self.multi_cell(width, size, text, dry_run=True, output=MethodReturnValue.LINES)
        return max(1, len(lines)) if isinstance(lines, list) else 1

    def box(self, offset: float, top: float, width: float, text: str, size: float) -> None:
        """Wrapped text in a box `offset` from the line's start (mirrored right to left)."""
        self.set_font(FONT, "", size)
        self.set_xy(self.left(offset, width), top)
        self.multi_cell(width, size * LINE, text, align=self.align)

    def room_for(self, height: float) -> None:
        """A new page unless `height` more points fit on this one."""
        if self.get_y() + height > self.h - MARGIN:
            self.add_page()

    def rect_at(self, offset: float, top: float, width: float, height: float, fill: str) -> None:
        """A filled rectangle `offset` from the line's start (mirrored right to left)."""
        self.set_fill_color(*_rgb(fill))
        self.rect(self.left(offset, width), top, width, height, style="F")


def _heading(pdf: SnapshotPDF, section: Section) -> None:
    """A section's title, then its intro and note."""
    pdf.room_for(60)
    pdf.ln(8)
    pdf.paragraph(section["title"] or "", 13, bold=True)
    for text in (section["intro"], section["note"]):
        if text:
            pdf.paragraph(text, 10, colour=MUTED)
    pdf.ln(2)


def _legend(pdf: SnapshotPDF, legend: Sequence[LegendEntry]) -> None:
    """The agreement levels' colours, in one line above the bars."""
    pdf.set_font(FONT, "", 9)
    offset, top = 0.0, pdf.get_y() + 2
    for item in legend:
        width = pdf.get_string_width(item["label"]) + 24
        if offset + width > pdf.width:
            offset, top = 0.0, top + 14
        pdf.rect_at(offset, top + 1, 9, 9, item["colour"])
        pdf.set_xy(pdf.left(offset + 12, width - 12), top)
        pdf.cell(width - 12, 11, item["label"], align=pdf.align)
        offset += width
    pdf.set_xy(MARGIN, top + 16)


def _row_head(pdf: SnapshotPDF, columns: Sequence[str]) -> None:
    """The column names over a chart's rows: what the label and the count are."""
    label_width = pdf.width * LABEL_SHARE
    lines = pdf.lines_of(columns[1], COUNT_WIDTH - 6, 8.5)
    top = pdf.get_y()
    pdf.set_text_color(*_rgb(MUTED))
    pdf.box(0, top, label_width - 6, columns[0], 8.5)
    pdf.box(label_width, top, COUNT_WIDTH - 6, columns[1], 8.5)
    pdf.set_text_color(*_rgb(INK))
    pdf.set_xy(MARGIN, top + 8.5 * LINE * lines + 2)


def _row(pdf: SnapshotPDF, label: str, count: str) -> tuple[float, float]:
    """One row's label and count; returns the row's top and height (a page break first if it
    does not fit)."""
    label_width = pdf.width * LABEL_SHARE
    lines = pdf.lines_of(label, label_width - 6, 9.5)
    height = max(BAR_HEIGHT + 4, lines * 9.5 * LINE + 3)
    pdf.room_for(height)
    top = pdf.get_y()
    pdf.box(0, top, label_width - 6, label, 9.5)
    pdf.box(label_width, top, COUNT_WIDTH - 6, count, 9.5)
    pdf.set_xy(MARGIN, top + height)
    return top, height


def _segment(
    pdf: SnapshotPDF, offset: float, top: float, width: float, colour: str, text: str | None
) -> None:
    """One coloured segment of a bar, with its percentage on it when given (the position on
    the page is kept)."""
    pdf.rect_at(offset, top, width, BAR_HEIGHT, colour)
    if text:
        y = pdf.get_y()
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*_rgb(_text_on(colour)))
        pdf.set_xy(pdf.left(offset, width), top)
        pdf.cell(width, BAR_HEIGHT, text, align="C")
        pdf.set_text_color(*_rgb(INK))
        pdf.set_xy(MARGIN, y)


def _unwrapped(text: str) -> str:
    return " ".join(text.split())


def _agreement(pdf: SnapshotPDF, chart: Chart, table: Table) -> None:
    """Diverging bars (disagreement before zero, agreement after), one row per statement of the
    table; a statement under the small-group rule shows its count and no bar."""
    values: list[dict[str, Any]] = chart["values"]
    low = min(-0.5, *(v["start"] for v in values))
    high = max(0.5, *(v["end"] for v in values))
    start = pdf.width * LABEL_SHARE + COUNT_WIDTH
    bar_width = pdf.width - start
    by_statement: dict[str, list[dict[str, Any]]] = {}
    for value in values:
        by_statement.setdefault(_unwrapped(value["statement"]), []).append(value)
    _legend(pdf, chart["legend"] or [])
    _row_head(pdf, table["columns"])
    for row in table["rows"]:
        top, height = _row(pdf, row[0], row[1])
        bar_top = top + (height - BAR_HEIGHT) / 2
        zero = start + (0 - low) / (high - low) * bar_width
        pdf.rect_at(zero - 0.4, top, 0.8, height, GRID)  # under the bars, as on screen
        for value in by_statement.get(_unwrapped(row[0]), []):
            x0 = (value["start"] - low) / (high - low) * bar_width
            x1 = (value["end"] - low) / (high - low) * bar_width
            colour = AGREEMENT_COLOURS[AGREEMENT_LEVELS.index(value["level"])]
            fits = value["share"] >= SEGMENT_FITS
            _segment(pdf, start + x0, bar_top, x1 - x0, colour, value["text"] if fits else None)


def _counts(pdf: SnapshotPDF, chart: Chart, table: Table) -> None:
    """Bars of how often each option was chosen, most chosen first, as the table ranks them."""
    counts = {_unwrapped(v["label"]): int(v["count"]) for v in chart["values"]}
    most = max([1, *counts.values()])
    start = pdf.width * LABEL_SHARE + COUNT_WIDTH
    bar_width = pdf.width - start - 40
    _row_head(pdf, table["columns"])
    for row in table["rows"]:
        top, height = _row(pdf, row[0], row[1])
        count = counts.get(_unwrapped(row[0]), 0)
        if count:
            width = count / most * bar_width
            _segment(pdf, start, top + (height - BAR_HEIGHT) / 2, width, PRIORITY_COLOUR, None)


def _table(pdf: SnapshotPDF, table: Table) -> None:
    """A table of text: the first column wide, the others sharing the rest."""
    columns: list[str] = table["columns"]
    first = pdf.width * LABEL_SHARE if len(columns) > 2 else pdf.width * 0.5
    other = (pdf.width - first) / max(1, len(columns) - 1)
    widths = [first] + [other] * (len(columns) - 1)
    for index, cells in enumerate([columns, *table["rows"]]):
        size = 8.5 if index == 0 else 9.5
        lines = max(pdf.lines_of(c, w - 6, size) for c, w in zip(cells, widths, strict=False))
        height = lines * size * LINE + 3
        pdf.room_for(height)
        top = pdf.get_y()
        pdf.set_text_color(*_rgb(MUTED if index == 0 else INK))
        offset = 0.0
        for cell, width in zip(cells, widths, strict=False):
            pdf.box(offset, top, width - 6, cell, size)
            offset += width
        pdf.rect_at(0, top + height - 0.5, pdf.width, 0.5, GRID)
        pdf.set_xy(MARGIN, top + height)
    pdf.set_text_color(*_rgb(INK))


def _grid(pdf: SnapshotPDF, table: Table, columns: int = GRID_COLUMNS) -> None:
    """A two-column table (name, figure) flowing down `columns` columns, to save room."""
    rows: list[list[str]] = table["rows"]
    per_column = -(-len(rows) // columns)
    column = pdf.width / columns
    names, figures = column * 0.55, column * 0.45
    heights = [0.0] * per_column
    for index, (name, figure) in enumerate(rows):
        lines = max(pdf.lines_of(name, names - 6, 9.5), pdf.lines_of(figure, figures - 12, 9.5))
        line = index % per_column
        heights[line] = max(heights[line], lines * 9.5 * LINE + 2)
    pdf.room_for(sum(heights))
    top = pdf.get_y()
    for index, (name, figure) in enumerate(rows):
        y = top + sum(heights[: index % per_column])
        offset = (index // per_column) * column
        pdf.box(offset, y, names - 6, name, 9.5)
        pdf.box(offset + names, y, figures - 12, figure, 9.5)
    pdf.set_xy(MARGIN, top + sum(heights))


def _section(pdf: SnapshotPDF, section: Section) -> None:
    """One section of the results: its chart drawn as bars, or its table, or only its note."""
    _heading(pdf, section)
    chart, table = section["chart"], section["table"]
    if chart and table and chart["spec"].startswith("agreement"):
        _agreement(pdf, chart, table)
    elif chart and table:
        _counts(pdf, chart, table)
    elif table and len(table["columns"]) == 2 and table["rows"]:
        _grid(pdf, table)
    elif table:
        _table(pdf, table)


def _ideas(pdf: SnapshotPDF, ideas: Ideas) -> None:
    """The wall's top ideas, each in full, in its own language and direction, with its
    supports."""
    pdf.paragraph(ideas["top_title"], 16, bold=True)
    top = ideas.get("top") or []
    if not top:
        pdf.paragraph(ideas["empty"], 10, colour=MUTED)
        return
    pdf.paragraph(ideas["wall_count"], 10, colour=MUTED)
    for number, idea in enumerate(top, start=1):
        _idea(pdf, number, idea)


def _idea(pdf: SnapshotPDF, number: int, idea: TopIdea) -> None:
    """One idea in full: its rank at the line's start, its text in its own direction, then
    its supports (and whether it is pinned) under it."""
    indent = 24.0
    width = pdf.width - indent
    pdf.ln(4)
    pdf.room_for(min(pdf.lines_of(idea["text"], width, 11), 6) * 11 * LINE + 14)
    top = pdf.get_y()
    pdf.box(0, top, indent, f"{number}.", 11)
    with pdf.direction(idea.get("dir") == "rtl"):
        pdf.set_xy(pdf.left(indent, width), top)
        pdf.multi_cell(width, 11 * LINE, idea["text"], align=pdf.align)
    meta = " · ".join(part for part in (idea.get("pinned"), idea["supports"]) if part)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*_rgb(MUTED))
    pdf.set_x(pdf.left(indent, width))
    pdf.multi_cell(width, 9 * LINE, meta, align=pdf.align)
    pdf.set_text_color(*_rgb(INK))
    pdf.set_x(MARGIN)


def _cloud_lines(pdf: SnapshotPDF, words: Sequence[CloudWord]) -> list[list[Any]]:
    """The words in reading order, cut into lines that fit the text area: each an entry
    (word, size, width)."""
    low, high = CLOUD_SIZES
    lines: list[list[Any]] = [[]]
    used = 0.0
    for word in words:
        size = low + (high - low) * float(word["weight"])
        pdf.set_font(FONT, "B" if word["weight"] >= 0.5 else "", size)
        width = pdf.get_string_width(word["text"]) + size * 0.8
        if lines[-1] and used + width > pdf.width:
            lines.append([])
            used = 0.0
        lines[-1].append((word, size, width))
        used += width
    return [line for line in lines if line]


def _cloud(pdf: SnapshotPDF, cloud: Cloud) -> None:
    """One word cloud: the words as text, bigger the more often written, lines centred; then
    each word with its count."""
    pdf.ln(10)
    pdf.room_for(80)
    pdf.paragraph(cloud["title"], 14, bold=True)
    pdf.paragraph(cloud["intro"], 10, colour=MUTED)
    if not cloud["words"]:
        pdf.paragraph(cloud["empty"], 10, colour=MUTED)
        return
    pdf.ln(4)
    for line in _cloud_lines(pdf, cloud["words"]):
        height = max(size for _, size, _ in line) * LINE
        pdf.room_for(height)
        top = pdf.get_y()
        offset = (pdf.width - sum(width for _, _, width in line)) / 2
        for word, size, width in line:
            pdf.set_font(FONT, "B" if word["weight"] >= 0.5 else "", size)
            with pdf.direction(word.get("dir") == "rtl"):
                pdf.set_xy(pdf.left(offset, width), top + height - size * LINE)
                pdf.cell(width, size * LINE, word["text"], align="C")
            offset += width
        pdf.set_xy(MARGIN, top + height)
    pdf.ln(6)
    _grid(pdf, cloud["table"], CLOUD_TABLE_COLUMNS)


def snapshot_pdf(payload: Payload, header: Header) -> bytes:
    """The PDF: the header and the results, then the top ideas and word clouds on a new page."""
    rtl = payload.get("dir") == "rtl"
    pdf = SnapshotPDF(rtl)
    pdf.set_title(header.title)
    pdf.set_lang(str(payload.get("lang") or "en"))
    pdf.set_creator("IncluCities Live")
    pdf.add_page()
    pdf.paragraph(header.title, 20, bold=True)
    pdf.ln(2)
    for line in header.lines:
        pdf.paragraph(line, 11)
    for section in payload["sections"]:
        _section(pdf, section)
    pdf.add_page()
    _ideas(pdf, payload["ideas"])
    for cloud in payload.get("clouds") or []:
        _cloud(pdf, cloud)
    return bytes(pdf.output())
