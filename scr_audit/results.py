"""The result model every output format renders: findings and per-file figures.

Plain dataclasses rather than pydantic models: a batch check builds thousands of these,
passes them between processes, and they are never validated from user input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from scr_audit.actions import ActionRow

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    line: Optional[int]
    column: Optional[int]
    severity: str
    rule: str
    message: str
    #: The marker and question a finding is about, where it is about one (the text output
    #: folds a marker's unanswered questions into one line; JSON keeps one per question).
    marker: Optional[str] = None
    question: Optional[int] = None

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def sort_key(self) -> tuple:
        return (self.line or 0, self.column or 0, SEVERITY_ORDER.get(self.severity, 9), self.rule)


@dataclass(slots=True)
class Score:
    """A mean of rating scores, with the counts needed to read it honestly."""

    percent: Optional[float]  # 0-100; None when nothing scoreable was rated
    total: int = 0  # markers in scope
    rated: int = 0  # given any valid rating (including not-applicable)
    scored: int = 0  # rated with a score (the denominator)
    not_applicable: int = 0
    unrated: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        if self.percent is None:
            return "no score"
        return f"{self.percent:.0f}%"


@dataclass(slots=True)
class FileReport:
    """One file's check: what it is, how complete, how it scores, and what is wrong."""

    path: str
    is_review: bool = False
    title: Optional[str] = None
    partnership: Optional[str] = None
    stage: Optional[str] = None
    marker_set: Optional[str] = None
    marker_set_version: Optional[str] = None
    assessors: list[str] = field(default_factory=list)
    questions_total: int = 0
    answered: int = 0
    markers_total: int = 0
    rated: int = 0
    score: Optional[Score] = None
    clusters: dict[str, Score] = field(default_factory=dict)
    #: marker id -> rating id (None: unrated), in the set's order.
    ratings: dict[str, Optional[str]] = field(default_factory=dict)
    #: number answers and computed intervals ("RQ8.1" -> 7.0), see scoring.figure_columns.
    figures: dict[str, Optional[float]] = field(default_factory=dict)
    #: choice answers ("RQ1.1" -> "silp").
    choices: dict[str, Optional[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: individual (one assessor's own) or agreed (the panel's moderated assessment)
    assessment: str = "individual"
    assessed_on: Optional[date] = None
    #: the review's dates that the file gives ("decision" -> date), in the format's order
    dates: dict[str, date] = field(default_factory=dict)
    #: every improvement action in the file, as `scr-audit actions` lists them
    actions: list["ActionRow"] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    def worst(self) -> Optional[str]:
        if not self.findings:
            return None
        return min((f.severity for f in self.findings), key=lambda s: SEVERITY_ORDER.get(s, 9))


@dataclass(slots=True)
class ReviewRow:
    """What a table or a summary keeps of a checked file once its findings are printed.

    A batch holds one of these per file instead of the whole report, so memory stays
    nearly flat in the number of files.
    """

    path: str
    is_review: bool
    title: Optional[str]
    partnership: Optional[str]
    stage: Optional[str]
    marker_set: Optional[str]
    questions_total: int
    answered: int
    markers_total: int
    rated: int
    score: Optional[Score]
    ratings: dict[str, Optional[str]]
    figures: dict[str, Optional[float]]
    choices: dict[str, Optional[str]]
    errors: int
    warnings: int
    infos: int
    first_error: Optional[Finding]
    assessment: str = "individual"
    assessed_on: Optional[date] = None
    dates: dict[str, date] = field(default_factory=dict)
    assessors: list[str] = field(default_factory=list)
    actions: list["ActionRow"] = field(default_factory=list)

    @classmethod
    def of(cls, r: FileReport) -> "ReviewRow":
        return cls(
            r.path,
            r.is_review,
            r.title,
            r.partnership,
            r.stage,
            r.marker_set,
            r.questions_total,
            r.answered,
            r.markers_total,
            r.rated,
            r.score,
            r.ratings,
            r.figures,
            r.choices,
            r.errors,
            r.warnings,
            r.infos,
            next((f for f in r.findings if f.severity == "error"), None),
            r.assessment,
            r.assessed_on,
            r.dates,
            r.assessors,
            r.actions,
        )
