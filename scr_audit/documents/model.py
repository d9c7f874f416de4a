"""A report as scan reads it: blocks of text in reading order, each on the page it starts on.

PDF and Word files differ in what they can tell: a PDF knows its pages exactly but not its
headings (only fonts and positions); a Word file knows its headings (styles, outline
levels, numbering) but not its pages, unless Word saved where it broke them. Both are
reduced to the same blocks here, so everything scan finds is found the same way in either,
and `Document.page_basis` says how far the page numbers can be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

#: How a block's page number was arrived at, strongest first.
#: - pdf: the PDF's own pages, exact;
#: - rendered: the page breaks Word recorded when it last laid the file out (exact as of then);
#: - explicit: the author's page and section breaks, with overflowing stretches estimated;
#: - estimated: no breaks recorded at all: from the length of the text, approximate.
PageBasis = Literal["pdf", "rendered", "explicit", "estimated"]

BASIS_NOTES: dict[str, str] = {
    "pdf": "",
    "rendered": " (pages as Word last laid the document out)",
    "explicit": " (a .docx: pages from its page breaks, approximate where a stretch runs over a page)",
    "estimated": " (a .docx with no page breaks recorded: pages estimated from the length of the text, approximate)",
}

BlockKind = Literal["heading", "para", "item", "row"]


@dataclass
class Block:
    """One paragraph, heading, list item or table row, as a reader meets it."""

    text: str
    page: int  # 1-based page the block starts on
    kind: BlockKind = "para"
    #: Heading level, 1 the strongest (0 for a title); None for anything else.
    level: Optional[int] = None
    #: A list item's or heading's label as shown ("1.", "9.2", "a)", "•"), when it has one.
    label: Optional[str] = None
    #: A list item's depth (0 the outermost).
    depth: int = 0
    #: A table row: its cells, and which table (0, 1, ...) and row (0 the first) it is.
    cells: tuple[str, ...] = ()
    table: Optional[int] = None
    row: Optional[int] = None
    #: The page the block ends on, when it runs over a page break.
    end_page: Optional[int] = None
    #: Entries of a table of contents (a TOC style, or a line ending in a page number after
    #: a leader): kept apart so a contents page never counts as the headings it lists.
    toc_entry: bool = False
    #: Whether the block is set apart by its look (bold, larger than the body text), as an
    #: unstyled heading is.
    emphasised: bool = False
    #: The block's last line ran to the margin without a full stop: its text probably goes
    #: on at the top of the next page.
    runs_on: bool = False
    #: How strongly the block's look sets it apart (bigger, then bolder, scores higher);
    #: what orders headings that no style or bookmark gives a level.
    look: int = 0

    @property
    def last_page(self) -> int:
        return self.end_page or self.page

    @property
    def full_text(self) -> str:
        """The text with its label, as printed ("3. The Board should ...")."""
        if self.label and not self.text.startswith(self.label):
            return f"{self.label} {self.text}"
        return self.text


@dataclass
class Document:
    """A report read into blocks."""

    path: str
    kind: Literal["pdf", "docx"]
    pages: int
    page_basis: PageBasis
    blocks: list[Block] = field(default_factory=list)
    #: The document's title from its properties, if it records one.
    title: Optional[str] = None
    #: Whether a table-of-contents field or control was found (a .docx records it).
    toc_field_page: Optional[int] = None
    #: Pages with no text at all (a scanned page inside a PDF that otherwise has text).
    empty_pages: list[int] = field(default_factory=list)

    @property
    def pages_exact(self) -> bool:
        return self.page_basis in ("pdf", "rendered")

    def basis_note(self) -> str:
        """What to say beside a page number so no one takes an estimate for a fact."""
        return BASIS_NOTES[self.page_basis]

    def page_text(self, page: int) -> str:
        return "\n".join(b.full_text for b in self.blocks if b.page <= page <= b.last_page)
