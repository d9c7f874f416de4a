"""The order of a sitting: each selected marker's questions, then its rating, and, when
the sitting reaches the end of the set, the conclusion. Which step is due next, and where
`b` goes back to."""

from __future__ import annotations

from typing import Callable, Optional

from scr_audit.markers import Marker, MarkerSet, Question


class Step:
    """A question (marker and question), a rating (marker only) or the conclusion (neither)."""

    __slots__ = ("marker", "question")

    def __init__(self, marker: Optional[Marker], question: Optional[Question] = None) -> None:
        self.marker = marker
        self.question = question

    @property
    def is_conclusion(self) -> bool:
        return self.marker is None

    def where(self) -> str:
        if self.marker is None:
            return "the conclusion"
        return f"{self.marker.id} question {self.question.number}" if self.question is not None else f"{self.marker.id} rating"


class Steps:
    """The steps of this sitting, in order."""

    def __init__(self, mset: MarkerSet, markers: list[Marker], *, conclusion: str = "auto") -> None:
        """`conclusion`: "auto" (after the set's last marker, if this sitting has it),
        "only" (the conclusion alone, for --conclusion) or "never"."""
        self.items: list[Step] = []
        if conclusion != "only":
            for m in markers:
                self.items += [Step(m, q) for q in m.questions] + ([Step(m)] if m.rated else [])
        reaches_end = bool(markers) and markers[-1].id == mset.markers[-1].id
        if conclusion == "only" or (conclusion == "auto" and reaches_end):
            self.items.append(Step(None))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Step:
        return self.items[i]

    def next_due(self, start: int, due: Callable[[Step], bool]) -> Optional[int]:
        """The first step from `start` on that `due` says still needs doing."""
        for i in range(start, len(self.items)):
            if due(self.items[i]):
                return i
        return None
