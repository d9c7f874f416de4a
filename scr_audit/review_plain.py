"""Review files without pydantic: what `check` needs to read a file that is valid as written.

Importing pydantic and building the review models costs more than everything else a check
of one file does, and almost every file a business manager checks is well formed. So a
file's plain data is first tried here: when every field is exactly of the kind the
models in `review` accept, it becomes light objects with the same attributes and
behaviour, and pydantic is never imported. Anything else at all (an unknown key, a value
of another type, a missing field) is left to the models, which say what is wrong and
where. The two paths agree by construction (the same conversions, the same behaviour
classes), and a test compares them over many variants of a file.

This module also holds what both paths share: the format's constants, the conversions
the models apply before they validate, and the read result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from scr_audit.results import Finding
from scr_audit.stages import STAGES

if TYPE_CHECKING:
    from scr_audit.yamlio import Document

FORMAT_VERSION = 1
#: The largest figure a number answer may hold: far past any count or sum a review records,
#: and small enough that totals and means across reviews stay finite.
MAX_NUMBER = 1e15
DATE_FIELDS = ("incident", "referral", "decision", "completed", "published")
ACTION_STATUSES = ("open", "in-progress", "done")
#: Whose judgement a file records: one assessor's own, or the panel's agreed (moderated) one.
ASSESSMENT_KINDS = ("individual", "agreed")


# ------------------------------------------------ conversions the models apply first


def text_value(value: Any) -> Any:
    """Free text that YAML read as a number or date is still text to the reviewer."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def lower_value(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def list_of_text(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [value]
    return value


def question_number(key: Any) -> int | None:
    """The question a key names: `1`, `"1"`, `01` and `" 1 "` are all question 1.

    Only the digits 0-9 count: "²" or "١" are other characters that Python also calls
    digits, and a key written with them is reported as an unknown question.
    """
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, str):
        text = key.strip()
        if text and text.isascii() and text.isdigit():
            return int(text)
    return None


def marker_key(key: Any) -> str:
    """A marker key as the set's ids are compared: `QM1`, `qm1` and `" QM1 "` are one marker."""
    return str(key).strip().lower()


def answer_for(entry: Any, number: int) -> tuple[Any, Any]:
    """(the key used in the file, the answer) for question `number`, accepting 1 or '1'."""
    if entry is None:
        return None, None
    return entry.by_number().get(number, (None, None))


# ----------------------------------------------- behaviour both kinds of object share
# (no annotations here: the pydantic models inherit these, and must not take them for fields)


class AnswerBehaviour:
    __slots__ = ()

    @property
    def has_value(self) -> bool:
        """Whether anything is written as the answer (an assessor's, or a suggestion)."""
        return self.answer is not None and not (isinstance(self.answer, str) and not self.answer.strip())

    @property
    def is_answered(self) -> bool:
        """Answered by an assessor: a value that is not an unconfirmed suggestion.

        Every score, count, comparison and record goes through this, so a program's
        suggestion is never taken for an assessor's judgement anywhere.
        """
        return self.has_value and not self.is_suggestion

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence and self.evidence.strip())

    @property
    def is_suggestion(self) -> bool:
        """An answer a program suggested and no assessor has confirmed yet."""
        return bool(self.suggested_by and self.suggested_by.strip())


class EntryBehaviour:
    __slots__ = ()

    @property
    def is_rated(self) -> bool:
        return bool(self.rating)

    def by_number(self) -> dict[int, tuple[Any, Any]]:
        """Each question number's (key, answer); the first key, where one is given twice.

        Built once per answers mapping (in `_numbers`): looking each question up by scanning
        the answers made a 10,000-question marker quadratic.
        """
        cached = self._numbers
        answers = self.answers
        if cached is None or cached[0] is not answers or cached[1] != len(answers):
            index: dict[int, tuple[Any, Any]] = {}
            for key, value in answers.items():
                n = question_number(key)
                if n is not None and n not in index:
                    index[n] = (key, value)
            cached = self._numbers = (answers, len(answers), index)
        return cached[2]


class ConclusionBehaviour:
    __slots__ = ()

    @property
    def has_summary(self) -> bool:
        return bool(self.summary and self.summary.strip())


class ReviewBehaviour:
    __slots__ = ()

    def entry(self, marker_id: str) -> Any:
        key = self.entry_key(marker_id)
        return self.markers.get(key) if key is not None else None

    def entry_key(self, marker_id: str) -> Any:
        """The key the file uses for a marker (the first, if it is given twice: an error)."""
        cached = self._keys
        markers = self.markers
        if cached is None or cached[0] is not markers or cached[1] != len(markers):
            index: dict[str, Any] = {}
            for key in markers:
                index.setdefault(marker_key(key), key)
            cached = self._keys = (markers, len(markers), index)
        return cached[2].get(marker_key(marker_id))


# ------------------------------------------------------------------ the plain objects


class _Plain:
    __slots__: tuple[str, ...] = ()

    def __init__(self, **values: Any) -> None:
        for name in self.__slots__:
            object.__setattr__(self, name, values.get(name))  # a cache slot (_numbers, _keys) starts empty

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__ if not n.startswith("_"))
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:
        """Equal when of one kind and every field is equal, as two pydantic models are (the
        walkthrough compares what it saved with what it reads back)."""
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__ if not n.startswith("_"))

    __hash__ = None  # type: ignore[assignment]  (mutable, like the models)


class PlainDates(_Plain):
    __slots__ = DATE_FIELDS


class PlainInfo(_Plain):
    __slots__ = ("title", "partnership", "stage", "assessment", "lead_reviewers", "assessors", "assessed_on", "dates",
                 "delay_reasons")


class PlainAction(_Plain):
    __slots__ = ("action", "owner", "due", "status")


class PlainAnswer(_Plain, AnswerBehaviour):
    __slots__ = ("answer", "evidence", "suggested_by")


class PlainEntry(_Plain, EntryBehaviour):
    __slots__ = ("answers", "rating", "rationale", "actions", "_numbers")


class PlainConclusion(_Plain, ConclusionBehaviour):
    __slots__ = ("summary", "strengths", "concerns", "board_asked_to")


class PlainReview(_Plain, ReviewBehaviour):
    __slots__ = ("scr_audit", "marker_set", "marker_set_version", "review", "markers", "conclusion", "_keys")


class _NotPlain(Exception):
    """The data is not exactly what the plain path reads: leave it to the models."""


# Each reader mirrors one model field in `review`: the same conversion, the same
# acceptance, or _NotPlain for anything it is not sure of.


def _mapping(data: Any, allowed: frozenset[str], required: tuple[str, ...] = ()) -> dict[str, Any]:
    if type(data) is not dict or not allowed.issuperset(data) or any(k not in data for k in required):
        raise _NotPlain
    return data


def _text(value: Any, *, optional: bool = True, min_length: int = 0) -> Optional[str]:
    if value is None and optional:
        return None
    out = text_value(value)
    if type(out) is not str or len(out) < min_length:
        raise _NotPlain
    if not out.isascii():
        try:
            out.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: the models refuse it, and say so
            raise _NotPlain from None
    return out


def _texts(value: Any) -> list[str]:
    items = list_of_text(value)
    if type(items) is not list:
        raise _NotPlain
    return [_text(item, optional=False) for item in items]  # type: ignore[misc]


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    out = lower_value(value)
    if type(out) is not str or out not in choices:
        raise _NotPlain
    return out


def _date(value: Any) -> Optional[date]:
    if value is None or type(value) is date:
        return value
    raise _NotPlain


_TOP = frozenset({"scr-audit", "marker-set", "marker-set-version", "review", "markers", "conclusion"})
_INFO = frozenset({"title", "partnership", "stage", "assessment", "lead-reviewers", "assessors", "assessed-on", "dates",
                   "delay-reasons"})
_DATES = frozenset(DATE_FIELDS)
_ENTRY = frozenset({"answers", "rating", "rationale", "actions"})
_ANSWER = frozenset({"answer", "evidence", "suggested-by"})
_ACTION = frozenset({"action", "owner", "due", "status"})
_CONCLUSION = frozenset({"summary", "strengths", "concerns", "board-asked-to"})


def _info(data: Any) -> PlainInfo:
    d = _mapping(data, _INFO, ("title", "stage"))
    raw_dates = {} if d.get("dates") is None else _mapping(d["dates"], _DATES)
    return PlainInfo(
        title=_text(d["title"], optional=False, min_length=1),
        partnership=_text(d.get("partnership")),
        stage=_choice(d["stage"], STAGES),
        assessment=_choice(d["assessment"], ASSESSMENT_KINDS) if "assessment" in d else "individual",
        lead_reviewers=_texts(d.get("lead-reviewers")),
        assessors=_texts(d.get("assessors")),
        assessed_on=_date(d.get("assessed-on")),
        dates=PlainDates(**{name: _date(raw_dates.get(name)) for name in DATE_FIELDS}),
        delay_reasons=_text(d.get("delay-reasons")),
    )


def _answer(value: Any) -> Optional[PlainAnswer]:
    if value is None:
        return None
    if type(value) is list:
        raise _NotPlain
    d = _mapping(value, _ANSWER) if isinstance(value, dict) else {"answer": value}
    answer = d.get("answer")
    if isinstance(answer, (dict, list)):
        raise _NotPlain
    return PlainAnswer(answer=answer, evidence=_text(d.get("evidence")), suggested_by=_text(d.get("suggested-by")))


def _action(value: Any) -> PlainAction:
    d = _mapping(value, _ACTION, ("action",))
    return PlainAction(
        action=_text(d["action"], optional=False, min_length=1),
        owner=_text(d.get("owner")),
        due=_date(d.get("due")),
        status=_choice(d["status"], ACTION_STATUSES) if "status" in d else "open",
    )


def _entry(value: Any) -> Optional[PlainEntry]:
    if value is None:
        return None
    d = _mapping(value, _ENTRY)
    answers = {} if d.get("answers") is None else d["answers"]
    actions = [] if d.get("actions") is None else d["actions"]
    if type(answers) is not dict or type(actions) is not list:
        raise _NotPlain
    numbers = [n for n in map(question_number, answers) if n is not None]
    if len(numbers) != len(set(numbers)):  # one question given twice ("1" and 1): the models report it
        raise _NotPlain
    return PlainEntry(
        answers={k: _answer(v) for k, v in answers.items()},
        rating=_text(d.get("rating")),
        rationale=_text(d.get("rationale")),
        actions=[_action(a) for a in actions],
    )


def _conclusion(value: Any) -> PlainConclusion:
    d = {} if value is None else _mapping(value, _CONCLUSION)
    return PlainConclusion(
        summary=_text(d.get("summary")),
        strengths=_texts(d.get("strengths")),
        concerns=_texts(d.get("concerns")),
        board_asked_to=_texts(d.get("board-asked-to")),
    )


def plain_review(data: Any) -> Optional[PlainReview]:
    """`data` as plain review objects when it is valid exactly as the models would read it, else None."""
    try:
        d = _mapping(data, _TOP, ("scr-audit", "marker-set", "review"))
        version = d["scr-audit"]
        if type(version) is not int or version != FORMAT_VERSION:
            raise _NotPlain
        set_version = d.get("marker-set-version")
        if set_version is not None and type(set_version) not in (str, int):
            raise _NotPlain
        markers = {} if d.get("markers") is None else d["markers"]
        if type(markers) is not dict:
            raise _NotPlain
        if len({marker_key(k) for k in markers}) != len(markers):  # one marker given twice (QM1, qm1)
            raise _NotPlain
        return PlainReview(
            scr_audit=version,
            marker_set=_text(d["marker-set"], optional=False),
            marker_set_version=_text(set_version),
            review=_info(d["review"]),
            markers={k: _entry(v) for k, v in markers.items()},
            conclusion=_conclusion(d.get("conclusion")),
        )
    except _NotPlain:
        return None


def with_part_read(review: PlainReview, data: Any, path: tuple) -> Optional[PlainReview]:
    """`review` with the one marker entry or the conclusion that `path` leads into read
    again from `data` (the file's data after a change there); None when that part is not
    exactly what the plain path reads (the models then decide).

    The rest of `data` is what `review` was read from, so this is what `plain_review(data)`
    would give, without reading the other markers again."""
    try:
        if len(path) >= 2 and path[0] == "markers" and path[1] in review.markers:
            entry = _entry(data["markers"][path[1]])
            return PlainReview(**{**_fields(review), "markers": {**review.markers, path[1]: entry}})
        if path and path[0] == "conclusion":
            return PlainReview(**{**_fields(review), "conclusion": _conclusion(data.get("conclusion"))})
    except (_NotPlain, KeyError, TypeError):
        return None
    return None


def _fields(obj: _Plain) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in obj.__slots__ if not n.startswith("_")}


# ---------------------------------------------------------------------- reading


@dataclass
class ReadResult:
    """A review file as read: the model where it could be built, and what stopped it."""

    path: str
    doc: Optional["Document"] = None
    review: Any = None  # review.ReviewFile, or a PlainReview with the same attributes
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_review(self) -> bool:
        return self.review is not None


def read_for_check(path: Path | str) -> ReadResult:
    """Read a file for checking: plainly if it is valid as written, else through the models.

    Never raises for anything in the file, like `review.read_review`, which it defers to
    for every file it does not read itself (so every message about a file comes from there).
    """
    from scr_audit.errors import YamlLoadError
    from scr_audit.yamlio import load_file

    name = str(path)
    try:
        doc = load_file(Path(path))
    except YamlLoadError:
        doc = None
    if doc is not None:
        review = plain_review(doc.data)
        if review is not None:
            return ReadResult(name, doc, review)
    from scr_audit.review import read_review

    return read_review(path, doc=doc)


def read_text(path: Path | str, text: str) -> ReadResult:
    """Read a review file's text (already decoded) as `read_for_check` reads a file: plainly
    where it is valid as written, else through the models, parsed once either way."""
    from scr_audit.errors import YamlLoadError
    from scr_audit.yamlio import parse

    try:
        doc = parse(text, str(path))
    except YamlLoadError:
        doc = None  # the models' reader parses it again and says what is wrong, and where
    if doc is not None:
        review = plain_review(doc.data)
        if review is not None:
            return ReadResult(str(path), doc, review)
    from scr_audit.review import read_review

    return read_review(path, text=text) if doc is None else read_review(path, doc=doc)
