"""`export`: review files in, one Word record out, and nothing in it that cannot be trusted.

A file that cannot be read as a review (YAML or schema errors, not a review, an unknown
marker set) is refused with its located problems: a record built from half a file would
look complete and be wrong. Everything else goes in, and what the checker still finds is
listed in the record itself ("Open findings"), so the Board sees what the assessor sees.

Free text is made safe for Word (records.style.safe_text) and, with `redact`, cleared of what
the personal-data rule finds, once, here, before any builder sees it: the builders then
cannot forget a field. That goes for the check's report of each file as much as for the
review: the summary record takes its figures (and the texts that come with them: titles,
partnerships, assessors, actions and their owners) from `summary.summarise` over those
reports, so they are cleaned here too, once, in the same way. The checker's own
personal-data messages quote the identifier they found; in a record they never do,
whether or not `redact` is asked for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence

from pydantic import BaseModel

from scr_audit import personal_data
from scr_audit.records import style as docx_style
from scr_audit.checks import CheckOptions, check_read
from scr_audit.errors import Problem, ReviewFileError, ScrAuditError
from scr_audit.markers import MarkerSet, Registry
from scr_audit.results import FileReport, Finding
from scr_audit.review import ReviewFile, read_review
from scr_audit.yamlio import atomic_write

if TYPE_CHECKING:
    from scr_audit.summary import Summary

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
#: What the paper asks of the meeting (`--purpose`), as its cover sheet says it.
PURPOSES = {"decision": "For decision", "information": "For information", "note": "To note"}
#: Findings that mean the file cannot be turned into a record at all.
BLOCKING_RULES = frozenset({"yaml-syntax", "file-unreadable", "not-a-review", "schema", "unknown-marker-set"})


@dataclass(frozen=True)
class ExportOptions:
    #: Protective marking for header and footer; None for none.
    marking: Optional[str] = DEFAULT_MARKING
    redact: bool = False
    include_guidance: bool = False
    generated: datetime = field(default_factory=lambda: datetime.now().astimezone())
    #: The date overdue actions are judged at (default: the day the record is generated).
    as_of: Optional[date] = None
    #: The cover sheet: the meeting the paper goes to, its date, the agenda item, who wrote
    #: the paper, and what it asks of the meeting (a key of PURPOSES). Each left out when None.
    meeting: Optional[str] = None
    meeting_date: Optional[date] = None
    agenda_item: Optional[str] = None
    author: Optional[str] = None
    purpose: Optional[str] = None

    @property
    def judged_at(self) -> date:
        """The date actions are judged overdue at: `as_of`, else the day of generation."""
        return self.as_of or self.generated.date()


@dataclass
class Reviewed:
    """One review ready for a record.

    `review` is a cleaned (and, if asked, redacted) copy: builders take every word from it
    or from the marker set, and every figure from `report` (computed by `scoring`).
    """

    path: Path
    name: str
    review: ReviewFile
    report: FileReport
    mset: MarkerSet
    #: personal-data findings in the file as it stands (before any redaction)
    personal_data: int
    #: identifiers `redact` replaced in this file's texts
    redacted: int = 0


@dataclass
class Inputs:
    reviews: list[Reviewed]
    refused: list[ReviewFileError]
    #: identifiers replaced by `redact` across all reviews
    redacted: int = 0


def load(
    paths: Sequence[Path],
    registry: Registry,
    *,
    redact: bool,
    options: CheckOptions | None = None,
    jobs: Optional[int] = None,
) -> Inputs:
    """Read and check each file; keep the reviews, refuse the rest with their problems.

    Many files are read on every core (`batch.map_files`), in input order, so a summary
    record of fifty reviews waits for its slowest core, not for fifty reads in turn.
    """
    from scr_audit.batch import map_files

    inputs = Inputs([], [])
    work = partial(_load_one, redact=redact)
    for path, loaded in zip(paths, map_files(work, paths, registry, options or CheckOptions(), jobs=jobs)):
        if isinstance(loaded, list):
            inputs.refused.append(ReviewFileError(str(path), loaded))
            continue
        reviewed = dataclasses.replace(loaded, path=Path(path), mset=registry.get(loaded.review.marker_set))
        inputs.reviews.append(reviewed)
        inputs.redacted += reviewed.redacted
    return inputs


def _load_one(path: str, registry: Registry, options: CheckOptions, *, redact: bool) -> "Reviewed | list[Problem]":
    """One file read, checked and cleaned: the review, or the problems that refuse it.

    It may run in a worker process, so it returns what pickles and leaves out the marker
    set (the caller's registry has it): a copy of a whole set for each file would cost
    more than the read.
    """
    read = read_review(path)
    report = check_read(read, registry, options)
    blocking = [f for f in report.findings if f.rule in BLOCKING_RULES]
    if blocking or read.review is None:
        return [Problem(f.file, f.message, f.line, f.column) for f in blocking or report.findings]
    counter = [0]
    review = _clean(read.review, redact, counter)
    name = _clean(Path(path).name, redact, counter)
    _clean_report(report, review, redact)
    pd_count = sum(1 for f in report.findings if f.rule == "personal-data")
    report.findings = [_for_record(f, redact) for f in report.findings]
    return Reviewed(Path(path), name, review, report, None, pd_count, counter[0])  # type: ignore[arg-type]  # mset: the caller's


def _clean_report(report: FileReport, review: ReviewFile, redact: bool) -> None:
    """Every text of the check's report cleaned as the review's are, in place.

    The report's path stays as it was: it is what ties a figure back to its file (the
    records name a file by `Reviewed.name`, cleaned), and cleaning could make two paths
    one. Its texts are copies of the review's, so their identifiers are counted once, in
    the review's count, not again here.
    """
    scratch = [0]
    report.title = review.review.title
    report.partnership = review.review.partnership
    report.assessors = list(review.review.assessors)
    report.marker_set_version = _clean(report.marker_set_version, redact, scratch)
    report.actions = [_clean(a, redact, scratch) for a in report.actions]


def _clean(value: Any, redact: bool, counter: list[int]) -> Any:
    """A copy of `value` with every string made safe for Word, and redacted if asked."""
    if isinstance(value, str):
        text = docx_style.safe_text(value)
        if redact:
            text, n = personal_data.redact(text)
            counter[0] += n
        return text
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return value.model_copy(update={name: _clean(getattr(value, name, None), redact, counter) for name in fields})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # an action row
        return dataclasses.replace(value, **{f.name: _clean(getattr(value, f.name), redact, counter) for f in dataclasses.fields(value) if f.init})
    if isinstance(value, list):
        return [_clean(v, redact, counter) for v in value]
    if isinstance(value, tuple):
        return tuple(_clean(v, redact, counter) for v in value)
    if isinstance(value, dict):
        return {k: _clean(v, redact, counter) for k, v in value.items()}
    return value


def _unquoted(message: str) -> str | None:
    """A personal-data message ("WHERE: looks like WHAT ('...'); REST") without the quote.

    Taken apart by hand, not by a pattern: WHERE quotes the file's own keys, and a
    backtracking pattern over text a file controls can take minutes.
    """
    where, sep, tail = message.rpartition(": looks like ")
    if not sep:
        return None
    for what in personal_data.KINDS.values():
        if tail.startswith(what + " ("):
            close = tail.rfind(")")
            if close > len(what):
                return f"{where}: looks like {what} ({personal_data.REDACTED}){tail[close + 1:]}"
    return None


def _for_record(finding: Finding, redact: bool) -> Finding:
    """A finding as a record may print it: never quoting a personal identifier."""
    message = docx_style.safe_text(finding.message)
    if finding.rule == "personal-data":
        message = _unquoted(message) or f"free text looks like a personal identifier ({personal_data.REDACTED}); remove or anonymise it"
        message = personal_data.redact(message)[0]
    elif redact:
        message = personal_data.redact(message)[0]
    return dataclasses.replace(finding, message=message)


def common_set(reviews: Sequence[Reviewed]) -> MarkerSet:
    """The one marker set a summary record can compare the reviews on."""
    sets: dict[str, list[str]] = {}
    for r in reviews:
        sets.setdefault(r.mset.id, []).append(r.name)
    if len(sets) > 1:
        listing = "; ".join(f"{sid}: {', '.join(names)}" for sid, names in sets.items())
        raise ScrAuditError(
            f"the reviews use different marker sets ({listing}); a summary record compares reviews on one set, "
            "so export each set's reviews separately"
        )
    return reviews[0].mset


def summarise(inputs: Inputs, registry: Registry, *, stages: Iterable[str] = ()) -> "Summary":
    """`scr-audit summary`'s figures for the reviews read: each review once, stages apart.

    The summary record renders this and computes nothing of its own, so it and `summary`
    (and `actions`) give the same figures for the same folder. The reports it reads were
    cleaned (and redacted) by `load`.
    """
    from scr_audit.summary import summarise as summarise_reports

    return summarise_reports([r.report for r in inputs.reviews], registry, stages=stages)


def used(inputs: Inputs, summary: "Summary") -> list[Reviewed]:
    """The reviews read that `summary` uses (not those at a stage not asked for), in input order."""
    kept = {f.path for f in summary.files if f.used}
    return [r for r in inputs.reviews if r.report.path in kept]


# --------------------------------------------------------------------------------- writing


def build(inputs: Inputs, options: ExportOptions, *, summary: Optional["Summary"] = None, drawer: Any = None) -> Any:
    """The audit record of one review, or, given `summary` (`summarise(inputs)`), the summary record.

    `drawer` (records.chart.Drawer) draws the summary record's charts; without one, the
    record starts its own.

    What was asked for decides which, not how many files could be read: two files asked
    for, one refused, still give a summary record, which names the file left out.
    """
    if not inputs.reviews:
        raise ScrAuditError("no review could be read, so there is nothing to export")
    if summary is None:
        from scr_audit.records.audit import build_record

        return build_record(inputs.reviews[0], options)
    from scr_audit.records.summary import LeftOut, build_summary

    if not summary.sets:
        raise ScrAuditError("no review is at the stages asked for, so there is nothing to export")
    common_set(used(inputs, summary))
    names = {r.report.path: r.name for r in inputs.reviews}
    left_out = [LeftOut(_clean(Path(e.path).name, options.redact, [0]), "could not be read as a review file") for e in inputs.refused]
    left_out += [LeftOut(names.get(k.path) or _clean(Path(k.path).name, options.redact, [0]), "could not be used as a review") for k in summary.skipped]
    other_stages = [LeftOut(names[f.path], f"made at stage {f.stage or 'not recorded'}") for f in summary.left_out]
    return build_summary(summary, used(inputs, summary), options, left_out=left_out, other_stages=other_stages, drawer=drawer)


def write(document: Any, output: Path, *, force: bool) -> int:
    """Save atomically: the record appears whole, or not at all. Returns its size in bytes."""
    data = docx_style.to_bytes(document)
    atomic_write(output, data, overwrite=force)
    return len(data)
