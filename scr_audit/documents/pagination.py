"""Where a Word file's pages break, when the file does not say.

A .docx records page breaks only where its author put one (a page break, a new section)
and, if Word saved it, where Word last broke the pages (`w:lastRenderedPageBreak`).
Without the latter, a long stretch between two breaks runs over several pages, and only
laying it out would say where. This estimates it: each paragraph's lines from its length,
its text size and the width of the page, its height from its spacing, and a new page when
the page is full. It is an estimate and is always reported as one; it is close for the
running prose reports are made of, and the page count from breaks alone is exact for a
report whose every page ends in a break.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Average width of a character of running text, as a share of its size (Calibri, Arial,
#: Times and their metric twins lie between 0.44 and 0.52).
CHAR_WIDTH = 0.49
#: A line's height, as a share of its text size, at single spacing.
LINE_HEIGHT = 1.17
#: Space Word puts inside a table cell, above and below (points).
CELL_PADDING = 1.5


@dataclass
class PageBox:
    """The writing area of a page (points)."""

    width: float = 451.0  # A4 with 2.54 cm margins
    height: float = 698.0

    @classmethod
    def of(cls, section: object) -> "PageBox":
        try:
            w = section.page_width.pt - section.left_margin.pt - section.right_margin.pt  # type: ignore[attr-defined]
            h = section.page_height.pt - section.top_margin.pt - section.bottom_margin.pt  # type: ignore[attr-defined]
            if w > 50 and h > 50:
                return cls(w, h)
        except (AttributeError, TypeError, ValueError):
            pass
        return cls()


def text_lines(text: str, size: float, width: float) -> int:
    """How many lines `text` fills at `size` in a column `width` points wide."""
    per_line = max(8, int(width / (max(size, 4.0) * CHAR_WIDTH)))
    lines = 0
    for part in text.split("\n"):
        n = len(part.expandtabs(6))
        # word wrapping leaves a ragged end on every line: about a word's worth
        lines += max(1, math.ceil(n / (per_line * 0.94))) if n else 1
    return lines


def line_height(size: float, rule: tuple[str, float]) -> float:
    kind, value = rule
    if kind == "auto":
        return size * LINE_HEIGHT * max(0.5, min(value, 4.0))
    if kind == "atLeast":
        return max(value, size * LINE_HEIGHT)
    return max(1.0, value)


class Paginator:
    """Places blocks on estimated pages, in order; `page` is where the next one starts."""

    def __init__(self, box: PageBox) -> None:
        self.box = box
        self.page = 1
        self.used = 0.0
        self.blank = True  # nothing on this page yet
        self.last_after = 0.0
        self.last_style: object = None

    def new_page(self) -> None:
        """An explicit break: the next block starts a new page (an empty page stays empty)."""
        self.page += 1
        self.used = 0.0
        self.blank = True

    def place(
        self, lines: int, line: float, before: float = 0.0, after: float = 0.0, *, style: object = None, contextual: bool = False, keep_next: bool = False
    ) -> tuple[int, int]:
        """Put a block of `lines` lines of height `line` on the pages; (first page, last page).

        `contextual`: no space between this and a previous paragraph of the same `style`;
        `keep_next`: the block moves to the next page unless two lines of what follows fit
        under it (a heading is not left at the foot of a page)."""
        if contextual and style is not None and style == self.last_style:
            self.used = max(0.0, self.used - self.last_after)
            before = 0.0
        if not self.blank:
            self.used += before  # space before is dropped at the top of a page
        if keep_next and not self.blank and self.used + line * (lines + 2) > self.box.height + 0.5:
            self.page += 1
            self.used = 0.0
        first: int | None = None
        for _ in range(max(1, lines)):
            if self.used + line > self.box.height + 0.5 and not self.blank:
                self.page += 1
                self.used = 0.0
            if first is None:
                first = self.page
            self.used += line
            self.blank = False
        self.used += after
        self.last_after = after if not contextual else after
        self.last_style = style
        return first or self.page, self.page

    def place_height(self, height: float) -> tuple[int, int]:
        """An unbreakable block (a picture, a table row) of `height` points."""
        if self.used + height > self.box.height + 0.5 and not self.blank:
            self.page += 1
            self.used = 0.0
        first = self.page
        self.used += min(height, self.box.height)
        self.blank = False
        self.last_style = None
        return first, self.page
