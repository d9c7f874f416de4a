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
from copy import deepcopy
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
from lxml.etree import SubElement

FONT = "Arial"
BODY_SIZE = Pt(10)
TABLE_SIZE = Pt(9)
SMALL_SIZE = Pt(8)
INK = RGBColor(0x1F, 0x2A, 0x44)  # headings: a dark navy that prints well in greyscale
MUTED = RGBColor(0x59, 0x59, 0x59)
TABLE_STYLE = "Light Grid Accent 1"
#: Shading of a group row inside a table (a cluster's title): neutral, not a rating colour.
GROUP_FILL = "DCE6F1"
#: Shading of a row or notice that needs attention (an overdue action, a warning): it is
#: always paired with words ("Overdue", "Warning") and bold, so it reads in greyscale too.
ATTENTION_FILL = "D9D9D9"
WARNING_FILL = "F2F2F2"
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


def shorten_words(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a space, never mid-word, with "…" if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


# A sentence ends at . ! or ? (and any closing quote or bracket), then a space and a capital,
# digit or opening quote: "e.g. the chair" does not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?P<close>[\"”’')\]]*)\s+(?=[A-Z0-9“\"‘'(])")


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of `text`, cut at a word (with "…") only if it is longer than `limit`."""
    text = " ".join(safe_text(text).split())
    match = _SENTENCE_END.search(text)
    sentence = text[: match.end("close")] if match else text
    return shorten_words(sentence, limit)


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
            for lang in style.element.iter(qn("w:lang")):
                lang.set(qn("w:val"), "en-GB")
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.widow_control = True  # no paragraph leaves one line on a page
    for name, size, before, after in (
        ("Title", 22, 0, 4), ("Heading 1", 15, 16, 6), ("Heading 2", 12, 12, 4), ("Heading 3", 10, 8, 3),
    ):  # fmt: skip
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = INK
        style.font.bold = True
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.font.italic = False
        if name != "Title":
            style.paragraph_format.keep_with_next = True  # a heading never ends a page
    subtitle = styles["Subtitle"]
    subtitle.font.name = FONT
    subtitle.font.italic = False
    subtitle.font.size = Pt(12)
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
    warning = styles.add_style("Warning", WD_STYLE_TYPE.PARAGRAPH)
    warning.base_style = normal
    warning.font.bold = True
    warning.paragraph_format.space_before = Pt(4)
    warning.paragraph_format.space_after = Pt(6)
    _box(warning.element.get_or_add_pPr())


def _box(ppr: Any) -> None:
    """A border round a paragraph style and a light shading: a notice no reader can miss."""
    border = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "000000")
        border.append(edge)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), WARNING_FILL)
    ppr.insert_element_before(border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr")
    ppr.insert_element_before(shd, "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr")


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
    if "\n" not in clean and "\t" not in clean and not _RTL_SCRIPT.search(clean):
        _plain_run(paragraph._p, clean, bold=bold, italic=italic, size=size, colour=colour)
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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R, _T, _RPR, _B, _I, _COLOR, _SZ, _VAL = (f"{_W}{n}" for n in ("r", "t", "rPr", "b", "i", "color", "sz", "val"))
_P, _PPR, _PSTYLE, _KEEP_NEXT, _TR, _TC, _TCPR, _SHD = (
    f"{_W}{n}" for n in ("p", "pPr", "pStyle", "keepNext", "tr", "tc", "tcPr", "shd")
)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _plain_run(p: Any, text: str, *, bold: bool, italic: bool, size: Optional[Length], colour: Optional[RGBColor]) -> None:
    """One run of left-to-right text on one line, built directly: python-docx's run API
    looks up the schema order of every child it adds, which dominated a large record's time."""
    r = SubElement(p, _R)
    if bold or italic or size is not None or colour is not None:
        rpr = SubElement(r, _RPR)  # children in the schema's order: b, i, color, sz
        if bold:
            SubElement(rpr, _B)
        if italic:
            SubElement(rpr, _I)
        if colour is not None:
            SubElement(rpr, _COLOR).set(_VAL, str(colour))
        if size is not None:
            SubElement(rpr, _SZ).set(_VAL, str(int(round(size.pt * 2))))
    t = SubElement(r, _T)
    t.text = text
    if text[0].isspace() or text[-1].isspace():
        t.set(_XML_SPACE, "preserve")


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
    """A real heading (Title, Heading 1-3): what the navigation pane and screen readers list."""
    par = styled(doc.add_paragraph(), "Title" if level == 0 else f"Heading {min(level, 3)}")
    add_text(par, one_line(text))
    return par


# -------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    header: str
    width: Length
    align: Optional[WD_ALIGN_PARAGRAPH] = None


def table(
    container: Any,
    columns: Sequence[Column],
    *,
    caption: str,
    description: str,
    style: str = TABLE_STYLE,
    first_column: bool = False,
) -> Table:
    """A table in a Word table style, its header row repeated on every page it spans.

    Every table says what it is (`caption`, `description`: Word's alt text for tables, read
    out by screen readers), and no row of it is split across two pages.
    """
    key = (tuple((c.header, int(c.width), c.align) for c in columns), style, first_column)
    proto = _EMPTY_TABLES.get(key)
    if proto is not None:  # the same table made before: copy it, header row and all
        parent = container._body if isinstance(container, Document) else container
        element = deepcopy(proto)
        parent._element._insert_tbl(element)
        tbl = Table(element, parent)
    else:
        tbl = container.add_table(rows=1, cols=len(columns))
        _table_style(tbl, style)
        tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
        tbl.autofit = False
        _table_look(tbl, first_row=True, first_column=first_column)
        for col, spec in zip(tbl.columns, columns):
            col.width = spec.width
        row = tbl.rows[0]
        _cant_split(row)
        _repeat_header(row)
        for cell, spec in zip(row.cells, columns):
            cell.width = spec.width
            _fill(cell, spec.header, bold=True, align=spec.align)
        _EMPTY_TABLES[key] = deepcopy(tbl._tbl)
    describe_table(tbl, caption, description)
    tbl._scr_columns = list(columns)  # type: ignore[attr-defined]
    return tbl


#: Each shape of table made so far (headers, widths, alignments, style), with only its
#: header row: copied for the next table of that shape (a record has dozens).
_EMPTY_TABLES: dict[tuple, Any] = {}


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


def describe_table(tbl: Table, caption: str, description: str) -> None:
    """The table's caption and description (w:tblCaption, w:tblDescription), its alt text."""
    tblpr = tbl._tbl.tblPr
    for tag, text in (("w:tblCaption", caption), ("w:tblDescription", description)):
        for old in tblpr.findall(qn(tag)):
            tblpr.remove(old)
        el = OxmlElement(tag)
        el.set(qn("w:val"), one_line(text))
        change = tblpr.find(qn("w:tblPrChange"))
        if change is not None:
            change.addprevious(el)
        else:
            tblpr.append(el)


_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def _cant_split(row: Any) -> None:
    """Keep a row on one page: a rationale never ends as a lone line on the next."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_CANT_SPLIT)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    trpr.insert_element_before(flag, *_AFTER_CANT_SPLIT[2:])


#: An empty row of each shape of table made so far (column widths and alignments): every
#: record starts from the same template, so a row made once can be copied ever after.
_BLANK_ROWS: dict[tuple, Any] = {}


def add_row(tbl: Table, values: Iterable[object], *, min_height: Optional[Length] = None) -> list[_Cell]:
    """A row of safe text; `None` leaves a cell empty.

    The first plain row of each shape of table is built through python-docx and kept,
    empty, as the pattern for the rest (widths, style, alignment, cantSplit): copying it is what keeps a
    record of thousands of rows linear and quick.
    """
    columns: list[Column] = tbl._scr_columns  # type: ignore[attr-defined]
    key = tuple((int(c.width), c.align) for c in columns)
    blank = _BLANK_ROWS.get(key)
    if blank is not None and min_height is None:
        tr = deepcopy(blank)
        tbl._tbl.append(tr)
        cells = [_Cell(tc, tbl) for tc in tr.iterchildren(_TC)]  # an empty row has no merged cells
        for cell, value in zip(cells, values):
            if value is not None:
                add_text(cell.paragraphs[0], value)
        return list(cells)
    row = tbl.add_row()
    _cant_split(row)
    if min_height is not None:
        row.height = min_height
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    cells = row.cells
    for cell, spec in zip(cells, columns):
        cell.width = spec.width
        _fill(cell, None, align=spec.align)
    if min_height is None:
        _BLANK_ROWS[key] = deepcopy(row._tr)
    for cell, value in zip(cells, values):
        if value is not None:
            add_text(cell.paragraphs[0], value)
    return list(cells)


def _fill(cell: _Cell, value: object, *, bold: bool = False, align: Optional[WD_ALIGN_PARAGRAPH] = None) -> None:
    par = cell.paragraphs[0]
    par._p.get_or_add_pPr().style = TABLE_TEXT
    if align is not None:
        par.alignment = align
    if value is not None:
        add_text(par, value, bold=bold)


def cell_text(cell: _Cell, text: object, **fmt: Any) -> Paragraph:
    """Add (safe) text to a cell: into its empty first paragraph, else a new one."""
    tc = cell._tc
    paragraphs = tc.findall(_P)
    first = paragraphs[0]
    if len(paragraphs) == 1 and first.find(_R) is None:
        p = first
        if first.find(f"{_PPR}/{_PSTYLE}") is None:
            first.get_or_add_pPr().style = TABLE_TEXT
    else:
        p = SubElement(tc, _P)
        SubElement(SubElement(p, _PPR), _PSTYLE).set(_VAL, TABLE_TEXT)
    par = Paragraph(p, cell)
    add_text(par, text, **fmt)
    return par


def group_row(tbl: Table, text: object, *, fill: str = GROUP_FILL) -> _Cell:
    """A full-width row introducing a group (a cluster) inside a table."""
    cells = add_row(tbl, [None] * len(tbl.columns))
    merged = cells[0].merge(cells[-1])
    for par in merged.paragraphs[1:]:
        par._p.getparent().remove(par._p)
    merged.paragraphs[0]._p.get_or_add_pPr().style = TABLE_TEXT
    add_text(merged.paragraphs[0], text, bold=True)
    shade(merged, fill)
    keep_with_next(merged)
    return merged


def keep_with_next(cell: _Cell) -> None:
    for p in cell._tc.iter(_P):
        _keep_next(p)


def _keep_next(p: Any) -> None:
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = p.makeelement(_PPR, {})
        p.insert(0, ppr)
    if ppr.find(_KEEP_NEXT) is None:
        style = ppr.find(_PSTYLE)  # keepNext comes straight after the paragraph's style
        ppr.insert(1 if style is not None else 0, ppr.makeelement(_KEEP_NEXT, {}))


#: Rows a table may have and still be kept whole on one page (more could never fit).
KEEP_TOGETHER_ROWS = 16


def keep_together(tbl: Table, *, with_next: bool = False) -> None:
    """Keep a table's rows on one page (each row kept with the next), and, with `with_next`,
    the table with what follows it. A table too long for a page keeps only its first rows
    with their heading, so its heading never ends a page."""
    rows = tbl._tbl.findall(_TR)
    whole = len(rows) <= KEEP_TOGETHER_ROWS
    for i, tr in enumerate(rows if whole else rows[:2]):
        if i < len(rows) - 1 or with_next:
            for p in tr.iter(_P):
                _keep_next(p)


_AFTER_SHD = (
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers",
    "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip


def shade(cell: _Cell, fill: str) -> None:
    """Shade a cell with a hex RRGGBB fill (a rating's colour from the marker set)."""
    tc = cell._tc
    tcpr = tc.find(_TCPR)
    if tcpr is None:
        tcpr = tc.get_or_add_tcPr()
    for old in tcpr.findall(_SHD):
        tcpr.remove(old)
    shd = tcpr.makeelement(_SHD, {_VAL: "clear", f"{_W}color": "auto", f"{_W}fill": fill.upper()})
    _insert_before(tcpr, shd, _AFTER_SHD_TAGS)


_AFTER_SHD_TAGS = frozenset(qn(t) for t in _AFTER_SHD)


def _insert_before(parent: Any, child: Any, later: frozenset[str]) -> None:
    """Insert `child` before the first of `parent`'s children that must come after it."""
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


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
    header: tuple[str, str],
    caption: str,
    description: str,
    min_height: Optional[Length] = None,
) -> Table:
    """Two columns, label and value, under a header row: the review's details, an outcome form.

    `min_height` leaves each row at least that much room, for a value written by hand.
    """
    tbl = table(container, [Column(header[0], widths[0]), Column(header[1], widths[1])], caption=caption, description=description, first_column=True)
    for label, value in rows:
        cells = add_row(tbl, [None, None], min_height=min_height)
        cell_text(cells[0], label, bold=True)
        if value is not None:
            cell_text(cells[1], value)
    return tbl


#: Room to sign by hand.
SIGNATURE_ROW = Cm(1.2)


def signature_table(container: Any, people: Iterable[tuple[object, object]], *, who: str = "Name", caption: str = "Signatures") -> Table:
    """Rows to sign by hand: (name, role) for each signatory, `None` to leave one blank.

    Name, role, signature and date each have their own column, so a scanned copy reads.
    """
    tbl = table(
        container,
        [Column(who, Cm(4.6)), Column("Role", Cm(4.0)), Column("Signature", Cm(5.4)), Column("Date", Cm(3.0))],
        caption=caption,
        description=f"{caption}: one row per person, with the name, the role, room to sign and the date.",
    )
    for name, role in people:
        add_row(tbl, [name, role, None, None], min_height=SIGNATURE_ROW)
    keep_together(tbl)
    return tbl


def decision_table(container: Any, *, what: str = "The Board's decision") -> Table:
    """A row for the Board (or panel) to record its decision and the date it was made."""
    tbl = table(
        container,
        [Column(what, Cm(13.0)), Column("Date of decision", Cm(4.0))],
        caption=what,
        description=f"Room to record {what[:1].lower() + what[1:]} and the date it was made.",
    )
    add_row(tbl, [None, None], min_height=Cm(2.4))
    keep_together(tbl)
    return tbl


def title_block(doc: Document, title: object, subtitle: object, rows: Iterable[tuple[str, object]], *, caption: str = "About this record") -> Table:
    """The record's opening: its title, what it is, and the facts that identify it."""
    heading(doc, title, 0)
    paragraph(doc, subtitle, style="Subtitle")
    return key_value_table(
        doc, rows, header=("Detail", "Recorded"), caption=caption, description="What this record is about, who made it and against which standard."
    )


# -------------------------------------------------------------------------------- pictures


def picture(doc: Document, png: bytes, width: Length, *, alt_text: str, title: str) -> Paragraph:
    """An image with alt text (what it shows, with its figures) for readers who cannot see it."""
    par = picture_paragraph(doc)
    put_picture(par, png, width, alt_text=alt_text, title=title)
    return par


def picture_paragraph(doc: Document) -> Paragraph:
    """The paragraph an image goes in, kept with its caption: made now, filled by `put_picture`
    when the image is ready (a chart drawn while the rest of the record is built)."""
    par = doc.add_paragraph()
    par.paragraph_format.keep_with_next = True
    return par


def put_picture(par: Paragraph, png: bytes, width: Length, *, alt_text: str, title: str) -> None:
    shape = par.add_run().add_picture(io.BytesIO(png), width=width)
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", safe_text(alt_text))
    doc_pr.set("title", one_line(title))


def spacer(container: Any) -> Paragraph:
    """An empty paragraph between two tables (Word would otherwise join them)."""
    par = container.add_paragraph()
    par.paragraph_format.space_after = Pt(2)
    return par


def page_break_before(par: Paragraph) -> None:
    par.paragraph_format.page_break_before = True
