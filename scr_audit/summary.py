"""Figures across many reviews: per review, per marker and per cluster, set by set.

Reviews made against different marker sets are summarised separately: a "met" in one set
and a "good" in another are not the same judgement, so they are never added together.
Files that are not usable reviews are listed as skipped, with the reason, not dropped
silently.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Iterable, Optional

from scr_audit.markers import Cluster, Marker, MarkerSet, Registry
from scr_audit.results import FileReport, ReviewRow, Score
from scr_audit.scoring import Figure, figure_columns, score_ratings


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
class SetSummary:
    mset: MarkerSet
    reviews: list[ReviewRow] = field(default_factory=list)
    markers: list[Tally] = field(default_factory=list)
    clusters: list[Tally] = field(default_factory=list)
    overall: Optional[Score] = None
    figures: list[FigureStats] = field(default_factory=list)
    choices: list[ChoiceStats] = field(default_factory=list)


@dataclass
class Skipped:
    path: str
    reason: str
    #: Where the problem that stopped the file is, and the check rule that names it.
    line: Optional[int] = None
    column: Optional[int] = None
    rule: Optional[str] = None


@dataclass
class Summary:
    sets: list[SetSummary]
    skipped: list[Skipped]

    @property
    def review_count(self) -> int:
        return sum(len(s.reviews) for s in self.sets)


def summarise(reports: Iterable[FileReport], registry: Registry) -> Summary:
    by_set: dict[str, SetSummary] = {}
    skipped: list[Skipped] = []
    for report in reports:
        r = ReviewRow.of(report)  # the findings are not kept: only their counts
        reason = _unusable(r, registry)
        if reason:
            first = r.first_error if not r.is_review else None
            skipped.append(Skipped(r.path, reason, *((first.line, first.column, first.rule) if first else ())))
            continue
        assert r.marker_set is not None
        if r.marker_set not in by_set:
            by_set[r.marker_set] = SetSummary(registry.get(r.marker_set))
        by_set[r.marker_set].reviews.append(r)
    sets = [by_set[k] for k in sorted(by_set)]
    for s in sets:
        s.markers = [_tally_marker(s.mset, m, s.reviews) for m in s.mset.rated_markers]
        s.clusters = [_tally_cluster(s.mset, c, s.reviews) for c in s.mset.clusters if s.mset.markers_in(c.id, rated=True)]
        s.overall = score_ratings(s.mset, [r.ratings.get(m.id) for r in s.reviews for m in s.mset.rated_markers])
        s.figures = [_figure_stats(f, s.reviews) for f in figure_columns(s.mset)]
        s.choices = _choice_stats(s.mset, s.reviews)
    return Summary(sets, skipped)


def _figure_stats(figure: Figure, reviews: list[ReviewRow]) -> FigureStats:
    values = sorted(v for r in reviews if (v := r.figures.get(figure.key)) is not None)
    if not values:
        return FigureStats(figure, 0, None, None, None, None)
    return FigureStats(figure, len(values), statistics.fmean(values), statistics.median(values), values[0], values[-1])


def _choice_stats(mset: MarkerSet, reviews: list[ReviewRow]) -> list[ChoiceStats]:
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


def _tally_marker(mset: MarkerSet, marker: Marker, reviews: list[ReviewRow]) -> Tally:
    return Tally(marker.id, marker.title, marker.cluster, score_ratings(mset, [r.ratings.get(marker.id) for r in reviews]))


def _tally_cluster(mset: MarkerSet, cluster: Cluster, reviews: list[ReviewRow]) -> Tally:
    ids = [m.id for m in mset.markers_in(cluster.id, rated=True)]
    return Tally(cluster.id, cluster.title, cluster.id, score_ratings(mset, [r.ratings.get(i) for r in reviews for i in ids]))
