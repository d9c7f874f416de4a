"""The edits a sitting makes, each able to say where it lands and whether it landed.

Each change knows: its place in the file's data (to notice an outside edit of that very
value), how to make it by replacing one line's value (fast) or through the round-trip
editor (anything else), and how to tell from the file read back that it says what was
meant. The store (store.py) decides which way to write and checks the result.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Optional

from scr_audit.review_plain import PlainEntry, answer_for, question_number
from scr_audit.walkthrough import targeted

if TYPE_CHECKING:  # the round-trip editor (ruamel) is imported only when a save needs it
    from scr_audit.editing import ReviewEditor
    from scr_audit.review import ReviewFile  # or a review_plain.PlainReview: the same attributes

#: A marker the file has no entry for reads as an empty one (the models' MarkerEntry()).
_NO_ENTRY = PlainEntry(answers={}, rating=None, rationale=None, actions=[])

MISSING = object()


def lookup(data: Any, parts: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any]:
    """(the path as the file spells its keys, the value there or MISSING)."""
    path: list[Any] = []
    node = data
    for part in parts:
        if not isinstance(node, dict):
            return tuple(path + list(parts[len(path):])), MISSING
        key = _key(node, part)
        if key is MISSING:
            return tuple(path + list(parts[len(path):])), MISSING
        path.append(key)
        node = node[key]
    return tuple(path), node


def _key(node: dict, part: Any) -> Any:
    if part in node and not isinstance(part, bool):
        return part
    for key in node:
        if isinstance(part, int):
            if question_number(key) == part:
                return key
        elif str(key).lower() == str(part).lower():
            return key
    return MISSING


def same_except(old: Any, new: Any, path: tuple[Any, ...]) -> bool:
    """Whether `new` holds exactly what `old` held, except at `path` (where it may differ,
    or be new)."""
    if not path:
        return True
    old_map = old if isinstance(old, dict) else {}
    if not isinstance(new, dict):
        return False
    key = path[0]
    others_old = {k: v for k, v in old_map.items() if k != key}
    others_new = {k: v for k, v in new.items() if k != key}
    if others_old != others_new or key not in new:
        return False
    return same_except(old_map.get(key), new[key], path[1:])


class Change:
    """One edit: `what` names its place for people ("QM3 question 2"); `parts` is its
    place in the file's data. (Plain classes, not dataclasses: assess starts faster.)"""

    def __init__(self, what: str, parts: tuple[Any, ...]) -> None:
        self.what = what
        self.parts = parts

    def value(self, data: Any) -> Any:
        return lookup(data, self.parts)[1]

    def fast_value(self) -> Optional[tuple[str, Any]]:
        """(the one-line text of the new value, the plain value it reads back as), when the
        change is one value the store can write in place; None otherwise."""
        return None

    def slow(self, editor: "ReviewEditor") -> None:
        raise NotImplementedError

    def holds(self, review: ReviewFile, before: ReviewFile) -> bool:
        raise NotImplementedError

    def shown(self) -> str:
        """The value being saved, for 'Not saved: ...' and a conflict's question."""
        raise NotImplementedError


class AnswerChange(Change):
    def __init__(self, marker_id: str, number: int, answer: Any, evidence: Optional[str] = None, *,
                 suggested_by: Optional[str] = None, label: str = "") -> None:
        super().__init__(f"{marker_id} question {number}", ("markers", marker_id, "answers", number))
        self.marker_id, self.number, self.answer = marker_id, number, answer
        self.evidence, self.suggested_by, self.label = evidence or None, suggested_by, label or str(answer)

    make = classmethod(lambda cls, *args, **kwargs: cls(*args, **kwargs))

    def fast_value(self) -> Optional[tuple[str, Any]]:
        try:
            return targeted.answer_text(self.answer, self.evidence, self.suggested_by)
        except ValueError:
            return None

    def slow(self, editor: "ReviewEditor") -> None:
        editor.set_answer(self.marker_id, self.number, self.answer, self.evidence, suggested_by=self.suggested_by)

    def holds(self, review: ReviewFile, before: ReviewFile) -> bool:
        _, ans = answer_for(review.entry(self.marker_id), self.number)
        return (
            ans is not None
            and ans.answer == self.answer
            and (ans.evidence or None) == (self.evidence or None)
            and (ans.suggested_by or None) == (self.suggested_by or None)
        )

    def shown(self) -> str:
        return self.label + (f", evidence {self.evidence!r}" if self.evidence else "")


class FieldChange(Change):
    """A marker's rating or rationale."""

    def __init__(self, marker_id: str, name: str, new: Optional[str]) -> None:
        super().__init__(f"{marker_id} {name}", ("markers", marker_id, name))
        self.marker_id, self.name, self.new = marker_id, name, new or None

    make = classmethod(lambda cls, *args, **kwargs: cls(*args, **kwargs))

    def fast_value(self) -> Optional[tuple[str, Any]]:
        return targeted.scalar(self.new, word=self.name == "rating", flow=False), self.new

    def slow(self, editor: "ReviewEditor") -> None:
        (editor.set_rating if self.name == "rating" else editor.set_rationale)(self.marker_id, self.new)

    def holds(self, review: ReviewFile, before: ReviewFile) -> bool:
        entry = review.entry(self.marker_id) or _NO_ENTRY
        return (getattr(entry, self.name) or None) == self.new

    def shown(self) -> str:
        return repr(self.new) if self.name == "rationale" and self.new else (self.new or "none")


class ActionChange(Change):
    def __init__(self, marker_id: str, action: str, owner: Optional[str], due: Optional[date]) -> None:
        super().__init__(f"{marker_id} action", ("markers", marker_id, "actions"))
        self.marker_id, self.action, self.owner, self.due = marker_id, action, owner, due

    make = classmethod(lambda cls, *args, **kwargs: cls(*args, **kwargs))

    def slow(self, editor: "ReviewEditor") -> None:
        editor.add_action(self.marker_id, self.action, self.owner, self.due)

    def holds(self, review: ReviewFile, before: ReviewFile) -> bool:
        acts = [_fields(a) for a in (review.entry(self.marker_id) or _NO_ENTRY).actions]
        old = [_fields(a) for a in (before.entry(self.marker_id) or _NO_ENTRY).actions]
        return len(acts) == len(old) + 1 and acts[:-1] == old and acts[-1][:3] == (self.action, self.owner, self.due)

    def shown(self) -> str:
        return f"{self.action!r} (owner {self.owner or 'not given'}, due {self.due.isoformat() if self.due else 'not given'})"


class ConclusionChange(Change):
    """One field of the conclusion: the summary (text) or a list of lines."""

    def __init__(self, name: str, new: Any) -> None:
        super().__init__(f"the conclusion's {name}", ("conclusion", name))
        self.name, self.new = name, new

    make = classmethod(lambda cls, *args, **kwargs: cls(*args, **kwargs))

    def fast_value(self) -> Optional[tuple[str, Any]]:
        if isinstance(self.new, list):
            return ("[]", []) if not self.new else None
        return targeted.scalar(self.new, flow=False), self.new or None

    def slow(self, editor: "ReviewEditor") -> None:
        editor.set_conclusion(self.name, self.new)

    def holds(self, review: ReviewFile, before: ReviewFile) -> bool:
        got = getattr(review.conclusion, self.name.replace("-", "_"))
        if isinstance(self.new, list):
            return list(got) == self.new
        return (got or None) == (self.new or None)

    def shown(self) -> str:
        if isinstance(self.new, list):
            return "; ".join(self.new) or "none"
        return repr(self.new) if self.new else "none"


def _fields(action: Any) -> tuple[Any, ...]:
    """An action's fields, to compare actions read either way (plainly or by the models)."""
    return (action.action, action.owner, action.due, action.status)


class Saved:
    """What a save did, for the sitting to say."""

    def __init__(self) -> None:
        self.merged = False  # the file had changed on disk; both kept
        self.unshared = False  # a YAML alias was written out in full
        self.already = False  # the file already said this (changed on disk to the same)
