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
# newline are escaped or kept as `visible`'s arguments say. Lone surrogates are what
# Python makes of bytes that are not UTF-8 in a file name or an argument: printed raw they
# stop the program (or reach the terminal as invalid UTF-8), so they are shown as the byte
# they stand for (`\xff`).
_OTHERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
    "\ud800-\udfff"
)
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
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
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


#: The colour and weight sequences (SGR) that `click.style` writes: the only escape
#: sequences the tool itself sends through `cli.output.echo`.
_SGR = re.compile(r"(\x1b\[[0-9;]*m)")
#: Every CSI sequence (colour, cursor movement, erase): what rich writes to a terminal.
_CSI = re.compile(r"(\x1b\[[0-?]*[ -/]*[@-~])")


def visible_styled(text: str, *, cursor: bool = False) -> str:
    """`visible`, except for the tool's own styling sequences, which pass as they are.

    The last line of defence in front of a terminal: text from files is made visible
    where it is composed, and this catches anything composed without it. Only the
    sequences the tool writes (colour; with `cursor`, rich's cursor movement too) pass.
    """
    if text.isascii() and text.isprintable():
        return text
    pattern = _CSI if cursor else _SGR
    parts = pattern.split(text)
    # odd parts are the sequences matched; even parts are text to make visible
    return "".join(part if i % 2 else visible(part, newlines=True) for i, part in enumerate(parts))


def markup(value: object) -> str:
    """`value` for a rich markup string: control characters visible, `[` escaped."""
    from rich.markup import escape

    return escape(visible(value))


def has_controls(value: object) -> bool:
    """Whether `value` holds anything `visible` would escape (a tab or newline included)."""
    text = value if isinstance(value, str) else str(value)
    return bool(_PATTERNS[(False, False)].search(text))
