"""Word (.docx) reports with python-docx: paragraphs, headings, lists and tables in order.

Headings come from the paragraph styles (Title, Heading 1-9, or any style with an outline
level), and, for reports written without them, from the look of a short paragraph (bold,
larger, capitals) or a short numbered line standing alone. List numbers are worked out as
Word draws them (`numbering`), so a recommendation is quoted as the reader sees it.

Pages: a .docx holds no pages. Where Word saved where it last broke them
(`w:lastRenderedPageBreak`), those are used, and are exact as of that save. Otherwise the
author's page and section breaks are used, with the length of the text between them
estimated (`pagination`); the document says which, and scan says so beside every page it
cites. Headers and footers live outside the body and are never read as its text.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from scr_audit.documents.layout import is_page_of, label_depth, label_of, standalone_numbered, toc_match
from scr_audit.documents.model import Block, Document, PageBasis
from scr_audit.documents.numbering import Numbering
from scr_audit.documents.pagination import CELL_PADDING, PageBox, Paginator, line_height, text_lines
from scr_audit.documents.wordstyles import W, ParaLook, Styles, num_ref, on, twips
from scr_audit.errors import DocumentError

_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_EMU_PER_PT = 12700
_CONTAINERS = {W + t for t in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "moveTo", "bdo", "dir")}
_SKIP = {W + t for t in ("pPr", "del", "moveFrom", "rPr")}
_PAGE_BREAK_SECTIONS = ("nextPage", "oddPage", "evenPage", None)
#: What a .docx may unpack to: a report's text and pictures come to a few tens of MB; a
#: file that claims far more is a zip bomb, or not a report.
MAX_UNPACKED = 1024 * 1024 * 1024


def read_docx(path: Path, shown: str, suffix: str) -> Document:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise DocumentError(_not_word(shown, names))
            unpacked = sum(i.file_size for i in zf.infolist())
            if unpacked > MAX_UNPACKED:
                raise DocumentError(f"{shown} unpacks to {unpacked // (1024 * 1024)} MB, far more than any report; it is not read (the limit is {MAX_UNPACKED // (1024 * 1024)} MB)")
            bad = zf.testzip()
            if bad is not None:
                raise DocumentError(f"{shown} is damaged (its part {bad} does not read back); open it in Word or LibreOffice and save it again")
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise DocumentError(f"{shown} is not a readable Word file: it is damaged or cut short (a download that did not finish?); save or download it again") from None
    except (OSError, RuntimeError, NotImplementedError) as exc:
        # RuntimeError: an encrypted zip member; NotImplementedError: an unknown compression
        raise DocumentError(f"{shown}: cannot be read as a Word file ({exc})") from None
    if suffix == ".pdf":
        name = Path(shown)
        raise DocumentError(f"{shown} is a Word .docx file, though its name ends in .pdf; rename it to {name.with_suffix('.docx').name} and scan that")
    try:
        import docx
    except ImportError:  # pragma: no cover - a declared dependency
        raise DocumentError("reading a .docx needs the python-docx package") from None
    try:
        document = docx.Document(str(path))
    except ValueError as exc:
        if "macroEnabled" in str(exc) or "template" in str(exc).lower():
            raise DocumentError(f"{shown} is a macro-enabled or template Word file; save it as an ordinary .docx (Word Document) and scan that") from None
        raise DocumentError(f"{shown} could not be read as a Word document ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - damaged XML, missing parts: the file, not a bug
        raise DocumentError(f"{shown} is damaged and could not be read as a Word document ({type(exc).__name__}); open it in Word or LibreOffice and save it again") from None
    try:
        return _Reader(document, shown).read()
    except DocumentError:
        raise
    except RecursionError:
        raise DocumentError(f"{shown}: its content is nested too deeply to read") from None


def _not_word(shown: str, names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return f"{shown} is an Excel workbook, not a Word document or PDF"
    if "ppt/presentation.xml" in names:
        return f"{shown} is a PowerPoint presentation, not a Word document or PDF"
    if "content.xml" in names and "mimetype" in names:
        return f"{shown} is an OpenDocument file (LibreOffice's own format); save it as .docx or PDF and scan that"
    return f"{shown} is a zip archive, not a Word document (it has no word/document.xml)"


@dataclass
class _Field:
    instr: str = ""
    result: bool = False


@dataclass
class _Para:
    """What one paragraph holds, in order: text, breaks, pictures."""

    pieces: list[tuple[str, Any]] = field(default_factory=list)  # ("text", str) / ("break", kind) / ("picture", pt)
    sizes: Counter[float] = field(default_factory=Counter)
    bold_chars: int = 0
    chars: int = 0
    caps: bool = False

    @property
    def text(self) -> str:
        return "".join(v for k, v in self.pieces if k == "text")


class _Reader:
    def __init__(self, document: Any, shown: str) -> None:
        self.document = document
        self.shown = shown
        self.styles = Styles.of(_part_element(document, "styles"))
        self.numbering = Numbering.of(_part_element(document, "numbering"))
        self.body = document.element.body
        self.blocks: list[Block] = []
        self.fields: list[_Field] = []
        self.toc_sdt = 0
        self.toc_page: Optional[int] = None
        self.tables = 0
        self.sections = list(document.sections)
        self.section = 0
        self.box = PageBox.of(self.sections[0]) if self.sections else PageBox()
        self.basis: PageBasis = self._basis()
        self.pager = Paginator(self.box)
        self.page = 1  # rendered mode
        self.page_has_content = False
        self._looks: list[tuple[Block, float, bool, bool]] = []  # block, size, bold, caps

    # ------------------------------------------------------------------ pages

    def _basis(self) -> PageBasis:
        body = self.body
        if next(body.iter(W + "lastRenderedPageBreak"), None) is not None:
            return "rendered"
        for br in body.iter(W + "br"):
            if br.get(W + "type") == "page":
                return "explicit"
        for el in body.iter(W + "pageBreakBefore"):
            if on(el):
                return "explicit"
        for sect in body.iter(W + "sectPr"):
            if sect.getparent() is not None and sect.getparent().tag == W + "pPr":
                t = sect.find(W + "type")
                if (t.get(W + "val") if t is not None else None) in _PAGE_BREAK_SECTIONS:
                    return "explicit"
        for style in self.styles.raw:
            if self.styles.look(style).break_before:
                return "explicit"
        return "estimated"

    def _break(self, kind: str) -> None:
        """A page break: the author's ("page"), or where Word last broke the page ("rendered")."""
        if self.basis == "rendered":
            if kind == "rendered" and not self.page_has_content:
                return  # Word marks the page it starts after an explicit break too
            if kind == "page" or self.page_has_content:
                self.page += 1
                self.page_has_content = False
            return
        if kind == "page":
            self.pager.new_page()

    @property
    def current_page(self) -> int:
        return self.page if self.basis == "rendered" else self.pager.page

    # ---------------------------------------------------------------- reading

    def read(self) -> Document:
        for el in self._body_items(self.body):
            if el.tag == W + "p":
                self._paragraph(el)
            elif el.tag == W + "tbl":
                self._table(el)
        pages = self.page if self.basis == "rendered" else self.pager.page
        self._headings_by_look()
        title = None
        try:
            title = (self.document.core_properties.title or "").strip() or None
        except Exception:  # noqa: BLE001 - properties are a nicety
            title = None
        return Document(self.shown, "docx", max(1, pages), self.basis, self.blocks, title=title, toc_field_page=self.toc_page)

    def _body_items(self, parent: Any) -> Iterator[Any]:
        for el in parent.iterchildren():
            tag = el.tag
            if tag in (W + "p", W + "tbl"):
                yield el
            elif tag == W + "sdt":
                toc = _is_toc_sdt(el)
                if toc:
                    self.toc_sdt += 1
                    if self.toc_page is None:
                        self.toc_page = self.current_page
                content = el.find(W + "sdtContent")
                if content is not None:
                    yield from self._body_items(content)
                if toc:
                    self.toc_sdt -= 1
            elif tag in (W + "customXml", W + "ins"):
                yield from self._body_items(el)

    def _paragraph(self, p: Any, *, in_table: bool = False) -> tuple[str, int, int]:
        """Read one paragraph; outside a table, add its block. (text, first page, last page)."""
        ppr = p.find(W + "pPr")
        style_id = None
        direct_num = None
        outline = None
        break_before = None
        sect = None
        direct_indent: Optional[float] = None
        if ppr is not None:
            ps = ppr.find(W + "pStyle")
            style_id = ps.get(W + "val") if ps is not None else None
            np_ = ppr.find(W + "numPr")
            if np_ is not None:
                direct_num = num_ref(np_) or ("0", 0)
            ol = ppr.find(W + "outlineLvl")
            if ol is not None:
                try:
                    v = int(ol.get(W + "val"))
                    outline = v + 1 if v < 9 else -1
                except (TypeError, ValueError):
                    pass
            break_before = on(ppr.find(W + "pageBreakBefore"))
            sect = ppr.find(W + "sectPr")
            ind = ppr.find(W + "ind")
            if ind is not None:
                direct_indent = twips(ind.get(W + "left") or ind.get(W + "start"))
        look = self.styles.look(style_id)
        if break_before if break_before is not None else look.break_before:
            self._break("page")
        para = _Para()
        self._runs(p, para, look)
        text, first, last = self._place(para, look, in_table)
        num = direct_num if direct_num is not None else look.num
        label = None
        depth = 0
        if num is not None and num[0] != "0":
            label = self.numbering.next_label(num[0], num[1])
            depth = num[1]
            # how deep an item sits is how far it is indented: "List Bullet 2" is a list of
            # its own at level 0, set further in
            lvl = self.numbering.level(num[0], num[1])
            indent = direct_indent if direct_indent is not None else (lvl.indent if lvl is not None and lvl.indent is not None else (look.left_indent or None))
            if indent is not None:
                depth = max(depth, int(round(indent / 18.0)) - 1)
        if not in_table:
            self._add_block(text, first, last, look, outline, label, depth, para, direct_indent if direct_indent is not None else look.left_indent)
        if sect is not None:
            t = sect.find(W + "type")
            if (t.get(W + "val") if t is not None else None) in _PAGE_BREAK_SECTIONS:
                self._break("page")
            self.section += 1
            if self.section < len(self.sections):
                self.box = PageBox.of(self.sections[self.section])
                self.pager.box = self.box
        return text, first, last

    def _runs(self, parent: Any, para: _Para, look: ParaLook) -> None:
        for el in parent.iterchildren():
            tag = el.tag
            if tag == W + "r":
                self._run(el, para, look)
            elif tag in _CONTAINERS:
                self._runs(el, para, look)
            # anything else (properties, deletions, bookmarks, comments) holds no text

    def _run(self, r: Any, para: _Para, look: ParaLook) -> None:
        rpr = r.find(W + "rPr")
        size = look.size
        bold = look.bold
        caps = look.caps
        if rpr is not None:
            sz = rpr.find(W + "sz")
            if sz is not None:
                try:
                    size = int(sz.get(W + "val")) / 2
                except (TypeError, ValueError):
                    pass
            b = on(rpr.find(W + "b"))
            if b is not None:
                bold = b
            rs = rpr.find(W + "rStyle")
            if rs is not None and re.search(r"strong|bold", rs.get(W + "val") or "", re.IGNORECASE):
                bold = True
            c = on(rpr.find(W + "caps"))
            if c is not None:
                caps = c
        for el in r.iterchildren():
            tag = el.tag
            if tag == W + "t":
                if self.fields and not self.fields[-1].result:
                    continue  # a field's instruction, not its shown result
                t = el.text or ""
                para.pieces.append(("text", t))
                n = len(t.strip())
                if n:
                    para.chars += n
                    para.sizes[size] += n
                    if bold:
                        para.bold_chars += n
                    para.caps = para.caps or caps
            elif tag == W + "tab":
                para.pieces.append(("text", "\t"))
            elif tag in (W + "br", W + "cr"):
                kind = el.get(W + "type")
                if kind == "page":
                    para.pieces.append(("break", "page"))
                else:
                    para.pieces.append(("text", "\n" if kind != "column" else " "))
            elif tag == W + "lastRenderedPageBreak":
                para.pieces.append(("break", "rendered"))
            elif tag == W + "noBreakHyphen":
                para.pieces.append(("text", "-"))
            elif tag == W + "fldChar":
                kind = el.get(W + "fldCharType")
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    self.fields[-1].result = True
                    if self.fields[-1].instr.strip().upper().startswith("TOC") and self.toc_page is None:
                        self.toc_page = self.current_page
                elif kind == "end" and self.fields:
                    f = self.fields.pop()
                    if f.instr.strip().upper().startswith("TOC") and self.toc_page is None:
                        self.toc_page = self.current_page
            elif tag == W + "instrText":
                if self.fields:
                    self.fields[-1].instr += el.text or ""
            elif tag == W + "drawing" or tag == _MC + "AlternateContent":
                height = _picture_height(el)
                if height:
                    para.pieces.append(("picture", height))

    def _place(self, para: _Para, look: ParaLook, in_table: bool) -> tuple[str, int, int]:
        """Put the paragraph on its page(s): (its text, first page, last page)."""
        first: Optional[int] = None
        text_parts: list[str] = []
        chunk: list[str] = []
        size = para.sizes.most_common(1)[0][0] if para.sizes else look.size
        lh = line_height(size, look.line)

        def flush(final: bool) -> None:
            nonlocal first
            t = "".join(chunk)
            chunk.clear()
            if self.basis == "rendered":
                if t.strip():
                    self.page_has_content = True
                    if first is None:
                        first = self.page
                return
            if in_table:
                return
            if t.strip() or (final and first is None and not text_parts):
                start, _ = self.pager.place(
                    text_lines(t, size, self.box.width - look.left_indent),
                    lh,
                    look.space_before if first is None else 0,
                    look.space_after if final else 0,
                    style=look.name,
                    contextual=look.contextual,
                    keep_next=look.keep_next and final,
                )
                if t.strip() and first is None:
                    first = start

        for kind, value in para.pieces:
            if kind == "text":
                chunk.append(value)
                text_parts.append(value)
            elif kind == "break":
                flush(final=False)
                self._break(value)
            elif kind == "picture" and self.basis != "rendered" and not in_table:
                flush(final=False)
                self.pager.place_height(value)
        flush(final=True)
        text = "".join(text_parts)
        page = first if first is not None else self.current_page
        return text, page, self.current_page

    def _table(self, tbl: Any) -> None:
        widths = _grid_widths(tbl) or []
        table = self.tables
        self.tables += 1
        row_index = 0
        for tr in tbl.iterchildren(W + "tr"):
            cells: list[str] = []
            heights: list[float] = []
            first: Optional[int] = None
            col = 0
            for tc in tr.iterchildren(W + "tc"):
                tcpr = tc.find(W + "tcPr")
                span = 1
                merged = False
                if tcpr is not None:
                    gs = tcpr.find(W + "gridSpan")
                    if gs is not None:
                        try:
                            span = max(1, int(gs.get(W + "val")))
                        except (TypeError, ValueError):
                            pass
                    vm = tcpr.find(W + "vMerge")
                    merged = vm is not None and vm.get(W + "val") != "restart"
                width = sum(widths[col : col + span]) if widths[col : col + span] else self.box.width / max(1, len(tr))
                col += span
                texts: list[str] = []
                cell_lines = 0
                size = 10.0
                for child in tc.iterchildren():
                    if child.tag == W + "p":
                        look = self.styles.look(_style_of(child))
                        t, p0, _ = self._paragraph(child, in_table=True)
                        size = look.size
                        if t.strip():
                            texts.append(t.strip())
                            if first is None:
                                first = p0
                        cell_lines += text_lines(t, look.size, max(20.0, width - 11))
                    elif child.tag == W + "tbl":
                        inner = _all_text(child)
                        if inner:
                            texts.append(inner)
                            cell_lines += text_lines(inner, size, max(20.0, width - 11))
                cells.append("" if merged else re.sub(r"\s+", " ", " ".join(texts)).strip())
                heights.append(cell_lines * line_height(size, ("auto", 1.0)) + 2 * CELL_PADDING)
            if self.basis != "rendered":
                start, _ = self.pager.place_height(max(heights, default=14.0))
                first = start
            if not any(cells):
                continue
            page = first if first is not None else self.current_page
            self.blocks.append(Block(" | ".join(c for c in cells if c), page, "row", cells=tuple(cells), table=table, row=row_index))
            row_index += 1

    # ------------------------------------------------------------------ blocks

    def _add_block(self, text: str, first: int, last: int, look: ParaLook, outline: Optional[int], label: Optional[str], depth: int, para: _Para, indent: Optional[float] = None) -> None:
        clean = re.sub(r"[ \u00a0]+", " ", text.replace("\n", " ")).strip()
        if not clean or is_page_of(clean):
            return
        in_toc = self.toc_sdt > 0 or any(f.result and f.instr.strip().upper().startswith("TOC") for f in self.fields)
        end = last if last != first else None
        size = para.sizes.most_common(1)[0][0] if para.sizes else look.size
        bold = para.chars > 0 and para.bold_chars >= para.chars * 0.9
        level = look.heading if outline is None else (None if outline < 0 else outline)
        if look.toc_heading:
            level = None
        if (in_toc or look.toc) and not look.toc_heading:
            self.blocks.append(Block(clean, first, "para", toc_entry=True, label=label))
            return
        if level is not None and len(clean.split()) <= 40:
            self.blocks.append(Block(clean, first, "heading", level=level, label=label, end_page=end, emphasised=True))
            return
        if label is None and toc_match(text.replace("\n", " ").strip()) and "\t" in text:
            self.blocks.append(Block(clean, first, "para", toc_entry=True))
            return
        manual = label_of(clean) if label is None else None
        if label is not None:
            block = Block(clean, first, "item", label=label, depth=depth, end_page=end)
        elif manual is not None:
            block = Block(clean, first, "item", label=manual, depth=max(0, label_depth(manual) - 1) + (1 if indent and indent >= 18 else 0), end_page=end)
        else:
            block = Block(clean, first, "para", end_page=end)
        self.blocks.append(block)
        self._looks.append((block, size, bold, para.caps))

    def _headings_by_look(self) -> None:
        """Headings written without heading styles: a short line set apart by its look."""
        sizes: Counter[float] = Counter()
        for b, size, _, _ in self._looks:
            sizes[size] += len(b.text)
        body = sizes.most_common(1)[0][0] if sizes else 11.0
        styled = [b.level for b in self.blocks if b.kind == "heading" and b.level is not None]
        base = max(styled, default=0)
        keys: dict[int, tuple[int, int]] = {}
        index = {id(b): i for i, b in enumerate(self.blocks)}
        for b, size, bold, caps in self._looks:
            words = b.text.split()
            if b.kind == "item" and b.label and not b.label[0].isdigit():
                continue
            short = 0 < len(words) <= 16 and len(b.text) <= 140 and not b.text.rstrip().endswith((".", ",", ";"))
            letters = re.sub(r"[^A-Za-z]", "", b.text)
            big = size >= body + 1.0
            shouty = (caps or (len(letters) >= 4 and letters.isupper())) and len(words) <= 10
            if short and (big or bold or shouty) and letters:
                b.emphasised = True
                if b.kind == "item" and b.label and b.label[0].isdigit() and not (big or shouty) and not standalone_numbered(self.blocks, index[id(b)]):
                    continue  # a bold list item in a list of them
                look = int(round((size - body) * 2)) * 2 + (1 if bold else 0)
                b.kind = "heading"
                keys[index[id(b)]] = (-look, label_depth(b.label))
            elif b.kind == "item" and standalone_numbered(self.blocks, index[id(b)]):
                b.kind = "heading"
                keys[index[id(b)]] = (1000, max(1, label_depth(b.label)))
        order = sorted(set(keys.values()))
        for i, key in keys.items():
            block = self.blocks[i]
            block.level = base + 1 + order.index(key)
            block.depth = 0


def _part_element(document: Any, which: str) -> Any:
    try:
        if which == "styles":
            return document.styles.element
        return document.part.numbering_part.element
    except (KeyError, AttributeError, NotImplementedError, ValueError):
        return None


def _style_of(p: Any) -> Optional[str]:
    ppr = p.find(W + "pPr")
    ps = ppr.find(W + "pStyle") if ppr is not None else None
    return ps.get(W + "val") if ps is not None else None


def _is_toc_sdt(sdt: Any) -> bool:
    pr = sdt.find(W + "sdtPr")
    if pr is None:
        return False
    gallery = pr.find(f"{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "table of contents" in (gallery.get(W + "val") or "").lower()


def _picture_height(el: Any) -> float:
    for ext in el.iter(_WP + "extent"):
        try:
            return int(ext.get("cy")) / _EMU_PER_PT
        except (TypeError, ValueError):
            return 0.0
    return 0.0


def _grid_widths(tbl: Any) -> list[float]:
    grid = tbl.find(W + "tblGrid")
    if grid is None:
        return []
    out = []
    for col in grid.iterchildren(W + "gridCol"):
        out.append(twips(col.get(W + "w")) or 0.0)
    return out if all(out) else []


def _all_text(el: Any) -> str:
    return re.sub(r"\s+", " ", " ".join(t.text or "" for t in el.iter(W + "t"))).strip()
