"""Turning pydantic's validation errors into messages a reviewer can act on.

Pydantic says *what* is wrong at a location path; this module adds *where* (line and
column, from the YAML document) and *how to fix it* (allowed values, did-you-mean).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from pydantic import ValidationError

    from scr_audit.yamlio import DocPath


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """' (did you mean 'QM9'?)' or ''. Case-insensitive, and tolerant of one slip."""
    text = str(word)
    options = [str(c) for c in choices]
    lowered = {o.lower(): o for o in options}
    if text.lower() in lowered and lowered[text.lower()] != text:
        return f" (did you mean {lowered[text.lower()]!r}?)"
    close = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    if close:
        return f" (did you mean {lowered[close[0]]!r}?)"
    return ""


def or_list(items: Sequence[str]) -> str:
    """'a, b or c': how the messages list allowed values."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def plural(n: int, word: str, *, count: bool = True) -> str:
    """'1 marker', '3 markers' (or just the word, with count=False)."""
    form = word if n == 1 else word + "s"
    return f"{n} {form}" if count else form


@dataclass(frozen=True)
class FieldIssue:
    path: "DocPath"
    message: str
    on_key: bool = False


def describe_path(path: Sequence[object]) -> str:
    return ".".join(str(p) for p in path) if path else "the file"


def field_issues(
    error: "ValidationError",
    data: Any,
    *,
    base: tuple = (),
    known_fields: dict[tuple, Sequence[str]] | None = None,
) -> list[FieldIssue]:
    """Pydantic errors as located, fixable messages.

    `known_fields` maps a path (without list indexes) to the field names allowed there, so
    an unknown key can name the closest allowed one.
    """
    issues: list[FieldIssue] = []
    seen: set[tuple] = set()
    for err in error.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
        path = base + loc
        kind = err["type"]
        value = err.get("input")
        name = str(loc[-1]) if loc else ""
        where = f"in {describe_path(path[:-1])}" if len(path) > 1 else "at the top level"
        key = (path, kind)
        if key in seen:
            continue
        seen.add(key)
        if kind == "extra_forbidden":
            allowed = (known_fields or {}).get(_strip_indexes(path[:-1]), ())
            hint = did_you_mean(name, allowed)
            listed = f"; allowed here: {', '.join(allowed)}" if allowed and not hint else ""
            issues.append(FieldIssue(path, f"unknown field {name!r} {where}{hint}{listed}", on_key=True))
        elif kind == "missing":
            issues.append(FieldIssue(path, f"{name!r} is missing {where}: add a '{name}:' line"))
        elif kind.startswith("date") or kind.startswith("datetime"):
            issues.append(FieldIssue(path, f"{name}: {_show(value)} is not a valid date; write dates as YYYY-MM-DD (e.g. 2025-01-31)"))
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            issues.append(FieldIssue(path, f"{name}: {_show(value)} is not allowed; use {expected.replace(chr(39), '')}"))
        elif kind in ("string_type", "str_type"):
            issues.append(FieldIssue(path, f"{name}: should be text, not {_kind(value)}"))
        elif kind in ("int_type", "int_parsing", "int_from_float"):
            issues.append(FieldIssue(path, f"{name}: should be a whole number, not {_show(value)}"))
        elif kind in ("float_type", "float_parsing"):
            issues.append(FieldIssue(path, f"{name}: should be a number, not {_show(value)}"))
        elif kind in ("dict_type", "model_type", "model_attributes_type"):
            issues.append(FieldIssue(path, f"{name or 'this'}: should be a mapping of 'key: value' lines, not {_kind(value)}"))
        elif kind in ("list_type", "tuple_type"):
            issues.append(FieldIssue(path, f"{name}: should be a list ('- item' lines), not {_kind(value)}"))
        elif kind == "bool_type" or kind == "bool_parsing":
            issues.append(FieldIssue(path, f"{name}: should be true or false, not {_show(value)}"))
        elif kind == "value_error":
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
            issues.append(FieldIssue(path, f"{name}: {msg}" if name else msg))
        else:
            issues.append(FieldIssue(path, f"{name}: {err['msg']}" if name else err["msg"]))
    return issues


def _is_union_tag(part: object) -> bool:
    # pydantic adds the union member's type name to the location ("str", "function-before[...]")
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "date", "none", "bool"})


def _strip_indexes(path: tuple) -> tuple:
    return tuple(p for p in path if not isinstance(p, int))


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return _show(value)
