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
from scr_audit.filekinds import os_error_words, special_kind


def check_output(
    output: Path | str,
    *,
    inputs: Iterable[Path | str] = (),
    force: bool = False,
    suffixes: Sequence[str] | None = None,
    what: str = "the output",
    option: str = "-o",
    force_option: str | None = "--force",
) -> Path:
    """Refuse `output` (WriteRefusedError, with the reason and the fix) or return it as a Path.

    `suffixes` (".docx", ".yaml"...) are the names that fit what is written; `what` names
    it in the message ("the Word record"). `force` allows replacing an existing regular
    file, never an input and never anything else; `force_option=None` for an output that
    is never replaced (the message then offers no option to force it).
    """
    path = Path(output)
    shown = str(output)
    for item in inputs:
        if same_file(path, Path(item)):
            raise WriteRefusedError(f"{shown} is one of the files being read; {option} never writes over an input, so choose another name")
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteRefusedError(f"{shown}: cannot be written ({os_error_words(exc)}); give {option} the name of a file") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise WriteRefusedError(f"{shown} is a folder; give {option} a file name")
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefusedError(f"{shown} is {special_kind(info.st_mode)}, not a regular file; give {option} the name of a file")
    elif path.is_symlink():
        raise WriteRefusedError(f"{shown} is a link to something that does not exist; give {option} the name of a file")
    if suffixes is not None and path.suffix.lower() not in tuple(s.lower() for s in suffixes):
        wanted = " or ".join(suffixes)
        raise WriteRefusedError(f"{shown}: {what} is written as {wanted}; give {option} a name ending in {wanted}")
    if info is not None and not force:
        if force_option is None:
            raise WriteRefusedError(f"{shown} already exists; {option} never replaces a file, so choose another name or move it away first")
        raise WriteRefusedError(f"{shown} already exists; add {force_option} to replace it, or choose another name")
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
    path = check_output(output, inputs=inputs, what="a review file", option=option, force_option=None)
    if path.suffix.lower() not in REVIEW_SUFFIXES:
        better = suggested_review_name(path)
        raise WriteRefusedError(
            f"{output}: a review file is YAML text, so its name must end in .yaml or .yml (for example {better})"
        )
    return path


def suggested_review_name(path: Path) -> str:
    """The name meant: 'child-r.docx' -> 'child-r.yaml', 'child-q' -> 'child-q.yaml'."""
    import re

    suffix = path.suffix
    if suffix and re.fullmatch(r"\.[A-Za-z][A-Za-z0-9]{0,4}", suffix):
        return str(path.with_suffix(".yaml"))
    return str(path) + ".yaml"
