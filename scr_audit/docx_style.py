"""The house style of the Word records scr-audit writes, and the safe way to put text in them.

Every record (the audit record, the summary record, the moderation record) is read by a
Board that sees the tool only through it, so they share one look: A4, Arial, Word's own
Title / Heading / table styles (the navigation pane, a table of contents and restyling all
work), the protective marking centred at the top and bottom of every page, and "Page X of
Y" as live fields. Colour is never the only carrier of meaning: a shaded rating cell
always holds the rating's label too.

Text from review files is typed by people in a hurry and may hold anything. XML 1.0
cannot hold most control characters, lone surrogates or U+FFFE/U+FFFF, and python-docx
raises on them, so every string goes through `safe_text` on its way in: those characters
are dropped, and nothing else is changed. Right-to-left text gets the paragraph and run
direction Word expects, so Arabic or Hebrew evidence reads in the right order.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Optional, Sequence

from docx import Document as _new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Arial"
BODY_SIZE = Pt(10)
TABLE_SIZE = Pt(9)
SMALL_SIZE = Pt(8)
INK = RGBColor(0x1F, 0x2A, 0x44)  # headings: a dark navy that prints well in greyscale
MUTED = RGBColor(0x59, 0x59, 0x59)
TABLE_STYLE = "Light Grid Accent 1"
#: Shading of a group row inside a table (a cluster's title): neutral, not a rating colour.
GROUP_FILL = "DCE6F1"
PAGE_A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
TOC_STYLES = ("toc 1", "toc 2")
#: Style name -> id. Setting a style by name makes python-docx search every style each
#: time, which dominated the time of a whole export; every record starts from the same
#: template, so the ids are looked up once.
_STYLE_IDS: dict[str, str] = {}
TABLE_TEXT = "TableText"

# Characters XML 1.0 can hold, less C0/C1 controls other than tab and newline: anything
# else (NUL, BEL, ESC, DEL, C1 controls, lone surrogates, U+FFFE, U+FFFF) is dropped.
_NOT_XML = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c]")
# Scripts written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko..., and their
# presentation forms): a quick test before the per-character look at direction.
_RTL_SCRIPT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


def safe_text(value: object) -> str:
    """`value` as text Word and LibreOffice can open: XML-illegal characters dropped.

    Line breaks of every kind become "\\n" (a line break in Word); tabs stay tabs.
    """
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if text.isascii() and text.isprintable():
        return text
    return _NOT_XML.sub("", _NEWLINES.sub("\n", text))


def one_line(value: object) -> str:
    """Safe text on one line, for headers, footers and document properties."""
    return " ".join(safe_text(value).split())


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _strong_rtl(ch: str) -> Optional[bool]:
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return True
    if kind == "L":
        return False
    return None


def direction_runs(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, right_to_left) runs.

    A run is marked right-to-left only if it holds no strongly left-to-right character
    (the rule for Word's `w:rtl`). Neutral characters (spaces, punctuation, digits)
    between two right-to-left letters stay in the right-to-left run; at a boundary they are
    left unmarked, where the Unicode bidirectional algorithm places them correctly.
    """
    if not _RTL_SCRIPT.search(text):
        return [(text, False)]
    runs: list[list[Any]] = []  # [start, end, rtl]
    pending = 0  # start of the neutral characters not yet placed
    for i, ch in enumerate(text):
        rtl = _strong_rtl(ch)
        if rtl is None:
            continue
        if runs and runs[-1][2] == rtl:
            runs[-1][1] = i + 1
        else:
            if pending < i:
                if runs and not runs[-1][2]:
                    runs[-1][1] = i
                else:
                    runs.append([pending, i, False])
            if runs and not runs[-1][2] and not rtl:
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1, rtl])
        pending = i + 1
    if pending < len(text):
        if runs and not runs[-1][2]:
            runs[-1][1] = len(text)
        else:
            runs.append([pending, len(text), False])
    return [(text[a:b], rtl) for a, b, rtl in runs]


def paragraph_is_rtl(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (Unicode rule P2)."""
    if not _RTL_SCRIPT.search(text):
        return False
    for ch in text:
        rtl = _strong_rtl(ch)
        if rtl is not None:
            return rtl
    return False


# --------------------------------------------------------------------------- the document


def new_document() -> Document:
    """An empty A4 document in the house style."""
    doc = _new_document()
    _drop_template_leftovers(doc)
    _house_styles(doc)
    if not _STYLE_IDS:
        _STYLE_IDS.update({style.name: style.style_id for style in doc.styles})
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Cm(1.0)
    return doc


_LEFTOVERS = ("/stylesWithEffects", "/metadata/thumbnail")


def _drop_template_leftovers(doc: Document) -> None:
    """Parts of python-docx's template that do not belong in a record.

    stylesWithEffects is Word 2010's second copy of the styles; left stale beside the house
    styles, it is what validators flag as content Word may repair. The thumbnail is a
    picture of the template's blank page.
    """
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(_LEFTOVERS):
                del rels[rid]


def _plain_fonts(rpr: Any) -> None:
    """Drop theme font and colour references, which Word prefers to the named font."""
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in list(fonts.attrib):
            if attr.rsplit("}", 1)[-1].lower().endswith("theme"):
                del fonts.attrib[attr]
    colour = rpr.find(qn("w:color"))
    if colour is not None:
        for attr in (qn("w:themeColor"), qn("w:themeShade"), qn("w:themeTint")):
            colour.attrib.pop(attr, None)


def _house_styles(doc: Document) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _plain_fonts(rpr)
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), "en-GB")  # spelling and hyphenation as the Board writes
    for style in styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            _plain_fonts(style.element.rPr)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    for name, size, before, after in (("Title", 24, 0, 6), ("Heading 1", 15, 18, 6), ("Heading 2", 12, 14, 4)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = INK
        style.font.bold = True
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    subtitle = styles["Subtitle"]
    subtitle.font.name = FONT
    subtitle.font.italic = False
    subtitle.font.size = Pt(13)
    subtitle.font.color.rgb = MUTED
    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.size = SMALL_SIZE
        style.paragraph_format.tab_stops.clear_all()
    text_width = PAGE_A4[0] - 2 * MARGIN
    for level, name in enumerate(TOC_STYLES, start=1):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.next_paragraph_style = normal
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
        style.font.bold = level == 1
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    assert table_text.style_id == TABLE_TEXT
    table_text.base_style = normal
    table_text.font.size = TABLE_SIZE
    table_text.paragraph_format.space_after = Pt(0)
    note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = SMALL_SIZE
    note.font.color.rgb = MUTED


def set_properties(
    doc: Document,
    *,
    title: str,
    subject: str,
    author: str,
    created: datetime,
    keywords: str = "",
    comments: str = "",
    category: str = "",
    status: str = "",
) -> None:
    """The document's core properties (File > Info in Word), replacing python-docx's defaults."""
    props = doc.core_properties
    limit = 255  # python-docx refuses longer core properties (Word shows a line of each)
    props.title = shorten(one_line(title), limit)
    props.subject = shorten(one_line(subject), limit)
    props.author = shorten(one_line(author), limit)
    props.last_modified_by = shorten(one_line(author), limit)
    props.keywords = shorten(one_line(keywords), limit)
    props.comments = shorten(one_line(comments), limit)
    props.category = shorten(one_line(category), limit)
    props.content_status = shorten(one_line(status), limit)
    props.language = "en-GB"
    # python-docx writes the time as given and labels it UTC
    stamp = created.astimezone(timezone.utc) if created.tzinfo else created
    props.created = props.modified = stamp.replace(microsecond=0, tzinfo=None)
    props.revision = 1


def update_fields_on_open(doc: Document) -> None:
    """Ask Word to refresh fields (the table of contents' page numbers) when it opens the file."""
    settings = doc.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    # w:settings is a sequence: updateFields comes before these
    settings.insert_element_before(
        flag,
        "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
        "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
    )  # fmt: skip


def to_bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------- text


def add_text(
    paragraph: Paragraph,
    text: object,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Optional[Length] = None,
    colour: Optional[RGBColor] = None,
) -> None:
    """Append free text to a paragraph: made safe, with right-to-left runs marked."""
    clean = safe_text(text)
    if not clean:
        return
    for piece, rtl in direction_runs(clean):
        run = paragraph.add_run(piece)
        if bold:
            run.bold = True
            if rtl:
                run._r.get_or_add_rPr().get_or_add_bCs()  # bold for complex-script text
        if italic:
            run.italic = True
        if size is not None:
            run.font.size = size
        if colour is not None:
            run.font.color.rgb = colour
        if rtl:
            run.font.rtl = True
    if paragraph_is_rtl(clean):
        set_bidi(paragraph)


_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def set_bidi(paragraph: Paragraph) -> None:
    """Make a paragraph right-to-left (its start is on the right)."""
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


def styled(par: Paragraph, style: Optional[str]) -> Paragraph:
    """Give a paragraph one of the house styles, by name."""
    if style is not None:
        if style in _STYLE_IDS:
            par._p.get_or_add_pPr().style = _STYLE_IDS[style]
        else:
            par.style = style
    return par


def paragraph(container: Any, text: object = "", *, style: Optional[str] = None, **fmt: Any) -> Paragraph:
    """A new paragraph of (safe) text in a document, cell, header or footer."""
    par = styled(container.add_paragraph(), style)
    add_text(par, text, **fmt)
    return par


def label_value(container: Any, label: str, value: object, *, style: Optional[str] = None) -> Paragraph:
    """"Label: value" with the label in bold."""
    par = styled(container.add_paragraph(), style)
    add_text(par, f"{label} " if label.endswith(("?", ":")) else f"{label}: ", bold=True)
    add_text(par, value)
    return par


def bullet(container: Any, text: object, level: int = 0) -> Paragraph:
    style = "List Bullet" if level == 0 else f"List Bullet {min(level + 1, 3)}"
    return paragraph(container, text, style=style)


# -------------------------------------------------------------------------------- fields


def add_field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, ...) with `shown` as its last computed value."""
    _field_start(paragraph, instruction)
    if shown:
        paragraph.add_run(shown)
    _field_char(paragraph, "end")


def _field_start(paragraph: Paragraph, instruction: str) -> None:
    """A field's opening and instruction, up to where its shown value goes."""
    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")


def _field_char(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


# ---------------------------------------------------------------------- page furniture


@dataclass(frozen=True)
class Furniture:
    """What every page carries: the protective marking (top and bottom) and a footer line."""

    marking: Optional[str]
    footer_text: str

    def apply(self, section: Section) -> None:
        """Write this section's own header and footer (sections of another width need their own)."""
        width = section.page_width - section.left_margin - section.right_margin
        header, footer = section.header, section.footer
        header.is_linked_to_previous = False
        footer.is_linked_to_previous = False
        for part in (header, footer):
            for par in list(part.paragraphs)[1:]:
                par._p.getparent().remove(par._p)
            first = part.paragraphs[0]
            for child in list(first._p):
                if child.tag != qn("w:pPr"):
                    first._p.remove(child)
        self._marking_line(header.paragraphs[0])
        line = footer.paragraphs[0]
        if self.marking:
            self._marking_line(line)
            line = styled(footer.add_paragraph(), "Footer")
        line.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        add_text(line, shorten(one_line(self.footer_text), 90), colour=MUTED)
        line.add_run("\t")
        line.add_run("Page ")
        add_field(line, "PAGE", "1")
        line.add_run(" of ")
        add_field(line, "NUMPAGES", "1")

    def _marking_line(self, par: Paragraph) -> None:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.marking:
            add_text(par, one_line(self.marking), bold=True, size=Pt(10))


def new_section(doc: Document, furniture: Furniture, *, landscape: bool) -> Section:
    """Start a new page in the given orientation, with the same furniture fitted to it."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = PAGE_A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    furniture.apply(section)
    return section


def text_width(section: Section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


# --------------------------------------------------------------------- headings and TOC


class Contents:
    """A table-of-contents field listing the headings written after it.

    Word rebuilds it with page numbers when the file opens (see update_fields_on_open);
    until then, and in readers that do not update fields (LibreOffice keeps what the file
    holds), it shows the headings as links, so it is never an empty placeholder.
    """

    def __init__(self, doc: Document, levels: int = 2) -> None:
        self.levels = levels
        self._anchor = doc.add_paragraph()
        self._entries: list[tuple[int, str, str]] = []
        self._next_id = 1

    def heading(self, doc: Document, text: object, level: int) -> Paragraph:
        par = heading(doc, text, level)
        if level <= self.levels:
            name = f"_Toc{self._next_id:08d}"
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(self._next_id))
            start.set(qn("w:name"), name)
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), str(self._next_id))
            ppr = par._p.pPr
            if ppr is not None:
                ppr.addnext(start)
            else:
                par._p.insert(0, start)
            par._p.append(end)
            self._entries.append((level, one_line(text), name))
            self._next_id += 1
        return par

    def finish(self) -> None:
        """Write the entries in place of the anchor paragraph."""
        entries = self._entries or [(1, "Update this field to list the headings.", "")]
        pars = []
        for level, text, bookmark in entries:
            par = styled(self._anchor.insert_paragraph_before(), TOC_STYLES[min(level, len(TOC_STYLES)) - 1])
            if not pars:
                _field_start(par, f'TOC \\o "1-{self.levels}" \\h \\z \\u')
            if bookmark:
                link = OxmlElement("w:hyperlink")
                link.set(qn("w:anchor"), bookmark)
                link.set(qn("w:history"), "1")
                probe = Paragraph(OxmlElement("w:p"), par._parent)  # scratch: build runs, then move them
                add_text(probe, text)
                for run in list(probe._p.iterchildren(qn("w:r"))):
                    link.append(run)
                par._p.append(link)
            else:
                add_text(par, text, italic=True)
            pars.append(par)
        _field_char(pars[-1], "end")
        self._anchor._p.getparent().remove(self._anchor._p)


def heading(doc: Document, text: object, level: int) -> Paragraph:
    par = styled(doc.add_paragraph(), "Title" if level == 0 else f"Heading {level}")
    add_text(par, one_line(text))
    return par


# -------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    header: str
    width: Length
    align: Optional[WD_ALIGN_PARAGRAPH] = None


def table(container: Any, columns: Sequence[Column], *, style: str = TABLE_STYLE, first_column: bool = False) -> Table:
    """A table in a Word table style, its header row repeated on every page it spans."""
    tbl = container.add_table(rows=1, cols=len(columns))
    _table_style(tbl, style)
    tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl.autofit = False
    _table_look(tbl, first_row=True, first_column=first_column)
    for col, spec in zip(tbl.columns, columns):
        col.width = spec.width
    row = tbl.rows[0]
    _repeat_header(row)
    for cell, spec in zip(row.cells, columns):
        cell.width = spec.width
        _fill(cell, spec.header, bold=True, align=spec.align)
    tbl._scr_columns = list(columns)  # type: ignore[attr-defined]
    return tbl


def _table_style(tbl: Table, style: str) -> None:
    if style in _STYLE_IDS:
        tbl._tbl.tblPr.style = _STYLE_IDS[style]
    else:
        tbl.style = style


def _table_look(tbl: Table, *, first_row: bool, first_column: bool) -> None:
    """Which of the table style's special parts apply (header row, first column; no banding)."""
    look = tbl._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl._tbl.tblPr.append(look)
    values = {
        "firstRow": first_row, "lastRow": False, "firstColumn": first_column, "lastColumn": False,
        "noHBand": True, "noVBand": True,
    }  # fmt: skip
    bits = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80, "lastColumn": 0x100, "noHBand": 0x200, "noVBand": 0x400}
    for key, on in values.items():
        look.set(qn(f"w:{key}"), "1" if on else "0")
    look.set(qn("w:val"), f"{sum(bits[k] for k, on in values.items() if on):04X}")


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    trpr.append(flag)


def add_row(tbl: Table, values: Iterable[object], *, min_height: Optional[Length] = None) -> list[_Cell]:
    """A row of safe text; `None` leaves a cell empty.

    python-docx's own `Table.add_row` looks the table's grid up among all its rows for each
    row added, and builds each cell element by element through generic lookups: a record
    of 40,000 actions took minutes. So a row is written here as XML in one piece, from the
    columns this module already knows; a cell whose text needs more than a plain run
    (right-to-left, tabs, line breaks, spacing at an end, an alignment) is filled the long
    way, so the result is the same element for element.
    """
    from docx.oxml.parser import parse_xml
    from docx.table import _Row

    columns: list[Column] = tbl._scr_columns  # type: ignore[attr-defined]
    values = list(values)
    parts = [f"<w:tr {_W_NS}>"]
    slow: list[int] = []
    for i, spec in enumerate(columns):
        value = values[i] if i < len(values) else None
        text = None if value is None else safe_text(value)
        width = f'<w:tcPr><w:tcW w:type="dxa" w:w="{Length(spec.width).twips}"/></w:tcPr>'
        if text is not None and text and not _plain_cell(text, spec):
            slow.append(i)
            parts.append(f"<w:tc>{width}<w:p/></w:tc>")
        elif spec.align is not None:
            slow.append(i)
            parts.append(f"<w:tc>{width}<w:p/></w:tc>")
        else:
            run = f"<w:r><w:t>{_xml_escape(text)}</w:t></w:r>" if text else ""
            parts.append(f'<w:tc>{width}<w:p><w:pPr><w:pStyle w:val="{TABLE_TEXT}"/></w:pPr>{run}</w:p></w:tc>')
    parts.append("</w:tr>")
    tr = parse_xml("".join(parts))
    tbl._tbl.append(tr)
    cells = [_Cell(tc, tbl) for tc in tr.tc_lst]
    if min_height is not None:
        row = _Row(tr, tbl)
        row.height = min_height
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for i in slow:
        _fill(cells[i], values[i], align=columns[i].align)
    return cells


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _xml_escape(text: str) -> str:
    return text.translate(_XML_ESCAPES)


def _plain_cell(text: str, spec: "Column") -> bool:
    """Text that python-docx would write as one plain run: `<w:r><w:t>text</w:t></w:r>`."""
    return (
        "\n" not in text
        and "\t" not in text
        and text == text.strip()
        and not _RTL_SCRIPT.search(text)
    )


def _fill(cell: _Cell, value: object, *, bold: bool = False, align: Optional[WD_ALIGN_PARAGRAPH] = None) -> None:
    par = cell.paragraphs[0]
    par._p.get_or_add_pPr().style = TABLE_TEXT
    if align is not None:
        par.alignment = align
    if value is not None:
        add_text(par, value, bold=bold)


def cell_text(cell: _Cell, text: object, **fmt: Any) -> Paragraph:
    """Add (safe) text to a cell: into its empty first paragraph, else a new one."""
    first = cell.paragraphs[0]
    par = first if not first.runs and len(cell.paragraphs) == 1 else cell.add_paragraph()
    par._p.get_or_add_pPr().style = TABLE_TEXT
    add_text(par, text, **fmt)
    return par


def group_row(tbl: Table, text: object, *, fill: str = GROUP_FILL) -> _Cell:
    """A full-width row introducing a group (a cluster) inside a table."""
    cells = add_row(tbl, [None] * len(tbl._scr_columns))  # type: ignore[attr-defined]
    merged = cells[0].merge(cells[-1])
    for par in merged.paragraphs[1:]:
        par._p.getparent().remove(par._p)
    merged.paragraphs[0]._p.get_or_add_pPr().style = TABLE_TEXT
    add_text(merged.paragraphs[0], text, bold=True)
    shade(merged, fill)
    keep_with_next(merged)
    return merged


def keep_with_next(cell: _Cell) -> None:
    for par in cell.paragraphs:
        par.paragraph_format.keep_with_next = True


_AFTER_SHD = (
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers",
    "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip


def shade(cell: _Cell, fill: str) -> None:
    """Shade a cell with a hex RRGGBB fill (a rating's colour from the marker set)."""
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.upper())
    tcpr.insert_element_before(shd, *_AFTER_SHD)


def rating_cell(cell: _Cell, label: str, fill: Optional[str]) -> None:
    """A rating: its label, on its colour when it has one (never colour alone)."""
    cell_text(cell, label, bold=fill is not None)
    if fill:
        shade(cell, fill)


def key_value_table(
    container: Any,
    rows: Iterable[tuple[str, object]],
    widths: tuple[Length, Length] = (Cm(4.2), Cm(12.8)),
    *,
    min_height: Optional[Length] = None,
) -> Table:
    """Two columns, label and value: the title block, a marker's rating.

    `min_height` leaves each row at least that much room, for a value written by hand.
    """
    tbl = container.add_table(rows=0, cols=2)
    _table_style(tbl, TABLE_STYLE)
    tbl.autofit = False
    _table_look(tbl, first_row=False, first_column=True)
    for col, width in zip(tbl.columns, widths):
        col.width = width
    tbl._scr_columns = [Column("", widths[0]), Column("", widths[1])]  # type: ignore[attr-defined]
    for label, value in rows:
        cells = add_row(tbl, [None, None], min_height=min_height)
        cell_text(cells[0], label, bold=True)
        if value is not None:
            cell_text(cells[1], value)
    return tbl


#: Room to sign by hand.
SIGNATURE_ROW = Cm(1.2)


def signature_table(container: Any, people: Iterable[tuple[object, object]], *, who: str = "Name") -> Table:
    """Rows to sign by hand: (name, role) for each signatory, `None` to leave one blank."""
    tbl = table(container, [Column(who, Cm(5.0)), Column("Role", Cm(4.0)), Column("Date", Cm(3.0)), Column("Signature", Cm(5.0))])
    for name, role in people:
        add_row(tbl, [name, role, None, None], min_height=SIGNATURE_ROW)
    return tbl


def title_block(doc: Document, title: object, subtitle: object, rows: Iterable[tuple[str, object]]) -> Table:
    """The record's opening: its title, what it is, and the facts that identify it."""
    heading(doc, title, 0)
    paragraph(doc, subtitle, style="Subtitle")
    return key_value_table(doc, rows)


def spacer(container: Any) -> Paragraph:
    """An empty paragraph between two tables (Word would otherwise join them)."""
    par = container.add_paragraph()
    par.paragraph_format.space_after = Pt(2)
    return par


def page_break_before(par: Paragraph) -> None:
    par.paragraph_format.page_break_before = True
