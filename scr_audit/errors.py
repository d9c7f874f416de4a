"""The project's own exceptions.

The core never prints and never exits: it raises these, and the CLI turns them into a
message and an exit code. Every exception a user can cause carries enough to point at
the file, line and column and to say how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, located as precisely as the file allows."""

    file: str
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class ScrAuditError(Exception):
    """Base of everything the CLI reports as 'could not do its job' (exit code 2)."""


class YamlLoadError(ScrAuditError):
    """A YAML file could not be read at all (syntax, encoding, size, unsafe content)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class FileUnreadableError(YamlLoadError):
    """The file could not be opened or read at all (missing, a folder, permissions)."""


class MarkerSetError(ScrAuditError):
    """A marker set is wrong; it is refused whole, never half-loaded."""

    def __init__(self, directory: str, problems: list[Problem]) -> None:
        self.directory = directory
        self.problems = problems
        many = "problem" if len(problems) == 1 else "problems"
        lines = [f"marker set {directory} is not valid ({len(problems)} {many}):"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


class UnknownMarkerSetError(ScrAuditError):
    """A marker set id that no known directory provides."""


class UnknownItemError(ScrAuditError):
    """A marker, cluster or question id that the set does not have."""


class DocumentError(ScrAuditError):
    """A report (PDF or Word file) that cannot be read: scanned, encrypted, damaged, not one."""


class ReviewFileError(ScrAuditError):
    """A review file cannot be used for the job at hand (it has errors)."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        many = "error" if len(problems) == 1 else "errors"
        lines = [f"{path} has {len(problems)} {many}; fix them first:"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


class WriteRefusedError(ScrAuditError):
    """A write that would destroy a user's work (existing file, an input file)."""


class FileChangedError(ScrAuditError):
    """The file changed on disk since it was read; writing would lose someone's edits."""


class EditConflictError(FileChangedError):
    """The file was changed on disk at the very value being saved: both values are kept
    here (`mine`, `theirs`, as shown to the user) for the user to choose between."""

    def __init__(self, message: str, what: str, mine: str, theirs: str) -> None:
        super().__init__(message)
        self.what, self.mine, self.theirs = what, mine, theirs


class FileInUseError(ScrAuditError):
    """Another sitting holds the file (its lock): writing now would lose one side's answers."""


class CompareError(ScrAuditError):
    """Review files that cannot be compared: errors in one, or different marker sets."""
