"""Figures across many reviews: per review, per marker and per cluster, set by set, stage by stage.

Each review is counted once (`grouping`): four panel members' files for Child D are one
review, and an agreed file stands for the files it moderates. Reviews made against
different marker sets are summarised separately: a "met" in one set and a "good" in
another are not the same judgement, so they are never added together. Assessments made
at different stages are kept apart too: a review assessed at its beginning and one at its
end answer different questions, so a folder that mixes stages gives its figures stage by
stage, never one pooled figure. Files that are not usable reviews are listed as skipped,
with the reason, not dropped silently; every file's part is recorded (`Summary.files`).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Optional

from scr_audit import actions as actions_mod
from scr_audit import grouping
from scr_audit.actions import ActionRow
from scr_audit.grouping import ReviewGroup
from scr_audit.markers import Cluster, Marker, MarkerSet, Registry
from scr_audit.results import FileReport, ReviewRow, Score
from scr_audit.scoring import Figure, figure_columns, months_between, score_ratings
from scr_audit.stages import STAGES
from scr_audit.validation import plural

#: How a column names each of the review's dates when it measures the time between two.
DATE_NOUNS = {"incident": "incident", "referral": "referral", "decision": "decision", "completed": "completion", "published": "publication"}


@dataclass
class Tally:
    """How a group of reviews rated one marker (or all markers of one cluster)."""

    id: str
    title: str
    cluster: str
    score: Score  # counts per rating, not applicable, unrated, mean as a percentage

    @property
    def reviews(self) -> int:
        return self.score.total


@dataclass
class Ranked:
    """A marker (or cluster) and how often the reviews rated it as needing an action."""

    tally: Tally
    #: reviews (for a cluster: ratings) on a rating the set says needs an action: partly met, not met
    needing: int
    #: reviews that rated it, not applicable included (so a row's shares add up to 100%)
    rated: int

    @property
    def share(self) -> Optional[float]:
        """The percentage of `rated` that needs an action; None when no review rated it."""
        return 100.0 * self.needing / self.rated if self.rated else None


def rank(mset: MarkerSet, tallies: Iterable[Tally]) -> list[Ranked]:
    """Highest share needing an action first, then the most reviews needing it, then the set's order.

    Every ranking of markers (the CSV and workbook, the summary record) is this one, so the
    spreadsheet and the Board paper never put the markers in a different order or give a
    marker a different share.
    """
    needs = {r.id for r in mset.header.rating_scale if r.needs_action}
    out = [Ranked(t, sum(n for rid, n in t.score.counts.items() if rid in needs), t.score.rated) for t in tallies]
    return sorted(out, key=lambda r: (-(r.share if r.share is not None else -1.0), -r.needing))  # stable: set order on a tie


@dataclass
class FigureStats:
    """A number across reviews (pages, recommendations, months to publication)."""

    figure: Figure
    values: int
    mean: Optional[float]
    median: Optional[float]
    low: Optional[float]
    high: Optional[float]


@dataclass
class ChoiceStats:
    """How often each option of a choice question was chosen (e.g. the review method)."""

    key: str
    label: str
    counts: dict[str, int]  # option label -> reviews
    unanswered: int


@dataclass
class ReviewFigures:
    """One review, counted once: the figures that stand for it and the files behind them.

    For an agreed or single file they are that file's; for several individual files not yet
    moderated, each marker's rating follows `grouping`'s rule, answered is the least any
    file has answered, findings are added up over the files, numbers are the middle value
    (the lower of two), a choice the one most files made, a date the first file's that
    gives it, and the assessment date the latest.
    """

    group: ReviewGroup[ReviewRow]
    title: str
    partnership: Optional[str]
    stage: Optional[str]
    marker_set: str
    ratings: dict[str, Optional[str]]
    score: Score
    questions_total: int
    answered: int
    markers_total: int
    figures: dict[str, Optional[float]]
    choices: dict[str, Optional[str]]
    errors: int
    warnings: int
    infos: int
    dates: dict[str, date]
    assessed_on: Optional[date]
    assessors: list[str]
    #: markers the files of a review not yet moderated rate differently
    differ: list[str]
    actions: list[ActionRow]
    #: months between the set's timeliness dates (decision to completion), None if not known
    months: Optional[float]

    @property
    def path(self) -> str:
        """The file that names the review: the agreed file, else the first given."""
        return self.group.first.path

    @property
    def files(self) -> list[str]:
        return [m.path for m in self.group.members]

    @property
    def standing(self) -> str:
        return self.group.standing

    @property
    def rated(self) -> int:
        return self.score.rated


@dataclass
class SetSummary:
    """The reviews of one marker set at one stage, and their figures."""

    mset: MarkerSet
    stage: Optional[str] = None
    reviews: list[ReviewFigures] = field(default_factory=list)
    markers: list[Tally] = field(default_factory=list)
    clusters: list[Tally] = field(default_factory=list)
    overall: Optional[Score] = None
    figures: list[FigureStats] = field(default_factory=list)
    choices: list[ChoiceStats] = field(default_factory=list)

    @property
    def file_count(self) -> int:
        return sum(len(r.group.members) for r in self.reviews)

    def ranked(self, kind: str = "marker") -> list[Ranked]:
        """The markers (or, `kind` "cluster", the clusters) ranked: see `rank`."""
        return rank(self.mset, self.markers if kind == "marker" else self.clusters)


@dataclass
class Skipped:
    path: str
    reason: str
    #: Where the problem that stopped the file is, and the check rule that names it.
    line: Optional[int] = None
    column: Optional[int] = None
    rule: Optional[str] = None


@dataclass
class FileUse:
    """What one file given was used for, or why it was not: the workbook's Files sheet."""

    path: str
    used: bool
    how: str
    title: Optional[str] = None
    stage: Optional[str] = None
    marker_set: Optional[str] = None
    assessment: Optional[str] = None


@dataclass
class Summary:
    sets: list[SetSummary]
    skipped: list[Skipped]
    #: every file given, in input order, with its part
    files: list[FileUse] = field(default_factory=list)
    #: the stages asked for (empty: every stage)
    stages: frozenset[str] = frozenset()

    @property
    def review_count(self) -> int:
        return sum(len(s.reviews) for s in self.sets)

    @property
    def files_used(self) -> int:
        return sum(1 for f in self.files if f.used)

    @property
    def left_out(self) -> list[FileUse]:
        """Usable files at a stage not asked for."""
        skipped = {k.path for k in self.skipped}
        return [f for f in self.files if not f.used and f.path not in skipped]

    @property
    def actions(self) -> list[ActionRow]:
        """Every action of the reviews summarised, each review's once, in the actions order."""
        return actions_mod.sort_rows(a for s in self.sets for r in s.reviews for a in r.actions)

    def counted(self) -> str:
        """'7 files, 4 reviews': what every output says it used."""
        return f"{plural(self.files_used, 'file')} used, {plural(self.review_count, 'review')}"


def stage_order(stage: Optional[str]) -> int:
    return STAGES.index(stage) if stage in STAGES else len(STAGES)


def summarise(reports: Iterable[FileReport], registry: Registry, *, stages: Iterable[str] = ()) -> Summary:
    """The summary of `reports`, each review once; only `stages` when any are given."""
    wanted = frozenset(stages)
    by_set: dict[str, list[ReviewRow]] = {}
    skipped: list[Skipped] = []
    uses: dict[str, FileUse] = {}
    order: list[str] = []
    for report in reports:
        r = ReviewRow.of(report)  # the findings are not kept: only their counts
        order.append(r.path)
        reason = _unusable(r, registry)
        if reason:
            first = r.first_error if not r.is_review else None
            skipped.append(Skipped(r.path, reason, *((first.line, first.column, first.rule) if first else ())))
            uses[r.path] = FileUse(r.path, False, f"skipped: {reason}", r.title, r.stage, r.marker_set, r.assessment if r.is_review else None)
            continue
        if wanted and r.stage not in wanted:
            asked = " or ".join(s for s in STAGES if s in wanted)
            uses[r.path] = FileUse(r.path, False, f"left out: made at stage {r.stage or 'not recorded'}, and only {asked} was asked for", r.title, r.stage, r.marker_set, r.assessment)
            continue
        assert r.marker_set is not None
        by_set.setdefault(r.marker_set, []).append(r)
    sets: list[SetSummary] = []
    for set_id in sorted(by_set):
        mset = registry.get(set_id)
        groups = grouping.group_reviews(
            by_set[set_id],
            identity=lambda r: grouping.review_identity(r.marker_set or "", r.title, r.partnership),
            is_agreed=lambda r: r.assessment == "agreed",
            stage=lambda r: r.stage,
            assessed_on=lambda r: r.assessed_on,
        )
        for stage in sorted({g.stage for g in groups}, key=stage_order):
            s = SetSummary(mset, stage)
            for g in groups:
                if g.stage == stage:
                    s.reviews.append(_review_figures(mset, g))
                    for member in g.members:
                        uses[member.path] = _use(g, member)
            _fill(s)
            sets.append(s)
    return Summary(sets, skipped, [uses[p] for p in order if p in uses], wanted)


def _fill(s: SetSummary) -> None:
    mset = s.mset
    s.markers = [_tally_marker(mset, m, s.reviews) for m in mset.rated_markers]
    s.clusters = [_tally_cluster(mset, c, s.reviews) for c in mset.clusters if mset.markers_in(c.id, rated=True)]
    s.overall = score_ratings(mset, [r.ratings.get(m.id) for r in s.reviews for m in mset.rated_markers])
    s.figures = [_figure_stats(f, s.reviews) for f in figure_columns(mset)]
    s.choices = _choice_stats(mset, s.reviews)


def _review_figures(mset: MarkerSet, g: ReviewGroup[ReviewRow]) -> ReviewFigures:
    first = g.first
    ratings = g.ratings(mset, lambda r: r.ratings)
    stands = g.stands
    if g.moderated:
        answered, figures, choices = first.answered, dict(first.figures), dict(first.choices)
        dates, assessed_on = dict(first.dates), first.assessed_on
    else:
        answered = min(m.answered for m in stands)
        figures = {k: _middle([m.figures.get(k) for m in stands]) for k in first.figures}
        choices = {k: _most_chosen([m.choices.get(k) for m in stands]) for k in first.choices}
        dates = {}
        for m in stands:
            for name, day in m.dates.items():
                dates.setdefault(name, day)
        assessed = [m.assessed_on for m in stands if m.assessed_on is not None]
        assessed_on = max(assessed) if assessed else None
    assessors: list[str] = []
    for m in g.members:
        for name in m.assessors:
            if name not in assessors:
                assessors.append(name)
    per_file = [g.agreed.actions] if g.agreed is not None else []
    per_file += [m.actions for m in g.members if m is not g.agreed]
    return ReviewFigures(
        group=g,
        title=first.title or "(untitled)",
        partnership=first.partnership,
        stage=g.stage,
        marker_set=mset.id,
        ratings=ratings,
        score=score_ratings(mset, ratings.values()),
        questions_total=first.questions_total,
        answered=answered,
        markers_total=first.markers_total,
        figures=figures,
        choices=choices,
        errors=sum(m.errors for m in stands),
        warnings=sum(m.warnings for m in stands),
        infos=sum(m.infos for m in stands),
        dates=dict(sorted(dates.items(), key=lambda kv: list(DATE_NOUNS).index(kv[0]))),
        assessed_on=assessed_on,
        assessors=assessors,
        differ=g.differences(mset, lambda r: r.ratings),
        actions=actions_mod.merge_files(per_file),
        months=_months(mset, dates),
    )


def _months(mset: MarkerSet, dates: dict[str, date]) -> Optional[float]:
    rule = mset.header.timeliness
    if rule is None:
        return None
    start, end = dates.get(rule.from_date), dates.get(rule.to_date)
    return months_between(start, end) if start and end else None


def months_label(mset: MarkerSet) -> Optional[str]:
    """'Months from decision to completion', from the set's timeliness expectation."""
    rule = mset.header.timeliness
    if rule is None:
        return None
    return f"Months from {DATE_NOUNS.get(rule.from_date, rule.from_date)} to {DATE_NOUNS.get(rule.to_date, rule.to_date)}"


def _middle(values: list[Optional[float]]) -> Optional[float]:
    given = [v for v in values if v is not None]
    return statistics.median_low(given) if given else None


def _most_chosen(values: list[Optional[str]]) -> Optional[str]:
    given = [v for v in values if v is not None]
    if not given:
        return None
    counts = Counter(given)
    best = max(counts.values())
    return next(v for v in given if counts[v] == best)


def _use(g: ReviewGroup[ReviewRow], member: ReviewRow) -> FileUse:
    title = member.title or "(untitled)"
    if g.agreed is member:
        how = f"stands for {title}: the agreed assessment" + (f" of {plural(len(g.members) - 1, 'other file')}" if len(g.members) > 1 else "")
    elif g.agreed is not None and any(member is o for o in g.other_agreed):
        how = f"an earlier agreed assessment of {title}; {g.agreed.path} (assessed later) stands for it"
    elif g.agreed is not None:
        how = f"an assessment of {title}; the agreed file {g.agreed.path} stands for it"
    elif len(g.members) == 1:
        how = f"stands for {title}: its only assessment"
    else:
        how = f"one of {len(g.members)} assessments of {title}, not yet moderated: counted together, once"
    return FileUse(member.path, True, how, member.title, member.stage, member.marker_set, member.assessment)


def _figure_stats(figure: Figure, reviews: list[ReviewFigures]) -> FigureStats:
    values = sorted(v for r in reviews if (v := r.figures.get(figure.key)) is not None)
    if not values:
        return FigureStats(figure, 0, None, None, None, None)
    return FigureStats(figure, len(values), statistics.fmean(values), statistics.median(values), values[0], values[-1])


def _choice_stats(mset: MarkerSet, reviews: list[ReviewFigures]) -> list[ChoiceStats]:
    out = []
    for m in mset.markers:
        for q in m.questions:
            if q.type != "choice":
                continue
            key = f"{m.id}.{q.number}"
            counts = {o.label: 0 for o in q.options or ()}
            labels = {o.id: o.label for o in q.options or ()}
            unanswered = 0
            for r in reviews:
                chosen = r.choices.get(key)
                if chosen is None:
                    unanswered += 1
                else:
                    counts[labels[chosen]] += 1
            out.append(ChoiceStats(key, f"{m.id} q{q.number}: {q.text}", counts, unanswered))
    return out


def _unusable(r: ReviewRow, registry: Registry) -> Optional[str]:
    if not r.is_review:
        first = r.first_error
        return first.message if first else "not a review file"
    if not r.marker_set or registry.find(r.marker_set) is None or not r.markers_total:
        return f"unknown marker set {r.marker_set!r}"
    return None


def _tally_marker(mset: MarkerSet, marker: Marker, reviews: list[ReviewFigures]) -> Tally:
    return Tally(marker.id, marker.title, marker.cluster, score_ratings(mset, [r.ratings.get(marker.id) for r in reviews]))


def _tally_cluster(mset: MarkerSet, cluster: Cluster, reviews: list[ReviewFigures]) -> Tally:
    ids = [m.id for m in mset.markers_in(cluster.id, rated=True)]
    return Tally(cluster.id, cluster.title, cluster.id, score_ratings(mset, [r.ratings.get(i) for r in reviews for i in ids]))
