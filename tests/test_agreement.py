"""Agreement statistics against values worked out by hand (the working is in the comments)."""

from __future__ import annotations

import math

import pytest

from scr_audit.agreement import band, cohen_kappa, fleiss_kappa, percent_agreement, weighted_kappa

ORDER = ("met", "partly-met", "not-met")


def test_cohen_kappa_two_by_two():
    # 50 items, yes/no. Both yes 20, A yes B no 5, A no B yes 10, both no 15.
    # observed = (20 + 15) / 50 = 0.70
    # A: yes 25, no 25.  B: yes 30, no 20.
    # expected = (25*30 + 25*20) / 50^2 = (750 + 500) / 2500 = 0.50
    # kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    s = cohen_kappa(pairs)
    assert s.value == pytest.approx(0.40)
    assert s.observed == pytest.approx(0.70) and s.expected == pytest.approx(0.50)
    assert s.items == 50 and s.reason is None


def test_weighted_and_unweighted_kappa_three_ordered_values():
    # Six markers, A then B: (met, met) (met, partly) (partly, partly) (partly, not) (not, not) (met, not).
    # A: met 3, partly 2, not 1.   B: met 1, partly 2, not 3.
    # Linear weights on 3 values: same 1, one step apart 1/2, two steps 0.
    # observed (weighted) = (1 + 1/2 + 1 + 1/2 + 1 + 0) / 6 = 4/6
    # expected (weighted) = [diagonal 3*1 + 2*2 + 1*3 = 10
    #                        + one step 1/2 * (met,partly 3*2 + partly,met 2*1 + partly,not 2*3 + not,partly 1*2 = 16)
    #                        + two steps 0] / 36 = 18/36 = 1/2
    # weighted kappa = (4/6 - 1/2) / (1 - 1/2) = 1/3 = 0.33
    # Unweighted: observed 3/6, expected 10/36, kappa = (1/2 - 10/36) / (26/36) = 8/26 = 0.31
    m, p, n = ORDER
    pairs = [(m, m), (m, p), (p, p), (p, n), (n, n), (m, n)]
    w = weighted_kappa(pairs, ORDER)
    assert w.value == pytest.approx(1 / 3)
    assert w.observed == pytest.approx(4 / 6) and w.expected == pytest.approx(0.5)
    assert round(w.value, 2) == 0.33
    c = cohen_kappa(pairs)
    assert c.value == pytest.approx(8 / 26)
    assert round(c.value, 2) == 0.31


def test_fleiss_kappa_three_assessors():
    # Five items, three assessors, values a/b.
    #   a a a -> pairs agreeing (3*3 - 3) / (3*2) = 1
    #   a a b -> (2*2 + 1*1 - 3) / 6 = 1/3
    #   b b b -> 1
    #   a b b -> 1/3
    #   a a a -> 1
    # observed = (1 + 1/3 + 1 + 1/3 + 1) / 5 = 11/15
    # a given 9 times of 15, b 6: expected = (9/15)^2 + (6/15)^2 = 0.36 + 0.16 = 0.52
    # kappa = (11/15 - 0.52) / (1 - 0.52) = (16/75) / (12/25) = 4/9 = 0.44
    items = [("a", "a", "a"), ("a", "a", "b"), ("b", "b", "b"), ("a", "b", "b"), ("a", "a", "a")]
    s = fleiss_kappa(items)
    assert s.value == pytest.approx(4 / 9)
    assert s.observed == pytest.approx(11 / 15) and s.expected == pytest.approx(0.52)


def test_fleiss_kappa_published_example():
    # The worked example in Fleiss (1971) as usually reproduced: 10 subjects, 14 raters,
    # 5 categories; P-bar 0.378, P-bar-e 0.213, kappa 0.210.
    table = [
        (0, 0, 0, 0, 14), (0, 2, 6, 4, 2), (0, 0, 3, 5, 6), (0, 3, 9, 2, 0), (2, 2, 8, 1, 1),
        (7, 7, 0, 0, 0), (3, 2, 6, 3, 0), (2, 5, 3, 2, 2), (6, 5, 2, 1, 0), (0, 2, 2, 3, 7),
    ]  # fmt: skip
    items = [tuple(c for c, count in enumerate(row) for _ in range(count)) for row in table]
    s = fleiss_kappa(items)
    assert round(s.value, 3) == 0.210
    assert round(s.observed, 3) == 0.378 and round(s.expected, 3) == 0.213


def test_percent_agreement_counts_items_where_everyone_agrees():
    # 3 of 4 items have all three the same: 0.75
    s = percent_agreement([("a", "a", "a"), ("a", "b", "a"), ("b", "b", "b"), ("c", "c", "c")])
    assert s.value == pytest.approx(0.75) and s.items == 4


def test_all_the_same_rating_gives_no_kappa_and_says_why():
    # Both assessors rate all 18 markers met: observed 1, expected 1, kappa 0/0.
    pairs = [("met", "met")] * 18
    for s in (cohen_kappa(pairs, noun="marker"), weighted_kappa(pairs, ORDER, noun="marker"), fleiss_kappa(pairs, noun="marker")):
        assert s.value is None
        assert "same value (met)" in s.reason and "chance is 100%" in s.reason and "18 markers" in s.reason
        assert not any(isinstance(v, float) and math.isnan(v) for v in (s.observed, s.expected))
    assert percent_agreement(pairs).value == 1.0


def test_each_assessor_keeping_to_one_different_value_is_kappa_zero_not_an_error():
    # A always met, B always partly met: observed 0, expected 0 (no shared value), kappa = 0 / 1 = 0.
    pairs = [("met", "partly-met")] * 6
    assert cohen_kappa(pairs).value == 0.0
    # Weighted: every pair one step apart, weight 1/2: observed 1/2, expected 1/2 -> 0.
    assert weighted_kappa(pairs, ORDER).value == pytest.approx(0.0)


def test_perfect_agreement_over_several_values_is_one():
    pairs = [("met", "met"), ("partly-met", "partly-met"), ("not-met", "not-met")] * 2
    assert cohen_kappa(pairs).value == pytest.approx(1.0)
    assert weighted_kappa(pairs, ORDER).value == pytest.approx(1.0)
    assert fleiss_kappa(pairs).value == pytest.approx(1.0)


def test_too_few_items():
    pairs = [("met", "met"), ("met", "partly-met"), ("not-met", "not-met"), ("met", "met")]
    for s in (cohen_kappa(pairs, noun="marker"), weighted_kappa(pairs, ORDER, noun="marker"), fleiss_kappa(pairs, noun="marker")):
        assert s.value is None and s.items == 4
        assert s.reason == "only 4 markers compared; a kappa needs at least 5 to mean anything"
    assert percent_agreement(pairs).value == pytest.approx(0.75)  # 3 of the 4 agree
    none = percent_agreement([], noun="marker")
    assert none.value is None and none.reason == "no markers were compared"
    assert cohen_kappa([], noun="marker").reason == "no markers were compared"


def test_a_scale_of_one_ordered_value_cannot_be_weighted():
    s = weighted_kappa([("met", "met")] * 6, ("met",))
    assert s.value is None and "fewer than two ordered values" in s.reason


def test_weighted_kappa_refuses_values_off_the_scale():
    with pytest.raises(ValueError):
        weighted_kappa([("met", "not-applicable")] * 5, ORDER)


@pytest.mark.parametrize(
    "kappa, words",
    [(-0.2, "poor"), (-0.004, "slight"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.6, "moderate"),
     (0.63, "substantial"), (0.804, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect")],
)  # fmt: skip
def test_landis_and_koch_bands(kappa, words):
    assert band(kappa) == words


def test_a_kappa_that_rounds_to_zero_is_never_shown_negative():
    from scr_audit.agreement import band, shown

    assert shown(-0.004) == "0.00" and band(-0.004) == "slight"
    assert shown(-0.006) == "-0.01" and band(-0.006) == "poor"
    assert shown(0.625) in ("0.62", "0.63") and band(0.63) == "substantial"
