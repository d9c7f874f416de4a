"""Which files a command works on: the paths given, with folders searched for YAML."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from scr_audit.errors import ScrAuditError

SUFFIXES = (".yaml", ".yml")


def _ours(name: str) -> bool:
    """A file scr-audit writes beside review files: `<set-id>.schema.json`, `.<file>.lock`."""
    return name.endswith(".schema.json") or (name.startswith(".") and name.endswith(".lock"))


def expand(paths: Iterable[str | Path], *, left_out: list[tuple[str, str]] | None = None) -> list[Path]:
    """Files named, plus every *.yaml / *.yml under folders named, in a stable order.

    Hidden files and folders (editor backups, `.git`, our own temporary files) are
    skipped. A path that does not exist is the user's mistake: exit 2, before any work.
    `left_out` collects what a folder held that was skipped, as (path, reason): reason
    "not-yaml", "hidden" (a file) or "hidden-folder" (not searched), so a command can say so.
    scr-audit's own files beside review files (the editor schema, a sitting's lock) are
    not counted: nobody meant to check those.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise ScrAuditError(f"no such file or folder: {', '.join(missing)}")
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                if left_out is not None:
                    left_out += [(os.path.join(root, d), "hidden-folder") for d in sorted(dirs) if d.startswith(".")]
                    left_out += [
                        (os.path.join(root, n), "hidden" if n.startswith(".") else "not-yaml")
                        for n in sorted(files)
                        if (n.startswith(".") or not n.lower().endswith(SUFFIXES)) and not _ours(n)
                    ]
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                        continue
                    found.append(Path(root) / name)
            for f in sorted(found, key=lambda x: str(x)):
                key = f.resolve()
                if key not in seen:
                    seen.add(key)
                    out.append(f)
        else:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                out.append(path)
    return out
