"""Which files are one review's assessments, and which figures stand for that review.

Four panel members scoring Child D give four files; an agreed (moderated) file may sit
beside them. Adding all five to a summary would count one review five times and weight it
five times in every tally. So every figure across reviews (`summary`, its CSV and
workbook, the summary record, the action list) first groups its files here, with this one
function, and counts each group once.

Files are one review's when they name the same marker set, review title and partnership,
compared without regard to case or extra spaces. Files made at different stages are
different assessments (a review assessed at its beginning and again at its end), so they
never share a group when the caller says what each file's stage is.

Which figures stand for a group:

- an agreed file (`review: assessment: agreed`, as `compare --merge` writes it): that
  file alone; the others are listed as its assessments. Where there are several agreed
  files, the one assessed last (the last given, on a tie) stands and the others are named;
- one file only: that file;
- several individual files and no agreed one: the review is counted once, its figures
  marked "not yet moderated", and each marker's rating is the middle one of the ratings
  its assessors gave, on the set's scale, taking the lower of the two middle ones when
  their number is even (two assessors: the lower rating). So a figure never rests on one
  assessor's view alone and never flatters the review before the panel has agreed;
  a marker every assessor who rated it called not applicable is not applicable; a marker
  no one rated is unrated. The markers on which the assessors differ are listed, for the
  moderation meeting (`scr-audit compare` settles them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Generic, Mapping, Optional, Sequence, TypeVar

from scr_audit.markers import MarkerSet

T = TypeVar("T")

Identity = tuple[str, str, str]
RatingsOf = Callable[[T], Mapping[str, Optional[str]]]

#: How the outputs name each way a review's figures are arrived at.
AGREED, SINGLE, NOT_MODERATED = "agreed", "single", "not-moderated"
STANDING_LABELS = {
    AGREED: "Agreed (moderated)",
    SINGLE: "One assessment",
    NOT_MODERATED: "Not yet moderated",
}
RULE_TEXT = (
    "each marker's rating is the middle one of its assessors' ratings (the lower of the two "
    "middle ones when their number is even)"
)


def _fold(text: Optional[str]) -> str:
    return " ".join((text or "").split()).casefold()


def review_identity(marker_set: str, title: Optional[str], partnership: Optional[str]) -> Identity:
    """Set id, title and partnership compared without regard to case or extra spaces."""
    return (_fold(marker_set), _fold(title), _fold(partnership))


@dataclass
class ReviewGroup(Generic[T]):
    identity: Identity
    members: list[T]  # every file of this review, in input order
    agreed: Optional[T]  # the agreed (moderated) file, if any: it stands for the review
    moderated: bool  # True when an agreed file exists (or there is only one file)
    #: the stage these files were made at, when the caller gave one
    stage: Optional[str] = None
    #: agreed files that do not stand (an older moderation), in input order
    other_agreed: list[T] = field(default_factory=list)

    @property
    def standing(self) -> str:
        """AGREED, SINGLE or NOT_MODERATED: how the review's figures are arrived at."""
        if self.agreed is not None:
            return AGREED
        return SINGLE if len(self.members) == 1 else NOT_MODERATED

    @property
    def stands(self) -> list[T]:
        """The files whose figures stand for the review: the agreed or only file, else all."""
        if self.agreed is not None:
            return [self.agreed]
        return list(self.members)

    @property
    def first(self) -> T:
        """The file that names the review in a table: the agreed file, else the first given."""
        return self.agreed if self.agreed is not None else self.members[0]

    @property
    def assessments(self) -> list[T]:
        """The other files: the individual assessments an agreed file stands for."""
        return [m for m in self.members if m is not self.agreed]

    def ratings(self, mset: MarkerSet, ratings_of: RatingsOf[T]) -> dict[str, Optional[str]]:
        """Marker id -> the rating that stands for the review (None: unrated), in set order."""
        if self.moderated:
            given = ratings_of(self.first)
            return {m.id: _recognised(mset, given.get(m.id)) for m in mset.rated_markers}
        each = [ratings_of(f) for f in self.members]
        return {m.id: middle_rating(mset, [g.get(m.id) for g in each]) for m in mset.rated_markers}

    def differences(self, mset: MarkerSet, ratings_of: RatingsOf[T]) -> list[str]:
        """Markers the files of a review not yet moderated rate differently (or only some rate)."""
        if self.moderated:
            return []
        each = [ratings_of(f) for f in self.members]
        out = []
        for m in mset.rated_markers:
            given = {_recognised(mset, g.get(m.id)) for g in each}
            if len(given) > 1:
                out.append(m.id)
        return out


def _recognised(mset: MarkerSet, rating: Optional[str]) -> Optional[str]:
    opt = mset.rating(rating) if rating else None
    return opt.id if opt else None


def middle_rating(mset: MarkerSet, ratings: Sequence[Optional[str]]) -> Optional[str]:
    """The rule for a review not yet moderated, for one marker (see the module's notes)."""
    given = [opt for r in ratings if r and (opt := mset.rating(r)) is not None]
    scored = sorted((o for o in given if o.score is not None), key=lambda o: o.score)  # type: ignore[arg-type, return-value]
    if scored:
        return scored[(len(scored) - 1) // 2].id
    return given[0].id if given else None


def group_reviews(
    items: Sequence[T],
    *,
    identity: Callable[[T], Identity],
    is_agreed: Callable[[T], bool],
    stage: Optional[Callable[[T], Optional[str]]] = None,
    assessed_on: Optional[Callable[[T], Optional[date]]] = None,
) -> list[ReviewGroup[T]]:
    """The reviews among `items`, each once, in the order their first file was given.

    `stage`, when given, keeps files made at different stages apart. `assessed_on` picks
    the agreed file that stands where a review has several (the latest; without it, the
    last given).
    """
    order: dict[tuple, list[tuple[int, T]]] = {}
    for i, item in enumerate(items):
        key = (identity(item), stage(item) if stage else None)
        order.setdefault(key, []).append((i, item))
    groups: list[ReviewGroup[T]] = []
    for (ident, st), indexed in order.items():
        members = [item for _, item in indexed]
        agreed_files = [(i, item) for i, item in indexed if is_agreed(item)]
        agreed: Optional[T] = None
        others: list[T] = []
        if agreed_files:
            def when(pair: tuple[int, T]) -> tuple[date, int]:
                day = assessed_on(pair[1]) if assessed_on else None
                return (day or date.min, pair[0])

            agreed = max(agreed_files, key=when)[1]
            others = [item for _, item in agreed_files if item is not agreed]
        groups.append(
            ReviewGroup(
                identity=ident,
                members=members,
                agreed=agreed,
                moderated=agreed is not None or len(members) == 1,
                stage=st,
                other_agreed=others,
            )
        )
    return groups
