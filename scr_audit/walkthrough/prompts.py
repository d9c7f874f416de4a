"""What the person types, understood the same way at every prompt.

`b` back, `s` skip, `q` save and quit and `?` guidance mean the same at every prompt,
a note's included; a note that is just one of those letters is typed in quotes ('s').
Answers and ratings take the set's shortcuts and any unambiguous start of a word
(`pm`, `part`, `not-m`). Messages are plain words: no backticks, commands quoted for the
shell the person uses.
"""

from __future__ import annotations

import re
import sys
from typing import Iterable, Optional, Sequence, TypeVar

BACK, SKIP, QUIT, HELP = "b", "s", "q", "?"
EDIT, CLEAR = "e", "-"
MOVES = (BACK, SKIP, QUIT, HELP)
#: How a move is named in a prompt's key list and in messages.
KEYS = f"{BACK}/{SKIP}/{QUIT}/{HELP}"
COMMANDS = f"{BACK} back, {SKIP} skip, {QUIT} save and quit, {HELP} guidance"
LITERAL_HINT = f"to note just the letter {SKIP} (or {BACK}, {QUIT}, {EDIT}, {CLEAR}), type it in quotes: '{SKIP}'"

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_QUOTED = re.compile(r"""(['"])(.+)\1\Z""")

T = TypeVar("T")


def clean(raw: str) -> str:
    """A typed line without terminal escape sequences (arrow keys) or control characters."""
    return _CONTROLS.sub("", _ESCAPES.sub("", raw))


def move(raw: str) -> Optional[str]:
    """The move a typed line asks for (b, s, q, ?), or None for anything else."""
    low = raw.strip().lower()
    return low if low in MOVES else None


def note_text(raw: str) -> str:
    """A typed note as it is recorded: a command letter in quotes ('s') is the letter."""
    m = _QUOTED.match(raw.strip())
    if m and m.group(2).strip().lower() in (*MOVES, EDIT, CLEAR):
        return m.group(2).strip()
    return raw.strip()


def pick(raw: str, options: Sequence[T], names: "callable[[T], Iterable[str]]") -> tuple[Optional[T], list[T]]:
    """(the option `raw` names, []) or (None, the options it could mean).

    An exact name or shortcut wins (case does not matter, `-` and spaces alike); else a
    start of a name or of its hyphen-initials (`pm` for partly-met) that only one option has.
    """
    want = _norm(raw)
    if not want:
        return None, []
    for opt in options:
        if want in {_norm(n) for n in names(opt)}:
            return opt, []
    found = []
    for opt in options:
        for name in names(opt):
            norm = _norm(name)
            if norm.startswith(want) or _initials(name) == want.replace(" ", ""):
                found.append(opt)
                break
    return (found[0], []) if len(found) == 1 else (None, found)


def _norm(text: str) -> str:
    return " ".join(str(text).lower().replace("-", " ").replace("_", " ").split())


def _initials(name: str) -> str:
    words = _norm(name).split()
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def command_line(words: Sequence[str]) -> str:
    """A command to copy, quoted for the shell of this platform."""
    if sys.platform == "win32":
        import subprocess

        return subprocess.list2cmdline(list(words))
    import shlex

    return " ".join(shlex.quote(str(w)) for w in words)


def short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
