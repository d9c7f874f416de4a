"""JSON for programs: always valid UTF-8 JSON, whatever the files held.

Three things in a file can break a JSON consumer or the terminal it prints on: a number
that is not finite (Python writes a bare `NaN`, which is not JSON), a file name whose bytes
are not UTF-8 (Python holds them as lone surrogates, which cannot be written as UTF-8),
and control characters that JSON allows raw (DEL, the C1 controls, bidirectional
overrides) but a terminal obeys. Every JSON output goes through `dumps` here.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8: the text '\xff', as termtext shows it
        return "\\\\x%02x" % (code - 0xDC00)
    if 0xD800 <= code <= 0xDFFF:  # any other lone surrogate: the text '\ud800'
        return "\\\\u%04x" % code
    return "\\u%04x" % code  # a JSON escape: the same character, never a raw one


def escape_controls(text: str) -> str:
    """JSON text with the characters above written as escapes (still the same JSON value)."""
    if text.isascii() and "\x7f" not in text:
        return text
    return _RAW.sub(_escape, text)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """`json.dumps`, never NaN or Infinity (a number that is not finite is null), safe to print."""
    try:
        text = json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(value), indent=indent, ensure_ascii=False, allow_nan=False)
    return escape_controls(text)
