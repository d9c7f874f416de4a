"""Text from files, made safe to print on a terminal.

A review title, a marker title from a user's own set, a note or a file name can hold
anything, including escape sequences that recolour a terminal, set its window title,
move the cursor or hide the text after them (and bidirectional controls that make a line
read differently from how it is stored). Every printer passes such text through
`visible` on its way out, so a control character is shown as an escape (`\\x1b`) instead
of being obeyed. Nothing else is changed: letters of every script, emoji and ordinary
punctuation print as they are.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the bidirectional embedding / override / isolate
# controls and marks that can reorder what a line appears to say ("Trojan source"), plus
# the line and paragraph separators that some terminals treat as a new line. Tab and
# newline are escaped or kept as `visible`'s arguments say.
_OTHERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_PATTERNS = {
    (keep_newlines, keep_tabs): re.compile(
        "[" + _OTHERS + ("" if keep_newlines else "\n") + ("" if keep_tabs else "\t") + "]"
    )
    for keep_newlines in (False, True)
    for keep_tabs in (False, True)
}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(value: object, *, newlines: bool = False, tabs: bool = True) -> str:
    """`value` as text with every control character shown as an escape, never obeyed.

    `newlines=True` keeps line breaks (for a paragraph printed as a block); by default a
    newline is shown as `\\n`, so a one-line field stays on one line. `tabs=False` shows a
    tab as `\\t` too.
    """
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if text.isascii() and text.isprintable():
        return text
    pattern = _PATTERNS[(newlines, tabs)]
    return pattern.sub(_escape, text)


def has_controls(value: object) -> bool:
    """Whether `value` holds anything `visible` would escape (a tab or newline included)."""
    text = value if isinstance(value, str) else str(value)
    return bool(_PATTERNS[(False, False)].search(text))
