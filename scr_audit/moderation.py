"""Moderation: several assessors' files for one review, compared point by point.

A panel scores a finished review independently, then meets to agree. This module lines
their files up: for every marker's rating and every question's answer, who said what and
on what evidence; which points they agree on, which they differ on, and which only some
of them answered; how far they agree overall (`agreement`); and the merged review file
that carries what they agree on and leaves every other point open for the panel.

It never settles a disagreement: a point is agreed only when every assessor gave the
same answer (after normalising case and aliases, as `check` does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Hashable, Optional, Sequence

from scr_audit import agreement, template
from scr_audit.agreement import Stat
from scr_audit.checks import CheckOptions, check_read
from scr_audit.errors import CompareError
from scr_audit.markers import Cluster, Marker, MarkerSet, Question, Registry
from scr_audit.review import DATE_FIELDS, FORMAT_VERSION, Action, AnswerEntry, ReviewFile, answer_for, read_review

#: Findings that make a file's values unsafe to compare (a value that cannot be read, or
#: one that is not on the set's scale, would silently drop out): such a file is refused.
BLOCKING_RULES = frozenset(
    {
        "yaml-syntax",
        "file-unreadable",
        "not-a-review",
        "schema",
        "unknown-marker-set",
        "unknown-marker",
        "unknown-question",
        "invalid-answer",
        "invalid-rating",
    }
)

AGREED, DIFFER, PARTIAL, OPEN = "agreed", "differ", "partial", "open"
#: The statuses the panel has to settle.
TO_SETTLE = (DIFFER, PARTIAL)


@dataclass(frozen=True)
class Assessment:
    """One assessor's file, under the name the comparison shows for it."""

    name: str
    path: str
    review: ReviewFile


@dataclass(frozen=True)
class Position:
    """What one assessor said on one point."""

    assessor: str
    key: Optional[Hashable]  # the normalised value compared; None: not given
    value: Any  # the value as a review file holds it (an id, number, date or text)
    label: str  # the value as people read it ("Partly met", a choice's label)
    note: Optional[str] = None  # evidence for an answer, rationale for a rating

    @property
    def given(self) -> bool:
        return self.key is not None


def status_of(positions: Sequence[Position]) -> str:
    given = [p for p in positions if p.given]
    if not given:
        return OPEN
    if len({p.key for p in given}) > 1:
        return DIFFER
    if len(given) < len(positions):
        return PARTIAL
    return AGREED


@dataclass(frozen=True)
class Point:
    """One judgement every assessor was asked for: a marker's rating, or one answer."""

    marker: Marker
    question: Optional[Question]
    positions: tuple[Position, ...]

    @property
    def item(self) -> str:
        return self.marker.id if self.question is None else f"{self.marker.id} q{self.question.number}"

    @property
    def status(self) -> str:
        return status_of(self.positions)

    @property
    def missing(self) -> list[str]:
        return [p.assessor for p in self.positions if not p.given]

    def keys(self) -> tuple[Hashable, ...]:
        return tuple(p.key for p in self.positions)


@dataclass(frozen=True)
class MarkerComparison:
    marker: Marker
    cluster: Cluster
    rating: Point
    answers: tuple[Point, ...]
    #: Every improvement action proposed, with who proposed it, duplicates merged.
    actions: tuple[tuple[Action, tuple[str, ...]], ...]

    @property
    def answers_to_settle(self) -> list[Point]:
        return [p for p in self.answers if p.status in TO_SETTLE]

    @property
    def to_settle(self) -> bool:
        return self.rating.status in TO_SETTLE or bool(self.answers_to_settle)


@dataclass(frozen=True)
class Detail:
    """A field of the review's description (partnership, stage, a date) as each file gives it."""

    name: str
    positions: tuple[Position, ...]

    @property
    def status(self) -> str:
        return status_of(self.positions)


@dataclass(frozen=True)
class Measure:
    """One agreement figure, with what it left out and why (reason -> items)."""

    key: str
    name: str
    stat: Stat
    left_out: dict[str, list[str]]


@dataclass(frozen=True)
class AgreementSummary:
    subject: str  # "ratings" or "answers"
    noun: str  # what an item is ("Quality Marker", "question")
    total: int  # items in scope
    measures: tuple[Measure, ...]


@dataclass
class Comparison:
    mset: MarkerSet
    assessments: list[Assessment]
    markers: list[MarkerComparison]
    details: list[Detail]
    ratings: AgreementSummary
    answers: AgreementSummary
    warnings: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.assessments]

    @property
    def title(self) -> str:
        return self.assessments[0].review.review.title

    def ratings_with(self, status: str) -> list[MarkerComparison]:
        return [m for m in self.markers if m.rating.status == status]

    def answers_with(self, status: str) -> list[Point]:
        return [p for m in self.markers for p in m.answers if p.status == status]

    @property
    def agree_on_every_rating(self) -> bool:
        """No rating the panel still has to settle (markers nobody rated are not a disagreement)."""
        return not any(m.rating.status in TO_SETTLE for m in self.markers)


# ------------------------------------------------------------------------------ reading


def compare_files(paths: Sequence[str | Path], registry: Registry) -> Comparison:
    """Read, vet and compare the files, or raise CompareError saying what stops it."""
    assessments, mset, warnings = load(paths, registry)
    return compare(mset, assessments, warnings)


def load(paths: Sequence[str | Path], registry: Registry) -> tuple[list[Assessment], MarkerSet, list[str]]:
    if len(paths) < 2:
        raise CompareError("compare needs at least two review files, one per assessor")
    from scr_audit.paths import identity

    problems: list[str] = []
    seen: dict[object, str] = {}
    for p in paths:
        resolved = identity(Path(p))  # never raises, even for a link that loops
        if resolved in seen:
            problems.append(f"{p}: the same file is given twice (also as {seen[resolved]}); give each assessor's file once")
        seen.setdefault(resolved, str(p))
    reviews: list[tuple[str, ReviewFile]] = []
    warnings: list[str] = []
    for p in paths:
        read = read_review(p)
        report = check_read(read, registry, CheckOptions())
        blocking = [f for f in report.findings if f.severity == "error" and f.rule in BLOCKING_RULES]
        if blocking or read.review is None:
            problems += [f"{f.location()}: {f.message}" for f in blocking]
            continue
        warnings += [f"{f.location()}: {f.message}" for f in report.findings if f.rule == "marker-set-version"]
        reviews.append((str(p), read.review))
    sets = {r.marker_set for _, r in reviews}
    if len(sets) > 1:
        listed = "; ".join(f"{p} uses {r.marker_set!r}" for p, r in reviews)
        problems.append(f"the files are assessments against different marker sets ({listed}); only assessments against the same set can be compared")
    if problems:
        raise CompareError("cannot compare these files:\n" + "\n".join(f"  {p}" for p in problems))
    mset = registry.get(reviews[0][1].marker_set)
    names = assessor_names([(p, r) for p, r in reviews])
    return [Assessment(n, p, r) for n, (p, r) in zip(names, reviews)], mset, warnings


def assessor_names(files: Sequence[tuple[str, ReviewFile]]) -> list[str]:
    """Each file's assessors (joined), else its file name; made unique if two coincide."""
    names = [", ".join(r.review.assessors) if r.review.assessors else Path(p).stem for p, r in files]
    folded = [n.casefold() for n in names]
    out = []
    for (path, _), name, low in zip(files, names, folded):
        out.append(f"{name} ({Path(path).name})" if folded.count(low) > 1 else name)
    taken: dict[str, int] = {}
    unique = []
    for name in out:
        n = taken.get(name.casefold(), 0) + 1
        taken[name.casefold()] = n
        unique.append(name if n == 1 else f"{name} [{n}]")
    return unique


# ---------------------------------------------------------------------------- comparing


def compare(mset: MarkerSet, assessments: list[Assessment], warnings: Sequence[str] = ()) -> Comparison:
    markers = []
    for cluster in mset.clusters:
        for marker in mset.markers_in(cluster.id):
            entries = [(a.name, a.review.entry(marker.id)) for a in assessments]
            rating = Point(marker, None, tuple(_rating_position(mset, name, entry) for name, entry in entries))
            answers = tuple(
                Point(marker, q, tuple(_answer_position(mset, q, name, answer_for(entry, q.number)[1]) for name, entry in entries))
                for q in marker.questions
            )
            markers.append(MarkerComparison(marker, cluster, rating, answers, _actions(entries)))
    details = _details(assessments)
    all_warnings = list(warnings)
    for d in details:
        shown = "; ".join(f"{p.assessor}: {p.label}" for p in d.positions)
        if d.name == "title" and d.status == DIFFER:
            all_warnings.append(f"the titles differ ({shown}): check these are assessments of the same review; compared all the same")
        if d.name == "stage" and d.status == DIFFER:
            all_warnings.append(f"the stages differ ({shown}): the assessors judged the review at different points")
    names = [a.name for a in assessments]
    item = mset.header.item_name
    rated = [m.rating for m in markers if m.marker.rated]  # items that take no rating (facts only) are left out
    ratings = _agreement("ratings", item, "rated", rated, _scored_ratings(mset), names)
    answer_points = [p for m in markers for p in m.answers]
    answers = _agreement("answers", "question", "answered", answer_points, _scored_answers(mset), names)
    return Comparison(mset, list(assessments), markers, details, ratings, answers, all_warnings)


def _scored_ratings(mset: MarkerSet) -> list[str]:
    return [r.id for r in mset.header.rating_scale if r.score is not None]


def _scored_answers(mset: MarkerSet) -> list[str]:
    return [a.id for a in mset.header.answer_scale if a.score is not None]


def _note(text: Optional[str]) -> Optional[str]:
    return text.strip() if text and text.strip() else None


def _rating_position(mset: MarkerSet, name: str, entry: Any) -> Position:
    note = _note(entry.rationale) if entry is not None else None
    opt = mset.rating(entry.rating) if entry is not None and entry.rating else None
    if opt is None:
        return Position(name, None, None, "not rated", note)
    return Position(name, opt.id, opt.id, opt.label, note)


def _answer_position(mset: MarkerSet, q: Question, name: str, ans: Optional[AnswerEntry]) -> Position:
    evidence = _note(ans.evidence) if ans is not None else None
    if ans is None or not ans.is_answered:
        return Position(name, None, None, "not answered", evidence)
    value = ans.answer
    opt = mset.answer(value)
    if q.type == "scale":
        if opt is None:  # refused before comparing; kept distinct rather than guessed
            return Position(name, ("off-scale", str(value)), value, str(value), evidence)
        return Position(name, opt.id, opt.id, opt.label, evidence)
    if opt is not None and opt.score is None:  # not applicable / not yet known, as check allows
        return Position(name, ("scale", opt.id), opt.id, opt.label, evidence)
    key, written, label = typed_value(q, value)
    return Position(name, key, written, label, evidence)


def typed_value(q: Question, value: Any) -> tuple[Hashable, Any, str]:
    """(the key compared, the value to write back, the label shown) for a typed answer."""
    if q.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = f" {q.unit}" if q.unit else ""
        return ("number", float(value)), value, f"{value:g}{unit}"
    if q.type == "date" and isinstance(value, date):
        return ("date", value), value, value.isoformat()
    if q.type == "choice":
        opt = q.option(value)
        if opt is not None:
            return ("choice", opt.id), opt.id, opt.label
    text = value.isoformat() if isinstance(value, date) else str(value).lower() if isinstance(value, bool) else str(value)
    return ("text", _fold(text)), text, " ".join(text.split())


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _actions(entries: list[tuple[str, Any]]) -> tuple[tuple[Action, tuple[str, ...]], ...]:
    merged: dict[tuple, tuple[Action, list[str]]] = {}
    for name, entry in entries:
        for action in entry.actions if entry is not None else []:
            key = (_fold(action.action), _fold(action.owner or ""), action.due, action.status)
            if key not in merged:
                merged[key] = (action, [])
            if name not in merged[key][1]:
                merged[key][1].append(name)
    return tuple((action, tuple(names)) for action, names in merged.values())


def _details(assessments: list[Assessment]) -> list[Detail]:
    def text(value: Optional[str]) -> tuple[Optional[Hashable], Any, str]:
        return (_fold(value), value, value) if value and value.strip() else (None, None, "not given")

    def day(value: Optional[date]) -> tuple[Optional[Hashable], Any, str]:
        return (value, value, value.isoformat()) if value is not None else (None, None, "not given")

    getters: list[tuple[str, Callable[[ReviewFile], tuple[Optional[Hashable], Any, str]]]] = [
        ("title", lambda r: text(r.review.title)),
        ("partnership", lambda r: text(r.review.partnership)),
        ("stage", lambda r: text(r.review.stage)),
    ]
    getters += [(f"dates: {name}", lambda r, name=name: day(getattr(r.review.dates, name))) for name in DATE_FIELDS]
    getters.append(("delay-reasons", lambda r: text(r.review.delay_reasons)))
    out = []
    for name, get in getters:
        positions = tuple(Position(a.name, *get(a.review)) for a in assessments)
        out.append(Detail(name, positions))
    return out


# ---------------------------------------------------------------------------- agreement


def _and_list(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _agreement(subject: str, noun: str, verb: str, points: list[Point], order: list[str], names: list[str]) -> AgreementSummary:
    """Percentage agreement and the kappas that fit, each with what it left out and why."""
    left_out: dict[str, list[str]] = {}
    complete: list[Point] = []
    for p in points:
        missing = p.missing
        if missing:
            who = "anyone" if len(missing) == len(names) else _and_list(missing)
            left_out.setdefault(f"not {verb} by {who}", []).append(p.item)
        else:
            complete.append(p)
    measures = [Measure("percent-agreement", "Percentage agreement", agreement.percent_agreement([p.keys() for p in complete], noun=noun), left_out)]

    nominal_left = {k: list(v) for k, v in left_out.items()}
    nominal: list[Point] = []
    for p in complete:
        if p.question is not None and p.question.type != "scale":
            nominal_left.setdefault(f"{p.question.type} questions, compared for equality only", []).append(p.item)
        else:
            nominal.append(p)
    if len(names) == 2:
        pairs = [(p.keys()[0], p.keys()[1]) for p in nominal]
        measures.append(Measure("cohen-kappa", "Cohen's kappa", agreement.cohen_kappa(pairs, noun=noun), nominal_left))
        weighted_left = {k: list(v) for k, v in nominal_left.items()}
        ordered = []
        for p in nominal:
            unscored = [pos for pos in p.positions if pos.key not in order]
            if unscored:
                labels: dict[str, list[str]] = {}
                for pos in unscored:
                    labels.setdefault(pos.label[:1].lower() + pos.label[1:], []).append(pos.assessor)
                reason = "; ".join(f"{label} by {_and_list(who)}" for label, who in labels.items())
                weighted_left.setdefault(reason, []).append(p.item)
            else:
                ordered.append((p.keys()[0], p.keys()[1]))
        measures.append(
            Measure("weighted-kappa", "Weighted kappa (linear)", agreement.weighted_kappa(ordered, order, noun=noun), weighted_left)
        )
    else:
        measures.append(Measure("fleiss-kappa", "Fleiss' kappa", agreement.fleiss_kappa([p.keys() for p in nominal], noun=noun), nominal_left))
    return AgreementSummary(subject, noun, len(points), tuple(measures))


# ------------------------------------------------------------------------------ merging


def combined_note(notes: Sequence[tuple[str, Optional[str]]]) -> Optional[str]:
    """Everyone's evidence (or rationale) for an agreed point, from (assessor, note) pairs:
    each labelled by assessor, unless every assessor wrote the same."""
    given = [(who, note) for who, note in notes if note]
    if not given:
        return None
    if len(given) == len(notes) and len({_fold(n) for _, n in given}) == 1:
        return given[0][1]
    return "\n".join(f"{who}: {note}" for who, note in given)


def _notes(positions: Sequence[Position]) -> list[tuple[str, Optional[str]]]:
    return [(p.assessor, p.note) for p in positions]


def merge_text(comp: Comparison, *, today: date) -> str:
    """The merged review file: agreed points filled in, every other point left open with
    each assessor's position in a comment above it. Layout as `scr-audit new` writes it."""
    mset = comp.mset
    first = comp.assessments[0].review.review
    open_ratings = [m.marker.id for m in comp.markers if m.rating.status in TO_SETTLE]
    open_answers = [p for m in comp.markers for p in m.answers_to_settle]
    c = _comment
    out = [
        *template.modeline(mset),
        "#",
        f"# scr-audit review file, format version {FORMAT_VERSION}.",
        *c(
            f"The moderated assessment of {first.title}, merged by `scr-audit compare` on {today.isoformat()} "
            f"from {len(comp.assessments)} assessments:",
            "", "# ", "# ",
        ),
        *[line for a in comp.assessments for line in c(f"{a.path} ({a.name})", "", "#   ", "#     ")],
        *c(
            "What every assessor gave is filled in. Each point they differ on, or that only some of them answered, "
            "is left open (unanswered or unrated) with a 'TO SETTLE' comment above it giving every assessor's position. "
            "The panel settles each one and fills it in (scr-audit assess FILE, or an editor), then runs scr-audit check FILE.",
            "", "# ", "# ",
        ),
        *c(
            f"Left open: {len(open_ratings)} rating(s)" + (f" ({', '.join(open_ratings)})" if open_ratings else "")
            + f" and {len(open_answers)} answer(s).",
            "", "# ", "# ",
        ),
        *c("Actions are every assessor's proposals, each marked with who proposed it: keep, combine or drop them.", "", "# ", "# "),
        "# Keep personal details out: no names, dates of birth, addresses, NHS or NI numbers.",
        f"scr-audit: {FORMAT_VERSION}",
        f"marker-set: {template.scalar(mset.id)}",
        f"marker-set-version: {json.dumps(mset.version)}",
        "review:",
    ]
    details = {d.name: d for d in comp.details}
    out += _detail_lines(details["title"], "  ", "title", keep_first=True)
    out += _detail_lines(details["partnership"], "  ", "partnership")
    out += _detail_lines(details["stage"], "  ", "stage", keep_first=True)
    out.append("  assessment: agreed  # the panel's moderated assessment; each assessor's own file is individual")
    out.append(f"  lead-reviewers: {_flow_list(_union(a.review.review.lead_reviewers for a in comp.assessments))}")
    out.append(f"  assessors: {_flow_list(_union(a.review.review.assessors or [a.name] for a in comp.assessments))}")
    out.append("  assessed-on:  # the date the panel agreed this record")
    out.append("  dates:  # YYYY-MM-DD; used for timeliness")
    for name in DATE_FIELDS:
        out += _detail_lines(details[f"dates: {name}"], "    ", name)
    reasons = combined_note([(p.assessor, p.value) for p in details["delay-reasons"].positions])
    out += _text_field("  ", "delay-reasons", reasons)
    out.append("markers:")
    for mc in comp.markers:
        m = mc.marker
        out.append("")
        out += template.marker_comment(mset, m)
        out.append(f"  {template.scalar(m.id)}:")
        out.append("    answers:")
        for point in mc.answers:
            q = point.question
            assert q is not None
            out += template.question_comment(q)
            out += _answer_lines(point, "      ")
        if m.rated:
            out += _rating_lines(mc.rating, "    ")
        out += _action_lines(mc.actions, "    ")
    out += _conclusion_lines(comp)
    return "\n".join(out) + "\n"


def _conclusion_lines(comp: Comparison) -> list[str]:
    """The conclusion: a summary every assessor wrote alike is kept, else left to settle with
    each one's words above it; strengths, concerns and asks are everyone's, combined."""
    out = [""] + _comment("The conclusion, for the Board (page 1 of the audit record).", "", "# ", "# ") + ["conclusion:"]
    summaries = [
        Position(a.name, _fold(text), text, text) if (text := a.review.conclusion.summary or "").strip() else Position(a.name, None, None, "no summary")
        for a in comp.assessments
    ]
    given = [p for p in summaries if p.given]
    if given and len(given) == len(summaries) and len({p.key for p in given}) == 1:
        out += _text_field("  ", "summary", str(given[0].value))
    else:
        if given:
            out += _settle_lines(summaries, "  ")
        out.append("  summary:")
    for key in ("strengths", "concerns", "board-asked-to"):
        items = _union(getattr(a.review.conclusion, key.replace("-", "_")) for a in comp.assessments)
        if not items:
            out.append(f"  {key}: []")
            continue
        if len(comp.assessments) > 1:
            out += _comment("every assessor's, combined: keep, merge or drop them", "  ", "# ", "# ")
        out.append(f"  {key}:")
        out += [f"    - {template.scalar(item)}" for item in items]
    return out


def _comment(text: str, indent: str, first: str = "# ", rest: str = "#   ") -> list[str]:
    """`template.comment`, with characters YAML forbids even in a comment (control
    characters that escapes let into a value) made spaces: comments hold assessors' words."""
    return template.comment("".join(ch if ch.isprintable() else " " for ch in text), indent, first, rest)


def _union(lists: Any) -> list[str]:
    seen: dict[str, str] = {}
    for items in lists:
        for item in items:
            seen.setdefault(_fold(item), item)
    return list(seen.values())


def _flow_list(items: list[str]) -> str:
    return "[" + ", ".join(template.scalar(i) for i in items) + "]"


def _plain(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _settle_lines(positions: Sequence[Position], indent: str) -> list[str]:
    missing = [p.assessor for p in positions if not p.given]
    why = "the assessors differ" if status_of(positions) == DIFFER else f"not given by {_and_list(missing)}"
    lines = _comment(f"TO SETTLE ({why}):", indent, "# ", "# ")
    for p in positions:
        said = _plain(p.value) if p.given else p.label
        lines += _comment(f"{p.assessor}: {said}" + (f" — {p.note}" if p.note else ""), indent, "#   ", "#     ")
    return lines


def _detail_lines(detail: Detail, indent: str, key: str, *, keep_first: bool = False) -> list[str]:
    """A review-description field: the value the files share, or (when they differ) left
    open with each position, except required fields, which keep the first file's value."""
    given = [p for p in detail.positions if p.given]
    if detail.status == DIFFER:
        lines = _settle_lines(detail.positions, indent)
        value = detail.positions[0].value if keep_first else None
        if keep_first:
            lines += _comment(f"(the first file's {key} is kept until the panel settles it)", indent, "# ", "# ")
        return lines + [f"{indent}{key}: {template.scalar(value)}".rstrip()]
    lines = []
    if detail.status == PARTIAL:
        lines = _comment(f"(given by {_and_list([p.assessor for p in given])} only)", indent, "# ", "# ")
    value = given[0].value if given else None
    return lines + [f"{indent}{key}: {template.scalar(value)}".rstrip()]


def _answer_lines(point: Point, indent: str) -> list[str]:
    assert point.question is not None
    n = template.question_key(point.question.number)
    status = point.status
    if status == AGREED:
        value = point.positions[0].value
        evidence = combined_note(_notes(point.positions))
        if evidence is None:
            return [f"{indent}{n}: {template.scalar(value)}"]
        return [f"{indent}{n}:", f"{indent}  answer: {template.scalar(value)}", *_text_field(indent + "  ", "evidence", evidence)]
    if status in TO_SETTLE:
        return _settle_lines(point.positions, indent) + [f"{indent}{n}:"]
    return [f"{indent}{n}:"]


def _rating_lines(point: Point, indent: str) -> list[str]:
    if point.status == AGREED:
        return [f"{indent}rating: {template.scalar(point.positions[0].value)}", *_text_field(indent, "rationale", combined_note(_notes(point.positions)))]
    lines = _settle_lines(point.positions, indent) if point.status in TO_SETTLE else []
    return lines + [f"{indent}rating:", f"{indent}rationale:"]


def _action_lines(actions: Sequence[tuple[Action, tuple[str, ...]]], indent: str) -> list[str]:
    if not actions:
        return [f"{indent}actions: []"]
    lines = [f"{indent}actions:"]
    for action, names in actions:
        lines += _comment(f"proposed by {_and_list(list(names))}", indent + "  ", "# ", "# ")
        lines += _text_field(indent + "  - ", "action", action.action)
        pad = indent + "    "
        if action.owner:
            lines.append(f"{pad}owner: {template.scalar(action.owner)}")
        if action.due:
            lines.append(f"{pad}due: {action.due.isoformat()}")
        lines.append(f"{pad}status: {action.status}")
    return lines


def _text_field(indent: str, key: str, text: Optional[str]) -> list[str]:
    """`key: text`, as a literal block when the text runs over several lines and can be one."""
    if text is None:
        return [f"{indent}{key}:"]
    lines = text.split("\n")
    if len(lines) > 1 and all(_literal_safe(line) for line in lines) and lines[0]:
        pad = " " * len(indent) + "  "
        return [f"{indent}{key}: |-"] + [pad + line if line else "" for line in lines]
    return [f"{indent}{key}: {template.scalar(text)}"]


def _literal_safe(line: str) -> bool:
    return line == line.strip() and all(ch.isprintable() for ch in line)
