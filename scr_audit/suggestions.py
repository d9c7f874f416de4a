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
from typing import Any, Optional

from scr_audit.editing import ReviewEditor
from scr_audit.review import AnswerEntry, ReviewFile, answer_for
from scr_audit.scan import SUGGESTED_BY, Suggestion


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
    if _takes_suggested_by(editor):
        editor.set_answer(marker, number, answer, evidence, suggested_by=by)  # type: ignore[call-arg]
        return
    editor.set_answer(marker, number, answer, evidence)
    entry = _entry(editor, marker, number)
    if entry is None:  # pragma: no cover - set_answer always writes a mapping when given evidence
        raise RuntimeError(f"{marker} question {number} was not written")
    if answer is None and "answer" in entry:
        del entry["answer"]
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
