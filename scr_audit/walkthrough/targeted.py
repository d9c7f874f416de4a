"""Saving by changing only the text that changes.

Re-serialising a 60 KB review file through ruamel's round trip takes about a tenth of a
second a save; a confirmed answer should be on disk in milliseconds. Nearly every save
replaces one value written on one line (`2:` becomes `2: {answer: no, evidence: ...}`,
`rating:` becomes `rating: met`), so that value's characters are replaced in the text and
nothing else is touched: comments, blank lines, quoting and layout stay exactly as they
were, by construction.

Positions come from the node tree `yamlio` composes (libyaml), whose marks count
characters, as Python strings do. Anything less simple (a value over several lines, a key
that is not there yet, a value shared through a YAML anchor and alias) returns None, and
the store falls back to the round-trip editor. Whatever path is taken, the store reads the
new text back before writing it.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any, Iterable, Optional

from scr_audit.review_plain import question_number

#: Text that can be written without quotes in a block (`rationale: ...`) or, without the
#: flow indicators `,[]{}`, in a flow mapping (`{answer: no, evidence: ...}`).
_PLAIN_BLOCK = re.compile(r"[^\W\d_][^\x00-\x1f\x7f#]*\Z")
_FLOW_INDICATORS = re.compile(r"[,\[\]{}]")
#: Words a YAML reader (1.1 or 1.2) would take for something other than text.
_SPECIAL = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf"})
_ANSWER_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_/-]*\Z")


def scalar(value: Any, *, word: bool = False, flow: bool = True) -> str:
    """A one-line YAML scalar for `value` (safe in a flow mapping unless `flow=False`).

    `word=True` is for an answer or rating id from the set's scale, written plain (`no`,
    `partly-met`): review files are YAML 1.2, where `no` is the word "no".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    low = text.lower()
    if word and _ANSWER_WORD.match(text) and low not in {"true", "false", "null", "nan", "inf"}:
        return text
    if (
        _PLAIN_BLOCK.match(text)
        and text.isprintable()
        and low not in _SPECIAL
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and not (flow and _FLOW_INDICATORS.search(text))
    ):
        return text
    if text.isprintable() and "\\" not in text:
        return "'" + text.replace("'", "''") + "'"
    from scr_audit.template import quoted

    return quoted(text)  # DEL and the C1 controls escaped too: YAML refuses them raw


def answer_text(answer: Any, evidence: Optional[str], suggested_by: Optional[str]) -> tuple[str, Any]:
    """(the one-line form the tool writes, the plain value it reads back as)."""
    word = isinstance(answer, str)
    if not evidence and not suggested_by:
        return scalar(answer, word=word), answer
    parts = [f"answer: {scalar(answer, word=word)}"]
    plain: dict[str, Any] = {"answer": answer}
    if evidence:
        parts.append(f"evidence: {scalar(evidence)}")
        plain["evidence"] = evidence
    if suggested_by:
        parts.append(f"suggested-by: {scalar(suggested_by)}")
        plain["suggested-by"] = suggested_by
    return "{" + ", ".join(parts) + "}", plain


class Layout:
    """Where each value of the file is, kept true across this module's own edits.

    Built from a full parse (the node tree's marks). A targeted edit changes one value on
    one line and never the number of lines, so every node keeps its line; what moves is the
    characters after the edit, tracked here as line starts, and the end of the value edited,
    kept per line. So a second edit of the same line (the evidence after the answer) and
    edits of other lines need no new parse.
    """

    def __init__(self, text: str, root: Any) -> None:
        self.text = text
        self.root = root
        self.shared: set[int] = set()
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        #: line -> (start column, end column) of the value this module last wrote there
        self.spans: dict[int, tuple[int, int]] = {}
        seen: set[int] = set()
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            if id(node) in seen:
                self.shared.add(id(node))
                continue
            seen.add(id(node))
            kind = type(node).__name__
            if kind == "MappingNode":
                for k, v in node.value:
                    stack.append(v)
            elif kind == "SequenceNode":
                stack.extend(node.value)

    def find(self, path: Iterable[Any]) -> Optional[tuple[Any, Any, Any]]:
        """(parent mapping node, key node, value node) at `path`, matching keys as the
        reader does (a marker id in any case, a question number written 1 or "1")."""
        parent, knode, vnode = None, None, self.root
        for part in path:
            if vnode is None or type(vnode).__name__ != "MappingNode" or id(vnode) in self.shared:
                return None
            found = None
            for k, v in vnode.value:
                if type(k).__name__ == "ScalarNode" and _matches(k.value, part):
                    found = (k, v)
                    break
            if found is None:
                return None
            parent, (knode, vnode) = vnode, found
        if parent is None:
            return None
        return parent, knode, vnode

    def subtree_shared(self, node: Any) -> bool:
        stack = [node]
        while stack:
            n = stack.pop()
            if id(n) in self.shared:
                return True
            kind = type(n).__name__
            if kind == "MappingNode":
                stack.extend(v for pair in n.value for v in pair)
            elif kind == "SequenceNode":
                stack.extend(n.value)
        return False

    def span(self, path: tuple[Any, ...]) -> Optional[tuple[int, int, int]]:
        """(line, start column, end column) of the one-line value at `path`, an empty
        value being a zero-width span just after its key's colon; None if not that simple."""
        found = self.find(path)
        if found is None:
            return None
        parent, knode, vnode = found
        if getattr(parent, "flow_style", False) or self.subtree_shared(vnode):
            return None
        line = knode.start_mark.line
        if knode.end_mark.line != line:
            return None
        if line in self.spans:
            return (line, *self.spans[line])
        kind = type(vnode).__name__
        if kind == "ScalarNode" and vnode.start_mark.index == vnode.end_mark.index and vnode.value == "":
            # an empty value: its mark is where the next token starts; write after the colon
            at = _colon_after(self.text, self.line_starts[line] + knode.end_mark.column)
            return None if at is None else (line, at - self.line_starts[line], at - self.line_starts[line])
        if kind == "ScalarNode" or (kind == "MappingNode" and getattr(vnode, "flow_style", False)):
            if vnode.start_mark.line != line or vnode.end_mark.line != line:
                return None
            start, end = vnode.start_mark.column, vnode.end_mark.column
            first = self.text[self.line_starts[line] + start : self.line_starts[line] + start + 1]
            if not first or first in "|>&!*":
                return None
            return line, start, end
        return None

    def replace(self, path: tuple[Any, ...], new: str) -> Optional[tuple[str, int, int, int]]:
        """(new text, line, start column, end column of `new`) with the value at `path`
        replaced by `new` (an empty `new` clears it); None if it is not that simple. The
        layout is not changed until `commit`."""
        found = self.span(path)
        if found is None:
            return None
        line, start, end = found
        base = self.line_starts[line]
        if start == end:  # empty: write after the colon, with a space
            new_part = " " + new if new else ""
            text = self.text[: base + start] + new_part + self.text[base + end :]
            return text, line, start + (1 if new else 0), start + len(new_part)
        if not new:  # cleared: `rating: met` becomes `rating:`
            while start > 0 and self.text[base + start - 1] == " ":
                start -= 1
        text = self.text[: base + start] + new + self.text[base + end :]
        return text, line, start, start + len(new)

    def line(self, line: int, text: Optional[str] = None) -> str:
        text = self.text if text is None else text
        start = self.line_starts[line]
        end = text.find("\n", start)
        return text[start : end if end >= 0 else len(text)]

    def commit(self, text: str, line: int, start: int, end: int) -> None:
        """Take `text` (from `replace`) as the file's text now."""
        delta = len(text) - len(self.text)
        self.text = text
        if delta:
            self.line_starts[line + 1 :] = [i + delta for i in self.line_starts[line + 1 :]]
        self.spans[line] = (start, end)


def _matches(key: str, part: Any) -> bool:
    if isinstance(part, int):
        return question_number(key) == part
    return key.lower() == str(part).lower()


def _colon_after(text: str, index: int) -> Optional[int]:
    """The index just past the `:` that follows a key ending at `index`, on its line."""
    m = re.compile(r"[ \t]*:").match(text, index)
    if m is None:
        return None
    at = m.end()
    nl = text.find("\n", at)
    rest = text[at : nl if nl >= 0 else len(text)]
    return at if not rest.strip() or rest.lstrip().startswith("#") else None
