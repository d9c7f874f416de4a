"""Review files (format version 1): the models, and reading one into them.

A review file is written by people as often as by the tool, so reading is forgiving
where that costs nothing (answers in any case, `n/a`, question keys as numbers or text, an
answer without evidence written as a bare value) and strict where a slip would mislead
(unknown fields, impossible dates, the wrong format version). A structural error in one
part of a file does not hide the rest: the parts that are valid are still checked.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from scr_audit.errors import FileUnreadableError, YamlLoadError
from scr_audit.results import Finding
from scr_audit.review_plain import (  # noqa: F401  (the format's constants, shared with the plain reader)
    ACTION_STATUSES,
    ASSESSMENT_KINDS,
    DATE_FIELDS,
    FORMAT_VERSION,
    MAX_NUMBER,
    AnswerBehaviour,
    ConclusionBehaviour,
    EntryBehaviour,
    ReadResult,
    ReviewBehaviour,
    answer_for,
    marker_key,
    question_number,
)
from scr_audit.review_plain import list_of_text as _list_of_text
from scr_audit.review_plain import lower_value as _lower
from scr_audit.review_plain import text_value as _text
from scr_audit.rules import RULES
from scr_audit.stages import Stage
from scr_audit.validation import field_issues, review_subject
from scr_audit.yamlio import Document, load_file

SCHEMA_HINT = "# yaml-language-server: $schema={schema}"


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


class AnswerEntry(_Model, AnswerBehaviour):
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
            raise ValueError(
                "an answer is one value (such as yes, partly or no), or 'answer:' and 'evidence:' lines "
                "indented under the question, not a list"
            )
        return {"answer": value}

    @field_validator("answer")
    @classmethod
    def _single(cls, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValueError("the answer should be one value, such as yes, partly or no, not a list or a group of lines")
        return value


class MarkerEntry(_Model, EntryBehaviour):
    answers: Annotated[dict[Any, Optional[AnswerEntry]], BeforeValidator(_empty_to(dict))] = {}
    rating: Optional[Text] = None
    rationale: Optional[Text] = None
    actions: Annotated[list[Action], BeforeValidator(_empty_to(list))] = []
    #: question number -> (key, answer), built once per answers mapping (EntryBehaviour.by_number)
    _numbers: Any = PrivateAttr(default=None)


class Conclusion(_Model, ConclusionBehaviour):
    """The assessor's overall judgement, for the Board: page 1 of the audit record."""

    summary: Optional[Text] = Field(None, description="One paragraph: the overall judgement of how the review was run")
    strengths: Annotated[list[Text], BeforeValidator(_list_of_text)] = Field(
        [], description="What the review did well, one line each"
    )
    concerns: Annotated[list[Text], BeforeValidator(_list_of_text)] = Field([], description="What fell short, one line each")
    board_asked_to: Annotated[list[Text], BeforeValidator(_list_of_text)] = Field(
        [], description="What the Board is asked to do, one line each (e.g. 'Agree the action plan.')"
    )


class ReviewFile(_Model, ReviewBehaviour):
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
    #: normalised marker id -> the file's key, built once per markers mapping (ReviewBehaviour.entry_key)
    _keys: Any = PrivateAttr(default=None)


# --------------------------------------------------------------------------------- reading


def _finding(doc_or_path: Any, rule: str, message: str, path: tuple = (), *, key: bool = False, stage: str | None = None) -> Finding:
    """A finding located in the document; a whole-file finding points at line 1, column 1."""
    severity = RULES[rule].severity_at(stage)
    if isinstance(doc_or_path, Document):
        pos = doc_or_path.position(path, key=key)
        return Finding(doc_or_path.name, pos.line if pos else 1, pos.column if pos else 1, severity, rule, message)
    return Finding(str(doc_or_path), 1, 1, severity, rule, message)


def read_review(path: Path | str, *, text: str | None = None, doc: Document | None = None) -> ReadResult:
    """Read and structurally validate one file. Never raises for anything in the file.

    `doc` is the file already parsed (the plain reader's, so it is not parsed twice).
    """
    name = str(path)
    result = ReadResult(name)
    try:
        if doc is None:
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
        result.findings.append(_finding(doc, "not-a-review", "the file is empty; a review file starts with 'scr-audit: 1' (scr-audit new writes one with every question in it)"))
        return result
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        result.findings.append(
            _finding(doc, "not-a-review", f"the file holds {kind}, not a review (a review file is 'key: value' lines, starting with 'scr-audit: 1')")
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
        issues = field_issues(exc, data, known_fields=_known_fields_for(data), subject=review_subject, hints=_hints())
        for issue in issues:
            result.findings.append(_finding(doc, "schema", issue.message, issue.path, key=issue.on_key))
        result.review = _salvage(data)
    return result


def _version_problem(version: Any) -> str:
    """Why the scr-audit: line is not a version this tool reads, in words that say what is true."""
    wanted = f"this version of scr-audit reads format version {FORMAT_VERSION}, written as the number: scr-audit: {FORMAT_VERSION}"
    if isinstance(version, str) and version.strip() == str(FORMAT_VERSION):
        return f"the format version is written as text ({version!r}); write it as a number, without quotes: scr-audit: {FORMAT_VERSION}"
    if isinstance(version, float) and version == FORMAT_VERSION:
        return f"the format version is written as {version!r}; write it as the whole number: scr-audit: {FORMAT_VERSION}"
    if version is None:
        return f"the format version after 'scr-audit:' is empty; {wanted}"
    if isinstance(version, (dict, list)):
        kind = "group of 'key: value' lines" if isinstance(version, dict) else "list"
        return f"the format version should be a number, not a {kind}; {wanted}"
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


def _hints() -> dict[str, str]:
    """What each field holds, from the models' own descriptions, for the messages."""
    out: dict[str, str] = {}
    for model in (ReviewFile, ReviewInfo, Dates, MarkerEntry, AnswerEntry, Action, Conclusion):
        for name, f in model.model_fields.items():
            if f.description and model is not ReviewFile or name in ("marker_set",):
                out.setdefault(f.alias or name, f.description or "")
    return {k: v for k, v in out.items() if v}


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
