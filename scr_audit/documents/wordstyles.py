"""A Word file's paragraph styles, resolved: what a paragraph in a style looks like.

A style inherits from the one it is based on, and everything falls back to the document's
defaults, so "is this a heading, how big is its text, is it numbered" has to follow that
chain. Only what scan needs is resolved: heading and outline levels, table-of-contents
styles, size and weight, spacing (for estimating pages), numbering and page breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_HEADING = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_TOC = re.compile(r"^(?:toc|contents|table of contents|inhaltsverzeichnis)\s*\d$", re.IGNORECASE)
_TRUE = ("1", "true", "on", None)


def on(el: Any) -> Optional[bool]:
    """A Word on/off property (<w:b/>, <w:b w:val="0"/>): True, False, or None if absent."""
    if el is None:
        return None
    return el.get(W + "val") in _TRUE


def twips(value: Optional[str]) -> Optional[float]:
    """Twentieths of a point, as Word stores spacing and sizes of pages, to points."""
    try:
        return int(value) / 20 if value is not None else None
    except ValueError:
        return None


@dataclass
class ParaLook:
    """The resolved look of a paragraph style."""

    name: str = ""
    heading: Optional[int] = None  # 0 the title, 1.. heading levels
    toc: bool = False
    toc_heading: bool = False
    size: float = 10.0
    bold: bool = False
    caps: bool = False
    space_before: float = 0.0
    space_after: float = 0.0
    line: tuple[str, float] = ("auto", 1.0)  # ("auto", multiple) or ("exact"/"atLeast", points)
    num: Optional[tuple[str, int]] = None  # (numId, level)
    break_before: bool = False
    left_indent: float = 0.0
    #: No space between paragraphs of this same style (list items, typically).
    contextual: bool = False
    #: Kept on the page of the paragraph after it (headings).
    keep_next: bool = False


@dataclass
class _Raw:
    based_on: Optional[str]
    name: str
    ppr: Any
    rpr: Any


@dataclass
class Styles:
    """Paragraph styles of one document, resolved on demand and remembered."""

    raw: dict[str, _Raw] = field(default_factory=dict)
    default_ppr: Any = None
    default_rpr: Any = None
    default_id: Optional[str] = None
    _cache: dict[Optional[str], ParaLook] = field(default_factory=dict)

    @classmethod
    def of(cls, element: Any) -> "Styles":
        out = cls()
        if element is None:
            return out
        defaults = element.find(W + "docDefaults")
        if defaults is not None:
            out.default_ppr = defaults.find(f"{W}pPrDefault/{W}pPr")
            out.default_rpr = defaults.find(f"{W}rPrDefault/{W}rPr")
        for st in element.iterfind(W + "style"):
            if st.get(W + "type") not in ("paragraph", None):
                continue
            sid = st.get(W + "styleId") or ""
            name_el = st.find(W + "name")
            based = st.find(W + "basedOn")
            out.raw[sid] = _Raw(
                based.get(W + "val") if based is not None else None,
                name_el.get(W + "val") if name_el is not None else sid,
                st.find(W + "pPr"),
                st.find(W + "rPr"),
            )
            if st.get(W + "default") in ("1", "true", "on") and out.default_id is None:
                out.default_id = sid
        return out

    def look(self, style_id: Optional[str]) -> ParaLook:
        key = style_id if style_id in self.raw else self.default_id
        if key in self._cache:
            return self._cache[key]
        chain: list[_Raw] = []
        seen: set[str] = set()
        sid = key
        while sid is not None and sid in self.raw and sid not in seen and len(chain) < 20:
            seen.add(sid)
            chain.append(self.raw[sid])
            sid = self.raw[sid].based_on
        look = ParaLook(name=chain[0].name if chain else "")
        pprs = [r.ppr for r in chain if r.ppr is not None] + ([self.default_ppr] if self.default_ppr is not None else [])
        rprs = [r.rpr for r in chain if r.rpr is not None] + ([self.default_rpr] if self.default_rpr is not None else [])
        names = [r.name for r in chain]
        for n in names:
            m = _HEADING.match(n.strip())
            if m:
                look.heading = int(m.group(1))
                break
            if n.strip().lower() == "title":
                look.heading = 0
                break
        if look.heading is None:
            level = _first(pprs, lambda p: p.find(W + "outlineLvl"))
            if level is not None:
                try:
                    v = int(level.get(W + "val"))
                    look.heading = v + 1 if v < 9 else None
                except (TypeError, ValueError):
                    pass
        look.toc = any(_TOC.match(n.strip()) for n in names[:1])
        look.toc_heading = bool(names) and names[0].strip().lower() in ("toc heading", "contents heading")
        sz = _first(rprs, lambda r: r.find(W + "sz"))
        if sz is not None:
            try:
                look.size = int(sz.get(W + "val")) / 2
            except (TypeError, ValueError):
                pass
        look.bold = bool(on(_first(rprs, lambda r: r.find(W + "b"))))
        look.caps = bool(on(_first(rprs, lambda r: r.find(W + "caps"))))
        spacing = [p.find(W + "spacing") for p in pprs]
        spacing = [s for s in spacing if s is not None]
        look.space_before = next((v for s in spacing if (v := twips(s.get(W + "before"))) is not None), 0.0)
        look.space_after = next((v for s in spacing if (v := twips(s.get(W + "after"))) is not None), 0.0)
        look.line = next((line_rule(s) for s in spacing if s.get(W + "line") is not None), ("auto", 1.0))
        num = _first(pprs, lambda p: p.find(W + "numPr"))
        if num is not None:
            look.num = num_ref(num, default_level=0)
        look.break_before = bool(on(_first(pprs, lambda p: p.find(W + "pageBreakBefore"))))
        look.contextual = bool(on(_first(pprs, lambda p: p.find(W + "contextualSpacing"))))
        look.keep_next = bool(on(_first(pprs, lambda p: p.find(W + "keepNext"))))
        ind = _first(pprs, lambda p: p.find(W + "ind"))
        if ind is not None:
            look.left_indent = twips(ind.get(W + "left") or ind.get(W + "start")) or 0.0
        self._cache[key] = look
        return look


def line_rule(spacing: Any) -> tuple[str, float]:
    rule = spacing.get(W + "lineRule") or "auto"
    try:
        value = int(spacing.get(W + "line"))
    except (TypeError, ValueError):
        return ("auto", 1.0)
    if rule == "auto":
        return ("auto", value / 240)
    return (rule, value / 20)


def num_ref(num_pr: Any, default_level: int = 0) -> Optional[tuple[str, int]]:
    nid = num_pr.find(W + "numId")
    lvl = num_pr.find(W + "ilvl")
    if nid is None:
        return None
    num_id = nid.get(W + "val")
    if num_id in (None, "0"):
        return None  # numId 0 switches numbering off
    try:
        level = int(lvl.get(W + "val")) if lvl is not None else default_level
    except (TypeError, ValueError):
        level = default_level
    return (num_id, max(0, min(level, 8)))


def _first(elements: list[Any], get: Any) -> Any:
    for el in elements:
        found = get(el)
        if found is not None:
            return found
    return None
