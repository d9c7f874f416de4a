"""Changing a review file in place the way a careful person would edit it by hand.

The walkthrough (and later `compare --merge`) records answers, ratings, rationales and
actions into a file the user may also keep in an editor: their comments, key order, blank
lines, indentation and the question texts `scr-audit new` writes as comments must all stay
where they were. ruamel's round-trip mode keeps most of that; what it does not do is move
the comment lines that follow an entry when the entry grows from one line into a block (an
empty `QM4:` that gains answers, a new action appended to a list): those lines belong to
whatever comes next in the file, so they are moved to the end of the new block here.

Answers are written as `N: yes`, or `N: {answer: no, evidence: "..."}` when there is a
note, so each question stays one line under its comment; a note of several lines is kept
on that line with `\\n` escapes rather than breaking the layout around it.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Optional, Sequence

from scr_audit.review import question_number
from scr_audit.yamlio import roundtrip

#: The keys of a marker's entry, in the order `scr-audit new` writes them.
ENTRY_KEYS = ("answers", "rating", "rationale", "actions")

_MAP_KEY_LINE = re.compile(r"^( *)[^\s#\-][^#]*:\s*(?:#.*)?$")
_SEQ_ITEM_LINE = re.compile(r"^( *)(- +)(\S)")


class ReviewEditor:
    """One review file's round-trip document, and the edits the tool makes to it."""

    def __init__(self, text: str, marker_order: Sequence[str] = ()) -> None:
        from ruamel.yaml.comments import CommentedMap

        self.newline = "\r\n" if "\r\n" in text else "\n"
        text = text.replace("\r\n", "\n").lstrip("\ufeff")
        #: What comes before a `---` line (comments, directives) is kept verbatim: ruamel
        #: would drop it.
        self._preamble, body = _split_preamble(text)
        self._comments = comment_lines(text)
        self._yaml = roundtrip()
        mapping, sequence, offset = guess_indent(body)
        self._yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        self.data = self._yaml.load(body)
        if not isinstance(self.data, CommentedMap):
            raise ValueError("a review file is a mapping")
        self.marker_order = [m.lower() for m in marker_order]

    def lost_comments(self, text: str) -> list[str]:
        """Comment lines of the file as read that `text` no longer holds (none, if all is well)."""
        now = comment_lines(text.replace("\r\n", "\n"))
        lost = []
        for line, n in self._comments.items():
            lost += [line] * max(0, n - now.get(line, 0))
        return lost

    # --------------------------------------------------------------------- edits

    def set_answer(
        self, marker_id: str, number: int, answer: Any, evidence: Optional[str] = None, *, suggested_by: Optional[str] = None
    ) -> None:
        """Record question `number`'s answer (and its note, or none) under `marker_id`.

        `suggested_by` (e.g. "scan") marks the answer as a program's suggestion, which is
        not an assessor's answer until confirmed; without it any such mark is removed, as
        confirming a suggestion does.
        """
        from ruamel.yaml.comments import CommentedMap

        answers = self._find(marker_id, "answers")
        key = _question_key(answers, number) if answers is not None else None
        old = answers[key] if key is not None else None
        if isinstance(old, CommentedMap):  # keep the person's own form of the entry
            old["answer"] = _value(answer)
            for name, value in (("evidence", evidence), ("suggested-by", suggested_by)):
                if value:
                    old[name] = _value(value)
                elif name in old:
                    del old[name]
            return
        if evidence or suggested_by:
            new: Any = CommentedMap([("answer", _value(answer))])
            if evidence:
                new["evidence"] = _value(evidence)
            if suggested_by:
                new["suggested-by"] = _value(suggested_by)
            new.fa.set_flow_style()
        else:
            new = _value(answer)
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        # a new key follows the file's own keys (1: or "1":); in a file without any, "1", as
        # scr-audit new writes it (editors show the question's words on hover over a text key)
        numbers = self._numbered_keys()
        key_text: Any = number if numbers else DoubleQuotedScalarString(str(number))
        self._put(marker_id, "answers", _Level(lambda m: _question_key(m, number), key_text, lambda m: _before_number(m, number)), new)

    def _numbered_keys(self) -> bool:
        """Whether the file writes its question keys as numbers (1:) rather than text ("1":)."""
        from ruamel.yaml.comments import CommentedMap

        markers = self.data.get("markers")
        if not isinstance(markers, CommentedMap):
            return False
        for entry in markers.values():
            answers = entry.get("answers") if isinstance(entry, CommentedMap) else None
            if isinstance(answers, CommentedMap):
                for k in answers:
                    return isinstance(k, int) and not isinstance(k, bool)
        return False

    def set_conclusion(self, name: str, value: Any) -> None:
        """Set one field of the conclusion (summary text, or a list of lines), making the
        block if the file has none."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if isinstance(value, (list, tuple)):
            seq = CommentedSeq([_value(v) for v in value])
            seq.fa.set_block_style() if value else seq.fa.set_flow_style()
            new: Any = seq
        else:
            new = _value(value) if value else None
        block = self.data.get("conclusion")
        if isinstance(block, CommentedMap):
            if isinstance(new, CommentedSeq) and len(new) and name in block:
                _replace(block, name, new)
            else:
                block[name] = new
            return
        fresh = CommentedMap([(name, new)])
        if "conclusion" in self.data:
            _replace(self.data, "conclusion", fresh)
        else:
            _insert(self.data, len(self.data), "conclusion", fresh)

    def unshare(self, path: Sequence[Any]) -> bool:
        """Give each collection on `path` (keys from the root, matched as the tool reads
        them) its own copy where the file shares it through a YAML anchor and aliases, so
        that an edit there changes that one place only. True if anything was shared."""
        import copy

        counts: Counter[int] = Counter()
        _count_refs(self.data, counts, set())
        node: Any = self.data
        changed = False
        for part in path:
            if not isinstance(node, (dict, list)):
                break
            key = _match_key(node, part)
            if key is None:
                break
            child = node[key]
            if isinstance(child, (dict, list)) and counts[id(child)] > 1:
                child = copy.deepcopy(child)
                node[key] = child
                changed = True
            node = child
        return changed

    def set_rating(self, marker_id: str, rating: Optional[str]) -> None:
        self._set_field(marker_id, "rating", rating)

    def set_rationale(self, marker_id: str, text: Optional[str]) -> None:
        self._set_field(marker_id, "rationale", text)

    def add_action(
        self,
        marker_id: str,
        action: str,
        owner: Optional[str] = None,
        due: Optional[date] = None,
        status: str = "open",
    ) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        item = CommentedMap([("action", _value(action))])
        if owner:
            item["owner"] = _value(owner)
        if due is not None:
            item["due"] = due
        item["status"] = status
        entry = self._find(marker_id)
        actions = entry.get("actions") if entry is not None else None
        if isinstance(actions, CommentedSeq) and len(actions):
            if _is_flow(actions):
                item.fa.set_flow_style()
                actions.append(item)
            else:
                rest = _take_rest(*_tail(actions))
                actions.append(item)
                _put_rest(*_tail(actions), rest)
            return
        seq = CommentedSeq([item])
        seq.fa.set_block_style()
        self._put(marker_id, None, _field_level("actions"), seq)

    def text(self) -> str:
        buf = io.StringIO()
        self._yaml.dump(self.data, buf)
        out = self._preamble + buf.getvalue()
        return out.replace("\n", "\r\n") if self.newline == "\r\n" else out

    # ------------------------------------------------------------------- structure

    def _find(self, marker_id: str, part: Optional[str] = None) -> Any:
        """The marker's entry (or one of its mappings) if the file has it as a mapping."""
        from ruamel.yaml.comments import CommentedMap

        markers = self.data.get("markers")
        if not isinstance(markers, CommentedMap):
            return None
        key = _marker_key(markers, marker_id)
        entry = markers[key] if key is not None else None
        if not isinstance(entry, CommentedMap) or part is None:
            return entry if isinstance(entry, CommentedMap) else None
        found = entry.get(part)
        return found if isinstance(found, CommentedMap) else None

    def _put(self, marker_id: str, part: Optional[str], last: "_Level", value: Any) -> None:
        """Set `value` at markers/<marker_id>[/<part>]/<last key>, making what is missing.

        What is missing is built whole (from the value outwards) and put in place in one
        step, so the comment lines that followed the place it goes can be moved below it.
        """
        from ruamel.yaml.comments import CommentedMap

        levels = [
            _Level(lambda m: "markers" if "markers" in m else None, "markers", len),
            _Level(lambda m: _marker_key(m, marker_id), marker_id, self._marker_position(marker_id)),
        ]
        if part is not None:
            levels.append(_field_level(part))
        levels.append(last)
        node = self.data
        for i, level in enumerate(levels):
            key = level.find(node)
            if i < len(levels) - 1 and key is not None and isinstance(node[key], CommentedMap):
                node = node[key]
                continue
            new = value
            for inner in reversed(levels[i + 1 :]):
                new = CommentedMap([(inner.new_key, new)])
            if key is None:
                _insert(node, level.position(node), level.new_key, new)
            else:
                _replace(node, key, new)
            return

    def _marker_position(self, marker_id: str) -> Callable[[Any], int]:
        """Where a missing marker goes: before the first marker that follows it in the set."""

        def position(markers: Any) -> int:
            order = self.marker_order
            if marker_id.lower() not in order:
                return len(markers)
            mine = order.index(marker_id.lower())
            for i, key in enumerate(markers):
                k = str(key).lower()
                if k in order and order.index(k) > mine:
                    return i
            return len(markers)

        return position

    def _set_field(self, marker_id: str, name: str, value: Optional[str]) -> None:
        entry = self._find(marker_id)
        new = _value(value) if value else None
        if entry is not None and name in entry:
            entry[name] = new
        elif new is not None:
            self._put(marker_id, None, _field_level(name), new)


@dataclass(frozen=True)
class _Level:
    """One step of a path into the document: how to find its key, and where a new one goes."""

    find: Callable[[Any], Any]
    new_key: Any
    position: Callable[[Any], int]


def _field_level(name: str) -> _Level:
    return _Level(lambda m: name if name in m else None, name, lambda m: _entry_position(m, name))


def _count_refs(node: Any, counts: Counter[int], seen: set[int]) -> None:
    """How many places in the document refer to each collection (an alias is one more)."""
    if not isinstance(node, (dict, list)):
        return
    counts[id(node)] += 1
    if id(node) in seen:
        return
    seen.add(id(node))
    for child in node.values() if isinstance(node, dict) else node:
        _count_refs(child, counts, seen)


def _match_key(node: Any, part: Any) -> Any:
    if isinstance(node, list):
        return part if isinstance(part, int) and 0 <= part < len(node) else None
    if part in node:
        return part
    for key in node:
        if str(key).lower() == str(part).lower() or (question_number(key) is not None and question_number(key) == question_number(part)):
            return key
    return None


def _marker_key(markers: Any, marker_id: str) -> Any:
    for key in markers:
        if str(key).lower() == marker_id.lower():
            return key
    return None


def _before_number(answers: Any, number: int) -> int:
    return sum(1 for k in answers if (n := question_number(k)) is not None and n < number)


# ------------------------------------------------------------------------- helpers


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) the file already uses.

    So that the first save does not re-indent a file someone wrote with four spaces, or
    with list dashes flush under their key. Defaults are those `scr-audit new` writes.
    """
    mapping: Optional[int] = None
    sequence: Optional[int] = None
    offset: Optional[int] = None
    parent: Optional[int] = None  # indent of the last `key:` line with nothing after it
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        seq = _SEQ_ITEM_LINE.match(line)
        if parent is not None and seq and sequence is None and indent >= parent:
            offset = indent - parent  # dashes may sit flush under their key
            sequence = offset + len(seq.group(2))
        elif parent is not None and not seq and mapping is None and indent > parent:
            mapping = indent - parent
        if mapping is not None and sequence is not None:
            break
        key = _MAP_KEY_LINE.match(line)
        parent = len(key.group(1)) if key else None
    mapping = mapping or 2
    if sequence is None or offset is None:
        sequence, offset = mapping + 2, mapping
    return mapping, max(sequence, offset + 2), offset


def _split_preamble(text: str) -> tuple[str, str]:
    """(the lines up to and including an opening `---`, the rest); ("", text) if none."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "%")):
            if stripped == "---" or stripped.startswith(("--- ", "---\t")):
                return "".join(lines[: i + 1]), "".join(lines[i + 1 :])
            break
    return "", text


def comment_lines(text: str) -> Counter[str]:
    """The file's whole-line comments, as a count of each (for the never-lose-one check)."""
    return Counter(s for s in (line.strip() for line in text.splitlines()) if s.startswith("#"))


def _value(value: Any) -> Any:
    """A value as it should be written: text of several lines double-quoted on one line."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return DoubleQuotedScalarString(value)
    return value


def _question_key(answers: Any, number: int) -> Any:
    for key in answers:
        if question_number(key) == number:
            return key
    return None


def _entry_position(entry: Any, name: str) -> int:
    """Index for a new key of a marker entry, keeping answers, rating, rationale, actions."""
    wanted = ENTRY_KEYS.index(name)
    for i, key in enumerate(entry):
        if key in ENTRY_KEYS and ENTRY_KEYS.index(key) > wanted:
            return i
    return len(entry)


def _is_flow(node: Any) -> bool:
    return bool(node.fa.flow_style())


def _is_block_collection(node: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not _is_flow(node)


def _tail(node: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment lines that follow a block collection: its last leaf."""
    from ruamel.yaml.comments import CommentedMap

    while True:
        if isinstance(node, CommentedMap):
            key: Any = list(node.keys())[-1]
            slot = 2
        else:
            key, slot = len(node) - 1, 0
        child = node[key]
        if not _is_block_collection(child):
            return node, key, slot
        node = child


def _entry_tail(container: Any, key: Any) -> tuple[Any, Any, int]:
    from ruamel.yaml.comments import CommentedMap

    value = container[key]
    if _is_block_collection(value):
        return _tail(value)
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def _take_rest(container: Any, key: Any, slot: int, keep_from: Optional[int] = None) -> str:
    """Detach the whole-line comments (and blank lines) after an entry, for the caller to
    put after something it adds; the entry's own end-of-line comment stays.

    With `keep_from` (a column), the comment lines indented at least that far, up to the
    first one indented less, stay: at the end of a block they belong to that block.
    """
    items = container.ca.items.get(key)
    token = items[slot] if items and len(items) > slot else None
    if token is None:
        return ""
    eol, _, rest = token.value.partition("\n") if token.value.startswith("#") else ("", "", token.value[1:])
    kept = ""
    if keep_from is not None:
        lines = rest.splitlines(keepends=True)
        cut = len(lines)
        for i, line in enumerate(lines):
            if line.strip() and len(line) - len(line.lstrip(" ")) < keep_from:
                cut = i
                while cut > 0 and not lines[cut - 1].strip():
                    cut -= 1
                break
        kept, rest = "".join(lines[:cut]), "".join(lines[cut:])
    if eol or kept:
        token.value = (eol or "") + "\n" + kept
    else:
        items[slot] = None
    return rest


def _put_rest(container: Any, key: Any, slot: int, rest: str) -> None:
    if not rest:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    items = container.ca.items.setdefault(key, [None, None, None, None])
    while len(items) <= slot:
        items.append(None)
    token = items[slot]
    if token is None:
        items[slot] = CommentToken("\n" + rest, CommentMark(0))
    else:
        token.value = token.value + ("" if token.value.endswith("\n") else "\n") + rest


def _replace(container: Any, key: Any, new: Any) -> None:
    """Replace a one-line value (empty, scalar, `[]`, `{}`) with `new`; when `new` is a
    block, the comment lines that followed the old line move to after it."""
    if not _is_block_collection(new):
        container[key] = new
        return
    rest = _take_rest(*_entry_tail(container, key))
    container[key] = new
    _put_rest(*_tail(new), rest)


def _insert(container: Any, index: int, key: Any, value: Any) -> None:
    """Insert `key: value` at `index`, leaving the comment lines that introduce the next
    entry (or an outer block) just above it."""
    if index == 0:
        container.insert(index, key, value)
        return
    keys = list(container.keys())
    before = keys[index - 1]
    keep_from = None
    if index == len(keys):  # at the end: comments indented as this block's keys stay in it
        position = (container.lc.data or {}).get(before)
        keep_from = position[1] if position else None
    rest = _take_rest(*_entry_tail(container, before), keep_from=keep_from)
    container.insert(index, key, value)
    _put_rest(*_entry_tail(container, key), rest)
