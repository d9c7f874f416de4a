"""Word's automatic list and heading numbers, worked out as Word shows them.

A numbered paragraph in a .docx holds no number: "3." or "9.2" is drawn by Word from the
numbering definitions, counting the paragraphs of the same list. Scan needs those labels
to quote a recommendation as the reader sees it ("9.2 The Board should...") and to know a
list's depth, so this module counts them the same way: each list keeps its counters, a
level's counter restarts when a shallower level moves on, and a list definition may say
where it starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from scr_audit.documents.wordstyles import W, twips

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
#: Bullet characters drawn from symbol fonts (their private-use code points) and what they look like.
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "o": "o", "": "•"}


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart_after: Optional[int] = None  # lvlRestart: restart after this (0-based) level moves on
    indent: Optional[float] = None  # the level's left indent (points), where it sets one


@dataclass
class Numbering:
    """The numbering definitions of one document, and the counters as paragraphs pass."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = field(default_factory=dict)
    _counters: dict[str, list[Optional[int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, element: Any) -> "Numbering":
        out = cls()
        if element is None:
            return out
        for an in element.iterfind(W + "abstractNum"):
            out.abstract[an.get(W + "abstractNumId") or ""] = {lv: level for lv, level in _levels(an)}
        for num in element.iterfind(W + "num"):
            aid = num.find(W + "abstractNumId")
            starts: dict[int, int] = {}
            overrides: dict[int, Level] = {}
            for ov in num.iterfind(W + "lvlOverride"):
                try:
                    ilvl = int(ov.get(W + "ilvl") or 0)
                except ValueError:
                    continue
                so = ov.find(W + "startOverride")
                if so is not None:
                    try:
                        starts[ilvl] = int(so.get(W + "val") or 1)
                    except ValueError:
                        pass
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    overrides[ilvl] = _level(lvl)
            out.nums[num.get(W + "numId") or ""] = (aid.get(W + "val") if aid is not None else "", starts, overrides)
        return out

    def level(self, num_id: str, ilvl: int) -> Optional[Level]:
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        aid, _, overrides = entry
        return overrides.get(ilvl) or self.abstract.get(aid, {}).get(ilvl)

    def next_label(self, num_id: str, ilvl: int) -> Optional[str]:
        """The label of the next paragraph of list `num_id` at level `ilvl`, counting it."""
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        _, starts, _ = entry
        counters = self._counters.setdefault(num_id, [None] * 9)
        lvl = self.level(num_id, ilvl)
        if lvl is None:
            return None
        current = counters[ilvl]
        counters[ilvl] = (starts.get(ilvl, lvl.start) if current is None else current + 1)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        return self._render(num_id, ilvl, lvl, counters)

    def _render(self, num_id: str, ilvl: int, lvl: Level, counters: list[Optional[int]]) -> str:
        if lvl.fmt == "bullet":
            return _SYMBOL_BULLETS.get(lvl.text, lvl.text) or "•"
        if lvl.fmt == "none":
            return lvl.text.replace("%", "") if "%" not in lvl.text else ""
        out = lvl.text
        for i in range(9):
            token = f"%{i + 1}"
            if token not in out:
                continue
            level = self.level(num_id, i) or Level()
            value = counters[i]
            if value is None:
                value = level.start
            out = out.replace(token, _format(value, level.fmt if i == ilvl or level.fmt != "bullet" else "decimal"))
        return out.strip()


def _levels(an: Any) -> list[tuple[int, Level]]:
    out = []
    for lvl in an.iterfind(W + "lvl"):
        try:
            out.append((int(lvl.get(W + "ilvl") or 0), _level(lvl)))
        except ValueError:
            continue
    return out


def _level(lvl: Any) -> Level:
    def val(tag: str) -> Optional[str]:
        el = lvl.find(W + tag)
        return el.get(W + "val") if el is not None else None

    try:
        start = int(val("start") or 1)
    except ValueError:
        start = 1
    indent = None
    ind = lvl.find(f"{W}pPr/{W}ind")
    if ind is not None:
        indent = twips(ind.get(W + "left") or ind.get(W + "start"))
    return Level(start=start, fmt=val("numFmt") or "decimal", text=val("lvlText") if val("lvlText") is not None else "%1.", indent=indent)


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        n = max(1, value)
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        s = letters
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        n, s = max(1, value), ""
        for v, r in _ROMAN:
            while n >= v:
                s += r
                n -= v
        return s.upper() if fmt == "upperRoman" else s
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)
