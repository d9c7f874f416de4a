"""The one place YAML is read and written.

Reading is built for two needs at once: speed over a folder of a thousand files, and a
line and column for every finding. So files are *composed* with ruamel.yaml's C parser
(libyaml) into a node tree, which carries positions, and the tree is turned into plain
Python values here rather than by ruamel's constructor: only plain text, numbers, dates,
lists and mappings are ever built, so no YAML tag can make this module construct an
object or run code. Positions are looked up in the node tree only when a finding needs
one.

Hostile input is stopped before it reaches the parser where the parser itself would be
the victim: size over a limit, binary content, non-UTF-8 bytes, nesting deep enough to
overflow libyaml's recursive composer (it segfaults rather than raising), and alias bombs
(bounded by a budget on values built).

Writing goes through `atomic_write`: a temporary file beside the target, flushed and
fsynced, then renamed over it, so a crash never leaves a half-written file. Editing an
existing file keeps its comments, key order and blank lines (ruamel round-trip mode).
"""

from __future__ import annotations

import io
import math
import os
import re
import stat as stat_module
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

from scr_audit.filekinds import os_error_words, special_kind
from scr_audit.errors import FileChangedError, FileUnreadableError, Problem, WriteRefusedError, YamlLoadError

#: Review and marker files are small (a complete 107-question review with long notes is
#: well under 1 MB); anything bigger is refused before parsing.
MAX_BYTES = 5 * 1024 * 1024
#: Deepest nesting accepted. A review file needs 6 levels.
MAX_DEPTH = 100
#: libyaml's composer recurses once per level and crashes the interpreter (no exception)
#: somewhere past 60,000 levels, so text that could nest this deep never reaches it.
PARSER_SAFE_DEPTH = 5_000
#: Values built per document, counting each expansion of an alias: stops alias bombs.
MAX_VALUES = 200_000
#: Nodes (keys and values) libyaml may build for one document: every value may have a key.
MAX_NODES = 2 * MAX_VALUES

PathKey = Union[str, int]
DocPath = tuple[PathKey, ...]

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TS = (
    _T + "str",
    _T + "int",
    _T + "float",
    _T + "bool",
    _T + "null",
    _T + "timestamp",
)
_MAP, _SEQ, _MERGE = _T + "map", _T + "seq", _T + "merge"
#: Bits of the largest whole number that converts to a finite float.
_FLOAT_BITS = 1023
_DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\Z")
_DEEP_BLOCK_RE = re.compile(r"^(?:[ ]|[-?:][ ]){%d,}" % PARSER_SAFE_DEPTH, re.MULTILINE)
_FLOW_RE = re.compile(r"[\[\]{}]")


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True, slots=True)
class Alias:
    """A value written once with an anchor (`&name`) and repeated with an alias (`*name`).

    Both places hold one value: an editor that changes it at one changes it at the other.
    """

    path: "DocPath"  # where the alias is used
    target: "DocPath"  # the anchored value it repeats
    anchor: str  # the anchor's name, without the '&'
    line: int  # where the anchored value is written (1-based)
    column: int
    #: the alias is an item of a list (so it has no key of its own to point at)
    in_list: bool = False


class Document:
    """Plain data from one YAML file, with positions looked up on demand."""

    __slots__ = ("name", "data", "_root", "text", "_index", "_aliases")

    def __init__(self, name: str, data: Any, root: Any, text: str) -> None:
        self.name = name
        self.data = data
        self._root = root
        self.text = text
        #: mapping node id -> {key: (key node, value node)}, built the first time a lookup
        #: passes through that mapping, so a thousand findings cost a thousand dict lookups
        self._index: dict[int, dict[Any, tuple[Any, Any]]] = {}
        self._aliases: tuple[Alias, ...] | None = None

    def position(self, path: Iterable[PathKey], *, key: bool = False) -> Position | None:
        """Where `path` is in the file: its value, or its key with `key=True`.

        A path that does not exist (a missing field) resolves to the deepest part that does,
        which is where the user has to add it.
        """
        node = self._root
        if node is None:
            return None
        found = _mark(node)
        for part in path:
            child = self._child(node, part)
            if child is None:
                return found
            knode, node = child
            found = _mark(knode) if key and knode is not None else _mark(node)
        return found

    def _child(self, node: Any, part: Any) -> tuple[Any, Any] | None:
        kind = type(node).__name__
        if kind == "MappingNode":
            index = self._index.get(id(node))
            if index is None:
                index = {}
                for knode, vnode in node.value:
                    index.setdefault(_key_value(knode), (knode, vnode))
                self._index[id(node)] = index
            try:
                return index.get(part)
            except TypeError:  # an unhashable part never names a key
                return None
        if kind == "SequenceNode" and isinstance(part, int) and not isinstance(part, bool) and 0 <= part < len(node.value):
            return (None, node.value[part])
        return None

    def position_of_text(self, path: Iterable[PathKey], needle: str) -> Position | None:
        """Where `needle` is written inside the value at `path` (a note can span many lines).

        Falls back to the value's own position when the text is not there verbatim (folded
        across lines, or written with escapes).
        """
        node = self._node(tuple(path))
        if node is not None and needle:
            start, end = node.start_mark.index, node.end_mark.index
            at = self.text.find(needle, start, end)
            if at >= 0:
                line, col = _line_col_text(self.text, at)
                return Position(line, col)
        return self.position(path)

    def _node(self, path: tuple) -> Any:
        node = self._root
        for part in path:
            if node is None:
                return None
            child = self._child(node, part)
            node = child[1] if child is not None else None
        return node

    def problem(self, path: Iterable[PathKey], message: str, *, key: bool = False) -> Problem:
        pos = self.position(path, key=key)
        return Problem(self.name, message, pos.line if pos else None, pos.column if pos else None)

    # ------------------------------------------------------------ anchors and aliases

    @property
    def aliases(self) -> tuple[Alias, ...]:
        """Every alias in the file, in the order written (none in a file without one).

        Review files the tool writes never hold one; a person may write them by hand to
        repeat a note, and then two answers are one value.
        """
        if self._aliases is None:
            self._aliases = _find_aliases(self._root, self.text) if self._root is not None and "*" in self.text else ()
        return self._aliases

    @property
    def uses_aliases(self) -> bool:
        return bool(self.aliases)

    def shares(self, path: Iterable[PathKey]) -> tuple[DocPath, ...]:
        """The other places that hold the value at `path` (or a value it is part of).

        Empty when the value is the file's alone. When it is not, changing it in a
        round-trip edit would change each of these too: an editor asks this before it
        writes, and refuses (or writes the value out in full) where it is not empty.
        """
        path = tuple(path)
        if not self.aliases:
            return ()
        groups: dict[DocPath, list[DocPath]] = {}
        for alias in self.aliases:
            groups.setdefault(alias.target, [alias.target]).append(alias.path)
        out: list[DocPath] = []
        for holders in groups.values():
            for holder in holders:
                if path[: len(holder)] == holder:
                    rest = path[len(holder) :]
                    out += [other + rest for other in holders if other != holder and other + rest not in out]
        return tuple(out)


def _find_aliases(root: Any, text: str) -> tuple[Alias, ...]:
    """Walk the node tree once, noting each node met a second time (libyaml shares it)."""
    first: dict[int, DocPath] = {}
    found: list[Alias] = []
    stack: list[tuple[Any, DocPath, bool]] = [(root, (), False)]
    while stack:
        node, path, in_list = stack.pop()
        seen = first.get(id(node))
        if seen is not None:
            mark = node.start_mark
            found.append(Alias(path, seen, _anchor_name(text, mark.index), mark.line + 1, mark.column + 1, in_list))
            continue
        first[id(node)] = path
        kind = type(node).__name__
        if kind == "MappingNode":
            children = [(v, path + (_key_value(k),), False) for k, v in node.value]
        elif kind == "SequenceNode":
            children = [(v, path + (i,), True) for i, v in enumerate(node.value)]
        else:
            continue
        stack.extend(reversed(children))
    return tuple(found)


def _anchor_name(text: str, index: int) -> str:
    """The anchor written at a node's start (`&name`), or '' if none is there."""
    at = text.find("&", index, index + 2000)
    if at < 0:
        return ""
    end = at + 1
    while end < len(text) and text[end] not in " \t\r\n,[]{}":
        end += 1
    return text[at + 1 : end]


def _mark(node: Any) -> Position:
    m = node.start_mark
    return Position(m.line + 1, m.column + 1)


def _key_value(knode: Any) -> Any:
    if type(knode).__name__ != "ScalarNode":
        return None
    try:
        return _key(knode)
    except _Refused:
        return None


def _key(knode: Any) -> Any:
    """A mapping key as plain data: text or a whole number; anything else as it is written.

    In Python `True == 1` and `1.0 == 1`, so `true:` beside `1:` would read as one key
    twice; a key that YAML reads as true/false, null, a float or a date is kept as the text
    written, which is also how every message quotes it.
    """
    value = _scalar(knode)
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return knode.value


class _Refused(Exception):
    def __init__(self, node: Any, message: str) -> None:
        self.node = node
        self.message = message


def file_digest(data: bytes) -> str:
    import hashlib  # here, not at start-up: only writing and the walkthrough need it

    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """Read a file, refusing one over `limit`, and anything but a regular file, before reading it.

    A named pipe, a device or a socket is never opened (a pipe would block until someone
    wrote to it; a device could be endless): it is looked at with `stat` first, then opened
    without blocking and looked at again, so it cannot be swapped in between.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise FileUnreadableError(Problem(name, "is a link to something that does not exist; nothing was read")) from None
        raise FileUnreadableError(Problem(name, "no such file")) from None
    except OSError as exc:
        raise FileUnreadableError(Problem(name, f"cannot be read: {os_error_words(exc)}")) from None
    _refuse_unless_regular(name, info.st_mode)
    if info.st_size > limit:
        raise YamlLoadError(Problem(name, _too_big(info.st_size, limit)))
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _NOCTTY | _CLOEXEC)
    except OSError as exc:
        raise FileUnreadableError(Problem(name, f"cannot be read: {os_error_words(exc)}")) from None
    try:
        with os.fdopen(fd, "rb") as fh:
            _refuse_unless_regular(name, os.fstat(fh.fileno()).st_mode)
            data = fh.read(limit + 1)
    except IsADirectoryError:
        raise FileUnreadableError(Problem(name, "is a folder, not a file")) from None
    except OSError as exc:
        raise FileUnreadableError(Problem(name, f"cannot be read: {os_error_words(exc)}")) from None
    if len(data) > limit:  # grew while we looked
        raise YamlLoadError(Problem(name, f"file is over the {limit // 1048576} MB limit"))
    return data


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _refuse_unless_regular(name: str, mode: int) -> None:
    if stat_module.S_ISDIR(mode):
        raise FileUnreadableError(Problem(name, "is a folder, not a file"))
    kind = special_kind(mode)
    if kind is not None:
        raise FileUnreadableError(Problem(name, f"is {kind}, not a file: skipped, never opened"))


def _too_big(size: int, limit: int) -> str:
    return (
        f"file is {size / 1048576:.1f} MB, over the {limit // 1048576} MB limit "
        "for a YAML file here; is this the right file?"
    )


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; nothing binary."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise YamlLoadError(Problem(name, "this is UTF-32 text; save it as UTF-8 (in most editors: Save As, encoding UTF-8)"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise YamlLoadError(Problem(name, "starts like UTF-16 text but is not; save it as UTF-8")) from None
    if b"\x00" in data:
        wide = _wide_text(data)
        if wide:
            raise YamlLoadError(
                Problem(name, f"this looks like {wide} text without a byte-order mark; save it as UTF-8 "
                        "(in most editors: Save As, encoding UTF-8)")
            )
        at = data.index(b"\x00")
        line, col = _line_col_bytes(data, at)
        raise YamlLoadError(
            Problem(name, "this is a binary file, not YAML text (it holds NUL bytes)", line, col)
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col_bytes(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise YamlLoadError(
            Problem(
                name,
                f"not UTF-8 text (byte 0x{bad}); save the file as UTF-8 "
                "(in most editors: Save As, encoding UTF-8)",
                line,
                col,
            )
        ) from None


def _wide_text(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when NUL bytes fall where that encoding puts them in plain text."""
    sample = data[:4096]
    n = len(sample)
    if n < 8:
        return None
    for width, label in ((4, "UTF-32"), (2, "UTF-16")):
        for offset in range(width):
            # in ASCII-range text every other (or three in four) byte is NUL, the rest are not
            text = sample[offset::width]
            nuls = [sample[i::width] for i in range(width) if i != offset]
            if text.count(0) <= len(text) // 20 and all(part.count(0) >= len(part) * 9 // 10 for part in nuls):
                return label
    return None


def _line_col_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def _line_col_text(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load_file(path: Path, *, limit: int = MAX_BYTES) -> Document:
    data = read_bytes(path, limit)
    return parse(decode(data, str(path)), str(path))


def parse(text: str, name: str) -> Document:
    """Parse one YAML document to plain values (or raise YamlLoadError with its position)."""
    _guard_depth(text, name)
    _guard_nodes(text, name)
    root = _compose(text, name)
    if root is None:
        return Document(name, None, None, text)
    builder = _Builder(text)
    try:
        data = builder.build(root, 0)
    except _Refused as exc:
        pos = _mark(exc.node)
        raise YamlLoadError(Problem(name, exc.message, pos.line, pos.column)) from None
    return Document(name, data, root, text)


def _guard_nodes(text: str, name: str) -> None:
    """Refuse text with more keys and values than MAX_NODES before composing it.

    libyaml builds every node of a document before anything can look at them, at a few
    hundred bytes each: five megabytes of `[a,a,a,...]` would take well over a gigabyte.
    Each node after the first needs one of these characters before it, so their count
    bounds the nodes; only text over the bound is counted exactly, event by event (no
    nodes built), stopping at the limit.
    """
    bound = 1 + sum(text.count(ch) for ch in ",\n:-[{?")
    if bound <= MAX_NODES:
        return
    count = 0
    for mark in _node_events(text):
        count += 1
        if count > MAX_NODES:
            line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
            raise YamlLoadError(
                Problem(
                    name,
                    f"holds more than {MAX_NODES:,} keys and values; a review or marker file holds a few "
                    "thousand, so this is refused unread",
                    line,
                    col,
                )
            )


def _node_events(text: str) -> Iterator[Any]:
    """The start mark of each node event (scalar, alias, list, mapping), without building nodes."""
    from ruamel.yaml.error import YAMLError

    loader_class = _loader_class()
    if loader_class is None:
        from ruamel.yaml import YAML

        events: Iterable[Any] = YAML(typ="safe", pure=True).parse(text)
        loader = None
    else:
        loader = loader_class(text)
        events = iter(loader.get_event, None)
    try:
        for event in events:
            kind = type(event).__name__
            if kind in ("ScalarEvent", "AliasEvent", "SequenceStartEvent", "MappingStartEvent"):
                yield event.start_mark
            elif kind == "StreamEndEvent":
                return
    except (YAMLError, RecursionError):
        return  # the composer reports the syntax error with its position
    finally:
        if loader is not None:
            loader.dispose()


def _guard_depth(text: str, name: str) -> None:
    m = _DEEP_BLOCK_RE.search(text)
    if m:
        line, col = _line_col_text(text, m.start())
        raise YamlLoadError(
            Problem(name, "indented or nested thousands of levels deep; this is not a review or marker file", line, col)
        )
    if text.count("[") + text.count("{") < PARSER_SAFE_DEPTH:
        return
    depth = 0
    for m in _FLOW_RE.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > PARSER_SAFE_DEPTH:
                line, col = _line_col_text(text, m.start())
                raise YamlLoadError(
                    Problem(name, f"brackets nested more than {PARSER_SAFE_DEPTH} levels deep", line, col)
                )
        elif depth:
            depth -= 1


_LOADER: list[Any] = []


def _loader_class() -> Any:
    """A composer on libyaml with a lean YAML 1.2 resolver, or None without the C extension.

    ruamel's own `compose` builds a loader class per call and re-derives the YAML version
    for every scalar; that costs more than parsing. This resolver uses ruamel's YAML 1.2
    rules unchanged, precomputed once, and returns shared tag objects. A `%YAML 1.1`
    directive is not honoured: review files are YAML 1.2, where `no` is the word "no".
    """
    if _LOADER:
        return _LOADER[0]
    try:
        from _ruamel_yaml import CParser  # the C extension, as ruamel.yaml imports it
    except ImportError:
        _LOADER.append(None)
        return None
    from ruamel.yaml.nodes import ScalarNode, SequenceNode
    from ruamel.yaml.resolver import BaseResolver, implicit_resolvers
    from ruamel.yaml.tag import Tag

    table: dict[Any, list[tuple[Any, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            shared = Tag(suffix=tag)
            for ch in first or [None]:
                table.setdefault(ch, []).append((shared, regexp))
    anyfirst = table.pop(None, [])
    for key in table:
        table[key] = table[key] + anyfirst
    scalar_tag = BaseResolver.DEFAULT_SCALAR_TAG
    seq_tag = BaseResolver.DEFAULT_SEQUENCE_TAG
    map_tag = BaseResolver.DEFAULT_MAPPING_TAG

    class Loader(CParser):  # type: ignore[misc,valid-type]
        def resolve(self, kind: Any, value: str, implicit: Any) -> Any:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in table.get(value[:1], anyfirst):
                        if regexp.match(value):
                            return tag
                return scalar_tag
            return seq_tag if kind is SequenceNode else map_tag

        def descend_resolver(self, parent: Any, index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    _LOADER.append(Loader)
    return Loader


def _compose_node(text: str) -> Any:
    loader_class = _loader_class()
    if loader_class is None:  # no C extension: ruamel's pure-Python parser, same rules
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).compose(text)
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _compose(text: str, name: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        return _compose_node(text)
    except ReaderError as exc:
        pos = exc.position if isinstance(exc.position, int) else 0
        line, col = _line_col_text(text, min(pos, len(text)))
        char = exc.character
        code = f"U+{ord(char) if isinstance(char, str) else int(char):04X}" if char is not None else "?"
        raise YamlLoadError(
            Problem(
                name,
                f"character {code} is not allowed in YAML (a control character); delete it or "
                "write it as an escape inside double quotes",
                line,
                col,
            )
        ) from None
    except MarkedYAMLError as exc:
        from scr_audit.validation import yaml_problem

        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p.strip() for p in (exc.context, exc.problem) if p) or "not valid YAML"
        lines = text.splitlines()
        line_text = lines[mark.line] if mark is not None and 0 <= mark.line < len(lines) else ""
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        message = yaml_problem(problem, line_text, mark.column if mark is not None else None)
        raise YamlLoadError(Problem(name, message, line, col)) from None
    except YAMLError as exc:  # unmarked errors from the C parser
        from scr_audit.validation import yaml_problem

        raise YamlLoadError(Problem(name, yaml_problem(str(exc).splitlines()[0] if str(exc) else ""))) from None
    except RecursionError:
        raise YamlLoadError(Problem(name, "nested too deeply to read")) from None


class _Builder:
    """Node tree to plain values. Never constructs anything but str/int/float/bool/None/date."""

    __slots__ = ("budget", "text", "check_tags", "aliased")

    def __init__(self, text: str) -> None:
        self.budget = MAX_VALUES
        self.text = text
        #: an explicit tag (`!!str`, `!x`) resolves to the same tags as plain values do, so
        #: it is found in the text itself; without a '!' in the file there is none to find
        self.check_tags = "!" in text
        self.aliased = False

    def build(self, node: Any, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            self.aliased = self.aliased or "*" in self.text
            raise _Refused(
                node,
                f"more than {MAX_VALUES:,} values once aliases are expanded: refused as a possible alias bomb"
                if self.aliased
                else f"holds more than {MAX_VALUES:,} values; a review or marker file holds a few thousand",
            )
        if self.check_tags:
            self._refuse_explicit_tag(node)
        kind = type(node).__name__
        if kind == "ScalarNode":
            return _scalar(node)
        if depth > MAX_DEPTH:
            raise _Refused(node, f"nested more than {MAX_DEPTH} levels deep")
        if kind == "MappingNode":
            if str(node.ctag) != _MAP:
                raise _Refused(node, _tag_message(str(node.ctag)))
            out: dict[Any, Any] = {}
            firsts: dict[Any, Any] = {}
            for knode, vnode in node.value:
                if str(knode.ctag) == _MERGE:
                    raise _Refused(knode, "merge keys ('<<') are not supported here; write the values out")
                if type(knode).__name__ != "ScalarNode":
                    raise _Refused(knode, "a key must be plain text or a number, not a list or mapping")
                if self.check_tags:
                    self._refuse_explicit_tag(knode)
                key = _key(knode)
                if key in firsts:
                    earlier = firsts[key]
                    line = _mark(earlier).line
                    if knode.value != earlier.value:  # `01` and `1`, `0x1` and `1`: one number
                        raise _Refused(
                            knode,
                            f"duplicate key: {knode.value!r} here and {earlier.value!r} at line {line} are the same key "
                            f"({key!r}); a key may appear only once at the same level, so keep one of them",
                        )
                    raise _Refused(
                        knode,
                        f"duplicate key {key!r} (first at line {line}); "
                        "a key may appear only once at the same level, so keep one of them",
                    )
                firsts[key] = knode
                out[key] = self.build(vnode, depth + 1)
            return out
        if kind == "SequenceNode":
            if str(node.ctag) != _SEQ:
                raise _Refused(node, _tag_message(str(node.ctag)))
            return [self.build(item, depth + 1) for item in node.value]
        raise _Refused(node, "unsupported YAML node")

    def _refuse_explicit_tag(self, node: Any) -> None:
        tag = _written_tag(self.text, node.start_mark.index)
        if tag is not None:
            raise _Refused(node, _tag_message(tag))


def _written_tag(text: str, index: int) -> str | None:
    """The tag written before the value at `index` (after any anchor), or None."""
    n = len(text)
    i = index
    for _ in range(2):  # a tag and an anchor, in either order
        if i >= n:
            return None
        if text[i] == "!":
            end = i
            while end < n and text[end] not in " \t\r\n,[]{}":
                end += 1
            return text[i:end]
        if text[i] != "&":
            return None
        while i < n and text[i] not in " \t\r\n,[]{}":  # the anchor's name
            i += 1
        while i < n:  # the space, line breaks and comments between the two
            if text[i] in " \t\r\n":
                i += 1
            elif text[i] == "#":
                while i < n and text[i] != "\n":
                    i += 1
            else:
                break
    return None


def _tag_message(tag: str) -> str:
    shown = tag.replace(_T, "!!") if tag.startswith(_T) else tag
    return (
        f"the tag {shown!r} is not allowed: these files hold only plain text, numbers and "
        "dates (remove the tag, or quote the value if the '!' is part of the text)"
    )


def _scalar(node: Any) -> Any:
    tag = str(node.ctag)
    value = node.value
    if tag == _STR:
        return value
    if tag == _INT:
        try:
            v = value.replace("_", "")
            if v[:2] in ("0o", "0O"):
                number = int(v[2:], 8)
            elif v[:2] in ("0x", "0X"):
                number = int(v[2:], 16)
            else:
                number = int(v)
        except ValueError:  # past Python's limit on digits, too
            return value
        # a whole number too big to be a float is not a figure anyone meant: the text as
        # written, so that a number question says so at its line
        return number if number.bit_length() <= _FLOAT_BITS else value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        low = value.lower()
        if low == "true":
            return True
        if low == "false":
            return False
        return value  # YAML 1.1 yes/no/on/off stay text
    if tag == _TS:
        if _DATE_RE.match(value):
            try:
                return date.fromisoformat("-".join(p.zfill(2) for p in value.split("-")))
            except ValueError:
                return value  # an impossible date stays text; the schema check names it
        try:
            return datetime.fromisoformat(value.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError:
            return value
    if tag == _FLOAT:
        # .inf, .nan and 1e999 are kept as the text written: every number the tool reads is
        # finite, so no output can hold NaN or Infinity, and a number question names the
        # value at its line
        try:
            number = float(value.lower().replace("_", ""))
        except ValueError:
            return value
        return number if math.isfinite(number) else value
    raise _Refused(node, _tag_message(tag))


# ---------------------------------------------------------------- round trip and writing


def roundtrip() -> Any:
    """A ruamel YAML instance that keeps comments, order, quoting and blank lines."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 100_000  # never fold a user's long note across lines
    y.preserve_quotes = True
    return y


def load_roundtrip(text: str) -> Any:
    return roundtrip().load(text)


def dump_roundtrip(data: Any) -> str:
    buf = io.StringIO()
    roundtrip().dump(data, buf)
    return buf.getvalue()


@dataclass(frozen=True)
class Stamp:
    """What a file held when it was last read or written, to notice edits by others."""

    digest: str | None  # None: the file did not exist


def stamp(path: Path) -> Stamp:
    """What `path` holds now. Never opens anything but a regular file, and reads it in pieces."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Stamp(None)
    except OSError as exc:
        return Stamp(f"unreadable: {exc.errno}")
    if not stat_module.S_ISREG(info.st_mode):
        return Stamp(f"not a file: {stat_module.S_IFMT(info.st_mode)}")
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return Stamp(None)
    except OSError as exc:
        return Stamp(f"unreadable: {exc.errno}")
    return Stamp(digest.hexdigest())


#: Names the writer treats as YAML: what it writes under them must read back.
YAML_SUFFIXES = (".yaml", ".yml")


def check_readable(content: str | bytes, name: str) -> None:
    """Refuse YAML that scr-audit would refuse to read back: WriteRefusedError with the reason.

    The one writer calls this before writing a YAML file, so no command (a long note in
    `assess`, a huge marker set given to `new`, a merge) can leave a file that `check`
    and `assess` then cannot open. Nothing is written when it refuses.
    """
    data = _encoded(content, name)
    if len(data) > MAX_BYTES:
        raise WriteRefusedError(
            f"{name}: nothing was written: the file would be {len(data) / 1048576:.1f} MB, over the "
            f"{MAX_BYTES // 1048576} MB that scr-audit reads, so it could not be opened again; "
            "shorten the longest notes (or keep long documents elsewhere and refer to them)"
        )
    try:
        parse(decode(data, name), name)
    except YamlLoadError as exc:
        where = f" (line {exc.problem.line})" if exc.problem.line else ""
        raise WriteRefusedError(
            f"{name}: nothing was written: scr-audit would refuse to read the result back{where}: {exc.problem.message}"
        ) from None


def _encoded(content: str | bytes, name: str) -> bytes:
    if isinstance(content, bytes):
        return content
    try:
        return content.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise WriteRefusedError(
            f"{name}: nothing was written: the text holds characters that cannot be saved as UTF-8 "
            f"(at character {exc.start + 1}: bytes that were not UTF-8 in an argument or a file name)"
        ) from None


def atomic_write(
    path: Path,
    content: str | bytes,
    *,
    overwrite: bool = False,
    expect: Stamp | None = None,
    yaml: bool | None = None,
) -> Stamp:
    """Write `content` to `path` so that no reader ever sees a partial file.

    With `overwrite=False` an existing file is never replaced. With `expect`, the file must
    still hold what it held when it was read; otherwise FileChangedError and nothing written.
    A YAML file (`yaml=True`, or by default a name ending .yaml/.yml) is first checked to
    read back (`check_readable`): WriteRefusedError, and nothing written, if it would not.
    """
    path = Path(path)
    data = _encoded(content, str(path))
    if yaml is None:
        yaml = path.suffix.lower() in YAML_SUFFIXES
    if yaml:
        check_readable(data, str(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise WriteRefusedError(f"{path}: the folder {directory} does not exist")
    try:
        mode = path.stat().st_mode
        if stat_module.S_ISDIR(mode):
            raise WriteRefusedError(f"{path} is a folder, not a file; nothing was written")
        if not stat_module.S_ISREG(mode):
            raise WriteRefusedError(f"{path} is {special_kind(mode)}, not a regular file; nothing was written")
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as exc:
        raise WriteRefusedError(f"{path}: cannot be written ({exc.strerror or exc}); nothing was written") from None
    if expect is not None and stamp(path) != expect:
        raise FileChangedError(
            f"{path} changed on disk since it was read (another program or session edited it); "
            "nothing was written"
        )
    if not overwrite and path.exists():
        raise WriteRefusedError(f"{path} already exists; choose another name or move it away first")
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteRefusedError(f"{path}: cannot write in {directory}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the target appeared meanwhile: never clobbers
            except FileExistsError:
                raise WriteRefusedError(f"{path} already exists; nothing was written") from None
            except OSError:
                if path.exists():
                    raise WriteRefusedError(f"{path} already exists; nothing was written") from None
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
    except OSError as exc:
        raise WriteRefusedError(f"{path}: write failed: {exc.strerror or exc}; the original is unchanged") from None
    finally:
        if os.path.exists(tmp):
            try:
                os.unlink(tmp)
            except OSError:
                pass
    try:
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return Stamp(file_digest(data))
