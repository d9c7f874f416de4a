"""Scores and suggested ratings: the one place the arithmetic lives.

Every figure here reports its denominator. A score that quietly leaves out unrated and
not-applicable markers would flatter a review; so the result always carries how many
were rated, how many did not apply and how many are still unrated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Iterable, Optional

from scr_audit.markers import AnswerOption, Interval, Marker, MarkerSet, RatingOption
from scr_audit.results import Score
from scr_audit.review_plain import MAX_NUMBER, answer_for

if TYPE_CHECKING:
    from scr_audit.review import MarkerEntry, ReviewFile


@dataclass(frozen=True)
class GivenAnswer:
    """A recognised scale answer and what it scores for its question."""

    option: AnswerOption
    #: 0 to 1, reversed for a negative question ("Were there flaws?": yes scores 0); None if unscored.
    score: Optional[float]


def scale_answers(mset: MarkerSet, marker: Marker, entry: MarkerEntry | None) -> list[GivenAnswer]:
    """The recognised scale answers given to a marker's scale questions."""
    out = []
    for q in marker.questions:
        if q.type != "scale":
            continue
        _, ans = answer_for(entry, q.number)
        if ans is not None and ans.is_answered:
            opt = mset.answer(ans.answer)
            if opt is not None:
                score = opt.score
                if score is not None and q.negative:
                    score = 1.0 - score
                out.append(GivenAnswer(opt, score))
    return out


def mean_answer_score(given: Iterable[GivenAnswer]) -> Optional[float]:
    scores = [g.score for g in given if g.score is not None]
    return sum(scores) / len(scores) if scores else None


def suggest_rating(mset: MarkerSet, marker: Marker, entry: MarkerEntry | None) -> Optional[RatingOption]:
    """The rating the answers point to, or None when they say nothing yet.

    When no answer has a score, an answer that declares `suggests` (not-applicable does)
    gives its rating if every answer is that one.
    """
    given = scale_answers(mset, marker, entry)
    if not given:
        return None
    mean = mean_answer_score(given)
    if mean is None:
        first = given[0].option
        if first.suggests and all(g.option.id == first.id for g in given):
            return mset.rating_by_id(first.suggests)
        return None
    for t in mset.header.thresholds:
        if mean >= t.min_score - 1e-9:
            return mset.rating_by_id(t.rating)
    return None


def rating_steps(mset: MarkerSet, a: RatingOption, b: RatingOption) -> Optional[int]:
    """How many places apart two scored ratings are on the scale (None if either is unscored)."""
    scored = [r.id for r in mset.header.rating_scale if r.score is not None]
    if a.id not in scored or b.id not in scored:
        return None
    return abs(scored.index(a.id) - scored.index(b.id))


def score_ratings(mset: MarkerSet, ratings: Iterable[Optional[str]]) -> Score:
    """Score a list of rating ids (None: unrated; unknown ids count as unrated)."""
    total = rated = scored = na = unrated = 0
    points = 0.0
    counts = {r.id: 0 for r in mset.header.rating_scale}
    for rid in ratings:
        total += 1
        opt = mset.rating(rid) if rid else None
        if opt is None:
            unrated += 1
            continue
        rated += 1
        counts[opt.id] += 1
        if opt.score is None:
            na += 1
        else:
            scored += 1
            points += opt.score
    percent = 100.0 * points / scored if scored else None
    return Score(percent, total, rated, scored, na, unrated, counts)


def marker_ratings(mset: MarkerSet, review: ReviewFile) -> dict[str, Optional[str]]:
    """Rated marker id -> recognised rating id (None if unrated or not on the scale), in set order.

    Markers that take no rating (`rated: false`) are not in it.
    """
    out: dict[str, Optional[str]] = {}
    for m in mset.rated_markers:
        entry = review.entry(m.id)
        opt = mset.rating(entry.rating) if entry is not None and entry.rating else None
        out[m.id] = opt.id if opt else None
    return out


def review_scores(mset: MarkerSet, ratings: dict[str, Optional[str]]) -> tuple[Score, dict[str, Score]]:
    overall = score_ratings(mset, ratings.values())
    clusters = {
        c.id: score_ratings(mset, [ratings.get(m.id) for m in mset.markers_in(c.id, rated=True)]) for c in mset.clusters
    }
    return overall, clusters


def answered_count(mset: MarkerSet, review: ReviewFile) -> int:
    return sum(marker_answered(m, review.entry(m.id)) for m in mset.markers)


def marker_answered(marker: Marker, entry: MarkerEntry | None) -> int:
    """How many of a marker's questions have an answer (of any kind)."""
    if entry is None:
        return 0
    n = 0
    for q in marker.questions:
        _, ans = answer_for(entry, q.number)
        if ans is not None and ans.is_answered:
            n += 1
    return n


def interval_value(mset: MarkerSet, review: ReviewFile, interval: Interval) -> Optional[float]:
    """A computed interval (e.g. months from incident to publication), None if a date is missing."""
    ends = []
    for ref in (interval.from_, interval.to):
        _, ans = answer_for(review.entry(ref.marker), ref.question)
        value = ans.answer if ans is not None and ans.is_answered else None
        if type(value) is not date:  # a date and time is not a valid date answer (check says so)
            return None
        ends.append(value)
    days = (ends[1] - ends[0]).days
    return float(days) if interval.unit == "days" else round(days / 30.44, 1)


def months_between(start: date, end: date) -> Optional[float]:
    """Months from `start` to `end` to one decimal (30.44 days a month), None if out of order."""
    days = (end - start).days
    return None if days < 0 else round(days / 30.44, 1)


@dataclass(frozen=True)
class Figure:
    """A number a set records rather than scores: a number question, or a computed interval."""

    key: str  # "RQ2.2" for a question, "interval.1" for a computed interval
    label: str
    unit: Optional[str]


def figure_columns(mset: MarkerSet) -> list[Figure]:
    out = [
        Figure(f"{m.id}.{q.number}", f"{m.id} q{q.number}: {q.text}", q.unit)
        for m in mset.markers
        for q in m.questions
        if q.type == "number"
    ]
    out += [Figure(f"interval.{i}", i_.text, i_.unit) for i, i_ in enumerate(mset.header.intervals, start=1)]
    return out


def figures(mset: MarkerSet, review: ReviewFile) -> dict[str, Optional[float]]:
    """The review's value for each of `figure_columns` (None where not given)."""
    out: dict[str, Optional[float]] = {}
    for m in mset.markers:
        for q in m.questions:
            if q.type == "number":
                _, ans = answer_for(review.entry(m.id), q.number)
                value = ans.answer if ans is not None and ans.is_answered else None
                ok = isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= MAX_NUMBER
                out[f"{m.id}.{q.number}"] = float(value) if ok else None
    for i, interval in enumerate(mset.header.intervals, start=1):
        out[f"interval.{i}"] = interval_value(mset, review, interval)
    return out


def choices(mset: MarkerSet, review: ReviewFile) -> dict[str, Optional[str]]:
    """The option id chosen for each choice question ("RQ1.1" -> "silp"), None if none."""
    out: dict[str, Optional[str]] = {}
    for m in mset.markers:
        for q in m.questions:
            if q.type == "choice":
                _, ans = answer_for(review.entry(m.id), q.number)
                opt = q.option(ans.answer) if ans is not None and ans.is_answered else None
                out[f"{m.id}.{q.number}"] = opt.id if opt else None
    return out
