"""Review files (format version 1): the models, and reading one into them.

A review file is written by people as often as by the tool, so reading is forgiving
where that costs nothing (answers in any case, `n/a`, question keys as numbers or text, an
answer without evidence written as a bare value) and strict where a slip would mislead
(unknown fields, impossible dates, the wrong format version). A structural error in one
part of a file does not hide the rest: the parts that are valid are still checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from scr_audit.errors import FileUnreadableError, YamlLoadError
from scr_audit.results import Finding
from scr_audit.rules import RULES
from scr_audit.stages import Stage
from scr_audit.validation import field_issues
from scr_audit.yamlio import Document, load_file

FORMAT_VERSION = 1
#: The largest figure a number answer may hold: far past any count or sum a review records,
#: and small enough that totals and means across reviews stay finite.
MAX_NUMBER = 1e15
DATE_FIELDS = ("incident", "referral", "decision", "completed", "published")
ACTION_STATUSES = ("open", "in-progress", "done")
SCHEMA_HINT = "# yaml-language-server: $schema={schema}"


def _text(value: Any) -> Any:
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


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _list_of_text(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [value]
    return value


def _empty_to(default_factory: Any) -> Any:
    def conv(value: Any) -> Any:
        return default_factory() if value is None else value

    return conv


Text = Annotated[str, BeforeValidator(_text)]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)


class Dates(_Model):
    """Key dates of the SCR, used for timeliness."""

    incident: Optional[date] = None
    referral: Optional[date] = None
    decision: Optional[date] = Field(None, description="Decision to hold the SCR")
    completed: Optional[date] = Field(None, description="Final report presented to the Board")
    published: Optional[date] = None


#: Whose judgement a file records: one assessor's own, or the panel's agreed (moderated) one.
ASSESSMENT_KINDS = ("individual", "agreed")


class ReviewInfo(_Model):
    title: Text = Field(min_length=1, description="The review's anonymised name, e.g. 'Child D'")
    partnership: Optional[Text] = None
    stage: Annotated[Stage, BeforeValidator(_lower)] = Field(
        description="When the assessment is made: beginning, progressive or end"
    )
    assessment: Annotated[Literal["individual", "agreed"], BeforeValidator(_lower)] = Field(
        "individual",
        description="individual: one assessor's own judgement (the default); agreed: the panel's moderated "
        "assessment, as scr-audit compare --merge writes it",
    )
    lead_reviewers: Annotated[list[Text], BeforeValidator(_list_of_text)] = []
    assessors: Annotated[list[Text], BeforeValidator(_list_of_text)] = []
    assessed_on: Optional[date] = None
    dates: Annotated[Dates, BeforeValidator(_empty_to(dict))] = Field(default_factory=Dates)
    delay_reasons: Optional[Text] = None


class Action(_Model):
    action: Text = Field(min_length=1, description="What will be done")
    owner: Optional[Text] = None
    due: Optional[date] = None
    status: Annotated[Literal["open", "in-progress", "done"], BeforeValidator(_lower)] = "open"


class AnswerEntry(_Model):
    answer: Any = Field(
        None,
        description="An answer on the set's scale (yes, partly, no, not-yet, not-applicable / n/a), "
        "or a number, date, text or choice for typed questions",
    )
    evidence: Optional[Text] = None
    suggested_by: Optional[Text] = Field(
        None,
        description="Who suggested this answer (scan, from the report itself). It stays a suggestion, "
        "not the assessor's answer, until an assessor confirms it; confirming removes this line",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, (dict, BaseModel)):
            return value
        if isinstance(value, list):
            raise ValueError("an answer is one value, or a mapping with 'answer' and 'evidence', not a list")
        return {"answer": value}

    @field_validator("answer")
    @classmethod
    def _single(cls, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValueError("should be a single value such as yes, partly or no, not a list or mapping")
        return value

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


class MarkerEntry(_Model):
    answers: Annotated[dict[Any, Optional[AnswerEntry]], BeforeValidator(_empty_to(dict))] = {}
    rating: Optional[Text] = None
    rationale: Optional[Text] = None
    actions: Annotated[list[Action], BeforeValidator(_empty_to(list))] = []
    #: question number -> (key, answer), built once per answers mapping: looking each
    #: question up by scanning the answers made a 10,000-question marker quadratic
    _numbers: Any = PrivateAttr(default=None)

    def by_number(self) -> dict[int, tuple[Any, Optional[AnswerEntry]]]:
        """Each question number's (key, answer); the first key, where one is given twice."""
        cached = self._numbers
        answers = self.answers
        if cached is None or cached[0] is not answers or cached[1] != len(answers):
            index: dict[int, tuple[Any, Optional[AnswerEntry]]] = {}
            for key, value in answers.items():
                n = question_number(key)
                if n is not None and n not in index:
                    index[n] = (key, value)
            cached = self._numbers = (answers, len(answers), index)
        return cached[2]

    @property
    def is_rated(self) -> bool:
        return bool(self.rating)


class Conclusion(_Model):
    """The assessor's overall judgement, for the Board: page 1 of the audit record."""

    summary: Optional[Text] = Field(None, description="One paragraph: the overall judgement of how the review was run")
    strengths: Annotated[list[Text], BeforeValidator(_list_of_text)] = Field(
        [], description="What the review did well, one line each"
    )
    concerns: Annotated[list[Text], BeforeValidator(_list_of_text)] = Field([], description="What fell short, one line each")
    board_asked_to: Annotated[list[Text], BeforeValidator(_list_of_text)] = Field(
        [], description="What the Board is asked to do, one line each (e.g. 'Agree the action plan.')"
    )

    @property
    def has_summary(self) -> bool:
        return bool(self.summary and self.summary.strip())


class ReviewFile(_Model):
    """An scr-audit review file: one assessment of one review by one assessor (or agreed)."""

    model_config = ConfigDict(title="scr-audit review file (format version 1)")

    scr_audit: Literal[1] = Field(description="File format version; must be 1")
    marker_set: Text = Field(description="Id of the marker set, e.g. scr-quality-markers")
    marker_set_version: Optional[Text] = Field(None, description="Version of the set the file was made against")
    review: ReviewInfo
    markers: Annotated[dict[Any, Optional[MarkerEntry]], BeforeValidator(_empty_to(dict))] = {}
    conclusion: Annotated[Conclusion, BeforeValidator(_empty_to(dict))] = Field(
        default_factory=Conclusion, description="The assessor's overall judgement, for the Board"
    )
    #: normalised marker id -> the file's key, built once per markers mapping
    _keys: Any = PrivateAttr(default=None)

    def entry(self, marker_id: str) -> MarkerEntry | None:
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


def answer_for(entry: MarkerEntry | None, number: int) -> tuple[Any, AnswerEntry | None]:
    """(the key used in the file, the answer) for question `number`, accepting 1 or '1'."""
    if entry is None:
        return None, None
    return entry.by_number().get(number, (None, None))


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


# --------------------------------------------------------------------------------- reading


@dataclass
class ReadResult:
    """A review file as read: the model where it could be built, and what stopped it."""

    path: str
    doc: Optional[Document] = None
    review: Optional[ReviewFile] = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_review(self) -> bool:
        return self.review is not None


def _finding(doc_or_path: Any, rule: str, message: str, path: tuple = (), *, key: bool = False, stage: str | None = None) -> Finding:
    """A finding located in the document; a whole-file finding points at line 1, column 1."""
    severity = RULES[rule].severity_at(stage)
    if isinstance(doc_or_path, Document):
        pos = doc_or_path.position(path, key=key)
        return Finding(doc_or_path.name, pos.line if pos else 1, pos.column if pos else 1, severity, rule, message)
    return Finding(str(doc_or_path), 1, 1, severity, rule, message)


def read_review(path: Path | str, *, text: str | None = None) -> ReadResult:
    """Read and structurally validate one file. Never raises for anything in the file."""
    name = str(path)
    result = ReadResult(name)
    try:
        doc = load_file(Path(path)) if text is None else _parse_text(text, name)
    except FileUnreadableError as exc:  # nothing was read, so there is no line to point at
        result.findings.append(Finding(name, None, None, "error", "file-unreadable", exc.problem.message))
        return result
    except YamlLoadError as exc:
        p = exc.problem
        result.findings.append(Finding(name, p.line or 1, p.column or 1, "error", "yaml-syntax", p.message))
        return result
    result.doc = doc
    data = doc.data
    if data is None:
        result.findings.append(_finding(doc, "not-a-review", "the file is empty; start a review file with `scr-audit new FILE`"))
        return result
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        result.findings.append(
            _finding(doc, "not-a-review", f"the file holds {kind}, not a review (a review file is a mapping that starts with 'scr-audit: 1')")
        )
        return result
    if "scr-audit" not in data:
        result.findings.append(
            _finding(doc, "not-a-review", "no 'scr-audit:' format version: this is not an scr-audit review file (add 'scr-audit: 1' at the top if it is one)")
        )
        return result
    version = data.get("scr-audit")
    if type(version) is not int or version != FORMAT_VERSION:
        result.findings.append(_finding(doc, "not-a-review", _version_problem(version), ("scr-audit",)))
        return result
    result.findings += _normalised_duplicates(doc, data)
    try:
        result.review = ReviewFile.model_validate(data)
    except ValidationError as exc:
        for issue in field_issues(exc, data, known_fields=_known_fields_for(data)):
            result.findings.append(_finding(doc, "schema", issue.message, issue.path, key=issue.on_key))
        result.review = _salvage(data)
    return result


def _version_problem(version: Any) -> str:
    """Why `scr-audit:` is not a version this tool reads, in words that say what is true."""
    wanted = f"this version of scr-audit reads format version {FORMAT_VERSION}, written as the number `scr-audit: {FORMAT_VERSION}`"
    if isinstance(version, str) and version.strip() == str(FORMAT_VERSION):
        return f"the format version is written as text ({version!r}); write it as a number, without quotes: `scr-audit: {FORMAT_VERSION}`"
    if isinstance(version, float) and version == FORMAT_VERSION:
        return f"the format version is written as {version!r}; write it as the whole number `scr-audit: {FORMAT_VERSION}`"
    if version is None:
        return f"the format version after 'scr-audit:' is empty; {wanted}"
    if isinstance(version, (dict, list)):
        return f"the format version should be a number, not a {'mapping' if isinstance(version, dict) else 'list'}; {wanted}"
    shown = str(version).lower() if isinstance(version, bool) else repr(version)
    return f"unsupported file format version {shown}; {wanted}"


def _normalised_duplicates(doc: Document, data: dict) -> list[Finding]:
    """Keys YAML sees as different that name one marker or question (`QM1`/`qm1`, `1`/`"1"`).

    Left alone, one of the two would be silently ignored, and different commands could
    disagree about which; each second key is an error at its own line.
    """
    out: list[Finding] = []
    markers = data.get("markers")
    if not isinstance(markers, dict):
        return out
    seen: dict[str, Any] = {}
    for key, value in markers.items():
        norm = marker_key(key)
        if norm in seen:
            first = doc.position(("markers", seen[norm]), key=True)
            out.append(
                _finding(
                    doc,
                    "schema",
                    f"marker {str(key)!r} is given twice: {str(seen[norm])!r}{_at(first)} is the same marker (ids are read in "
                    "any case); keep one of them, or the answers under the other would be ignored",
                    ("markers", key),
                    key=True,
                )
            )
        else:
            seen[norm] = key
        answers = value.get("answers") if isinstance(value, dict) else None
        if not isinstance(answers, dict):
            continue
        numbers: dict[int, Any] = {}
        for qkey in answers:
            n = question_number(qkey)
            if n is None:
                continue
            if n in numbers:
                first = doc.position(("markers", key, "answers", numbers[n]), key=True)
                out.append(
                    _finding(
                        doc,
                        "schema",
                        f"{key} question {n} is given twice: {qkey!r} here and {numbers[n]!r}{_at(first)} are the same "
                        "question; keep one of them, or the other answer would be ignored",
                        ("markers", key, "answers", qkey),
                        key=True,
                    )
                )
            else:
                numbers[n] = qkey
    return out


def _at(pos: Any) -> str:
    return f" at line {pos.line}" if pos is not None else ""


def _parse_text(text: str, name: str) -> Document:
    from scr_audit.yamlio import parse

    return parse(text, name)


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _known_fields_for(data: dict) -> dict[tuple, list[str]]:
    """Allowed keys by path in this file, for did-you-mean on unknown keys."""
    known = {
        (): _field_names(ReviewFile),
        ("review",): _field_names(ReviewInfo),
        ("review", "dates"): _field_names(Dates),
        ("conclusion",): _field_names(Conclusion),
    }
    entry_names = _field_names(MarkerEntry)
    action_names = _field_names(Action)
    markers = data.get("markers")
    if isinstance(markers, dict):
        for key, value in markers.items():
            known[("markers", key)] = entry_names
            known[("markers", key, "actions")] = action_names
            if isinstance(value, dict) and isinstance(value.get("answers"), dict):
                for qkey in value["answers"]:
                    known[("markers", key, "answers", qkey)] = _field_names(AnswerEntry)
    return known


def _salvage(data: dict) -> ReviewFile:
    """Build the most complete model the valid parts allow, for checking the rest."""
    raw_review = data.get("review") if isinstance(data.get("review"), dict) else {}
    try:
        info = ReviewInfo.model_validate(raw_review)
    except ValidationError:
        info = _salvage_info(raw_review)
    markers: dict[Any, Optional[MarkerEntry]] = {}
    raw_markers = data.get("markers")
    if isinstance(raw_markers, dict):
        for key, raw in raw_markers.items():
            try:
                markers[key] = MarkerEntry.model_validate(raw) if raw is not None else None
            except ValidationError:
                markers[key] = _salvage_entry(raw)
    set_id = data.get("marker-set")
    version = data.get("marker-set-version")
    try:
        conclusion = Conclusion.model_validate(data.get("conclusion") or {})
    except ValidationError:
        conclusion = Conclusion()
    return ReviewFile.model_construct(
        scr_audit=1,
        marker_set=str(set_id) if isinstance(set_id, (str, int)) else "",
        marker_set_version=str(version) if isinstance(version, (str, int, float)) else None,
        review=info,
        markers=markers,
        conclusion=conclusion,
    )


def _salvage_info(raw: dict) -> ReviewInfo:
    values: dict[str, Any] = {}
    for name, f in ReviewInfo.model_fields.items():
        alias = f.alias or name
        if alias in raw and alias != "dates":
            try:
                probe = ReviewInfo.model_validate({"title": "-", "stage": "end", alias: raw[alias]})
                values[name] = getattr(probe, name)
            except ValidationError:
                pass
    values.setdefault("title", str(raw.get("title") or "(untitled)"))
    values.setdefault("stage", None)
    values.setdefault("assessment", "individual")
    values["dates"] = _salvage_dates(raw.get("dates"))
    return ReviewInfo.model_construct(**values)


def _salvage_dates(raw: Any) -> Dates:
    if not isinstance(raw, dict):
        return Dates()
    good = {}
    for name in DATE_FIELDS:
        try:
            good[name] = getattr(Dates.model_validate({name: raw.get(name)}), name)
        except ValidationError:
            pass
    return Dates(**good)


def _salvage_entry(raw: Any) -> Optional[MarkerEntry]:
    if not isinstance(raw, dict):
        return None
    answers: dict[Any, Optional[AnswerEntry]] = {}
    if isinstance(raw.get("answers"), dict):
        for key, value in raw["answers"].items():
            try:
                answers[key] = AnswerEntry.model_validate(value) if value is not None else None
            except ValidationError:
                pass
    actions = []
    if isinstance(raw.get("actions"), list):
        for item in raw["actions"]:
            try:
                actions.append(Action.model_validate(item))
            except ValidationError:
                salvaged = _salvage_action(item)
                if salvaged is not None:
                    actions.append(salvaged)
    rating = raw.get("rating")
    rationale = raw.get("rationale")
    return MarkerEntry.model_construct(
        answers=answers,
        rating=_text(rating) if isinstance(rating, (str, int, float)) else None,
        rationale=_text(rationale) if isinstance(rationale, (str, int, float)) else None,
        actions=actions,
    )


def _salvage_action(raw: Any) -> Optional[Action]:
    """An action with one bad field keeps the rest: a mistyped date never hides the action.

    A status that cannot be read counts as not done (`open`), so the action stays listed.
    """
    if not isinstance(raw, dict):
        return None
    good: dict[str, Any] = {}
    for name, f in Action.model_fields.items():
        alias = f.alias or name
        if alias in raw:
            try:
                good[name] = getattr(Action.model_validate({"action": "-", alias: raw[alias]}), name)
            except ValidationError:
                pass
    if "action" not in good:
        return None
    return Action.model_construct(**{"owner": None, "due": None, "status": "open", **good})
