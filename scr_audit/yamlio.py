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
from typing import Any, Iterable, Union

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
_DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\Z")
_DEEP_BLOCK_RE = re.compile(r"^(?:[ ]|[-?:][ ]){%d,}" % PARSER_SAFE_DEPTH, re.MULTILINE)
_FLOW_RE = re.compile(r"[\[\]{}]")


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


class Document:
    """Plain data from one YAML file, with positions looked up on demand."""

    __slots__ = ("name", "data", "_root", "text")

    def __init__(self, name: str, data: Any, root: Any, text: str) -> None:
        self.name = name
        self.data = data
        self._root = root
        self.text = text

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
            child = None
            kind = type(node).__name__
            if kind == "MappingNode":
                for knode, vnode in node.value:
                    if _key_value(knode) == part:
                        child = (knode, vnode)
                        break
            elif kind == "SequenceNode" and isinstance(part, int) and 0 <= part < len(node.value):
                child = (None, node.value[part])
            if child is None:
                return found
            knode, node = child
            found = _mark(knode) if key and knode is not None else _mark(node)
        return found

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
            kind = type(node).__name__
            nxt = None
            if kind == "MappingNode":
                nxt = next((v for k, v in node.value if _key_value(k) == part), None)
            elif kind == "SequenceNode" and isinstance(part, int) and 0 <= part < len(node.value):
                nxt = node.value[part]
            node = nxt
        return node

    def problem(self, path: Iterable[PathKey], message: str, *, key: bool = False) -> Problem:
        pos = self.position(path, key=key)
        return Problem(self.name, message, pos.line if pos else None, pos.column if pos else None)


def _mark(node: Any) -> Position:
    m = node.start_mark
    return Position(m.line + 1, m.column + 1)


def _key_value(knode: Any) -> Any:
    if type(knode).__name__ != "ScalarNode":
        return None
    try:
        return _scalar(knode)
    except _Refused:
        return None


class _Refused(Exception):
    def __init__(self, node: Any, message: str) -> None:
        self.node = node
        self.message = message


def file_digest(data: bytes) -> str:
    import hashlib  # here, not at start-up: only writing and the walkthrough need it

    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """Read a file, refusing one over `limit` before reading it."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise YamlLoadError(
                Problem(
                    name,
                    f"file is {size / 1048576:.1f} MB, over the {limit // 1048576} MB limit "
                    "for a YAML file here; is this the right file?",
                )
            )
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise FileUnreadableError(Problem(name, "no such file")) from None
    except IsADirectoryError:
        raise FileUnreadableError(Problem(name, "is a folder, not a file")) from None
    except PermissionError:
        raise FileUnreadableError(Problem(name, "permission denied: the file cannot be read")) from None
    except OSError as exc:
        raise FileUnreadableError(Problem(name, f"cannot be read: {exc.strerror or exc}")) from None
    if len(data) > limit:  # grew while we looked
        raise YamlLoadError(Problem(name, f"file is over the {limit // 1048576} MB limit"))
    return data


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; nothing binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise YamlLoadError(Problem(name, "starts like UTF-16 text but is not; save it as UTF-8")) from None
    if b"\x00" in data:
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
    root = _compose(text, name)
    if root is None:
        return Document(name, None, None, text)
    builder = _Builder()
    try:
        data = builder.build(root, 0)
    except _Refused as exc:
        pos = _mark(exc.node)
        raise YamlLoadError(Problem(name, exc.message, pos.line, pos.column)) from None
    return Document(name, data, root, text)


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

    __slots__ = ("budget",)

    def __init__(self) -> None:
        self.budget = MAX_VALUES

    def build(self, node: Any, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Refused(node, "too many values (aliases expanded past the limit): refused as a possible alias bomb")
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
                key = _scalar(knode)
                if key in firsts:
                    first = _mark(firsts[key])
                    raise _Refused(
                        knode,
                        f"duplicate key {key!r} (first at line {first.line}); "
                        "keep one of them: YAML does not say which one counts",
                    )
                firsts[key] = knode
                out[key] = self.build(vnode, depth + 1)
            return out
        if kind == "SequenceNode":
            if str(node.ctag) != _SEQ:
                raise _Refused(node, _tag_message(str(node.ctag)))
            return [self.build(item, depth + 1) for item in node.value]
        raise _Refused(node, "unsupported YAML node")


def _tag_message(tag: str) -> str:
    shown = tag.replace(_T, "!!")
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
                return int(v[2:], 8)
            if v[:2] in ("0x", "0X"):
                return int(v[2:], 16)
            return int(v)
        except ValueError:
            return value
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
        low = value.lower().replace("_", "")
        if low in (".inf", "+.inf"):
            return math.inf
        if low == "-.inf":
            return -math.inf
        if low == ".nan":
            return math.nan
        try:
            return float(low)
        except ValueError:
            return value
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
    try:
        return Stamp(file_digest(path.read_bytes()))
    except FileNotFoundError:
        return Stamp(None)


def atomic_write(
    path: Path,
    content: str | bytes,
    *,
    overwrite: bool = False,
    expect: Stamp | None = None,
) -> Stamp:
    """Write `content` to `path` so that no reader ever sees a partial file.

    With `overwrite=False` an existing file is never replaced. With `expect`, the file must
    still hold what it held when it was read; otherwise FileChangedError and nothing written.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise WriteRefusedError(f"{path}: the folder {directory} does not exist")
    if expect is not None and stamp(path) != expect:
        raise FileChangedError(
            f"{path} changed on disk since it was read (another program or session edited it); "
            "nothing was written"
        )
    if not overwrite and path.exists():
        raise WriteRefusedError(f"{path} already exists; choose another name or move it away first")
    try:
        if not stat_module.S_ISREG(path.stat().st_mode):
            raise WriteRefusedError(f"{path} is not a regular file (a device, pipe, socket or folder); nothing was written")
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as exc:
        raise WriteRefusedError(f"{path}: cannot be written ({exc.strerror or exc}); nothing was written") from None
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
