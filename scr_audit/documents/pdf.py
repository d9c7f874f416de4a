"""PDF reports, page by page, with pypdfium2 (Apache-2.0 / BSD: it fits an MIT project).

pdfium gives each page's text as runs with positions and fonts; this module only asks it
for those (and for the ruled lines that draw table borders, and the bookmarks a PDF made
from Word carries for its headings). Turning them into paragraphs, headings and table rows
is `layout`'s job, which knows nothing of pdfium.

A PDF with no text layer (a scanned image), an encrypted one, a truncated or damaged one:
each ends in a DocumentError that says so, never a traceback.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

from scr_audit.documents.layout import Grid, Line, PageLines, Rule, Seg, assemble
from scr_audit.documents.model import Document
from scr_audit.errors import DocumentError

#: More pages than this and it is not a report (the template's page question allows 2000).
MAX_PAGES = 2000
#: Fewer visible characters than this in the whole file and it has no text layer to speak of.
MIN_TEXT_CHARS = 40

SCANNED = "no text in this PDF: it looks like a scanned image, which scr-audit cannot read"


def read_pdf(path: Path, shown: str) -> Document:
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:  # pragma: no cover - a declared dependency
        raise DocumentError("reading a PDF needs the pypdfium2 package: pip install pypdfium2") from None
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DocumentError(_open_failure(shown, str(exc))) from None
    try:
        return _read(pdf, raw, shown)
    except pdfium.PdfiumError as exc:
        raise DocumentError(f"{shown}: the PDF is damaged and could not be read to the end ({exc}); "
                            "open it in a PDF reader and save or print it to a new PDF, then scan that") from None
    finally:
        pdf.close()


def _open_failure(shown: str, message: str) -> str:
    low = message.lower()
    if "password" in low or "security" in low:
        return (f"{shown} is encrypted (it needs a password to open), so scr-audit cannot read it; "
                "ask whoever published it for an unprotected copy, or open it and save an unprotected copy")
    if "format" in low or "file" in low:
        return (f"{shown} is not a readable PDF: it is damaged or cut short (a download that did not finish?); "
                "download or export it again")
    return f"{shown} could not be opened as a PDF ({message})"


def _read(pdf: Any, raw: Any, shown: str) -> Document:
    count = len(pdf)
    if count == 0:
        raise DocumentError(f"{shown} is a PDF with no pages")
    if count > MAX_PAGES:
        raise DocumentError(f"{shown} has {count:,} pages, more than any report (the longest in the triennial analysis had 188); scan reads up to {MAX_PAGES:,}")
    pages: list[PageLines] = []
    total_chars = 0
    for index in range(count):
        page = pdf[index]
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                lines, chars = _lines(textpage, raw, index + 1)
            finally:
                textpage.close()
            rules = _rules(page, raw)
        finally:
            page.close()
        total_chars += chars
        pages.append(PageLines(index + 1, width, height, lines, rules))
    if total_chars < MIN_TEXT_CHARS:
        raise DocumentError(f"{shown}: {SCANNED}. If you have the report as a Word file or as a PDF made from one, scan that instead")
    outline = _outline(pdf)
    blocks = assemble(pages, outline)
    title = None
    try:
        title = (pdf.get_metadata_value("Title") or "").strip() or None
    except Exception:  # noqa: BLE001 - metadata is a nicety; a bad entry must not stop a scan
        title = None
    return Document(shown, "pdf", count, "pdf", blocks, title=title, empty_pages=[p.number for p in pages if not p.lines])


def _lines(textpage: Any, raw: Any, number: int) -> tuple[list[Line], int]:
    """The page's text runs (pdfium's rectangles) with their font, grouped into lines."""
    tp = textpage.raw
    n = raw.FPDFText_CountRects(tp, 0, -1)
    segs: list[Seg] = []
    chars = 0
    left, bottom, right, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    fonts: dict[bytes, bool] = {}
    size_text = 2048
    text_buf = (ctypes.c_ushort * (size_text + 1))()
    text_ptr = ctypes.cast(text_buf, ctypes.POINTER(ctypes.c_ushort))
    for i in range(n):
        if not raw.FPDFText_GetRect(tp, i, left, top, right, bottom):
            continue
        l_, t_, r_, b_ = left.value, top.value, right.value, bottom.value
        # one call with a buffer kept for the page, rather than pypdfium2's helper, which
        # asks pdfium twice (for the length, then the text) and allocates each time
        got_chars = raw.FPDFText_GetBoundedText(tp, l_, t_, r_, b_, text_ptr, size_text)
        if got_chars >= size_text:
            text = textpage.get_text_bounded(l_, b_, r_, t_)
        else:
            text = bytes(ctypes.string_at(text_buf, max(0, got_chars) * 2)).decode("utf-16-le", errors="ignore").replace("\x00", "")
        # pdfium marks a hyphen at the end of a line as \x02, unsure whether it is one of the
        # word's or the typesetter's; Word and LibreOffice do not hyphenate unless asked, so
        # it is read as the word's own ("multi-agency")
        text = text.replace("\r", " ").replace("\n", " ").replace("\x02", "-").replace("\ufffe", "")
        if not text.strip():
            continue
        chars += len(text.strip())
        size, bold = 0.0, False
        idx = raw.FPDFText_GetCharIndexAtPos(tp, l_ + min(1.0, (r_ - l_) / 2), (t_ + b_) / 2, 3.0, 3.0)
        if idx >= 0:
            size = float(raw.FPDFText_GetFontSize(tp, idx))
            got = raw.FPDFText_GetFontInfo(tp, idx, buf, len(buf), ctypes.byref(flags))
            name = buf.value if got else b""
            if name not in fonts:  # bold by its name ("Arial-BoldMT"), its weight, or its flags
                low = name.lower()
                fonts[name] = (
                    any(w in low for w in (b"bold", b"black", b"heavy", b"semibold", b"demi"))
                    or bool(flags.value & (1 << 18))
                    or raw.FPDFText_GetFontWeight(tp, idx) >= 600
                )
            bold = fonts[name]
        segs.append(Seg(l_, r_, b_, t_, text, size or (t_ - b_), bold))
    return _group(segs, number), chars


def _group(segs: list[Seg], number: int) -> list[Line]:
    """Runs that share a baseline band make a line, read left to right."""
    segs.sort(key=lambda s: (-s.top, s.x0))
    lines: list[Line] = []
    for s in segs:
        mid = (s.top + s.bottom) / 2
        for line in reversed(lines[-4:]):
            if line.bottom - 0.5 <= mid <= line.top + 0.5:
                line.add(s)
                break
        else:
            lines.append(Line(number, s.top, s.bottom, [s]))
    for line in lines:
        line.segs.sort(key=lambda s: s.x0)
    lines.sort(key=lambda ln: -ln.top)
    return lines


def _rules(page: Any, raw: Any) -> list[Rule]:
    """The thin ruled lines on the page (table borders), as rectangles."""
    out: list[Rule] = []
    try:
        objects = page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2)
        for i, obj in enumerate(objects):
            if i > 5000:  # a drawing, not a table: stop looking
                break
            x0, y0, x1, y1 = (obj.get_bounds if hasattr(obj, "get_bounds") else obj.get_pos)()  # pypdfium2 5 / 4
            w, h = x1 - x0, y1 - y0
            if (h <= 2.5 and w >= 12) or (w <= 2.5 and h >= 6):
                out.append(Rule(x0, y0, x1, y1))
    except Exception:  # noqa: BLE001 - borders only help find tables; without them the text still reads
        return []
    return out


def _outline(pdf: Any) -> list[tuple[int, str, int]]:
    """The PDF's bookmarks: (level, title, 1-based page), as Word and LibreOffice write them
    from the document's headings."""
    out: list[tuple[int, str, int]] = []
    try:
        for i, item in enumerate(pdf.get_toc(max_depth=8)):
            if i > 2000:
                break
            if hasattr(item, "get_dest"):  # pypdfium2 5
                dest = item.get_dest()
                index = dest.get_index() if dest is not None else None
                title = (item.get_title() or "").strip()
            else:  # pypdfium2 4: a named tuple
                index, title = item.page_index, (item.title or "").strip()
            if index is not None and title:
                out.append((int(item.level) + 1, title, int(index) + 1))
    except Exception:  # noqa: BLE001 - bookmarks only help; a broken outline must not stop a scan
        return []
    return out


__all__ = ["read_pdf", "SCANNED", "Grid"]
