"""Where a command may write: the one check every `-o`, `--merge` and new file goes through.

A write that replaces the wrong thing loses a user's work: their review file given back as
its own output, a colleague's record of the same name, a device or a pipe replaced by a
plain file. So before any work is done, an output is refused when it is one of the
command's inputs, is anything but a regular file (or a name not yet taken), already exists
without `--force`, lies in a folder that does not exist, or has a suffix that does not fit
what will be written into it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from scr_audit.errors import WriteRefusedError


def check_output(
    output: Path | str,
    *,
    inputs: Iterable[Path | str] = (),
    force: bool = False,
    suffixes: Sequence[str] | None = None,
    what: str = "the output",
    option: str = "-o",
) -> Path:
    """Refuse `output` (WriteRefusedError, with the reason and the fix) or return it as a Path.

    `suffixes` (".docx", ".yaml"...) are the names that fit what is written; `what` names
    it in the message ("the Word record"). `force` allows replacing an existing regular
    file, never an input and never anything else.
    """
    path = Path(output)
    shown = str(output)
    if suffixes is not None and path.suffix.lower() not in tuple(s.lower() for s in suffixes):
        wanted = " or ".join(suffixes)
        raise WriteRefusedError(f"{shown}: {what} is written as {wanted}; give {option} a name ending in {wanted}")
    for item in inputs:
        if same_file(path, Path(item)):
            raise WriteRefusedError(f"{shown} is one of the files being read; {option} never writes over an input, so choose another name")
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteRefusedError(f"{shown}: cannot be written ({exc.strerror or exc})") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise WriteRefusedError(f"{shown} is a folder; give {option} a file name")
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefusedError(f"{shown} is not a regular file (a device, pipe or socket); give {option} the name of a file")
        if not force:
            raise WriteRefusedError(f"{shown} already exists; add --force to replace it, or choose another name")
    elif path.is_symlink():
        raise WriteRefusedError(f"{shown} is a link to something that does not exist; give {option} the name of a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise WriteRefusedError(f"{shown}: the folder {parent} does not exist")
    return path


def same_file(a: Path, b: Path) -> bool:
    """Whether two names reach the same file (links and `..` included)."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError, ValueError):
        return False


#: A review file is YAML, and every command that reads a folder looks for these names.
REVIEW_SUFFIXES = (".yaml", ".yml")


def check_review_file(output: Path | str, *, inputs: Iterable[Path | str] = (), option: str = "FILE") -> Path:
    """A new review file's name, refused unless it ends in .yaml or .yml (and as check_output).

    The one rule for every command that writes a review file (`new`, `assess`, `scan -o`,
    `compare --merge`): refuse, never rename. A file quietly called something else than
    was typed is harder to find than a refusal that names the right name.
    """
    path = Path(output)
    if path.suffix.lower() not in REVIEW_SUFFIXES:
        better = suggested_review_name(path)
        raise WriteRefusedError(
            f"{output}: a review file is YAML text, so its name must end in .yaml or .yml (for example {better})"
        )
    return check_output(path, inputs=inputs, suffixes=REVIEW_SUFFIXES, what="a review file", option=option)


def suggested_review_name(path: Path) -> str:
    """The name meant: 'child-r.docx' -> 'child-r.yaml', 'child-q' -> 'child-q.yaml'."""
    import re

    suffix = path.suffix
    if suffix and re.fullmatch(r"\.[A-Za-z][A-Za-z0-9]{0,4}", suffix):
        return str(path.with_suffix(".yaml"))
    return str(path) + ".yaml"
