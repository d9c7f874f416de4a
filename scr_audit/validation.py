"""Every message about a file's content, in plain words: the one place they are made.

The libraries underneath speak their own language ("String should have at least 1
character", "mapping values are not allowed here", "markers.QM1.actions.0"). A lead
reviewer should never have to translate it. This module turns each of pydantic's error
types and each of the YAML parser's complaints into a sentence that says what is wrong,
where (in the reviewer's terms: "QM1 action 2", "the decision date") and what to write
instead. The callers add the line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Sequence

if TYPE_CHECKING:
    from pydantic import ValidationError

    from scr_audit.yamlio import DocPath

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DATE_HINT = "write dates as YYYY-MM-DD, for example 2025-01-31"


def closest(word: object, choices: Iterable[object]) -> Optional[str]:
    """The choice `word` was most likely meant to be. Case-insensitive, tolerant of one slip."""
    import difflib

    text = str(word)
    options = [str(c) for c in choices]
    lowered = {o.lower(): o for o in options}
    if text.lower() in lowered and lowered[text.lower()] != text:
        return lowered[text.lower()]
    close = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """' (did you mean 'QM9'?)' or ''."""
    close = closest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""


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


def number_ranges(numbers: Iterable[int]) -> str:
    """'1-3, 5 and 7-9': a run of question numbers as people write it."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# ------------------------------------------------------------------------------ dates

_DATE_LIKE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*\Z")


def impossible_date(text: object) -> Optional[str]:
    """'there is no 30 February 2025' for a date written rightly that does not exist, else None."""
    import calendar

    m = _DATE_LIKE.match(text) if isinstance(text, str) else None
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month} (months run from 01 to 12)"
    last = calendar.monthrange(year, month)[1]
    if day < 1:
        return f"there is no day {day} in a month"
    if day > last:
        return f"there is no {day} {MONTHS[month - 1]} {year} ({MONTHS[month - 1]} {year} has {last} days)"
    return None


def date_problem(value: object) -> str:
    """Why `value` is not a date, in words, with what to write instead."""
    impossible = impossible_date(value)
    if impossible:
        return f"{impossible}; check the day and the month"
    from datetime import datetime

    if isinstance(value, datetime):
        return f"{value.isoformat(sep=' ')} has a time as well as a date; write the date alone, YYYY-MM-DD"
    if isinstance(value, str) and re.match(r"\s*\d{4}-\d{1,2}-\d{1,2}[ T]", value):
        return f"{_show(value)} has a time as well as a date; write the date alone, YYYY-MM-DD"
    return f"{describe_value(value)} is not a date; {DATE_HINT}"


# --------------------------------------------------------------------- value in words


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:56] + "...'"


def describe_value(value: object) -> str:
    """A value as the reviewer wrote it: "'maybe'", "the number 3", "a list", "nothing"."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a group of 'key: value' lines"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value:g}" if isinstance(value, float) else f"the number {value}"
    if isinstance(value, str) and not value.strip():
        return "empty text"
    return _show(value)


# ------------------------------------------------------------------- pydantic errors


@dataclass(frozen=True)
class FieldIssue:
    path: "DocPath"
    message: str
    on_key: bool = False


Subject = Callable[[tuple], str]


def describe_path(path: Sequence[object]) -> str:
    """A location in plain words when the caller gives none: "review dates decision"."""
    words: list[str] = []
    for part in path:
        if isinstance(part, int):
            words.append(f"item {part + 1}")
        else:
            words.append(str(part))
    return " ".join(words) if words else "the file"


def review_subject(path: Sequence[object]) -> str:
    """A place in a review file in the reviewer's words: "QM1 question 3", "the decision date"."""
    p = list(path)
    if not p:
        return "the file"
    top = str(p[0])
    if top == "review" and len(p) > 1:
        if p[1] == "dates":
            return f"the {p[2]} date" if len(p) > 2 else "review dates"
        if len(p) > 2 and isinstance(p[2], int):
            return f"review {p[1]}, line {p[2] + 1}"
        return f"review {p[1]}"
    if top == "markers" and len(p) > 1:
        marker = str(p[1])
        if len(p) == 2:
            return marker
        part = p[2]
        if part == "answers" and len(p) > 3:
            rest = f" {p[4]}" if len(p) > 4 else ""
            return f"{marker} question {p[3]}{rest}"
        if part == "actions" and len(p) > 3 and isinstance(p[3], int):
            rest = f" {'due date' if p[4] == 'due' else p[4]}" if len(p) > 4 else ""
            return f"{marker} action {p[3] + 1}{rest}"
        return f"{marker} {part}"
    if top == "conclusion" and len(p) > 1:
        line = f", line {p[2] + 1}" if len(p) > 2 and isinstance(p[2], int) else ""
        return f"conclusion {p[1]}{line}"
    return describe_path(p)


def set_subject(path: Sequence[object]) -> str:
    """A place in a marker-set file in words: "question 2 text", "answer-scale item 3"."""
    words: list[str] = []
    for part in path:
        if isinstance(part, int):
            if words and words[-1] == "questions":
                words[-1] = f"question {part + 1}"
            else:
                words.append(f"item {part + 1}")
        else:
            words.append(str(part))
    return " ".join(words) if words else "the file"


def field_issues(
    error: "ValidationError",
    data: Any,
    *,
    base: tuple = (),
    known_fields: dict[tuple, Sequence[str]] | None = None,
    patterns: Mapping[str, str] | None = None,
    subject: Subject | None = None,
    hints: Mapping[str, str] | None = None,
) -> list[FieldIssue]:
    """Pydantic's errors as located sentences a reviewer can act on.

    `subject` names a location in the reviewer's words (default: the keys joined);
    `known_fields` maps a path (without list indexes) to the keys allowed there, so an
    unknown key can name the closest allowed one; `patterns` says in words what each
    pattern a text must match means; `hints` says what a field holds, by its key.
    """
    name_of = subject or describe_path
    issues: list[FieldIssue] = []
    seen: set[tuple] = set()
    for err in error.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
        path = base + loc
        kind = err["type"]
        key = (path, kind)
        if key in seen:
            continue
        seen.add(key)
        context = dict(err.get("ctx") or {})
        message, on_key = _sentence(kind, path, err.get("input"), context, name_of, known_fields or {}, patterns or {}, hints or {})
        issues.append(FieldIssue(path, message, on_key))
    return issues


_MISSING = {"missing", "missing_argument", "missing_keyword_only_argument", "missing_positional_only_argument"}
_UNKNOWN = {"extra_forbidden", "unexpected_keyword_argument", "unexpected_positional_argument", "no_such_attribute"}
_MAPPING = {"dict_type", "model_type", "model_attributes_type", "dataclass_type", "dataclass_exact_type", "mapping_type",
            "frozen_dict_type", "ordered_dict_type", "counter_type", "arguments_type", "named_tuple_type", "typed_dict_type"}
_LIST = {"list_type", "tuple_type", "set_type", "frozen_set_type", "deque_type", "iterable_type", "iteration_error",
         "set_item_not_hashable", "invalid_key"}
_WHOLE = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_NUMBER = {"float_type", "float_parsing", "finite_number", "decimal_type", "decimal_parsing", "decimal_max_digits",
           "decimal_max_places", "decimal_whole_digits", "fraction_type", "fraction_parsing", "complex_type",
           "complex_str_parsing", "multiple_of"}
_TEXT = {"string_type", "string_unicode", "string_not_ascii", "bytes_type", "bytes_invalid_encoding", "str_type"}
_BOUNDS = {"greater_than": "more than {gt}", "greater_than_equal": "at least {ge}", "less_than": "less than {lt}",
           "less_than_equal": "at most {le}"}


def _sentence(
    kind: str,
    path: tuple,
    value: Any,
    ctx: dict[str, Any],
    name_of: Subject,
    known_fields: dict[tuple, Sequence[str]],
    patterns: Mapping[str, str],
    hints: Mapping[str, str],
) -> tuple[str, bool]:
    """(the sentence, whether it points at the key rather than the value)."""
    field_name = str(path[-1]) if path and not isinstance(path[-1], int) else ""
    where = name_of(path)
    hint = hints.get(field_name)
    if kind in _UNKNOWN:
        parent = path[:-1]
        allowed = list(known_fields.get(_strip_indexes(parent), ()))
        close = closest(field_name, allowed)
        owner = name_of(parent)
        if close:
            return f"{owner} has no field called {field_name!r}; did you mean {close!r}?", True
        listed = f"; the fields it can have are {or_list(allowed)}" if allowed else "; remove it"
        return f"{owner} has no field called {field_name!r}{listed}", True
    if kind in _MISSING:
        what = f" with {_lower_first(hint)}" if hint else ""
        return f"{name_of(path[:-1])} has no '{field_name}:' line; add one{what}", False
    if kind.startswith(("date", "datetime", "time_", "timezone")) and kind != "time_delta_type":
        return f"{where}: {date_problem(value)}", False
    if kind == "literal_error" or kind == "enum":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = did_you_mean(value, options) if isinstance(value, str) else ""
        return f"{where}: {describe_value(value)} is not one of the choices{close}; use {or_list(options) or 'one of the listed values'}", False
    if kind in ("string_too_short", "too_short"):
        least = ctx.get("min_length", 1)
        if kind == "string_too_short":
            if least == 1:
                what = _lower_first(hint) if hint else "it"
                return f"{where} is empty; after '{field_name}:' write {what}", False
            return f"{where} is too short; it needs at least {least} characters", False
        return f"{where} is empty; it needs at least {plural(int(least), 'item')}, one '- ' line each", False
    if kind in ("string_too_long", "too_long", "bytes_too_long", "url_too_long"):
        most = ctx.get("max_length", "")
        return f"{where} is too long; it can have at most {most}", False
    if kind == "bytes_too_short":
        return f"{where} is too short", False
    if kind == "string_pattern_mismatch":
        words = patterns.get(str(ctx.get("pattern", "")), "a value written in the expected form")
        return f"{where}: {describe_value(value)} is not {words}", False
    if kind in _BOUNDS:
        bound = _BOUNDS[kind].format(**{k: _num(v) for k, v in ctx.items()})
        return f"{where} is {describe_value(value).removeprefix('the number ')}; it must be {bound}", False
    if kind in _TEXT:
        return f"{where} should be text, not {describe_value(value)}", False
    if kind in _WHOLE:
        return f"{where} should be a whole number, not {describe_value(value)}", False
    if kind in _NUMBER:
        return f"{where} should be a number, not {describe_value(value)}", False
    if kind in ("bool_type", "bool_parsing"):
        return f"{where} should be true or false, not {describe_value(value)}", False
    if kind in _MAPPING:
        return f"{where} should be a group of 'key: value' lines indented under it, not {describe_value(value)}", False
    if kind in _LIST:
        return f"{where} should be a list, one '- ' line per item, not {describe_value(value)}", False
    if kind in ("value_error", "assertion_error"):
        reason = str(ctx.get("error", "")).removeprefix("Assertion failed, ").strip() or "this value cannot be used here"
        return f"{where}: {reason}", False
    if kind == "none_required":
        return f"{where} should be left empty", False
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"{where}: this kind of entry is not one this field can hold", False
    if kind in ("frozen_field", "frozen_instance"):
        return f"{where} cannot be changed", False
    if kind.startswith(("url", "uuid")):
        return f"{where}: {describe_value(value)} is not written in the expected form", False
    # everything else pydantic could in principle say: never its own wording
    return f"{where}: {describe_value(value)} cannot be used here", False


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _is_union_tag(part: object) -> bool:
    # pydantic adds the union member's type name to the location ("str", "function-before[...]")
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "date", "none", "bool"})


def _strip_indexes(path: tuple) -> tuple:
    return tuple(p for p in path if not isinstance(p, int))


# --------------------------------------------------------------------- YAML syntax

#: What the YAML parser's complaints mean, in words: (words all in its message, ours), first match wins.
_YAML_PROBLEMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("another document",), "a review file holds one document; remove the '---' line and what follows it, or split the file in two"),
    (("incompatible yaml document",), "the '%YAML' line at the top asks for a YAML version that is not supported; remove that line"),
    (("tab",), "a tab is used for indentation here; YAML needs spaces"),
    (("escape",), "a backslash inside double quotes starts an escape that does not exist; use single quotes, or write two backslashes"),
    (("mapping values are not allowed",), "there is a ': ' where no new key can start; put the text in quotes if it holds ': ', or check this line's indentation"),
    (("could not find expected ':'",), "a key here has no ':' after it, or text runs on from the line above without quotes"),
    (("did not find expected key",), "this line is indented differently from the lines above it (line its key up under theirs), or text after a quoted value needs the whole value in quotes"),
    (("expected <block end>",), "this line is indented differently from the lines above it; line its key up under theirs"),
    (("block sequence entries are not allowed",), "a '- ' list item is not allowed here; check its indentation, or put text that starts with '- ' in quotes"),
    (("alias",), "'*' starts an alias in YAML; put text that begins with '*' in quotes"),
    (("anchor",), "'&' starts an anchor in YAML; put text that begins with '&' in quotes"),
    (("end of stream", "quoted"), "a quote is opened and never closed"),
    (("quoted scalar",), "a quote is opened and never closed, or text follows the closing quote; put the whole value in quotes"),
    (("expected ',' or ']'",), "a list in [ ] is not closed, or an item in it needs quotes"),
    (("expected ',' or '}'",), "a group in { } is not closed, or an item in it needs quotes"),
    (("cannot start any token",), "a value here starts with a character YAML keeps for itself (such as @ or %); put the text in quotes"),
    (("expected node content",), "a value is missing here, or text that starts with a symbol needs quotes"),
    (("directive",), "a line starting with '%' is a YAML directive; put the text in quotes or remove the line"),
    (("document start",), "the file goes on after its end; remove the extra lines or quote them"),
    (("unacceptable character",), "a control character is not allowed here; delete it"),
    (("special characters are not allowed",), "a control character is not allowed here; delete it"),
)


def yaml_problem(problem: str, line_text: str = "", column: int | None = None) -> str:
    """The YAML parser's complaint about one place, as a sentence with the fix."""
    low = problem.lower()
    before = line_text[: column + 1] if column is not None else line_text
    if "\t" in before and ("token" in low or "tab" in low or "indent" in low or "expected" in low):
        return "not valid YAML: a tab is used for indentation here; YAML needs spaces"
    for words, ours in _YAML_PROBLEMS:
        if all(w in low for w in words):
            return f"not valid YAML: {ours}"
    return (
        "not valid YAML here; check the indentation against the lines above, and put text that holds ': ' "
        "or ' #', or starts with a symbol, in quotes"
    )
