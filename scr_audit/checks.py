"""Checking review files: every rule in `rules.RULES`, one file at a time.

`check_file` never raises for anything inside the file: whatever is wrong becomes a
finding with its line and column, so a batch always finishes. It raises only when the
tool itself cannot work (a user's marker set is broken), which the CLI reports as
exit 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

from scr_audit import actions, personal_data, scoring
from scr_audit.markers import Marker, MarkerSet, Question, Registry
from scr_audit.results import FileReport, Finding
from scr_audit.review_plain import DATE_FIELDS, MAX_NUMBER, ReadResult, question_number, read_for_check
from scr_audit.rules import RULES
from scr_audit.validation import date_problem, did_you_mean, or_list
from scr_audit.yamlio import Document

if TYPE_CHECKING:  # the review models: a check of a well-formed file never imports pydantic
    from scr_audit.review import AnswerEntry, MarkerEntry, ReviewFile


def add_months(day: date, months: int) -> date | None:
    """`day` plus whole calendar months (31 January + 1 month is 28 or 29 February).

    None when the result would fall past 9999-12-31, the last date there is: a caller
    treats that as a finding, never as a crash.
    """
    import calendar

    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    if not date.min.year <= year <= date.max.year:
        return None
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> tuple[int, int]:
    """(whole calendar months, days left over) from `start` to a later `end`.

    Computed directly, never by stepping a month past `end`, so it holds up to 9999-12-31.
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    reached = add_months(start, months)
    if reached is None or reached > end:
        months -= 1
        reached = add_months(start, months)
    assert reached is not None and reached <= end
    return months, (end - reached).days


@dataclass
class CheckOptions:
    ignore: frozenset[str] = frozenset()
    today: date = field(default_factory=date.today)


class _Collector:
    """Findings for one file, positioned through the document and filtered by --ignore."""

    __slots__ = ("doc", "stage", "options", "findings")

    def __init__(self, doc: Document, stage: Optional[str], options: CheckOptions) -> None:
        self.doc = doc
        self.stage = stage
        self.options = options
        self.findings: list[Finding] = []

    def add(
        self,
        rule: str,
        message: str,
        path: tuple = (),
        *,
        key: bool = False,
        text: str | None = None,
        marker: str | None = None,
        question: int | None = None,
    ) -> None:
        if rule in self.options.ignore:
            return
        pos = self.doc.position_of_text(path, text) if text else self.doc.position(path, key=key)
        self.findings.append(
            Finding(
                self.doc.name,
                pos.line if pos else None,
                pos.column if pos else None,
                RULES[rule].severity_at(self.stage),
                rule,
                message,
                marker,
                question,
            )
        )


def check_file(path: Path | str, registry: Registry, options: CheckOptions | None = None) -> FileReport:
    return check_read(read_for_check(path), registry, options or CheckOptions())


def check_read(read: ReadResult, registry: Registry, options: CheckOptions) -> FileReport:
    """Check a file already read (the walkthrough and export reuse what they read)."""
    report = FileReport(read.path)
    report.findings = [f for f in read.findings if f.rule not in options.ignore]
    review = read.review
    if review is None or read.doc is None:
        report.findings.sort(key=Finding.sort_key)
        return report
    info = review.review
    report.is_review = True
    report.title = info.title
    report.partnership = info.partnership
    report.stage = info.stage
    report.marker_set = review.marker_set
    report.marker_set_version = review.marker_set_version
    report.assessors = list(info.assessors)
    report.assessment = info.assessment or "individual"
    report.assessed_on = info.assessed_on
    report.dates = {name: day for name in DATE_FIELDS if isinstance(day := getattr(info.dates, name, None), date)}
    out = _Collector(read.doc, info.stage, options)
    _check_aliases(read.doc, out)

    mset = registry.find(review.marker_set) if review.marker_set else None
    if mset is None:
        if review.marker_set:
            out.add(
                "unknown-marker-set",
                f"unknown marker set {review.marker_set!r}{did_you_mean(review.marker_set, registry.ids())}; "
                f"known sets: {', '.join(registry.ids())} (add your own with --markers DIR)",
                ("marker-set",),
            )
        _check_dates(review, out, None)
        _check_personal_data(read.doc.data, out)
        report.findings += out.findings
        report.findings.sort(key=Finding.sort_key)
        return report

    if review.marker_set_version and str(review.marker_set_version) != mset.version:
        out.add(
            "marker-set-version",
            f"made against version {review.marker_set_version!r} of {mset.id}, but the set is now version "
            f"{mset.version!r}; check the answers still match the questions, then update marker-set-version",
            ("marker-set-version",),
        )
    _check_dates(review, out, mset)
    _check_markers(mset, review, out, options)
    _check_conclusion(review, out)
    _check_personal_data(read.doc.data, out)

    ratings = scoring.marker_ratings(mset, review)
    overall, clusters = scoring.review_scores(mset, ratings)
    report.questions_total = mset.question_count
    report.answered = scoring.answered_count(mset, review)
    report.markers_total = len(mset.rated_markers)
    report.rated = overall.rated
    report.score = overall
    report.clusters = clusters
    report.ratings = ratings
    report.figures = scoring.figures(mset, review)
    report.choices = scoring.choices(mset, review)
    report.actions = actions.rows_for(review, mset, read.path, as_of=options.today)
    report.findings += out.findings
    report.findings.sort(key=Finding.sort_key)
    return report


# ------------------------------------------------------------------------------- dates


def _check_dates(review: ReviewFile, out: _Collector, mset: MarkerSet | None) -> None:
    dates = review.review.dates
    given = [(name, getattr(dates, name)) for name in DATE_FIELDS if getattr(dates, name) is not None]
    for i, (name, value) in enumerate(given):
        for earlier_name, earlier in given[:i]:
            if value < earlier:
                out.add(
                    "date-order",
                    f"{name} ({value.isoformat()}) is before {earlier_name} ({earlier.isoformat()}); "
                    f"the order is {', '.join(DATE_FIELDS)}",
                    ("review", "dates", name),
                )
                break
    rule = mset.header.timeliness if mset is not None else None
    if rule is None:
        return
    start, end = getattr(dates, rule.from_date), getattr(dates, rule.to_date)
    if start is not None and add_months(start, rule.months) is None:
        out.add(
            "schema",
            f"{rule.from_date} ({start.isoformat()}) is too late a date to measure the {rule.months}-month "
            f"expectation from: it would end after 9999-12-31; check the year",
            ("review", "dates", rule.from_date),
        )
        return
    if start is None or end is None or end < start:
        return
    limit = add_months(start, rule.months)
    assert limit is not None
    if end > limit and not (review.review.delay_reasons or "").strip():
        months = (end - start).days / 30.44
        out.add(
            "slow-review",
            f"{months:.1f} months from {rule.from_date} ({start.isoformat()}) to {rule.to_date} "
            f"({end.isoformat()}), over the {rule.months}-month expectation, and no delay-reasons recorded; "
            "say why under review: delay-reasons",
            ("review", "dates", rule.to_date),
        )


# ----------------------------------------------------------------------------- markers


def _check_markers(mset: MarkerSet, review: ReviewFile, out: _Collector, options: CheckOptions) -> None:
    stage = review.review.stage
    known = {m.id.lower() for m in mset.markers}
    for key in review.markers:
        if str(key).lower() not in known:
            out.add(
                "unknown-marker",
                f"unknown marker {str(key)!r}{did_you_mean(key, [m.id for m in mset.markers])}; "
                f"{mset.id} has {mset.markers[0].id} to {mset.markers[-1].id}",
                ("markers", key),
                key=True,
            )
    for marker in mset.markers:
        key = review.entry_key(marker.id)
        entry = review.markers.get(key) if key is not None else None
        base: tuple = ("markers", key) if key is not None else ("markers",)
        _check_answers(mset, marker, entry, base, stage, out)
        _check_rating(mset, marker, entry, base, out)
        _check_actions(marker, entry, base, out, options)


def _check_answers(
    mset: MarkerSet, marker: Marker, entry: MarkerEntry | None, base: tuple, stage: Optional[str], out: _Collector
) -> None:
    by_number: dict[int, tuple[Any, Optional[AnswerEntry]]] = {}
    if entry is not None:
        for qkey, ans in entry.answers.items():
            n = question_number(qkey)
            if n is None or marker.question(n) is None:
                last = marker.questions[-1].number
                out.add(
                    "unknown-question",
                    f"{marker.id} has no question {qkey!s}; its questions are numbered 1 to {last}",
                    base + ("answers", qkey),
                    key=True,
                )
                continue
            by_number[n] = (qkey, ans)
    for q in marker.questions:
        qkey, ans = by_number.get(q.number, (None, None))
        apath = base + ("answers", qkey) if qkey is not None else base + ("answers",)
        if ans is not None and ans.is_suggestion and ans.has_value:
            # a program's suggestion is not yet an answer: reported as one to confirm, not as
            # unanswered, and its value is still checked so a wrong one is caught early
            out.add(
                "unconfirmed-suggestion",
                f"{marker.id} question {q.number}: the answer {_short(str(ans.answer), 40)!r} was suggested by "
                f"{ans.suggested_by} and is not yet confirmed by an assessor",
                apath + ("suggested-by",),
            )
            _check_one_answer(mset, marker, q, ans, apath + ("answer",), apath, stage, out)
            continue
        if ans is None or not ans.is_answered:
            # one finding per question, at every stage: programs count them; the text
            # output folds a marker's into one line ("QM2: questions 1-9 not answered")
            out.add(
                "unanswered-question",
                f"{marker.id} question {q.number} is not answered: {_short(q.text)}",
                apath,
                key=qkey is None or ans is None,
                marker=marker.id,
                question=q.number,
            )
            continue
        vpath = apath + ("answer",)
        _check_one_answer(mset, marker, q, ans, vpath, apath, stage, out)


def _check_one_answer(
    mset: MarkerSet,
    marker: Marker,
    q: Question,
    ans: AnswerEntry,
    vpath: tuple,
    apath: tuple,
    stage: Optional[str],
    out: _Collector,
) -> None:
    value = ans.answer
    label = f"{marker.id} question {q.number}"
    opt = mset.answer(value)
    if q.type != "scale":
        # typed questions accept their own kind of value, or a scale answer with no score
        # (not applicable, not yet known)
        if opt is not None and opt.score is None:
            pass
        else:
            problem = typed_answer_problem(q, value)
            if problem:
                out.add("invalid-answer", f"{label}: {problem}", vpath)
                return
            return
    elif opt is None:
        shown = str(value).lower() if isinstance(value, bool) else repr(value) if isinstance(value, str) else str(value)
        out.add(
            "invalid-answer",
            f"{label}: {shown} is not an answer{did_you_mean(value, mset.answer_words()) if isinstance(value, str) else ''}; "
            f"use {mset.describe_answers()}",
            vpath,
        )
        return
    if opt.stages is not None and stage is not None and stage not in opt.stages:
        if stage == "end":
            out.add("not-yet-at-end", f"{label}: '{opt.id}' in a review at stage end; give the answer as it now stands", vpath)
        else:
            out.add("invalid-answer", f"{label}: '{opt.id}' cannot be used at stage {stage}", vpath)
    if opt.needs_evidence and not ans.has_evidence:
        need = "a reason" if opt.score is None else "evidence"
        prompt = f" ({opt.evidence_prompt})" if opt.evidence_prompt else ""
        out.add("missing-evidence", f"{label}: '{opt.id}' without {need}{prompt}", vpath)


def typed_answer_problem(q: Question, value: Any) -> Optional[str]:
    """Why `value` is not a valid answer to a typed question (None if it is)."""
    if q.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str) and _non_finite(value):
                return f"{value!r} is not a finite number; write the figure itself, e.g. 12"
            return f"{value!r} is not a number"
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            return f"{value!r} is too large to be a figure (at most {MAX_NUMBER:g}); is it right?"
        if q.min is not None and value < q.min:
            return f"{value:g} is below the minimum {q.min:g}"
        if q.max is not None and value > q.max:
            return f"{value:g} is above the maximum {q.max:g}"
        return None
    if q.type == "date":
        if isinstance(value, datetime):
            return f"{value.isoformat()} is a date and time; write the date alone, YYYY-MM-DD (e.g. {value.date().isoformat()})"
        if not isinstance(value, date):
            return date_problem(value)
        return None
    if q.type == "choice":
        if q.option(value) is None:
            ids = [o.id for o in q.options or ()]
            return f"{value!r} is not one of the choices{did_you_mean(value, ids)}; use {or_list(ids)}"
        return None
    if q.type == "text":
        if isinstance(value, (dict, list)):
            return "should be text"
        return None
    return None


def _non_finite(text: str) -> bool:
    """Text YAML would have read as a number had it been finite (.inf, .nan, 1e999, 10**400)."""
    t = text.strip().lower().replace("_", "")
    if t.lstrip("+-") in (".inf", ".nan"):
        return True
    try:
        return not math.isfinite(float(t))
    except (ValueError, OverflowError):
        digits = t.lstrip("+-")
        return digits.isascii() and digits.isdigit()


def _check_rating(mset: MarkerSet, marker: Marker, entry: MarkerEntry | None, base: tuple, out: _Collector) -> None:
    raw = entry.rating if entry is not None else None
    if not marker.rated:
        if raw:
            out.add("invalid-rating", f"{marker.id} ({marker.title}) takes no rating in {mset.id}; remove the rating", base + ("rating",))
        return
    if not raw:
        out.add("unrated-marker", f"{marker.id} ({marker.title}) is not rated", base + ("rating",) if entry else base, key=True)
        return
    rating = mset.rating(raw)
    if rating is None:
        out.add(
            "invalid-rating",
            f"{marker.id}: {raw!r} is not a rating{did_you_mean(raw, mset.rating_words())}; use {or_list(mset.rating_words())}",
            base + ("rating",),
        )
        return
    suggested = scoring.suggest_rating(mset, marker, entry)
    if suggested is not None:
        steps = scoring.rating_steps(mset, rating, suggested)
        if steps is not None and steps >= 2:
            given = scoring.scale_answers(mset, marker, entry)
            mean = scoring.mean_answer_score(given)
            out.add(
                "rating-contradicts-answers",
                f"{marker.id} is rated {rating.id} but its answers suggest {suggested.id} "
                f"(mean answer score {mean:.2f} over {sum(1 for g in given if g.score is not None)} answers); "
                "revisit the rating, or explain the judgement in rationale",
                base + ("rating",),
            )
    if rating.needs_action and entry is not None and not entry.actions:
        out.add(
            "missing-action",
            f"{marker.id} is rated {rating.id} but has no improvement action; add one under actions",
            base + ("rating",),
        )


def _check_actions(marker: Marker, entry: MarkerEntry | None, base: tuple, out: _Collector, options: CheckOptions) -> None:
    if entry is None:
        return
    for i, action in enumerate(entry.actions):
        path = base + ("actions", i)
        lacking = [name for name, value in (("owner", action.owner), ("due date", action.due)) if not value]
        if lacking:
            out.add(
                "vague-action",
                f"{marker.id} action {i + 1} has no {' and no '.join(lacking)}: {_short(action.action)}",
                path,
            )
        if action.due is not None and action.due < options.today and action.status != "done":
            out.add(
                "overdue-action",
                f"{marker.id} action {i + 1} was due {action.due.isoformat()} and is {action.status}: {_short(action.action)}",
                path + ("due",),
            )


def _check_conclusion(review: ReviewFile, out: _Collector) -> None:
    """At the end of a review the Board needs the assessor's overall judgement."""
    if RULES["missing-conclusion"].end_only and review.review.stage != "end":
        return
    conclusion = review.conclusion
    if conclusion is None or not conclusion.has_summary:
        out.add(
            "missing-conclusion",
            "no conclusion: add conclusion: summary: with the overall judgement of how the review was run, "
            "for page 1 of the audit record",
            ("conclusion", "summary"),
            key=True,
        )


def _check_aliases(doc: Document, out: _Collector) -> None:
    """Each alias: its place and the anchored value it shares (none in a file the tool wrote)."""
    for alias in doc.aliases:
        # an alias in a list has no key of its own: the list's key is the nearest place
        in_list = alias.in_list
        out.add(
            "yaml-alias",
            f"{_describe(alias.path) or 'the file'} is an alias (*{alias.anchor}) of {_describe(alias.target) or 'the file'} "
            f"at line {alias.line}: the two are one value in the file, so an edit to one is an edit to both; "
            "write each out in full so each can be changed on its own",
            alias.path[:-1] if in_list else alias.path,
            key=True,
        )


# ------------------------------------------------------------------------ personal data

_NOT_FREE_TEXT = frozenset({"scr-audit", "marker-set", "marker-set-version", "stage", "rating", "status"})


def _check_personal_data(data: Any, out: _Collector) -> None:
    if "personal-data" in out.options.ignore:
        return  # not scanned at all (the walkthrough's safety check at start-up asks only for errors that stop it)
    for path, text in free_text(data):
        for match in personal_data.find(text):
            what = personal_data.KINDS[match.kind]
            out.add(
                "personal-data",
                f"{_describe(path)}: looks like {what} ({match.text!r}); remove or anonymise it",
                path,
                text=match.text,
            )


def free_text(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every free-text string in a review's data, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _NOT_FREE_TEXT:
                continue
            yield from free_text(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from free_text(value, path + (i,))
    elif isinstance(data, str) and len(data) >= 5:
        yield path, data


def _describe(path: tuple) -> str:
    parts = list(path)
    if len(parts) >= 4 and parts[0] == "markers" and parts[2] == "answers":
        field_name = parts[4] if len(parts) > 4 else "answer"
        return f"{parts[1]} question {parts[3]} {field_name}"
    if len(parts) >= 3 and parts[0] == "markers" and parts[2] == "actions":
        return f"{parts[1]} action {int(parts[3]) + 1 if len(parts) > 3 else ''} {parts[4] if len(parts) > 4 else ''}".strip()
    if len(parts) >= 3 and parts[0] == "markers":
        return f"{parts[1]} {parts[2]}"
    return ".".join(str(p) for p in parts)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_paths(paths: Iterable[Path], registry: Registry, options: CheckOptions) -> Iterator[FileReport]:
    for p in paths:
        yield check_file(p, registry, options)
