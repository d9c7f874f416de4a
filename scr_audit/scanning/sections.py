"""The parts of a report scan looks for: the contents page, the executive summary, the
glossary, the appendices, and the stretch a heading opens.

A part is found by its heading, never by a word in passing: "see the appendix" in a
sentence is not an appendix, and the entries of a contents page (which name every part)
are set aside first so that a contents page never counts as the parts it lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from scr_audit.documents.layout import label_of, toc_match
from scr_audit.documents.model import Block, Document

_NUMBER = r"(?:(?:\d{1,3}\.)*\d{1,3}\.?\s+|[A-Z]\.\s+|[IVX]{1,5}\.\s+)?"
CONTENTS = re.compile(r"^\s*(?:table\s+of\s+)?contents(?:\s+page)?\s*:?\s*$", re.IGNORECASE)
SUMMARY = re.compile(rf"^\s*{_NUMBER}(?:executive\s+summary|summary(?:\s+of\s+(?:the\s+)?(?:review|report|findings|learning))?|overview)\s*:?\s*$", re.IGNORECASE)
GLOSSARY = re.compile(
    rf"^\s*{_NUMBER}(?:(?:appendix|annexe?)\s+[A-Z0-9]{{1,3}}\s*[:.\-–—]?\s*)?"
    r"(?:glossary(?:\s+of\s+(?:terms|abbreviations|acronyms))?|(?:list\s+of\s+)?(?:abbreviations|acronyms)(?:\s+(?:and|&)\s+(?:abbreviations|acronyms|terms))?(?:\s+used)?|terms\s+used|key\s+terms)\s*:?\s*$",
    re.IGNORECASE,
)
_ORDINAL = r"(?:[A-Z]|\d{1,3}|[IVX]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten)"
APPENDIX = re.compile(
    rf"^\s*(?:(?:\d{{1,3}}\.)*\d{{1,3}}\.?\s+)?(?:appendix|appendices|annexe?s?)(?:\s+{_ORDINAL}\b)?(?:\s*[:.\-–—]\s*|\s+|$)",
    re.IGNORECASE,
)
#: Headings of the body of a report: one of these after the appendices ends them.
BODY = re.compile(
    rf"^\s*{_NUMBER}(?:introduction|background|recommendations?|conclusions?|findings|analysis|executive\s+summary|learning|lessons)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """A part of the report found by its heading (or, for a contents page, its entries)."""

    block: Block
    index: int

    @property
    def page(self) -> int:
        return self.block.page


def is_heading_like(b: Block, max_words: int = 14) -> bool:
    """A heading, or a short line standing as one (bold, or alone) that a style would have made one."""
    if b.toc_entry or b.kind == "row":
        return False
    words = len(b.text.split())
    if b.kind == "heading":
        return words <= 25
    return words <= max_words and (b.emphasised or not b.text.rstrip().endswith((".", ",", ";")))


class Parts:
    """The report's blocks with the contents page set aside, and where each part is."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.blocks = doc.blocks
        self.contents = self._contents()
        start, end = self.contents_span if self.contents else (-1, -1)
        #: Indexes of blocks that belong to the contents page.
        self.in_contents = set(range(start, end + 1))

    # ------------------------------------------------------------------ contents
    @property
    def contents_span(self) -> tuple[int, int]:
        return self._span

    def _contents(self) -> Optional[Found]:
        blocks = self.blocks
        self._span = (-1, -1)
        for i, b in enumerate(blocks):
            if b.kind == "row" or not CONTENTS.match(b.text):
                continue
            entries = [j for j in range(i + 1, min(len(blocks), i + 60)) if blocks[j].toc_entry]
            near = [j for j in entries if j <= i + 4]
            if near or (self.doc.toc_field_page is not None and abs(self.doc.toc_field_page - b.page) <= 1):
                last = i
                for j in range(i + 1, len(blocks)):
                    if blocks[j].toc_entry:
                        last = j
                    elif j - last > 2 or blocks[j].page > b.page + 2:
                        break
                self._span = (i, last)
                return Found(b, i)
            # a table of headings and their pages
            rows = []
            for j in range(i + 1, min(len(blocks), i + 60)):
                x = blocks[j]
                if x.kind != "row":
                    break
                if x.cells and re.fullmatch(r"\d{1,4}|[ivxlc]{1,7}", x.cells[-1].strip(), re.IGNORECASE):
                    rows.append(j)
            if len(rows) >= 3:
                self._span = (i, rows[-1])
                for j in rows:
                    blocks[j].toc_entry = True
                return Found(b, i)
            # a "Contents" line followed by short lines that end in page numbers without leaders
            run = 0
            for j in range(i + 1, min(len(blocks), i + 30)):
                if re.search(r"\s\d{1,3}$", blocks[j].text) and len(blocks[j].text.split()) <= 14:
                    run += 1
                elif run:
                    break
            if run >= 3:
                self._span = (i, i + run)
                for j in range(i + 1, i + run + 1):
                    blocks[j].toc_entry = True
                return Found(b, i)
            # or a list of the headings with no page numbers at all
            run = 0
            for j in range(i + 1, min(len(blocks), i + 40)):
                x = blocks[j]
                if x.kind == "row" or x.page > b.page + 1 or len(x.text.split()) > 12 or x.text.rstrip().endswith((".", ";", ",")):
                    break
                run += 1
            if run >= 3 and (j >= len(blocks) - 1 or len(blocks[j].text.split()) > 12 or blocks[j].page > b.page):
                self._span = (i, i + run)
                for k in range(i + 1, i + run + 1):
                    blocks[k].toc_entry = True
                return Found(b, i)
        # no heading, but a page of entries with leaders and rising page numbers
        by_page: dict[int, list[int]] = {}
        for i, b in enumerate(blocks):
            if b.toc_entry:
                by_page.setdefault(b.page, []).append(i)
        for page in sorted(by_page):
            idx = by_page[page]
            numbers = [_entry_page(blocks[i].text) for i in idx]
            numbers = [n for n in numbers if n is not None]
            if len(idx) >= 3 and numbers == sorted(numbers) and len(numbers) >= 3:
                self._span = (idx[0], idx[-1])
                return Found(blocks[idx[0]], idx[0])
        if self.doc.toc_field_page is not None:
            page = self.doc.toc_field_page
            for i, b in enumerate(blocks):
                if b.page >= page:
                    return Found(b, i)
        return None

    # --------------------------------------------------------------------- parts
    def headings(self, pattern: re.Pattern[str], *, start: int = 0) -> list[Found]:
        out = []
        for i in range(start, len(self.blocks)):
            b = self.blocks[i]
            if i in self.in_contents or not is_heading_like(b):
                continue
            if pattern.match(b.full_text) or pattern.match(b.text):
                out.append(Found(b, i))
        return out

    def summary(self) -> Optional[Found]:
        found = self.headings(SUMMARY)
        return found[0] if found else None

    def glossary(self) -> Optional[Found]:
        found = self.headings(GLOSSARY)
        return found[0] if found else None

    def level_of(self, found: Found) -> int:
        b = found.block
        if b.level is not None:
            return b.level
        # a line standing as a heading without one: as deep as the deepest heading around
        return max((x.level for x in self.blocks if x.kind == "heading" and x.level is not None), default=1)

    def extent(self, found: Found, *, stop: Optional[re.Pattern[str]] = None) -> tuple[int, int]:
        """(first, last) index of the blocks a heading opens: up to the next heading as strong."""
        level = self.level_of(found)
        last = len(self.blocks) - 1
        for j in range(found.index + 1, len(self.blocks)):
            b = self.blocks[j]
            if j in self.in_contents:
                continue
            if b.kind == "heading" and b.level is not None and b.level <= level:
                return found.index + 1, j - 1
            if stop is not None and is_heading_like(b) and stop.match(b.text):
                return found.index + 1, j - 1
        return found.index + 1, last

    def appendices(self) -> Optional[tuple[Found, int, Optional[Found]]]:
        """The first appendix heading, the last page of the appendices, and the heading
        that ends them (None when they run to the end of the report)."""
        candidates = [f for f in self.headings(APPENDIX) if _is_appendix_heading(f.block)]
        if not candidates:
            return None
        # appendices come at the end: skip any appendix heading followed by the body again
        for k, first in enumerate(candidates):
            level = self.level_of(first)
            ender: Optional[Found] = None
            for j in range(first.index + 1, len(self.blocks)):
                b = self.blocks[j]
                if j in self.in_contents or b.kind != "heading" or (b.level or 99) > level:
                    continue
                if APPENDIX.match(b.text) or GLOSSARY.match(b.text):
                    continue
                if BODY.match(b.text) or _continues_numbering(self.blocks, first.index, b):
                    ender = Found(b, j)
                    break
            if ender is not None and k + 1 < len(candidates) and candidates[k + 1].index > ender.index:
                continue  # the body resumed: these were not the report's appendices
            last_page = self.doc.pages if ender is None else max(first.page, ender.page - 1 if _starts_page(self.blocks, ender.index) else ender.page)
            return first, last_page, ender
        return None


def _is_appendix_heading(b: Block) -> bool:
    text = b.full_text.strip()
    words = text.split()
    if len(words) > 14:
        return False
    # "Appendix" alone, "Appendices", "Appendix A", "Annex 1: Terms of reference"; not "Appendix to the ..."
    return bool(re.match(rf"^\s*(?:(?:\d{{1,3}}\.)*\d{{1,3}}\.?\s+)?(?:appendices|annexes|(?:appendix|annexe?)(?:\s*$|\s*[:.\-–—]|\s+{_ORDINAL}\b))", text, re.IGNORECASE))


def _continues_numbering(blocks: Sequence[Block], first: int, b: Block) -> bool:
    """A numbered chapter heading after the appendices ("8. Conclusions") resumes the body."""
    label = b.label or label_of(b.text)
    if not label or not label[:1].isdigit():
        return False
    try:
        n = int(label.split(".")[0])
    except ValueError:
        return False
    before = [x for x in blocks[:first] if x.kind == "heading" and (x.label or label_of(x.text) or "")[:1].isdigit()]
    if not before:
        return False
    try:
        prev = max(int((x.label or label_of(x.text) or "0").split(".")[0]) for x in before)
    except ValueError:
        return False
    return n == prev + 1


def _starts_page(blocks: Sequence[Block], index: int) -> bool:
    return index == 0 or blocks[index - 1].last_page < blocks[index].page


def _entry_page(text: str) -> Optional[int]:
    m = toc_match(text)
    if m and m.group("page").isdigit():
        return int(m.group("page"))
    m2 = re.search(r"(\d{1,4})\s*$", text)
    return int(m2.group(1)) if m2 else None
