"""How recorded values read to a person: dates, answers of every question type, stages.

A record is read by a Board, not by the tool: an answer shows the set's label ("Not yet
known", not `not-yet`), a choice its label, a date as a date, a number as a number with
its unit. A value that is not a valid answer is shown as it was written, and says so,
rather than being hidden or guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Optional

from scr_audit.checks import typed_answer_problem
from scr_audit.markers import MarkerSet, Question
from scr_audit.review import AnswerEntry
from scr_audit.stages import STAGE_LABELS

STATUSES = {"open": "Open", "in-progress": "In progress", "done": "Done"}


def long_date(value: date | datetime | None) -> str:
    """'14 February 2025': unambiguous in every locale a Board reads in."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def stage(value: Optional[str]) -> str:
    return STAGE_LABELS.get(value or "", value or "not recorded")


def status(value: Optional[str]) -> str:
    return STATUSES.get(value or "", value or "")


def names(items: Iterable[str]) -> str:
    return ", ".join(i for i in items if i) or "not recorded"


def number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class AnswerView:
    """An answer as the record shows it."""

    text: str
    answered: bool
    valid: bool = True


NOT_ANSWERED = AnswerView("Not answered", answered=False)


def answer(mset: MarkerSet, question: Question, entry: Optional[AnswerEntry]) -> AnswerView:
    if entry is not None and entry.is_suggestion and entry.has_value:
        # never shown as the assessor's answer: labelled for what it is
        view = _value_view(mset, question, entry.answer)
        return AnswerView(f"{view.text} (suggested by {entry.suggested_by}, not confirmed)", answered=False, valid=view.valid)
    if entry is None or not entry.is_answered:
        return NOT_ANSWERED
    return _value_view(mset, question, entry.answer)


def _value_view(mset: MarkerSet, question: Question, value: object) -> AnswerView:
    option = mset.answer(value)
    if question.type == "scale" or (option is not None and option.score is None):
        # typed questions also take the set's unscored answers (not applicable, not yet known)
        if option is not None:
            return AnswerView(option.label, answered=True)
        return AnswerView(f"{_raw(value)} (not on the answer scale)", answered=True, valid=False)
    if typed_answer_problem(question, value) is not None:
        return AnswerView(f"{_raw(value)} (not a valid {question.type})", answered=True, valid=False)
    if question.type == "number":
        unit = f" {question.unit}" if question.unit else ""
        return AnswerView(number(value) + unit, answered=True)
    if question.type == "date":
        return AnswerView(long_date(value), answered=True)
    if question.type == "choice":
        choice = question.option(value)
        return AnswerView(choice.label if choice else _raw(value), answered=True)
    return AnswerView(_raw(value), answered=True)


def _raw(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
