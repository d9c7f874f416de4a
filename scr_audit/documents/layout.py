"""From a PDF's positioned text to the blocks a reader sees: paragraphs, headings, list
items, table rows; the page furniture (headers, footers, page numbers) set aside.

A PDF has no paragraphs or headings, only runs of text at positions in fonts. So:

- **furniture** is what sits in the top or bottom band of the page and either reads as a
  page number ("Page 3 of 12", "- 3 -", "iv") or repeats on many pages once its digits are
  ignored (a running title, a protective marking); "Page N of M" is furniture wherever it
  sits. It is never a heading or a recommendation;
- **tables** are found from their ruled borders (the thin lines drawn around cells), and
  each ruled row becomes one row block, its text gathered cell by cell;
- **paragraphs** are consecutive lines that continue each other: same size, the usual line
  spacing, the previous line running to the margin; a list label ("1.", "9.2", "a)", "•")
  or a heading starts a new block, and a paragraph cut by a page break is joined up again;
- **headings** are the PDF's own bookmarks where it has them (Word and LibreOffice write
  them from the heading styles), else short lines set larger or bolder than the body text,
  or short numbered lines standing alone; their levels come from the bookmarks, or from
  size, weight and numbering depth.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Optional

from scr_audit.documents.model import Block

# --------------------------------------------------------------------------- the input


@dataclass
class Seg:
    """One run of text pdfium reports, with its box (PDF points, origin bottom left)."""

    x0: float
    x1: float
    bottom: float
    top: float
    text: str
    size: float
    bold: bool

    @property
    def is_leader(self) -> bool:
        return bool(_LEADER.fullmatch(self.text.strip()))


@dataclass(eq=False)
class Line:
    """One line of a page. Its text, size and weight are worked out once, when first asked
    for, which is only after all its runs are in (`add` is for building it)."""

    page: int
    top: float
    bottom: float
    segs: list[Seg]

    def add(self, seg: Seg) -> None:
        self.segs.append(seg)
        self.top = max(self.top, seg.top)
        self.bottom = min(self.bottom, seg.bottom)

    @property
    def x0(self) -> float:
        return self.segs[0].x0

    @property
    def x1(self) -> float:
        return self.segs[-1].x1

    @cached_property
    def text(self) -> str:
        return _join(self.segs)

    @cached_property
    def size(self) -> float:
        weights: Counter[float] = Counter()
        for s in self.segs:
            weights[round(s.size * 2) / 2] += len(s.text.strip())
        return weights.most_common(1)[0][0] if weights else 0.0

    @cached_property
    def bold(self) -> bool:
        letters = [s for s in self.segs if re.search(r"[A-Za-z]", s.text)]
        return bool(letters) and all(s.bold for s in letters)

    @cached_property
    def has_leader(self) -> bool:
        return any(s.is_leader for s in self.segs)

    def cells(self, gap: float) -> list[tuple[float, str]]:
        """The line's text split where runs stand far apart (table columns, tab stops)."""
        cache = self.__dict__.setdefault("_cells_by_gap", {})
        if gap not in cache:
            cache[gap] = self._cells(gap)
        return cache[gap]

    def _cells(self, gap: float) -> list[tuple[float, str]]:
        out: list[list[Seg]] = []
        for s in self.segs:
            if s.is_leader:
                out.append([])
                continue
            if out and out[-1] and s.x0 - out[-1][-1].x1 <= gap:
                out[-1].append(s)
            else:
                out.append([s])
        return [(c[0].x0, _join(c)) for c in out if c]


@dataclass
class Rule:
    """A thin filled or stroked rectangle: a table border, an underline, a horizontal rule."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.y1 - self.y0) <= 2.5 and (self.x1 - self.x0) >= 12


@dataclass
class PageLines:
    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Grid:
    """A ruled table on one page: column boundaries and row boundaries."""

    x0: float
    x1: float
    top: float
    bottom: float
    columns: list[float]  # x of every vertical border, left to right
    rows: list[float]  # y of every horizontal border, top to bottom


# --------------------------------------------------------------------------- patterns

_LEADER = re.compile(r"(?:[.·…_\-‥]\s?){3,}")
_TOC_TEXT = re.compile(r"^(?P<title>.*?\S)\s*(?:(?:\.\s?){3,}|…{2,}|·{3,}|_{3,}|\t|\s{3,})\s*(?P<page>\d{1,4}|[ivxlc]{1,7})$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4}|[-–—]?\s*\d{1,4}\s*[-–—]?|"
    r"[ivxlcdm]{1,7}|\d{1,4}\s*\|\s*page|page\s*\|\s*\d{1,4})$",
    re.IGNORECASE,
)
_PAGE_OF = re.compile(r"^\s*page\s+\d{1,4}\s+of\s+\d{1,4}\s*$", re.IGNORECASE)
_PRIVATE_BULLET = "\uf0a7\uf0b7\uf076\uf0d8\uf0fc\uf0e0\uf02d\uf0a8\uf06e\uf0f0"
LABEL = re.compile(
    r"^(?P<label>"
    rf"[•●▪■◦○‣∙⁃➢➤►✓✔❖◆◇□{_PRIVATE_BULLET}]|[-–—*](?=\s)|o(?=\s+[A-Z])"
    r"|(?:\d{1,3}\.){1,4}\d{1,3}\.?|\d{1,3}[.)]|\(\d{1,3}\)|\d{1,3}(?=\s+(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)[A-Z])"
    r"|[a-z][.)]|\([a-z]\)|\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)|(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)]"
    r"|[A-Z]\)|R\d{1,3}[.:)]?"
    r")(?=\s|$)"
)
BULLETS = set("•●▪■◦○‣∙⁃➢➤►✓✔❖◆◇□-–—*o") | set(_PRIVATE_BULLET)
_TERMINAL = re.compile(r"[.!?:;]['\")\]”’]*$")
_CAPS = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
_SPACE = re.compile(r"\s+")


def label_of(text: str) -> Optional[str]:
    """The list label a line starts with ("1.", "9.2", "a)", "•"), or None."""
    m = LABEL.match(text)
    if not m:
        return None
    label = m.group("label")
    # a bare number followed by a capital is a label only as a table's number column or a
    # heading ("3 Findings"); "2019 was..." is a year
    if label.isdigit() and int(label) > 200:
        return None
    return label


def label_depth(label: Optional[str]) -> int:
    """1 for "3." or "3", 2 for "3.1", 3 for "3.1.2"; 0 for a bullet or a letter."""
    if not label or not label[0].isdigit():
        return 0
    return len([p for p in label.rstrip(".").split(".") if p])


def is_page_furniture_text(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def is_page_of(text: str) -> bool:
    """A "Page N of M" line: furniture wherever it stands."""
    return bool(_PAGE_OF.match(text))


def toc_match(text: str) -> Optional[re.Match[str]]:
    return _TOC_TEXT.match(text.strip())


def _join(segs: Iterable[Seg]) -> str:
    out = ""
    prev: Optional[Seg] = None
    for s in segs:
        t = s.text
        if prev is not None and out and not out.endswith((" ", "\t")) and not t.startswith(" "):
            if s.x0 - prev.x1 > 0.12 * max(s.size, 1):
                out += " "
        out += t
        prev = s
    return _SPACE.sub(" ", out).strip()


def _norm(text: str) -> str:
    return _SPACE.sub(" ", re.sub(r"\d+", "#", text.lower())).strip()


def _heading_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


# --------------------------------------------------------------------------- assembling


@dataclass
class _Style:
    body: float  # the body text's size
    left: float  # the body text's left margin
    right: float  # where a full body line ends
    pitch: float  # the body text's line spacing


def assemble(pages: list[PageLines], outline: list[tuple[int, str, int]] = ()) -> list[Block]:  # type: ignore[assignment]
    """The blocks of a whole PDF, in reading order."""
    _drop_furniture(pages)
    style = _measure(pages)
    blocks: list[Block] = []
    tables = _TableJoiner()
    for page in pages:
        grids = _grids(page)
        in_grid: dict[int, list[Line]] = {i: [] for i in range(len(grids))}
        flowing: list[Line] = []
        for line in page.lines:
            g = _grid_of(line, grids)
            if g is None:
                flowing.append(line)
            else:
                in_grid[g].append(line)
        # blocks and tables in the order they stand on the page
        pieces: list[tuple[float, list[Block]]] = []
        for i, grid in enumerate(grids):
            rows = _grid_rows(grid, in_grid[i], page.number)
            if rows:
                pieces.append((grid.top, tables.add(grid, rows, page)))
        for chunk_top, chunk in _flow_chunks(flowing, grids):
            pieces.append((chunk_top, _paragraphs(chunk, style, page)))
        pieces.sort(key=lambda p: -p[0])
        for _, bs in pieces:
            blocks.extend(bs)
    blocks = _join_pages(blocks, style)
    _mark_headings(blocks, outline, style)
    return blocks


def _drop_furniture(pages: list[PageLines]) -> None:
    """Set aside running headers and footers, page numbers and protective markings."""
    n = len(pages)
    seen: Counter[str] = Counter()
    band_lines: list[tuple[PageLines, Line]] = []
    for page in pages:
        keys = set()
        for line in page.lines:
            if _in_band(line, page):
                band_lines.append((page, line))
                keys.add(_norm(line.text))
        seen.update(keys)
    repeated = max(2, -(-n * 3 // 10)) if n >= 2 else 10**9
    furniture: set[int] = set()
    for page, line in band_lines:
        text = line.text
        if is_page_furniture_text(text) or seen[_norm(text)] >= repeated:
            furniture.add(id(line))
    for page in pages:
        page.lines = [ln for ln in page.lines if id(ln) not in furniture and not _PAGE_OF.match(ln.text)]


def _in_band(line: Line, page: PageLines) -> bool:
    band = 0.12 * page.height
    return line.bottom >= page.height - band or line.top <= band


def _measure(pages: list[PageLines]) -> _Style:
    sizes: Counter[float] = Counter()
    lefts: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 11.0
    rights: list[float] = []
    pitches: list[float] = []
    for page in pages:
        prev: Optional[Line] = None
        for line in page.lines:
            if abs(line.size - body) < 0.6:
                lefts[round(line.x0)] += 1
                if not line.has_leader and len(line.cells(body * 1.6)) == 1:
                    rights.append(line.x1)  # running text only: a contents line's page number sits past it
                if prev is not None and abs(prev.size - body) < 0.6:
                    gap = prev.top - line.top
                    if body * 0.9 <= gap <= body * 2.0:
                        pitches.append(gap)
                prev = line
            else:
                prev = None
    left = float(lefts.most_common(1)[0][0]) if lefts else 72.0
    rights.sort()
    right = rights[int(len(rights) * 0.95)] if rights else 540.0
    pitch = statistics.median(pitches) if pitches else body * 1.3
    return _Style(body, left, right, pitch)


# ------------------------------------------------------------------------------ tables


def _grids(page: PageLines) -> list[Grid]:
    """Ruled tables on the page: clusters of horizontal borders sharing a width, with the
    vertical borders between them."""
    hs = sorted((r for r in page.rules if r.horizontal), key=lambda r: (round(r.x0), round(r.x1), -r.y1))
    vs = [r for r in page.rules if not r.horizontal and (r.x1 - r.x0) <= 2.5]
    groups: list[list[Rule]] = []
    for r in sorted(hs, key=lambda r: -r.y1):
        for g in groups:
            if abs(g[0].x0 - r.x0) <= 4 and abs(g[0].x1 - r.x1) <= 4 and g[-1].y0 - r.y1 < page.height * 0.5:
                g.append(r)
                break
        else:
            groups.append([r])
    grids: list[Grid] = []
    for g in groups:
        ys: list[float] = []
        for r in g:
            y = (r.y0 + r.y1) / 2
            if not ys or ys[-1] - y > 1.5:
                ys.append(y)
        if len(ys) < 2:
            continue
        x0, x1 = min(r.x0 for r in g), max(r.x1 for r in g)
        top, bottom = ys[0], ys[-1]
        cols: list[float] = []
        for v in sorted(vs, key=lambda v: v.x0):
            if x0 - 3 <= v.x0 <= x1 + 3 and v.y0 < top - 1 and v.y1 > bottom + 1:
                x = (v.x0 + v.x1) / 2
                if not cols or x - cols[-1] > 2:
                    cols.append(x)
        if len(ys) < 3 and len(cols) < 3:
            continue  # two lines and no columns: a rule above and below a paragraph, not a table
        if not cols or cols[0] - x0 > 3:
            cols.insert(0, x0)
        if cols[-1] < x1 - 3:
            cols.append(x1)
        grids.append(Grid(x0, x1, top, bottom, cols, ys))
    return grids


def _grid_of(line: Line, grids: list[Grid]) -> Optional[int]:
    mid = (line.top + line.bottom) / 2
    for i, g in enumerate(grids):
        if g.bottom <= mid <= g.top and line.x0 >= g.x0 - 3 and line.x1 <= g.x1 + 3:
            return i
    return None


def _grid_rows(grid: Grid, lines: list[Line], page: int) -> list[tuple[str, ...]]:
    ncols = max(1, len(grid.columns) - 1)
    rows: list[list[list[str]]] = [[[] for _ in range(ncols)] for _ in range(len(grid.rows) - 1)]
    for line in lines:
        mid = (line.top + line.bottom) / 2
        r = next((i for i in range(len(grid.rows) - 1) if grid.rows[i + 1] <= mid <= grid.rows[i]), None)
        if r is None:
            continue
        for s in line.segs:
            if s.is_leader:
                continue
            cx = (s.x0 + min(s.x1, s.x0 + 20)) / 2
            c = next((j for j in range(ncols) if grid.columns[j] - 2 <= cx <= grid.columns[j + 1] + 2), ncols - 1)
            cell = rows[r][c]
            if cell and not cell[-1].endswith((" ", "-")):
                cell.append(" ")
            cell.append(s.text)
    out = []
    for row in rows:
        cells = tuple(_SPACE.sub(" ", "".join(c)).strip() for c in row)
        if any(cells):
            out.append(cells)
    return out


class _TableJoiner:
    """Numbers tables across the document, and joins a table that runs on over a page: the
    same width and columns at the top of the next page continue it (a repeated header row
    is dropped, a row split by the break is put back together)."""

    def __init__(self) -> None:
        self.count = 0
        self.last: Optional[tuple[Grid, int, list[Block], int]] = None  # grid, page, rows, table id

    def add(self, grid: Grid, rows: list[tuple[str, ...]], page: PageLines) -> list[Block]:
        table = self.count
        start_row = 0
        prev_rows: list[Block] = []
        if self.last is not None:
            g, p, prev_rows, tid = self.last
            if p == page.number - 1 and abs(g.x0 - grid.x0) <= 4 and abs(g.x1 - grid.x1) <= 4 and len(g.columns) == len(grid.columns):
                table = tid
                start_row = (prev_rows[-1].row or 0) + 1 if prev_rows else 0
                if prev_rows and rows and rows[0] == _first_row(prev_rows):
                    rows = rows[1:]
                if prev_rows and rows and self._continues(prev_rows, rows[0]):
                    last = prev_rows[-1]
                    merged = tuple(" ".join(x for x in (a, b) if x) for a, b in zip(last.cells, rows[0]))
                    last.cells = merged
                    last.text = " | ".join(c for c in merged if c)
                    last.end_page = page.number
                    rows = rows[1:]
            else:
                prev_rows = []
        if table == self.count:
            self.count += 1
            prev_rows = []
        blocks = [
            Block(" | ".join(c for c in cells if c), page.number, "row", cells=cells, table=table, row=start_row + i)
            for i, cells in enumerate(rows)
        ]
        self.last = (grid, page.number, prev_rows + blocks, table)
        return blocks

    @staticmethod
    def _continues(prev_rows: list[Block], first: tuple[str, ...]) -> bool:
        """The rest of the last row, cut by the page break: its first cell is empty where the
        table's rows carry one (a number), or a cell goes on mid-sentence in lower case."""
        body = prev_rows[1:] or prev_rows
        if not first or not body:
            return False
        labelled = sum(1 for b in body if b.cells and b.cells[0].strip())
        if not first[0].strip() and labelled == len(body):
            return True
        last = prev_rows[-1].cells
        for before, after in zip(last, first):
            a = after.strip()
            if a and a[0].islower() and before.strip() and not _TERMINAL.search(before.strip()):
                return True
        return False


def _first_row(rows: list[Block]) -> tuple[str, ...]:
    first = min(rows, key=lambda b: b.row or 0)
    return first.cells


# -------------------------------------------------------------------------- paragraphs


def _flow_chunks(lines: list[Line], grids: list[Grid]) -> list[tuple[float, list[Line]]]:
    """The page's running text cut where a table stands, so text above and below a table
    never joins into one paragraph."""
    if not lines:
        return []
    cuts = sorted((g.top, g.bottom) for g in grids)
    chunks: list[tuple[float, list[Line]]] = []
    current: list[Line] = []
    for line in lines:
        if current and any(current[-1].bottom >= top and line.top <= bottom for top, bottom in cuts):
            chunks.append((current[0].top, current))
            current = []
        current.append(line)
    if current:
        chunks.append((current[0].top, current))
    return chunks


@dataclass
class _Draft:
    lines: list[Line]
    label: Optional[str]
    heading: bool
    toc: bool
    cont_x: float

    @property
    def last(self) -> Line:
        return self.lines[-1]


def _heading_like(line: Line, style: _Style) -> bool:
    text = line.text
    words = len(text.split())
    if words == 0 or words > 16 or len(text) > 140:
        return False
    if not re.search(r"[A-Za-z]", text):
        return False
    if line.size >= style.body + 1.0:
        return True
    if line.bold and line.size >= style.body - 0.6:
        return True
    letters = re.sub(r"[^A-Za-z]", "", text)
    return len(letters) >= 4 and words <= 10 and letters.isupper() and not text.rstrip().endswith((".", ","))


def _paragraphs(lines: list[Line], style: _Style, page: PageLines) -> list[Block]:
    drafts: list[_Draft] = []
    gap = max(style.body * 1.6, 14.0)
    for line in lines:
        text = line.text
        if not text:
            continue
        toc = line.has_leader and bool(re.search(r"(\d{1,4}|[ivxlc]{1,7})\s*$", text, re.IGNORECASE)) or bool(toc_match(text))
        if not toc:
            cells = line.cells(gap)
            toc = len(cells) >= 2 and bool(re.fullmatch(r"\d{1,4}", cells[-1][1])) and cells[-1][0] > style.right - 40 and len(cells[0][1]) > 2
        heading = not toc and _heading_like(line, style)
        label = label_of(text) if not toc else None
        d = drafts[-1] if drafts else None
        if d is not None and not toc and not d.toc and _continues(d, line, label, heading, style):
            d.lines.append(line)
            if len(d.lines) == 2:
                d.cont_x = line.x0
            continue
        cont = line.x0
        if label:
            rest = text[len(label):].lstrip()
            cont = _text_x(line, rest) or line.x0
        drafts.append(_Draft([line], label, heading, toc, cont))
    return [_block(d, style, page) for d in drafts]


def _text_x(line: Line, rest: str) -> Optional[float]:
    """Where the text after a label starts (a hanging indent's continuation lines align there)."""
    if len(line.segs) >= 2 and line.segs[0].text.strip() and len(line.segs[0].text.strip()) <= 6:
        return line.segs[1].x0
    return None


def _continues(d: _Draft, line: Line, label: Optional[str], heading: bool, style: _Style) -> bool:
    prev = d.last
    if label is not None:
        return False
    if abs(line.size - prev.size) > 0.6 or line.bold != prev.bold and not d.heading and heading:
        return False
    pitch = prev.top - line.top
    normal = style.pitch * (prev.size / style.body if style.body else 1)
    if pitch > max(normal * 1.45, prev.size * 1.9):
        return False
    if d.heading:
        # a heading may run to a second line in the same style; never into body text
        return heading and len(d.lines) < 3 and line.size == prev.size and line.bold == prev.bold
    if heading and line.size >= style.body + 1.0:
        return False
    # the previous line stopped short of the margin when this line's first word would have
    # fitted on it: the author ended it there (a paragraph's end, a heading, a list entry)
    first_word = line.text.split(" ", 1)[0]
    seg = line.segs[0]
    per_char = (seg.x1 - seg.x0) / max(1, len(seg.text)) if seg.text else line.size * 0.5
    if prev.x1 + (len(first_word) + 1) * max(per_char, line.size * 0.45) < style.right - 2 and not prev.text.endswith("-"):
        return False
    if line.x0 < d.cont_x - 6 and not (len(d.lines) == 1 and line.x0 >= style.left - 6):
        return False
    if line.x0 > max(d.cont_x, d.lines[0].x0) + 14:
        return False
    return True


def _block(d: _Draft, style: _Style, page: PageLines) -> Block:
    text = _merge_lines([ln.text for ln in d.lines])
    first = d.lines[0]
    if d.toc:
        return Block(text, page.number, "para", toc_entry=True)
    big = first.size >= style.body + 1.0
    emphasised = big or first.bold
    last = d.lines[-1]
    runs_on = last.x1 >= style.right - max(30.0, 0.09 * (style.right - style.left)) and not _TERMINAL.search(text)
    look = _rank_hint(first, style)
    if d.heading and len(text.split()) <= 25:
        return Block(text, page.number, "heading", label=label_of(text), emphasised=True, look=look)
    kind = "item" if d.label else "para"
    depth = 0
    if d.label:
        depth = max(0, round((first.x0 - style.left) / 18)) if d.label in BULLETS or not d.label[0].isdigit() else max(0, label_depth(d.label) - 1)
    return Block(text, page.number, kind, label=d.label, depth=depth, emphasised=emphasised, runs_on=runs_on, look=look)


def _rank_hint(line: Line, style: _Style) -> int:
    """Sort key for heading levels: bigger first, then bold, stored until levels are set."""
    return int(round((line.size - style.body) * 2)) * 2 + (1 if line.bold else 0)


def _merge_lines(texts: list[str]) -> str:
    out = ""
    for t in texts:
        if not out:
            out = t
        elif out.endswith("-") and not out.endswith(" -") and t[:1].isalpha():
            out = out + t  # a hyphenated word broken at the line's end ("multi-" "agency")
        else:
            out = out + " " + t
    return out.strip()


def _join_pages(blocks: list[Block], style: _Style) -> list[Block]:
    """A paragraph or list item cut by a page break, put back together: it did not end
    with a full stop, and the next page goes on with plain text (no label, no heading)."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and b.page == prev.last_page + 1
            and prev.kind in ("para", "item")
            and not prev.toc_entry
            and b.kind == "para"
            and not b.toc_entry
            and not b.emphasised
            and b.label is None
            and not _TERMINAL.search(prev.text)
            and (prev.runs_on or b.text[:1].islower())
        ):
            prev.text = _merge_lines([prev.text, b.text])
            prev.end_page = b.page
            prev.runs_on = b.runs_on
            continue
        out.append(b)
    return out


def _mark_headings(blocks: list[Block], outline: list[tuple[int, str, int]], style: _Style) -> None:
    """Set heading levels: the bookmarks' where a heading is one, else by look and numbering.
    A short numbered line standing alone between paragraphs is a heading too."""
    by_page: dict[int, list[tuple[int, str]]] = {}
    for level, title, page in outline:
        by_page.setdefault(page, []).append((level, _heading_key(title)))
    max_outline = max((lv for lv, _, _ in outline), default=0)
    for i, b in enumerate(blocks):
        if b.kind == "row" or b.toc_entry:
            continue
        key = _heading_key(b.text)
        matched = None
        for level, title in by_page.get(b.page, ()):
            if key and title and (key == title or (len(title) >= 4 and key.startswith(title) and len(key) - len(title) <= 6 and not key[len(title):].isdigit()) or (len(key) >= 0.6 * len(title) and title.startswith(key))):
                matched = level
                break
        if matched is not None and len(b.text.split()) <= 25:
            b.kind, b.level, b.emphasised = "heading", matched, True
            b.label = label_of(b.text)
            continue
        if b.kind == "item" and standalone_numbered(blocks, i):
            b.kind = "heading"
            b.depth = -1  # numbered, not set apart by look
    # headings the bookmarks do not list take the level of the bookmarked headings that
    # look like them (a title set larger than every chapter heading comes first)
    looks_of_level: dict[int, list[int]] = {}
    for b in blocks:
        if b.kind == "heading" and b.level is not None:
            looks_of_level.setdefault(b.level, []).append(b.look)
    typical = {lv: statistics.median_low(v) for lv, v in looks_of_level.items()}
    keys: dict[int, tuple[int, int]] = {}
    for i, b in enumerate(blocks):
        if b.kind != "heading" or b.level is not None:
            continue
        numbered_only = b.depth == -1
        b.depth = 0
        if not numbered_only and typical:
            stronger = [lv for lv, look in typical.items() if b.look >= look]
            if stronger:
                b.level = min(stronger)
                continue
        # stronger look first, then shallower numbering; numbered lines alone come last
        keys[i] = (1000, max(1, label_depth(b.label))) if numbered_only else (-b.look, label_depth(b.label))
    order = sorted(set(keys.values()))
    for i, key in keys.items():
        blocks[i].level = max_outline + 1 + order.index(key)


def standalone_numbered(blocks: list[Block], i: int) -> bool:
    b = blocks[i]
    if not b.label or not b.label[0].isdigit():
        return False
    words = b.text.split()
    if len(words) > 9 or _TERMINAL.search(b.text) and not b.text.endswith(":") or b.end_page:
        return False
    if len(words) < 2 or not words[1][:1].isupper():
        return False
    near = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
    # a list of short numbered items is a list, not a run of headings
    return not any(n.kind == "item" and n.label and n.label[0].isdigit() and len(n.text.split()) <= 12 for n in near)
