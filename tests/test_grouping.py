"""Which files are one review's, and the rule for the figures of a review not yet moderated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

import pytest

from scr_audit.grouping import AGREED, NOT_MODERATED, SINGLE, group_reviews, middle_rating, review_identity


@dataclass
class F:
    name: str
    title: str = "Child D"
    partnership: Optional[str] = "Anytown LSCB"
    stage: str = "end"
    agreed: bool = False
    on: Optional[date] = None
    ratings: dict = field(default_factory=dict)


def groups(*files: F):
    return group_reviews(
        list(files),
        identity=lambda f: review_identity("scr-quality-markers", f.title, f.partnership),
        is_agreed=lambda f: f.agreed,
        stage=lambda f: f.stage,
        assessed_on=lambda f: f.on,
    )


def test_identity_ignores_case_and_extra_spaces():
    assert review_identity("scr-quality-markers", "  Child   D ", "anytown  LSCB") == review_identity("SCR-Quality-Markers", "child d", "Anytown LSCB")
    assert review_identity("s", "Child D", None) == review_identity("s", "Child D", "  ")
    assert review_identity("s", "Child D", "A") != review_identity("s", "Child D", "B")
    assert review_identity("s", "Child D", None) != review_identity("t", "Child D", None)


def test_files_are_grouped_in_input_order_and_stages_kept_apart():
    a, b, c, d = F("a"), F("b", title="CHILD  d"), F("c", title="Child E"), F("d", stage="progressive")
    out = groups(a, b, c, d)
    assert [[m.name for m in g.members] for g in out] == [["a", "b"], ["c"], ["d"]]
    assert [g.standing for g in out] == [NOT_MODERATED, SINGLE, SINGLE]
    assert [g.stage for g in out] == ["end", "end", "progressive"]
    assert out[0].moderated is False and out[1].moderated is True


def test_an_agreed_file_stands_and_the_latest_of_several():
    one, two = F("one"), F("two")
    old = F("old", agreed=True, on=date(2026, 1, 1))
    new = F("new", agreed=True, on=date(2026, 6, 1))
    (g,) = groups(one, new, two, old)
    assert g.standing == AGREED and g.agreed is new and g.other_agreed == [old]
    assert g.first is new and g.stands == [new] and [m.name for m in g.assessments] == ["one", "two", "old"]
    (g,) = groups(F("x", agreed=True), F("y", agreed=True))  # no dates: the last given
    assert g.agreed.name == "y"


@pytest.mark.parametrize(
    "given, expected",
    [
        (["met", "partly-met", "not-met"], "partly-met"),  # the middle one
        (["met", "not-met"], "not-met"),  # even: the lower of the two middle ones
        (["met", "met", "partly-met", "not-met"], "partly-met"),
        (["met", "met", "met", "not-met"], "met"),
        (["met", None, "partly-met"], "partly-met"),  # an assessor who did not rate it is not counted
        (["not-applicable", "not-applicable"], "not-applicable"),
        (["not-applicable", "met", "met"], "met"),  # someone found it applies: their ratings stand
        ([None, None], None),
        (["Met", "maybe"], "met"),  # ratings as written in any case; one off the scale is not counted
    ],
)
def test_middle_rating(qm, given, expected):
    assert middle_rating(qm, given) == expected


def test_group_ratings_and_differences(qm):
    a = F("a", ratings={"QM1": "met", "QM2": "met"})
    b = F("b", ratings={"QM1": "not-met", "QM2": "met"})
    (g,) = groups(a, b)
    ratings = g.ratings(qm, lambda f: f.ratings)
    assert ratings["QM1"] == "not-met" and ratings["QM2"] == "met" and ratings["QM3"] is None
    assert list(ratings) == [m.id for m in qm.rated_markers]
    assert g.differences(qm, lambda f: f.ratings) == ["QM1"]
    agreed = F("c", agreed=True, ratings={"QM1": "partly-met"})
    (g,) = groups(a, b, agreed)
    assert g.ratings(qm, lambda f: f.ratings)["QM1"] == "partly-met" and g.differences(qm, lambda f: f.ratings) == []
