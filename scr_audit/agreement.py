"""Agreement between assessors: percentage agreement and kappa statistics.

Pure arithmetic over lists of judgements; it knows nothing of markers or files. Every
function returns a `Stat`: the value, or None with a plain reason when the statistic
cannot honestly be computed (too few items; everyone gave one and the same value, so
agreement expected by chance is 100% and kappa would be 0 divided by 0). Sums are
kept as exact fractions, so an expected agreement of exactly 1 is recognised as such
rather than missed by a rounding error and turned into a huge or nan kappa.

Kappa is (observed agreement - agreement expected by chance) / (1 - agreement expected by
chance): 1 is complete agreement, 0 is no better than chance, below 0 worse than chance.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Hashable, Optional, Sequence

from scr_audit.validation import plural

#: Fewest items a kappa is computed over. Below this a kappa swings so far with one item
#: that it says nothing a reader can use; the percentage agreement is still given.
MIN_ITEMS = 5

#: Landis and Koch (1977), "The measurement of observer agreement for categorical data",
#: Biometrics 33(1), 159-174: the conventional words for a kappa, lowest band first.
#: (upper bound inclusive, words)
BANDS: tuple[tuple[float, str], ...] = (
    (-1e-9, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.00, "almost perfect"),
)
BANDS_SOURCE = "Landis and Koch (1977)"


@dataclass(frozen=True)
class Stat:
    """One agreement figure over `items` items, or the reason there is none."""

    value: Optional[float]
    items: int
    observed: Optional[float] = None  # proportion of agreement observed
    expected: Optional[float] = None  # proportion expected by chance (kappas only)
    reason: Optional[str] = None  # why value is None

    @property
    def computed(self) -> bool:
        return self.value is not None


#: Chance agreement at or above which a kappa is flagged as unstable: when nearly every
#: point has the same value, one difference moves kappa a long way (the "kappa paradox").
HIGH_CHANCE = 0.8


def shown(kappa: float) -> str:
    """A kappa as printed: two decimals, and never "-0.00" for a value that rounds to zero."""
    return f"{round(kappa, 2) + 0.0:.2f}"


def band(kappa: float) -> str:
    """Landis and Koch's words for a kappa, judged on the value as shown (two decimals)."""
    shown = round(kappa, 2) + 0.0
    for upper, words in BANDS:
        if shown <= upper:
            return words
    return BANDS[-1][1]


def _too_few(n: int, noun: str, minimum: int) -> Optional[str]:
    if n == 0:
        return f"no {noun}s were compared"
    if n < minimum:
        return f"only {plural(n, noun)} compared; a kappa needs at least {minimum} to mean anything"
    return None


def _all_one_value(categories: set[Hashable], n: int, noun: str) -> str:
    (only,) = categories
    return (
        f"every assessor gave all {plural(n, noun)} the same value ({only}), so agreement expected "
        "by chance is 100% and kappa cannot be computed (it would be 0 divided by 0)"
    )


def percent_agreement(items: Sequence[Sequence[Hashable]], *, noun: str = "item") -> Stat:
    """The share of items on which every assessor gave the same value (0 to 1)."""
    n = len(items)
    if n == 0:
        return Stat(None, 0, reason=f"no {noun}s were compared")
    agreed = sum(1 for values in items if len(set(values)) == 1)
    p = Fraction(agreed, n)
    return Stat(float(p), n, observed=float(p))


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]], *, noun: str = "item", min_items: int = MIN_ITEMS) -> Stat:
    """Cohen's kappa for two assessors, values treated as unordered categories."""
    n = len(pairs)
    too_few = _too_few(n, noun, min_items)
    if too_few:
        return Stat(None, n, reason=too_few)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    observed = Fraction(sum(1 for a, b in pairs if a == b), n)
    expected = sum((Fraction(first[c] * second[c], n * n) for c in first.keys() & second.keys()), Fraction(0))
    if expected == 1:
        return Stat(None, n, float(observed), 1.0, _all_one_value(set(first), n, noun))
    return Stat(float((observed - expected) / (1 - expected)), n, float(observed), float(expected))


def weighted_kappa(
    pairs: Sequence[tuple[Hashable, Hashable]],
    order: Sequence[Hashable],
    *,
    noun: str = "item",
    min_items: int = MIN_ITEMS,
) -> Stat:
    """Cohen's kappa with linear weights, for values on an ordered scale.

    Values one step apart on a scale of k values count as (k-2)/(k-1) agreement, two steps
    (k-3)/(k-1), and so on: 'met' against 'partly met' is a smaller disagreement than 'met'
    against 'not met'. The weights come from the whole scale, not just the values used.
    Every value must be in `order`; leaving out unordered values is the caller's job.
    """
    k = len(order)
    n = len(pairs)
    if k < 2:
        return Stat(None, n, reason="the scale has fewer than two ordered values, so there is nothing to weight")
    too_few = _too_few(n, noun, min_items)
    if too_few:
        return Stat(None, n, reason=too_few)
    rank = {value: i for i, value in enumerate(order)}
    unknown = {v for pair in pairs for v in pair if v not in rank}
    if unknown:
        raise ValueError(f"values not on the ordered scale: {sorted(map(str, unknown))}")

    def weight(a: Hashable, b: Hashable) -> Fraction:
        return 1 - Fraction(abs(rank[a] - rank[b]), k - 1)

    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    observed = sum((weight(a, b) for a, b in pairs), Fraction(0)) / n
    expected = sum((weight(a, b) * first[a] * second[b] for a in first for b in second), Fraction(0)) / (n * n)
    if expected == 1:
        return Stat(None, n, float(observed), 1.0, _all_one_value(set(first), n, noun))
    return Stat(float((observed - expected) / (1 - expected)), n, float(observed), float(expected))


def fleiss_kappa(items: Sequence[Sequence[Hashable]], *, noun: str = "item", min_items: int = MIN_ITEMS) -> Stat:
    """Fleiss' kappa for three or more assessors (any number from two), unordered values.

    Each item must carry one value from every assessor. `observed` is the mean, over items,
    of the share of assessor pairs that agree on the item.
    """
    n = len(items)
    too_few = _too_few(n, noun, min_items)
    if too_few:
        return Stat(None, n, reason=too_few)
    raters = {len(values) for values in items}
    if len(raters) != 1 or min(raters) < 2:
        raise ValueError("every item needs a value from each of the same two or more assessors")
    m = raters.pop()
    totals: Counter[Hashable] = Counter()
    observed = Fraction(0)
    for values in items:
        counts = Counter(values)
        totals.update(counts)
        observed += Fraction(sum(c * c for c in counts.values()) - m, m * (m - 1))
    observed /= n
    expected = sum((Fraction(t, n * m) ** 2 for t in totals.values()), Fraction(0))
    if expected == 1:
        return Stat(None, n, float(observed), 1.0, _all_one_value(set(totals), n, noun))
    return Stat(float((observed - expected) / (1 - expected)), n, float(observed), float(expected))
