"""A report's recommendations: how many, where, and whether each says who acts and by when.

Reports set them out in many ways, and all are counted the same way here:

- numbered items under a Recommendations heading ("1.", "9.2", "a)", or Word's own list
  numbers), counting the outermost level only (the points under a recommendation are part
  of it);
- "Recommendation 1: ..." paragraphs, under such a heading or anywhere in the report;
- bullets under a Recommendations heading, when nothing there is numbered;
- rows of a table with a Recommendation(s) column (or a numbered table under the heading).

A report may list its recommendations twice (in the executive summary and in their own
chapter), so where several lists are found the one in the body of the report is used, and
the others are named. What a recommendation says about who acts and by when is read from
its words (the Board, the partnership, a named agency; "within six months", "by March
2027"), or from a table's lead and timescale columns; whether it is clear and specific is
the assessor's judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from scr_audit.documents.layout import BULLETS, label_depth
from scr_audit.documents.model import Block
from scr_audit.scanning.sections import APPENDIX, SUMMARY, Found, Parts, is_heading_like

HEADING = re.compile(
    r"^\s*(?:(?:\d{1,3}\.)*\d{1,3}\.?\s+|[A-Z]\.\s+|[IVX]{1,5}\.\s+)?(?:(?:part|section|chapter)\s+\w+\s*[:.\-–—]?\s*)?"
    r"(?:(?:the|our|summary\s+of(?:\s+the)?|list\s+of(?:\s+the)?)\s+)?"
    r"(?:(?:findings|conclusions?|learning|lessons(?:\s+learned)?|key\s+learning)\s+(?:and|&)\s+)?"
    r"recommendations?(?:\s+(?:for|to|of|and|made|arising)\b[^.]{0,60})?\s*:?\s*$",
    re.IGNORECASE,
)
#: "Recommendation 3: ...", "Recommendation 3 - ...", "Rec 3.", "R3:" at the start of a paragraph.
NUMBERED = re.compile(r"^\s*(?:recommendation|rec\.?)\s*(?:no\.?\s*)?(?P<n>\d{1,3}|[ivx]{1,6}|[a-z])\b\s*[:.)\-–—]?\s*(?P<rest>.*)$|^\s*R(?P<r>\d{1,3})\s*[:.)\-–—]\s*(?P<rrest>.*)$", re.IGNORECASE | re.DOTALL)
_COLUMN = re.compile(r"^\s*(?:recommendations?|recommendation\s+text|what\s+(?:is\s+)?recommended)\b", re.IGNORECASE)
_NUMBER_COLUMN = re.compile(r"^\s*(?:no\.?|number|#|ref(?:erence)?\.?|rec\.?\s*no\.?)\s*$", re.IGNORECASE)
_LEAD_COLUMN = re.compile(r"^\s*(?:lead|owner|who|responsib|agency|addressed|by\s+whom|action\s+by)", re.IGNORECASE)
_WHEN_COLUMN = re.compile(r"^\s*(?:timescale|time\s*scale|by\s+when|when|deadline|target|date|due|completion)", re.IGNORECASE)
#: Who a recommendation is addressed to: the Board or partnership, or a named agency.
WHO = re.compile(
    r"\b(?:(?:the\s+)?(?:local\s+)?safeguarding\s+(?:children\s+|adults\s+)?(?:board|partnership|arrangements)|lscb|lscp|scp|"
    r"(?:the\s+)?(?:board|partnership|partners|executive)\b|local\s+authority|(?:city|county|borough|district)?\s*council|"
    r"children'?s\s+(?:social\s+care|services)|(?:adult|children'?s)?\s*social\s+care|early\s+help\s+service|police|constabulary|"
    r"health\s+visit(?:ing|ors?)(?:\s+service)?|school\s+nurs(?:ing|es?)|nhs(?:\s+(?:england|trusts?))?|(?:hospital|foundation|health|nhs|mental\s+health)\s+trusts?|the\s+trust|"
    r"ccgs?|clinical\s+commissioning\s+groups?|integrated\s+care\s+(?:boards?|systems?)|icbs?|gp\s+practices?|general\s+practi(?:ce|tioners)|"
    r"primary\s+care|schools?|academ(?:y|ies)|education(?:\s+services?)?|nurser(?:y|ies)|early\s+years(?:\s+settings?)?|probation|"
    r"youth\s+(?:offending|justice)(?:\s+service|\s+team)?|camhs|hospitals?|ambulance\s+service|housing(?:\s+(?:services?|providers?|department))?|"
    r"designated\s+(?:nurse|doctor|professionals?|safeguarding\s+\w+)|public\s+health|midwifery(?:\s+service)?|maternity\s+services?|"
    r"(?:all|partner|relevant|member|each|every|statutory)\s+(?:partner\s+)?agenc(?:y|ies)|agencies|department\s+for\s+education|dfe|ofsted|home\s+office|cafcass|"
    r"director\s+of\s+children'?s\s+services|independent\s+chair|the\s+chair|business\s+(?:manager|unit)|"
    r"(?:learning(?:\s+and\s+development)?|training|quality\s+assurance|case\s+review)\s+sub-?\s*groups?|sub-?groups?|commissioners?|"
    r"multi-agency\s+safeguarding\s+hub|mash|children'?s\s+trust|substance\s+misuse\s+services?|domestic\s+abuse\s+services?)\b",
    re.IGNORECASE,
)
_NUMBERS = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty[- ]four)"
_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
#: A timescale: a period, a date to act by, a reporting interval.
WHEN = re.compile(
    rf"\b(?:within\s+(?:the\s+next\s+)?{_NUMBERS}\s+(?:weeks?|months?|years?)|(?:in|after|over)\s+(?:the\s+next\s+)?{_NUMBERS}\s+(?:weeks?|months?)|"
    rf"{_NUMBERS}[- ]months?\s+(?:time|review|report)|"
    rf"by\s+(?:the\s+)?(?:end\s+of\s+)?(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTHS}\s+)?(?:(?:19|20)\d\d|(?:the\s+)?(?:financial\s+)?year|(?:the\s+)?(?:first|second|third|fourth|next)\s+quarter|q[1-4])|"
    rf"by\s+\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:no\s+later\s+than|before)\s+(?:(?:\d{{1,2}}\s+)?{_MONTHS}\s+)?(?:19|20)\d\d|"
    r"quarterly|annually|every\s+\w+\s+months?|monthly|bi-?annually|six-?monthly|"
    r"time\s*scales?\s*:|deadline|target\s+date|report(?:ing)?\s+back\s+(?:to\s+the\s+\w+\s+)?(?:in|within|by)\b)",
    re.IGNORECASE,
)
_GENERIC = re.compile(r"^\s*(?:practitioners|professionals|staff|workers|managers|all\s+staff|learning|lessons|it)\b", re.IGNORECASE)


@dataclass
class Recommendation:
    number: int  # its place in the list, from 1
    label: str  # as the report numbers it ("3.", "9.2", "Recommendation 3", "•", row 3)
    text: str
    page: int
    end_page: Optional[int] = None
    who: Optional[str] = None
    when: Optional[str] = None


@dataclass
class Found_:
    """The recommendations found, where, and how they were set out."""

    items: list[Recommendation]
    heading: Optional[Block]
    how: str  # "numbered items", "Recommendation N paragraphs", "bullets", "table rows"
    others: list[tuple[Block, int]] = field(default_factory=list)  # other lists: heading, count


def find(parts: Parts) -> Optional[Found_]:
    """The report's recommendations, or None when it has no Recommendations heading and
    no "Recommendation N" paragraph or recommendations table anywhere."""
    candidates: list[tuple[Found, Found_]] = []
    for heading in parts.headings(HEADING):
        if heading.block.kind != "heading" and not heading.block.emphasised and not _stands_alone(parts, heading.index):
            continue
        got = _under(parts, heading)
        if got is not None:
            candidates.append((heading, got))
    singular = [(h, g) for h, g in candidates if _singular(h.block)]
    if len(singular) >= 2 and len(singular) == len(candidates) and all(len(g.items) <= 2 for _, g in singular):
        # a "Recommendation" heading under each finding: together they are the list
        items = [r for _, g in singular for r in g.items]
        for k, r in enumerate(items, 1):
            r.number = k
        return Found_(items, singular[0][0].block, f"one under each of {len(singular)} Recommendation headings")
    if candidates:
        chosen = _choose(parts, candidates)
        chosen[1].others = [(h.block, len(g.items)) for h, g in candidates if h is not chosen[0]]
        return chosen[1]
    # no heading: "Recommendation N" paragraphs anywhere, else a recommendations table
    blocks = [(i, b) for i, b in enumerate(parts.blocks) if i not in parts.in_contents and not b.toc_entry]
    numbered = _numbered_paragraphs(parts.blocks, [i for i, _ in blocks])
    if numbered:
        return Found_(numbered, None, "Recommendation N paragraphs")
    table = _tables(parts.blocks, [i for i, _ in blocks], require_column=True)
    if table:
        return Found_(table, None, "table rows")
    return None


def _singular(b: Block) -> bool:
    text = re.sub(r"^\s*(?:(?:\d{1,3}\.)*\d{1,3}\.?\s+)", "", b.text).strip().rstrip(":").strip()
    return text.lower() == "recommendation"


def _stands_alone(parts: Parts, index: int) -> bool:
    b = parts.blocks[index]
    return len(b.text.split()) <= 8


def _choose(parts: Parts, candidates: list[tuple[Found, Found_]]) -> tuple[Found, Found_]:
    """The list in the body of the report: not the summary's, not an appendix's; the longest."""
    summary = parts.summary()
    summary_span = parts.extent(summary) if summary else (-1, -1)
    appendix = parts.appendices()
    appendix_start = appendix[0].index if appendix else len(parts.blocks)

    def rank(item: tuple[Found, Found_]) -> tuple[int, int, int]:
        h, got = item
        in_summary = summary_span[0] <= h.index <= summary_span[1]
        in_appendix = h.index >= appendix_start
        return (0 if not in_summary and not in_appendix else 1 if in_summary else 2, -len(got.items), -h.index)

    return sorted(candidates, key=rank)[0]


def _under(parts: Parts, heading: Found) -> Optional[Found_]:
    first, last = _span(parts, heading)
    idx = [i for i in range(first, last + 1) if i not in parts.in_contents and not parts.blocks[i].toc_entry]
    if not idx:
        return None
    blocks = parts.blocks
    numbered = _numbered_paragraphs(blocks, idx)
    if len(numbered) >= 2:
        return Found_(numbered, heading.block, "Recommendation N paragraphs")
    table = _tables(blocks, idx, require_column=True)
    if table:
        return Found_(table, heading.block, "table rows")
    items = _items(blocks, idx)
    if items:
        return items_found(items, heading.block)
    table = _tables(blocks, idx, require_column=False)  # a numbered table, its column not named
    if table:
        return Found_(table, heading.block, "table rows")
    if numbered:  # a single "Recommendation 1", and nothing else there
        return Found_(numbered, heading.block, "Recommendation N paragraphs")
    plain = _plain_paragraphs(blocks, idx)
    if plain:
        return Found_(plain, heading.block, "paragraphs")
    return None


_RECOMMENDS = re.compile(r"^\s*that\s+the\b|\b(?:should|must|is\s+recommended|are\s+recommended|needs?\s+to|will\s+need\s+to|(?:is|are|be)\s+asked\s+to|recommends?\s+that)\b", re.IGNORECASE)


def _plain_paragraphs(blocks: list[Block], idx: list[int]) -> list[Recommendation]:
    """Neither numbered nor bulleted: each paragraph under the heading that asks someone to act."""
    out: list[Recommendation] = []
    for i in idx:
        b = blocks[i]
        if b.kind != "para" or b.toc_entry or len(b.text.split()) < 6 or not _RECOMMENDS.search(b.text):
            continue
        if b.text.rstrip().endswith(":"):
            continue  # "The review recommends that:" introduces them
        out.append(_rec(len(out) + 1, f"paragraph {len(out) + 1}", b.text, b))
    return out


def items_found(items: tuple[list[Recommendation], str], heading: Block) -> Found_:
    return Found_(items[0], heading, items[1])


def _span(parts: Parts, heading: Found) -> tuple[int, int]:
    """The blocks under a Recommendations heading: up to the next heading as strong as it,
    going on past headings that only group the recommendations ("For the Board")."""
    blocks = parts.blocks
    level = parts.level_of(heading)
    j = heading.index + 1
    while j < len(blocks):
        b = blocks[j]
        if j in parts.in_contents:
            j += 1
            continue
        strong = b.kind == "heading" and (b.level is None or b.level <= level)
        if not strong and b.kind != "heading" and is_heading_like(b) and b.emphasised and b.look > heading.block.look and heading.block.look > 0:
            strong = True
        if strong:
            if APPENDIX.match(b.text) or SUMMARY.match(b.text) or not _groups(b):
                break
        j += 1
    return heading.index + 1, j - 1


def _groups(b: Block) -> bool:
    """A heading that groups recommendations by who they are for ("For the Board",
    "Health agencies"), rather than a new part of the report."""
    text = b.text.strip().rstrip(":")
    if len(text.split()) > 8 or b.label and b.label[:1].isdigit() and "." not in b.label.rstrip("."):
        return False
    return bool(re.match(r"^(?:for|to)\s+", text, re.IGNORECASE) or (WHO.search(text) and not re.search(r"conclu|learning|finding|appendix|reference", text, re.IGNORECASE)))


def _numbered_paragraphs(blocks: list[Block], idx: list[int]) -> list[Recommendation]:
    """ "Recommendation N" paragraphs (or headings, with the paragraph after them)."""
    out: list[Recommendation] = []
    seen: set[str] = set()
    for k, i in enumerate(idx):
        b = blocks[i]
        if b.kind == "row":
            continue
        m = NUMBERED.match(b.full_text)
        if not m:
            continue
        n = (m.group("n") or m.group("r") or "").lower()
        rest = (m.group("rest") if m.group("n") else m.group("rrest")) or ""
        if n in seen:
            continue
        if not rest.strip() or len(rest.split()) < 3:
            # "Recommendation 3" as a heading: its text is the next paragraph
            nxt = next((blocks[j] for j in idx[k + 1 : k + 3] if blocks[j].kind in ("para", "item")), None)
            if nxt is None or NUMBERED.match(nxt.full_text):
                if not rest.strip():
                    continue
            else:
                rest = (rest + " " + nxt.full_text).strip()
        seen.add(n)
        label = f"Recommendation {m.group('n')}" if m.group("n") else f"R{m.group('r')}"
        out.append(_rec(len(out) + 1, label, rest.strip(), b))
    return out


def _items(blocks: list[Block], idx: list[int]) -> Optional[tuple[list[Recommendation], str]]:
    """Numbered items at the outermost level; else bullets at the outermost level."""
    listed = [i for i in idx if blocks[i].kind in ("item", "heading") and blocks[i].label]
    numbered = [i for i in listed if _numeric(blocks[i].label)]
    # headings numbered "9.1 ..." directly under "9. Recommendations" count only if they
    # read as recommendations (a sentence), not as sub-headings
    numbered = [i for i in numbered if blocks[i].kind == "item" or _reads_as_recommendation(blocks[i])]
    # a numbered paragraph that introduces the list ("9.1 The review makes these recommendations:")
    numbered = [i for i in numbered if not blocks[i].text.rstrip().endswith(":")]
    if numbered:
        depth = min(_depth(blocks[i]) for i in numbered)
        chosen = [i for i in numbered if _depth(blocks[i]) == depth]
        chosen = _one_sequence(blocks, chosen)
        # where every paragraph is numbered, the first under the heading may introduce the
        # recommendations rather than make one: leading items that ask no one to act go
        reading = [_RECOMMENDS.search(blocks[i].text) is not None for i in chosen]
        if sum(reading) * 4 >= len(chosen) * 3:
            while chosen and not reading[0]:
                chosen, reading = chosen[1:], reading[1:]
        out = [_rec(k + 1, blocks[i].label or "", blocks[i].text, blocks[i], strip_label=True) for k, i in enumerate(chosen)]
        return out, "numbered items"
    bullets = [i for i in listed if blocks[i].label in BULLETS or blocks[i].label and blocks[i].label[0] in BULLETS]
    if bullets:
        depth = min(blocks[i].depth for i in bullets)
        chosen = [i for i in bullets if blocks[i].depth == depth]
        out = [_rec(k + 1, blocks[i].label or "•", blocks[i].text, blocks[i], strip_label=True) for k, i in enumerate(chosen)]
        return out, "bullets"
    return None


def _numeric(label: Optional[str]) -> bool:
    return bool(label) and (label[0].isdigit() or bool(re.fullmatch(r"\(?[a-z]\)|[a-z][.)]|\(?[ivx]{1,5}\)|[ivx]{1,5}[.)]", label)))  # type: ignore[arg-type]


def _depth(b: Block) -> int:
    if b.label and b.label[0].isdigit():
        return max(b.depth, label_depth(b.label) - 1) if b.kind == "heading" else b.depth if b.depth else label_depth(b.label) - 1
    return b.depth + 1  # a letter list sits under a numbered one when both are present


def _reads_as_recommendation(b: Block) -> bool:
    words = b.text.split()
    return len(words) >= 8 or bool(re.search(r"\bshould\b|\bmust\b|\bto\s+(?:ensure|review|consider)\b", b.text, re.IGNORECASE))


def _one_sequence(blocks: list[Block], chosen: list[int]) -> list[int]:
    """Keep the items of one numbered list: a number that does not follow on ("2019 saw...")
    is dropped, a list that starts again at 1 under a new group heading is kept."""
    out: list[int] = []
    prev: Optional[int] = None
    for i in chosen:
        n = _last_number(blocks[i].label or "")
        if n is None or prev is None or n in (prev + 1, 1) or n == prev + 2:
            out.append(i)
            prev = n if n is not None else prev
    return out


def _last_number(label: str) -> Optional[int]:
    parts = [p for p in re.split(r"[.)(]", label) if p]
    if not parts:
        return None
    last = parts[-1]
    if last.isdigit():
        return int(last)
    if len(last) == 1 and last.isalpha():
        return ord(last.lower()) - ord("a") + 1
    return None


def _tables(blocks: list[Block], idx: list[int], *, require_column: bool) -> list[Recommendation]:
    """Rows of a table with a Recommendation column, or (under the heading) a table whose
    rows are numbered."""
    rows = [i for i in idx if blocks[i].kind == "row"]
    if not rows:
        return []
    by_table: dict[int, list[int]] = {}
    for i in rows:
        by_table.setdefault(blocks[i].table or 0, []).append(i)
    out: list[Recommendation] = []
    for table, members in by_table.items():
        # the header row: the first (of the first three) that names a Recommendation column
        # among other columns; a title row spanning the table above it is not the header
        first = 0
        for k in range(min(3, len(members))):
            row = blocks[members[k]].cells
            if any(_COLUMN.match(t) for t in row) and sum(1 for t in row if t.strip()) >= 2:
                first = k
                break
        members = members[first:]
        header = blocks[members[0]]
        col = next((c for c, text in enumerate(header.cells) if _COLUMN.match(text)), None)
        numcol = next((c for c, text in enumerate(header.cells) if _NUMBER_COLUMN.match(text)), None)
        lead = next((c for c, text in enumerate(header.cells) if _LEAD_COLUMN.match(text)), None)
        when = next((c for c, text in enumerate(header.cells) if _WHEN_COLUMN.match(text)), None)
        body = members[1:] if (col is not None or numcol is not None or lead is not None) else members
        if col is None:
            if require_column:
                continue
            numbered = [i for i in body if blocks[i].cells and re.fullmatch(r"\(?[A-Za-z]?\d{1,3}[.)]?|[a-z][.)]", blocks[i].cells[0].strip())]
            if len(numbered) < max(1, len(body) // 2):
                continue
            col = 1 if len(header.cells) > 1 else 0
        for i in body:
            b = blocks[i]
            if col >= len(b.cells) or not b.cells[col].strip():
                continue
            text = b.cells[col].strip()
            if _COLUMN.match(text) and len(text.split()) <= 3:
                continue  # a repeated header row
            label = b.cells[numcol].strip() if numcol is not None and numcol < len(b.cells) and b.cells[numcol].strip() else f"row {len(out) + 1}"
            rec = _rec(len(out) + 1, label, text, b)
            if lead is not None and lead < len(b.cells) and b.cells[lead].strip():
                rec.who = b.cells[lead].strip()
            if when is not None and when < len(b.cells) and b.cells[when].strip():
                rec.when = b.cells[when].strip()
            out.append(rec)
        if out:
            return out
    return out


def _rec(number: int, label: str, text: str, b: Block, *, strip_label: bool = False) -> Recommendation:
    if strip_label and label and text.startswith(label):
        text = text[len(label):].strip()
    who = _who(text)
    when = WHEN.search(text)
    return Recommendation(number, label, text, b.page, b.end_page, who, when.group(0) if when else None)


def _who(text: str) -> Optional[str]:
    """Who the recommendation asks to act, from its words; None for "practitioners should"."""
    m = WHO.search(text)
    if m is None:
        return None
    if _GENERIC.match(text) and m.start() > 40:
        return None
    return re.sub(r"\s+", " ", m.group(0)).strip()
