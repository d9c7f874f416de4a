"""Which files a command works on: the paths given, with folders searched for YAML.

A folder handed to `check` may hold anything: links that loop back to a folder above,
trees a thousand levels deep, subfolders the user may not open, named pipes or devices
that happen to be called `*.yaml`. The walk here is iterative (no depth limit but the
system's own), visits each real folder once (so a link loop ends), follows links to
folders elsewhere, and never opens a file: it only lists names. Special files are
passed on by name, so the reader reports each one ("a named pipe, not a file: skipped,
never opened") exactly as when it is named on the command line. Every folder that could
not be listed is reported: a check must never pass because part of it was not looked at.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from scr_audit.errors import Problem, ScrAuditError
from scr_audit.filekinds import os_error_words

SUFFIXES = (".yaml", ".yml")


@dataclass
class Listing:
    """One folder's entries: folders to search, other names (files, links, special files)."""

    folders: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: why the folder could not be listed (None: it was)
    problem: str | None = None
    #: hidden entries, left out (so a command can say what it did not look at)
    hidden_files: list[Path] = field(default_factory=list)
    hidden_folders: list[Path] = field(default_factory=list)


def list_folder(directory: Path) -> Listing:
    """The entries of `directory`, hidden ones left out; never raises for what is on disk.

    A link to a folder counts as a folder (it is followed); a link that loops or leads
    nowhere counts as a file, so the reader names it for what it is.
    """
    out = Listing()
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                path = Path(directory, entry.name)
                try:
                    is_dir = entry.is_dir()  # follows a link
                except OSError:
                    is_dir = False
                if entry.name.startswith("."):
                    (out.hidden_folders if is_dir else out.hidden_files).append(path)
                    continue
                (out.folders if is_dir else out.files).append(path)
    except OSError as exc:
        out.problem = os_error_words(exc)
    return out


@dataclass
class Expansion:
    """The files to work on, and the folders that could not be searched (each a Problem)."""

    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: what the folders held that was not checked, as (path, reason): "not-yaml", "hidden"
    #: (a file) or "hidden-folder" (not searched); scr-audit's own files beside review
    #: files (the editor schema, a sitting's lock) are not counted: nobody meant to check those
    left_out: list[tuple[str, str]] = field(default_factory=list)


def _ours(name: str) -> bool:
    """A file scr-audit writes beside review files: `<set-id>.schema.json`, `.<file>.lock`."""
    return name.endswith(".schema.json") or (name.startswith(".") and name.endswith(".lock"))


def expand(paths: Iterable[str | Path]) -> Expansion:
    """Files named, plus every *.yaml / *.yml under folders named, in a stable order.

    Hidden files and folders (editor backups, `.git`, our own temporary files) are
    skipped. A path that does not exist at all is the user's mistake: exit 2, before any
    work. A name that exists but cannot be followed (a broken or looping link) is kept,
    for the reader to report.
    """
    paths = list(paths)
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise ScrAuditError(f"no such file or folder: {', '.join(missing)}")
    out = Expansion()
    seen: set[object] = set()
    for p in paths:
        path = Path(p)
        if _is_folder(path):
            found, problems = _walk(path, out.left_out)
            out.problems += problems
            candidates = sorted(found, key=str)
        else:
            candidates = [path]
        for f in candidates:
            key = identity(f)
            if key not in seen:
                seen.add(key)
                out.files.append(f)
    return out


def _walk(root: Path, left_out: list[tuple[str, str]]) -> tuple[list[Path], list[Problem]]:
    found: list[Path] = []
    problems: list[Problem] = []
    visited: set[tuple[int, int]] = set()
    root_id = _folder_id(root)
    if root_id is not None:
        visited.add(root_id)
    stack = [root]
    while stack:
        folder = stack.pop()
        listing = list_folder(folder)
        if listing.problem is not None:
            problems.append(
                Problem(str(folder), f"this folder could not be read ({listing.problem}), so the files in it were not checked")
            )
            continue
        for name in listing.files:
            if name.name.lower().endswith(SUFFIXES):
                found.append(name)
        left_out += [(str(n), "not-yaml") for n in sorted(listing.files) if not n.name.lower().endswith(SUFFIXES) and not _ours(n.name)]
        left_out += [(str(n), "hidden") for n in sorted(listing.hidden_files) if not _ours(n.name)]
        left_out += [(str(n), "hidden-folder") for n in sorted(listing.hidden_folders)]
        for sub in sorted(listing.folders, key=str, reverse=True):
            key = _folder_id(sub)
            if key is None:  # vanished, or cannot be looked at: listing it will say why
                stack.append(sub)
            elif key not in visited:  # a link back to a folder already searched ends here
                visited.add(key)
                stack.append(sub)
    return found, problems


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _folder_id(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def identity(path: Path) -> object:
    """One key per file however it is named (links, `..`, hard links); the name if it cannot be followed."""
    try:
        info = os.stat(path)
        return (info.st_dev, info.st_ino)
    except OSError:
        return os.path.abspath(path)
