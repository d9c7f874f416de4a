"""Improvement actions as rows: one per action, with its marker, owner, due date and status.

The smallest version the Word records need, to the interface agreed with issue 12 (which
builds the `actions` command, its filters and its renderers on these rows): one way to
list a review's actions and one order to show them in, overdue first, so the audit
record, the summary record and the command never disagree about what is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

from scr_audit.markers import MarkerSet
from scr_audit.review import ReviewFile


@dataclass(frozen=True)
class ActionRow:
    path: str
    review_title: str
    partnership: Optional[str]
    stage: Optional[str]
    marker_set: str
    marker_id: str
    marker_title: str
    #: the action's place in its marker's list, from 1
    number: int
    action: str
    owner: Optional[str]
    due: Optional[date]
    #: open | in-progress | done
    status: str
    #: > 0 when overdue at as_of (due passed, not done); else None
    days_overdue: Optional[int]

    @property
    def overdue(self) -> bool:
        return self.days_overdue is not None


def rows_for(review: ReviewFile, mset: MarkerSet, path: str, *, as_of: date) -> list[ActionRow]:
    """Every action of the review, in the set's marker order (actions of unknown markers left out)."""
    info = review.review
    rows = []
    for marker in mset.markers:
        entry = review.entry(marker.id)
        for number, a in enumerate(entry.actions if entry is not None else [], start=1):
            late = (as_of - a.due).days if a.due is not None and a.status != "done" else 0
            rows.append(
                ActionRow(
                    path=path,
                    review_title=info.title,
                    partnership=info.partnership,
                    stage=info.stage,
                    marker_set=mset.id,
                    marker_id=marker.id,
                    marker_title=marker.title,
                    number=number,
                    action=a.action,
                    owner=a.owner,
                    due=a.due,
                    status=a.status,
                    days_overdue=late if late > 0 else None,
                )
            )
    return rows


def sort_rows(rows: Iterable[ActionRow]) -> list[ActionRow]:
    """Overdue first (most overdue first), then by due date, then those with no due date."""

    def key(r: ActionRow) -> tuple:
        if r.overdue:
            return (0, -(r.days_overdue or 0), r.due or date.max)
        if r.due is not None:
            return (1, 0, r.due)
        return (2, 0, date.max)

    return sorted(rows, key=key)  # stable: ties keep the set's marker order
