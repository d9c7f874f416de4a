"""Scores and suggested ratings: the one place the arithmetic lives.

Every figure here reports its denominator. A score that quietly leaves out unrated and
not-applicable markers would flatter a review; so the result always carries how many
were rated, how many did not apply and how many are still unrated.
"""

from __future__ import annotations

from typing import Iterable, Optional

from scr_audit.markers import AnswerOption, Marker, MarkerSet, RatingOption
from scr_audit.results import Score
from scr_audit.review import MarkerEntry, ReviewFile, answer_for


def scale_answers(mset: MarkerSet, marker: Marker, entry: MarkerEntry | None) -> list[AnswerOption]:
    """The recognised scale answers given to a marker's scale questions."""
    out = []
    for q in marker.questions:
        if q.type != "scale":
            continue
        _, ans = answer_for(entry, q.number)
        if ans is not None and ans.is_answered:
            opt = mset.answer(ans.answer)
            if opt is not None:
                out.append(opt)
    return out


def mean_answer_score(options: Iterable[AnswerOption]) -> Optional[float]:
    scores = [o.score for o in options if o.score is not None]
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
        first = given[0]
        if first.suggests and all(o.id == first.id for o in given):
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
    """Marker id -> recognised rating id (None if unrated or not on the scale), in set order."""
    out: dict[str, Optional[str]] = {}
    for m in mset.markers:
        entry = review.entry(m.id)
        opt = mset.rating(entry.rating) if entry is not None and entry.rating else None
        out[m.id] = opt.id if opt else None
    return out


def review_scores(mset: MarkerSet, ratings: dict[str, Optional[str]]) -> tuple[Score, dict[str, Score]]:
    overall = score_ratings(mset, ratings.values())
    clusters = {
        c.id: score_ratings(mset, [ratings.get(m.id) for m in mset.markers_in(c.id)]) for c in mset.clusters
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
