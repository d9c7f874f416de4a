"""Spreadsheets safe to open: every CSV the tool writes, and the .xlsx workbook writer.

A review's free text can say anything, and a spreadsheet reads a cell that begins with
`=`, `+`, `-` or `@` as a formula: a review titled `=HYPERLINK("http://x","click")`
becomes a live link, and worse formulas reach other files and programs (CSV injection,
as OWASP names it). So every value on its way into a cell passes through here:

- In CSV, a text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
  leading apostrophe, OWASP's advice, so Excel and LibreOffice Calc show it as text;
  every text field is quoted, so a separator inside a text (a `;` in a locale that
  splits on it) never starts a new cell; numbers are written bare, so they stay numbers.
- In .xlsx, a text is always a string cell, never a formula, and one that begins with
  those characters is also marked "quote prefix", so editing the cell in Excel does not
  turn it into a formula either. Numbers are number cells, dates real date cells.
- In both, control characters are shown as escapes (`\\x1b`), as on a terminal
  (`termtext.visible`), so printing a CSV never drives the terminal and a workbook never
  holds a character its XML cannot.

The workbook is written with XlsxWriter: it is made to write Excel files (its tests
compare its output with files Excel itself saved), writes each cell by an explicit
type (`write_string`, `write_number`, `write_datetime`), so a text can never become a
formula by accident, needs no other package, and is imported only by `workbook_bytes`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Iterable, Optional, Sequence

from scr_audit.termtext import visible

#: What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The most a cell of Excel holds.
CELL_LIMIT = 32767
_CUT_NOTE = " [cut: a spreadsheet cell holds at most 32,767 characters]"
#: Characters no XML file can hold, beyond the controls `visible` escapes.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def cell_text(value: object) -> str:
    """A text as a cell holds it: control characters shown as escapes, newlines and tabs kept."""
    text = visible(value, newlines=True, tabs=True)
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """One CSV field: a number stays a number; a text is made safe (see the module's notes)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return int(value) if value.is_integer() else value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = cell_text(value)
    return "'" + text if formula_like(text) else text


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """CSV of `rows` (the header first), every field through `csv_value`, text quoted."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for row in rows:
        w.writerow([csv_value(v) for v in row])
    return buf.getvalue()


# ------------------------------------------------------------------------------- workbook


@dataclass(frozen=True)
class Shaded:
    """A cell shaded in a colour (a rating on the set's own fill), with its word: never colour alone."""

    text: str
    fill: Optional[str]  # RRGGBB


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header and how its cells are shown.

    kind: `text`; `int`; `number` (one decimal); `percent` (the value is 0 to 100, shown
    as a percentage); `date` (a real date cell). `width` in characters, None to size to
    the content; `wrap` wraps long text within the width.
    """

    header: str
    kind: str = "text"
    width: Optional[float] = None
    wrap: bool = False
    #: "left", "center" or "right"; None: numbers and dates centred, text to the left
    align: Optional[str] = None


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    #: columns kept in view when scrolling right (the review's title)
    freeze_columns: int = 0


@dataclass(frozen=True)
class Properties:
    title: str
    subject: str
    comments: str
    created: datetime
    keywords: str = ""


_NUMBER_FORMATS = {"int": "0", "number": "0.0", "percent": "0.0%", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
_MAX_WIDTH = {"text": 40.0, "wrap": 60.0}
HEADER_FILL = "DCE6F1"


def workbook_bytes(sheets: Sequence[Sheet], properties: Properties) -> bytes:
    """The .xlsx file of `sheets`: header rows frozen, filters on, columns sized."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            # every cell is written by type below; these make sure no text is ever taken
            # for a formula, a link or a number even if that changes
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties(
        {
            "title": properties.title,
            "subject": properties.subject,
            "author": "scr-audit",
            "comments": properties.comments,
            "keywords": properties.keywords,
            "created": properties.created.replace(tzinfo=None),
        }
    )
    formats: dict[tuple, Any] = {}

    def fmt(kind: str, *, wrap: bool = False, fill: Optional[str] = None, quote: bool = False, header: bool = False, align: Optional[str] = None) -> Any:
        key = (kind, wrap, fill, quote, header, align)
        if key not in formats:
            spec: dict[str, Any] = {"valign": "top"}
            if kind in _NUMBER_FORMATS:
                # centred, so a number never runs into the text of the column beside it
                spec.update({"num_format": _NUMBER_FORMATS[kind], "align": "center"})
            if align:
                spec["align"] = align
            if wrap or header:
                spec["text_wrap"] = True
            if fill:
                spec.update({"bg_color": "#" + fill.upper(), "pattern": 1, "border": 1, "border_color": "#BFBFBF"})
            if quote:
                spec["quote_prefix"] = True
            if header:
                spec.update({"bold": True, "bottom": 1, "bg_color": "#" + HEADER_FILL, "pattern": 1, "valign": "bottom"})
            formats[key] = book.add_format(spec)
        return formats[key]

    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        widths = [len(c.header) for c in sheet.columns]
        for c, col in enumerate(sheet.columns):
            ws.write_string(0, c, cell_text(col.header), fmt("text", header=True))
        tall: list[tuple[int, int, str]] = []  # (row, column, text) that may need more than one line
        for r, row in enumerate(sheet.rows, start=1):
            for c, col in enumerate(sheet.columns):
                shown = _write(ws, r, c, row[c] if c < len(row) else None, col, fmt)
                if not shown:
                    continue
                if "\n" in shown:
                    widths[c] = max(widths[c], max(len(line) for line in shown.split("\n")))
                    tall.append((r, c, shown))
                else:
                    if len(shown) > widths[c]:
                        widths[c] = len(shown)
                    if col.wrap:
                        tall.append((r, c, shown))
        final: list[float] = []
        for c, col in enumerate(sheet.columns):
            if col.width is not None:
                width = col.width
            else:
                longest = widths[c] if col.kind == "text" else max(widths[c] if col.kind != "date" else 10, 6)
                width = min(float(longest) + 2, _MAX_WIDTH["wrap" if col.wrap else "text"])
            final.append(max(width, 6.0))
            ws.set_column(c, c, final[-1], fmt(col.kind, wrap=col.wrap, align=col.align) if col.kind != "text" or col.wrap or col.align else None)
        # rows tall enough for their wrapped text: neither Excel nor Calc measures it on opening
        ws.set_row(0, _height(max(_lines(col.header, final[c]) for c, col in enumerate(sheet.columns)) if sheet.columns else 1))
        lines: dict[int, int] = {}
        for r, c, shown in tall:
            n = _lines(shown, final[c]) if sheet.columns[c].wrap else shown.count("\n") + 1
            if n > lines.get(r, 1):
                lines[r] = n
        for r, n in lines.items():
            ws.set_row(r, _height(n))
        # printed, each sheet is as wide as an A4 landscape page, its header on every page
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.freeze_panes(1, sheet.freeze_columns)
        ws.autofilter(0, 0, max(len(sheet.rows), 1), max(len(sheet.columns) - 1, 0))
    book.close()
    return buf.getvalue()


def _write(ws: Any, r: int, c: int, value: Any, col: Column, fmt: Any) -> str:
    """Write one cell by its type; return the text it shows (for sizing its column and row)."""
    if value is None or value == "":
        return ""
    if type(value) is str:  # the commonest cell first
        text = _limit(cell_text(value))
        ws.write_string(r, c, text, fmt("text", wrap=col.wrap, quote=formula_like(text), align=col.align))
        return text
    if isinstance(value, Shaded):
        text = _limit(cell_text(value.text))
        ws.write_string(r, c, text, fmt("text", wrap=col.wrap, fill=value.fill, quote=formula_like(text), align=col.align))
        return text
    if isinstance(value, bool):
        ws.write_string(r, c, "Yes" if value else "No", fmt("text", align=col.align))
        return "Yes"
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, (int, float)):
        if col.kind == "percent":
            ws.write_number(r, c, value / 100.0, fmt("percent", align=col.align))
            return "100.0%"
        kind = col.kind if col.kind in ("int", "number") else ("int" if isinstance(value, int) else "number")
        ws.write_number(r, c, value, fmt(kind, align=col.align))
        return f"{value:.1f}" if kind == "number" else str(value)
    if isinstance(value, datetime):
        ws.write_datetime(r, c, value.replace(tzinfo=None), fmt("datetime", align=col.align))
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        ws.write_datetime(r, c, datetime.combine(value, time()), fmt("date", align=col.align))
        return "yyyy-mm-dd"
    text = _limit(cell_text(value))
    ws.write_string(r, c, text, fmt("text", wrap=col.wrap, quote=formula_like(text), align=col.align))
    return text


#: Points per line of 11-point text, and the most a row is made tall (Excel allows 409).
_LINE_HEIGHT = 15.0
_MAX_HEIGHT = 409.0


def _lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide (an estimate)."""
    per_line = max(int(width) - 1, 1)
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def _height(lines: int) -> float:
    return min(_LINE_HEIGHT * lines, _MAX_HEIGHT)


def _limit(text: str) -> str:
    if len(text) <= CELL_LIMIT:
        return text
    return text[: CELL_LIMIT - len(_CUT_NOTE)] + _CUT_NOTE
