"""Writing a program's suggested answers into a review file, never over an assessor's.

Each suggestion is written as the question's answer with its evidence and
`suggested-by: scan` beside them (a note with no answer, where the question is a
judgement, carries the mark too, so everything the program wrote can be told from what a
person wrote). What an assessor recorded (an answer, or a note of their own) is never
touched: the question is left as it is and reported as kept. A suggestion written by an
earlier scan, still unconfirmed, is replaced by the new one.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from scr_audit.editing import ReviewEditor
from scr_audit.markers import Registry
from scr_audit.review import AnswerEntry, ReviewFile, answer_for
from scr_audit.scan import SET_ID, SUGGESTED_BY, Suggestion


@dataclass
class Filled:
    """What a fill did: the suggestions written, and those left out because an assessor
    had already recorded something for the question."""

    written: list[Suggestion] = field(default_factory=list)
    kept: list[tuple[Suggestion, str]] = field(default_factory=list)  # suggestion, what is recorded


def recorded(entry: Optional[AnswerEntry]) -> Optional[str]:
    """What an assessor recorded for a question ("an answer", "a note"), or None."""
    if entry is None:
        return None
    if entry.is_suggestion:
        return None  # a program's, not yet confirmed: a new scan may replace it
    if entry.has_value:
        return "an answer"
    if entry.has_evidence:
        return "a note"
    return None


def fill(editor: ReviewEditor, review: ReviewFile, suggestions: list[Suggestion], by: str = SUGGESTED_BY) -> Filled:
    """Write `suggestions` into `editor` wherever `review` has nothing an assessor recorded."""
    out = Filled()
    for s in suggestions:
        _, entry = answer_for(review.entry(s.marker), s.question)
        what = recorded(entry)
        if what is not None:
            out.kept.append((s, what))
            continue
        write(editor, s.marker, s.question, s.answer, s.evidence, by)
        out.written.append(s)
    return out


def write(editor: ReviewEditor, marker: str, number: int, answer: Any, evidence: str, by: str) -> None:
    """One suggestion, through the editor's own set_answer (so the file keeps its layout)."""
    marked = _takes_suggested_by(editor)
    if marked:
        editor.set_answer(marker, number, answer, evidence, suggested_by=by)  # type: ignore[call-arg]
    else:  # an editor from before suggestions: the mark added here
        editor.set_answer(marker, number, answer, evidence)
    entry = _entry(editor, marker, number)
    if entry is None:  # pragma: no cover - set_answer always writes a mapping when given evidence
        raise RuntimeError(f"{marker} question {number} was not written")
    if answer is None and "answer" in entry:
        del entry["answer"]  # a note alone: no `answer: null` for a reader to wonder at
    if not marked:
        entry["suggested-by"] = by


def _takes_suggested_by(editor: ReviewEditor) -> bool:
    try:
        return "suggested_by" in inspect.signature(editor.set_answer).parameters
    except (TypeError, ValueError):
        return False


def _entry(editor: ReviewEditor, marker: str, number: int) -> Any:
    from ruamel.yaml.comments import CommentedMap

    from scr_audit.review import question_number

    markers = editor.data.get("markers")
    if not isinstance(markers, CommentedMap):
        return None
    mkey = next((k for k in markers if str(k).lower() == marker.lower()), None)
    answers = markers[mkey].get("answers") if mkey is not None and isinstance(markers[mkey], CommentedMap) else None
    if not isinstance(answers, CommentedMap):
        return None
    qkey = next((k for k in answers if question_number(k) == number), None)
    value = answers[qkey] if qkey is not None else None
    return value if isinstance(value, CommentedMap) else None


def reads_back(review: ReviewFile, written: list[Suggestion], by: str = SUGGESTED_BY) -> bool:
    """Whether `review` (the written file read again) holds every suggestion as written."""
    for s in written:
        _, entry = answer_for(review.entry(s.marker), s.question)
        if entry is None or (entry.suggested_by or "") != by or (entry.evidence or "") != s.evidence.strip():
            return False
        if s.answer is None:
            if entry.has_value:
                return False
        elif str(entry.answer).lower() != str(s.answer).lower():
            return False
    return True


def fill_file(path: Path, registry: Registry, suggestions: list[Suggestion], *, set_id: str = SET_ID) -> Filled:
    """Fill the review file at `path` with `suggestions`, written whole and atomically.

    Refused (ReviewFileError, ScrAuditError) when the file cannot be edited safely: it has
    errors that leave unclear where an answer goes, it is against another marker set, or
    writing would lose one of its comments. Never written over an edit made since it was
    read (FileChangedError). The caller holds the file's lock, where there are locks.
    """
    from ruamel.yaml.error import YAMLError

    from scr_audit import yamlio
    from scr_audit.checks import CheckOptions, check_read
    from scr_audit.errors import Problem, ReviewFileError, ScrAuditError, WriteRefusedError, YamlLoadError
    from scr_audit.review import read_review
    from scr_audit.walkthrough import REFUSED_RULES

    name = str(path)
    target = path.resolve() if path.is_symlink() else path  # a linked file is updated, not replaced by a copy
    try:
        raw = yamlio.read_bytes(path)
        text = yamlio.decode(raw, name)
    except YamlLoadError as exc:
        raise ReviewFileError(name, [exc.problem]) from None
    read = read_review(path, text=text)
    report = check_read(read, registry, CheckOptions())
    refused = [f for f in report.findings if f.rule in REFUSED_RULES and f.severity == "error"]
    if refused or read.review is None:
        raise ReviewFileError(name, [Problem(f.file, f"{f.message} [{f.rule}]", f.line, f.column) for f in refused])
    if registry.get(read.review.marker_set).id != set_id:
        raise ScrAuditError(
            f"{name} is a review against {read.review.marker_set!r}; scan fills the report-quality template ({set_id}); "
            f"make one with `scr-audit scan REPORT -o FILE.yaml`"
        )
    mset = registry.get(set_id)
    try:
        editor = ReviewEditor(text, [m.id for m in mset.markers])
    except (YAMLError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReviewFileError(name, [Problem(name, f"cannot be edited safely: {first}")]) from None
    lost = editor.lost_comments(editor.text())
    if lost:
        raise ReviewFileError(name, [Problem(name, f"writing would drop the comment {c!r} (the YAML library cannot keep a comment there); move it onto its own line beside a key") for c in lost])
    filled = fill(editor, read.review, suggestions)
    if not filled.written:
        return filled
    out = editor.text()
    back = read_review(path, text=out)
    if back.findings or back.review is None or not reads_back(back.review, filled.written) or editor.lost_comments(out):
        raise WriteRefusedError(f"{name}: the suggestions did not read back as written, so nothing was written; this is a bug in scr-audit, please report it")
    yamlio.atomic_write(target, out, overwrite=True, expect=yamlio.Stamp(yamlio.file_digest(raw)))
    return filled
