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

import json
import math
import re
from datetime import date
from typing import Any, Iterable, Optional

from scr_audit.review import question_number

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
    return json.dumps(text, ensure_ascii=False)


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


class Located:
    """A document's node tree, with which nodes are shared through aliases."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.shared: set[int] = set()
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


def _matches(key: str, part: Any) -> bool:
    if isinstance(part, int):
        return question_number(key) == part
    return key.lower() == str(part).lower()


def replace_value(text: str, located: Located, path: tuple[Any, ...], new: str) -> Optional[str]:
    """`text` with the one-line value at `path` replaced by `new`; None if it is not that simple."""
    found = located.find(path)
    if found is None:
        return None
    parent, knode, vnode = found
    if getattr(parent, "flow_style", False) or located.subtree_shared(vnode):
        return None
    key_line = knode.start_mark.line
    kind = type(vnode).__name__
    if knode.end_mark.line != key_line:
        return None
    if kind == "ScalarNode" and vnode.start_mark.index == vnode.end_mark.index and vnode.value == "":
        # an empty value: its mark is where the next token starts; write after the colon
        at = _colon_after(text, knode.end_mark.index)
        if at is None:
            return None
        return text[:at] + (" " + new if new else "") + text[at:]
    if kind == "ScalarNode" or (kind == "MappingNode" and getattr(vnode, "flow_style", False)):
        start, end = vnode.start_mark.index, vnode.end_mark.index
        if vnode.start_mark.line != key_line or vnode.end_mark.line != key_line or (text[start:start + 1] or "|") in "|>&!*":
            return None
        if not new:  # cleared: `rating: met` becomes `rating:`
            while start > 0 and text[start - 1] == " ":
                start -= 1
        return text[:start] + new + text[end:]
    return None


def _colon_after(text: str, index: int) -> Optional[int]:
    """The index just past the `:` that follows a key ending at `index`, on its line."""
    m = re.compile(r"[ \t]*:").match(text, index)
    if m is None:
        return None
    at = m.end()
    rest = text[at:text.find("\n", at) if "\n" in text[at:] else len(text)]
    return at if not rest.strip() or rest.lstrip().startswith("#") else None
