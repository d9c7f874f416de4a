"""Commands the tool suggests, written so that they run as pasted.

A suggestion such as "scr-audit check Board papers Jan/qm19.yaml" fails when it is copied
into a shell: the space splits the path in two. Every command scr-audit prints for the
user to run is built here, each path quoted the way the user's shell reads it (POSIX
quoting, or the Windows command line's on Windows), and made safe to show (a control
character in a file name is shown, never sent to the terminal).

Core modules import this as well as the CLI (the walkthrough prints the command that
resumes it), so it depends on nothing but the standard library and `termtext`.
"""

from __future__ import annotations

import os
import sys
from pathlib import PurePath

from scr_audit.termtext import visible

PROGRAM = "scr-audit"


def quote(word: str | os.PathLike[str]) -> str:
    """One word of a command, quoted for the user's shell only when it needs it."""
    text = os.fspath(word) if isinstance(word, (os.PathLike, PurePath)) else str(word)
    if sys.platform == "win32":
        import subprocess

        return subprocess.list2cmdline([text])
    import shlex

    return shlex.quote(text)


def command(*words: str | os.PathLike[str]) -> str:
    """`scr-audit WORDS...` as a line to paste: "scr-audit check 'Board papers/qm19.yaml'"."""
    return visible(" ".join(quote(w) for w in (PROGRAM, *words)))
