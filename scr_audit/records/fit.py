"""How much of a record fits on its first page: an estimate, from the house style's sizes.

Word and LibreOffice lay a document out only when it is opened, so a record cannot ask
where a page ends. Page 1 of a record must hold what a Board member reads first, whole,
however much falls short; so the record estimates the height of what it puts there, from
the house style's type sizes and each text's length, and shortens the longest texts (at a
word) only when the estimate says they would not fit. The figures err on the tall side:
a page that ends a little early is fine; a page 1 that spills over is not.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

#: Heights in cm on an A4 page with 2 cm margins (the house style); characters per line of
#: the text width (17 cm) in each size of Arial, on the narrow side of the average. Measured
#: from LibreOffice's PDF of a record (pdftotext -bbox-layout), then rounded up.
TITLE_LINE, TITLE_CHARS = 1.25, 38  # Title, 22 pt, with the space after it
SUBTITLE_LINE, SUBTITLE_CHARS = 0.66, 64  # Subtitle, 12 pt
BODY_LINE, BODY_CHARS = 0.47, 95  # Normal, 10 pt, at 1.15 line spacing (98-100 measured)
BULLET_CHARS = 88
PARA_AFTER = 0.15  # 4 pt after a Normal paragraph
HEADING1 = 1.5  # 15 pt, 16 pt before, 6 pt after
HEADING2 = 1.15  # 12 pt, 12 pt before, 4 pt after
WARNING_EXTRA = 0.9  # the warning's border, padding and spacing
TABLE_LINE = 0.37  # Table Text, 9 pt
TABLE_CHARS_PER_CM = 6.8  # 7.4 measured in the 9 pt Table Text
CELL_PADDING = 0.5  # left and right, cm, and a little for capitals
ROW_EXTRA = 0.05
HEADER_ROW = 0.47
NOTE = 0.9  # a Note (8 pt) of up to two lines, with the space after it


def lines(text: str, chars: int) -> int:
    """Lines a text takes when wrapped at `chars` characters (each paragraph on its own)."""
    return sum(max(1, math.ceil(len(part) / max(1, chars))) for part in (text or "").split("\n"))


def row_height(cells: Iterable[tuple[str, float]], *, at_least: int = 1) -> float:
    """A table row's height: its tallest cell, each (text, column width in cm)."""
    most = at_least
    for text, width in cells:
        most = max(most, lines(text, int((width - CELL_PADDING) * TABLE_CHARS_PER_CM)))
    return most * TABLE_LINE + ROW_EXTRA


def table_height(rows: Sequence[float]) -> float:
    return HEADER_ROW + sum(rows) if rows else 0.0


class Page1:
    """The running height of what page 1 holds so far."""

    #: The body's height on A4 with 2 cm margins, less a safety margin.
    ROOM = 25.7 - 0.4

    def __init__(self) -> None:
        self.height = 0.0

    def add(self, height: float) -> None:
        self.height += height

    def add_lines(self, text: str, chars: int, line: float, *, extra: float = 0.0) -> None:
        self.height += lines(text, chars) * line + extra
