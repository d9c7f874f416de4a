"""Improvement actions across review files: one row per action, the filters, the order.

A business manager preparing a Board meeting needs every action the reviews agreed, who
owns it, when it is due and which are late, in one list rather than scattered through
the files. The rows are plain and picklable: the checker builds them while it has the
file open (`checks.check_read`), so `actions`, the summary workbook and the summary
record all list exactly the same actions without reading any file twice.

Each review is counted once here too: when several files of one review (an agreed file
and its panel members' own, or several panel members' files) hold the same action (same
marker, text, owner, due date and status, compared without regard to case or spacing),
it is listed once, with every file it is in. An action only some files hold is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Iterable, Optional, Sequence

from scr_audit.markers import MarkerSet
from scr_audit.review_plain import ACTION_STATUSES

if TYPE_CHECKING:  # the models: a check of a well-formed file never imports pydantic
    from scr_audit.review import ReviewFile

#: The statuses `actions` lists unless asked otherwise: what is still to be done.
NOT_DONE = frozenset({"open", "in-progress"})
#: Shown for an action under a key that is not one of the set's markers.
UNKNOWN_MARKER_TITLE = "(not a marker of this set)"


@dataclass(frozen=True)
class ActionRow:
    path: str  # the review file it comes from (the first, where several files hold it)
    review_title: str
    partnership: Optional[str]
    stage: Optional[str]
    marker_set: str
    marker_id: str
    marker_title: str
    number: int  # the action's place in its marker's list, from 1
    action: str
    owner: Optional[str]
    due: Optional[date]
    status: str  # open | in-progress | done
    days_overdue: Optional[int]  # > 0 when overdue at as_of (due passed, not done); else None
    #: every file of the review that holds this action, in input order (agreed file first)
    files: tuple[str, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.days_overdue is not None and self.days_overdue > 0

    def key(self) -> tuple:
        """What makes two files' actions the same action."""
        return (self.marker_set, self.marker_id.casefold(), fold(self.action), fold(self.owner or ""), self.due, self.status)


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def days_overdue(due: Optional[date], status: str, as_of: date) -> Optional[int]:
    if due is None or status == "done" or due >= as_of:
        return None
    return (as_of - due).days


def rows_for(review: ReviewFile, mset: MarkerSet, path: str, *, as_of: date) -> list[ActionRow]:
    """Every action in one file, in the set's marker order, each marker's in its own order.

    Actions under a key that is not a marker of the set (the file then has an
    `unknown-marker` error) are still listed, after the rest: an action a reviewer wrote
    down is not dropped because of a typo in its marker's id.
    """
    info = review.review
    title = info.title or "(untitled)"
    rows: list[ActionRow] = []
    known = {m.id.casefold() for m in mset.markers}
    entries = [(m.id, m.title, review.entry(m.id)) for m in mset.markers]
    entries += [(str(k), UNKNOWN_MARKER_TITLE, v) for k, v in review.markers.items() if str(k).casefold() not in known]
    for marker_id, marker_title, entry in entries:
        if entry is None:
            continue
        for i, action in enumerate(entry.actions, start=1):
            status = action.status if action.status in ACTION_STATUSES else "open"
            rows.append(
                ActionRow(
                    path=path,
                    review_title=title,
                    partnership=info.partnership,
                    stage=info.stage,
                    marker_set=mset.id,
                    marker_id=marker_id,
                    marker_title=marker_title,
                    number=i,
                    action=action.action,
                    owner=action.owner or None,
                    due=action.due,
                    status=status,
                    days_overdue=days_overdue(action.due, status, as_of),
                    files=(path,),
                )
            )
    return rows


def merge_files(per_file: Sequence[Sequence[ActionRow]]) -> list[ActionRow]:
    """One review's actions from all its files, each distinct action once.

    Give the files in the order they should be named (the agreed file first): an action
    keeps the first file's row and gains the names of the others that hold it.
    """
    merged: dict[tuple, ActionRow] = {}
    for rows in per_file:
        for row in rows:
            k = row.key()
            if k in merged:
                first = merged[k]
                if row.path not in first.files:
                    merged[k] = replace(first, files=first.files + (row.path,))
            else:
                merged[k] = row if row.files else replace(row, files=(row.path,))
    return list(merged.values())


def sort_rows(rows: Iterable[ActionRow]) -> list[ActionRow]:
    """Overdue first (most overdue first), then by due date, then those with no due date.

    Ties keep the order they came in (files as given, markers in the set's order).
    """

    def key(r: ActionRow) -> tuple:
        if r.overdue:
            return (0, -(r.days_overdue or 0), r.due or date.max)
        if r.due is not None:
            return (1, 0, r.due)
        return (2, 0, date.max)

    return sorted(rows, key=key)


@dataclass(frozen=True)
class ActionFilter:
    """The `actions` command's filters; every one given must hold for a row to be listed."""

    #: case-insensitive part of the owner; an action with no owner never matches
    owner: Optional[str] = None
    statuses: frozenset[str] = NOT_DONE
    overdue: bool = False
    #: due strictly before this date; an action with no due date never matches
    due_before: Optional[date] = None
    #: the review's stage is one of these (empty: any stage)
    stages: frozenset[str] = frozenset()

    def keeps(self, row: ActionRow) -> bool:
        if row.status not in self.statuses:
            return False
        if self.owner is not None and fold(self.owner) not in fold(row.owner or "\0"):
            return False
        if self.overdue and not row.overdue:
            return False
        if self.due_before is not None and (row.due is None or row.due >= self.due_before):
            return False
        if self.stages and row.stage not in self.stages:
            return False
        return True


def filter_rows(rows: Iterable[ActionRow], keep: ActionFilter) -> list[ActionRow]:
    return [r for r in rows if keep.keeps(r)]
